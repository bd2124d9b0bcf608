"""`ledger accept`: reviewed proposals into a dataset folder, validated, never half-written."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import tumen.data as td
from tumen.errors import DataError
from tumen.ingest import accept, ingest, read_proposals, write_proposals

HELDOUT = Path(__file__).resolve().parent / "fixtures" / "heldout"


def _proposals(tmp_path: Path, folder: Path) -> Path:
    files = [HELDOUT / "h4_crossings_history.txt", HELDOUT / "h5_flights_treaty.txt"]
    result = ingest(files, {str(files[0]): td.as_date("2024-03-10")}, dataset=td.load(folder))
    return write_proposals(result.document, tmp_path / "proposals.yaml")


def _review(path: Path, pick: dict[str, dict[str, object]]) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    for entry in doc["proposals"]:
        for needle, changes in pick.items():
            if any(needle in s["sentence"] for s in entry["sources"]):
                entry["accept"] = True
                for key, value in changes.items():
                    entry["event"][key] = value
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_accept_adds_events_and_sources_and_validates(tmp_path: Path, data_copy: Path) -> None:
    path = _proposals(tmp_path, data_copy)
    _review(
        path,
        {
            "resolution 2397": {"event_id": "ev_2017_12_unscr_2397"},
            "Pier 3": {},  # already in the ledger: only cites
            "Air Koryo flights": {},  # already in the ledger, reported by both articles
        },
    )
    before = td.load(data_copy)
    result = accept(path, data_copy)
    after = td.load(data_copy)
    assert result.added == ("ev_2017_12_unscr_2397",)
    assert result.cited == ("ev_2014_rajin_pier3_opened", "ev_2023_air_koryo_vladivostok")
    assert len(after.events) == len(before.events) + 1
    new = after.events.loc["ev_2017_12_unscr_2397"]
    assert (str(new["date"].date()), new["date_precision"]) == ("2017-12-01", "month")
    assert (new["kind"], new["target_type"], new["target_id"]) == ("milestone", "network", "")
    cited = after.events.loc["ev_2023_air_koryo_vladivostok", "source"].split(";")
    assert cited[0] == "RF-S60" and len(cited) == 3  # the two articles added
    for sid in result.sources:
        assert after.sources.loc[sid, "kind"] == "article"
        assert after.sources.loc[sid, "file"].startswith("h")


def test_accepting_nothing_changes_nothing(tmp_path: Path, data_copy: Path) -> None:
    path = _proposals(tmp_path, data_copy)
    before = (data_copy / "events.csv").read_bytes()
    result = accept(path, data_copy)
    assert result.added == () and result.skipped > 0
    assert td.load(data_copy).events.shape == td.load().events.shape
    assert (data_copy / "events.csv").read_bytes().count(b"\n") == before.count(b"\n")


def test_an_invalid_merge_writes_nothing(tmp_path: Path, data_copy: Path) -> None:
    path = _proposals(tmp_path, data_copy)
    _review(path, {"resolution 2397": {"target_type": "facility", "target_id": "fac_nowhere"}})
    events, sources = (
        (data_copy / "events.csv").read_bytes(),
        (data_copy / "sources.csv").read_bytes(),
    )
    with pytest.raises(DataError) as info:
        accept(path, data_copy)
    assert any(p.field == "target_id" and p.got == "fac_nowhere" for p in info.value.problems)
    assert (data_copy / "events.csv").read_bytes() == events
    assert (data_copy / "sources.csv").read_bytes() == sources
    assert sorted(p.name for p in data_copy.iterdir()) == sorted(
        p.name for p in td.bundled_dir().iterdir() if p.name != "__pycache__"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{{ not yaml", "expected a YAML proposals file"),
        ("- just a list\n", "expected a list of proposals"),
        ("proposals:\n  - accept: maybe\n", "expected true or false, got 'maybe'"),
        (
            "proposals:\n  - accept: true\n    date: 2023-02-30\n    date_precision: day\n"
            "    event: {kind: opened, target_type: network}\n    sources: [{file: a.txt}]\n",
            "expected a date YYYY-MM-DD",
        ),
        (
            "proposals:\n  - accept: true\n    date: 2023-02-03\n    date_precision: week\n"
            "    event: {kind: meeting, target_type: somewhere}\n    sources: []\n",
            "4 problems",
        ),
        ("!!python/object/apply:os.system ['echo owned']\n", "expected a YAML proposals file"),
    ],
)
def test_bad_proposal_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        read_proposals(path)


def test_sources_reuse_registered_files(tmp_path: Path, data_copy: Path, shared_dir: Path) -> None:
    seed = shared_dir / "seeds" / "000_561967195bae18d6.txt"
    if not seed.is_file():
        pytest.skip("seed 000 not found")
    result = ingest([seed], dataset=td.load(data_copy))
    path = write_proposals(result.document, tmp_path / "p.yaml")
    _review(path, {"Resolution 2397, which was adopted in 2017": {}})
    out = accept(path, data_copy)
    assert out.sources == ()  # SEED-000 is already registered for that file
    assert out.added
    events = td.load(data_copy).events
    assert all(events.loc[eid, "source"] == "SEED-000" for eid in out.added)
