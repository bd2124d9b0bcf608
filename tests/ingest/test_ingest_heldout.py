"""Held-out articles written for the tests (fixtures/heldout), scored like the seeds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import tumen.data as td
from tumen.ingest import IngestResult, ingest
from tumen.ingest._score import article_dates, read_gold, score

HERE = Path(__file__).resolve().parent
GOLD = HERE / "gold_heldout.yaml"
FOLDER = HERE / "fixtures" / "heldout"


@pytest.fixture(scope="module")
def result(dataset: td.Dataset) -> IngestResult:
    gold = read_gold(GOLD)
    files = [FOLDER / a["file"] for a in gold["articles"]]
    return ingest(files, article_dates(gold, FOLDER), dataset=dataset)


def test_goal_on_held_out_articles(result: IngestResult) -> None:
    s = score(result.proposals, read_gold(GOLD))
    assert s.recall >= 0.9, s.notes
    assert s.precision >= 0.8, s.notes


def test_air_koryo_reported_twice_is_one_proposal(result: IngestResult) -> None:
    (p,) = [p for p in result.proposals if p.kind == "resumed" and p.date.year == 2023]
    assert sorted(Path(s.file).name[:2] for s in p.sources) == ["h4", "h5"]
    assert p.date == date(2023, 8, 25)
    assert p.ledger_match == "ev_2023_air_koryo_vladivostok"


def test_two_trains_two_days_apart_stay_two_events(result: IngestResult) -> None:
    trains = [p for p in result.proposals if p.kind == "resumed" and p.date.year == 2025]
    assert sorted(p.date for p in trains) == [date(2025, 6, 17), date(2025, 6, 19)]


def test_relative_dates_in_held_out_articles(result: IngestResult) -> None:
    by_text = {p.sources[0].sentence[:20]: p.date for p in result.proposals}
    assert by_text["The Russian airline "] == date(2025, 7, 27)  # "on Sunday"
    assert date(2022, 11, 2) in {p.date for p in result.proposals}  # "on Wednesday"
