"""The five seed articles against the hand-made list of the events they state."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import tumen.data as td
from tumen.ingest import IngestResult, Proposal, ingest
from tumen.ingest._score import article_dates, read_gold, score

GOLD = Path(__file__).resolve().parent / "gold_seeds.yaml"


@pytest.fixture(scope="module")
def result(shared_dir: Path, dataset: td.Dataset) -> IngestResult:
    gold = read_gold(GOLD)
    seeds = shared_dir / "seeds"
    files = [seeds / a["file"] for a in gold["articles"]]
    if not all(f.is_file() for f in files):
        pytest.skip(f"seed articles not found under {seeds}")
    return ingest(files, article_dates(gold, seeds), dataset=dataset)


def _find(result: IngestResult, kind: str, text: str) -> list[Proposal]:
    return [
        p
        for p in result.proposals
        if p.kind == kind and any(text in s.sentence or text in " ".join(s.also) for s in p.sources)
    ]


def test_goal_on_the_seeds(result: IngestResult) -> None:
    s = score(result.proposals, read_gold(GOLD))
    assert s.recall >= 0.9, s.notes
    assert s.precision >= 0.8, s.notes


def test_rail_freight_resumed_with_30_horses(result: IngestResult) -> None:
    (p,) = _find(result, "resumed", "30 horses")
    assert (p.date, p.precision) == (date(2022, 11, 1), "month")
    assert [(q.value, q.unit) for q in p.quantities] == [(30.0, "horses")]
    assert set(p.places) == {"khasan", "tumangang"}
    assert p.ledger_match == "ev_2022_khasan_freight_resumed"
    assert p.target_id == "fac_khasan_tumangang_rail_freight"
    assert p.sources[0].sentence.startswith("Cross-border trade between North Korea and Russia")


def test_road_bridge_agreement_2024(result: IngestResult) -> None:
    (p,) = _find(result, "agreement_signed", "border road bridge")
    assert (p.date.year, p.precision, p.places) == (2024, "year", ["tumangang"])
    assert p.ledger_match == "ev_2024_road_bridge_agreement"
    assert p.target_id == "road_khasan_tumangang"


def test_khasan_rajin_rebuilt_2008_to_2014_is_one_event(result: IngestResult) -> None:
    found = _find(result, "construction_started", "54 km")
    assert len(found) == 1
    (p,) = found
    assert (p.date, p.until) == (date(2008, 1, 1), date(2014, 1, 1))
    assert {"khasan", "rajin_port"} <= set(p.places)
    assert (54.0, "km") in [(q.value, q.unit) for q in p.quantities]
    assert any("2008-2013" in s for s in p.sources[0].also)
    assert p.ledger_kind == "reconstruction_started"


def test_december_2023_pyongyang_meeting_one_event_from_two_articles(
    result: IngestResult,
) -> None:
    meetings = [
        p
        for p in result.proposals
        if p.kind == "meeting" and (p.date.year, p.date.month) == (2023, 12)
    ]
    assert len(meetings) == 1
    (p,) = meetings
    assert sorted(Path(s.file).name[:3] for s in p.sources) == ["001", "003"]
    assert set(p.places) == {"pyongyang", "region_primorye"}
    assert {"kozhemyako", "yun jong ho"} <= set(p.actors)


def test_known_events_are_marked_not_duplicated(result: IngestResult) -> None:
    (p,) = _find(result, "agreement_signed", "working groups")
    assert p.ledger_match == "ev_2023_12_pyongyang_working_groups"
    entry = next(e for e in result.document["proposals"] if e["ledger_match"] == p.ledger_match)
    assert entry["event"]["event_id"] == p.ledger_match


def test_plans_and_hypotheses_are_not_events(result: IngestResult) -> None:
    said = " ".join(s.sentence for p in result.proposals for s in p.sources)
    for text in ("plan to renew", "would visit Primorsky", "would be violating", "was to increase"):
        assert text not in said


def test_every_proposal_quotes_its_article_exactly(shared_dir: Path, result: IngestResult) -> None:
    texts = {a.file: a.text for a in result.articles}
    for p in result.proposals:
        assert p.confidence in ("high", "medium", "low")
        for s in p.sources:
            assert s.sentence in texts[s.file]
            assert s.title
