"""Every bundled table, whoever owns it, names a known source and a confidence on every row.

This guards the whole bundle at once, including tables added later: any CSV beside
``sources.csv`` with a ``source`` column must cite known source ids on every row, and any
``*_source`` override column must cite known ids wherever it is filled.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tumen.data import bundled_dir

BUNDLED = Path(bundled_dir())
TABLES = sorted(p for p in BUNDLED.glob("*.csv") if p.name != "sources.csv")
CONFIDENCE = {"high", "medium", "low"}


def known_sources() -> set[str]:
    return set(pd.read_csv(BUNDLED / "sources.csv", dtype=str)["source_id"])


def test_the_bundle_has_its_sourced_tables() -> None:
    names = {p.name for p in TABLES}
    assert {
        "places.csv",
        "links.csv",
        "facilities.csv",
        "events.csv",
        "measures.csv",
        "commodities.csv",
        "demand.csv",
        "cost_parameters.csv",
    } <= names


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_every_row_cites_known_sources(path: Path) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert "source" in frame.columns, f"{path.name} has no source column"
    known = known_sources()
    for column in [c for c in frame.columns if c == "source" or c.endswith("_source")]:
        for row, cell in enumerate(frame[column], start=1):
            ids = [s.strip() for s in cell.split(";") if s.strip()]
            if column == "source":
                assert ids, f"{path.name}, row {row}: no source"
            unknown = set(ids) - known
            assert not unknown, f"{path.name}, row {row}, {column}: unknown {sorted(unknown)}"


def test_only_conflicts_go_without_a_confidence_column() -> None:
    # conflicts.csv records disagreeing claims, each with its source, and the one chosen.
    without = {p.name for p in TABLES if "confidence" not in pd.read_csv(p, nrows=0).columns}
    assert without == {"conflicts.csv"}


@pytest.mark.parametrize(
    "path",
    [p for p in TABLES if p.name != "conflicts.csv"],
    ids=lambda p: p.name,
)
def test_every_row_has_a_confidence(path: Path) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    bad = frame.loc[~frame["confidence"].isin(CONFIDENCE), "confidence"]
    assert bad.empty, f"{path.name}: rows {list(bad.index + 1)} lack high/medium/low"


def test_every_source_is_cited_by_a_table_or_scenario() -> None:
    cited: set[str] = set()
    for path in TABLES:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for column in [c for c in frame.columns if c == "source" or c.endswith("_source")]:
            for cell in frame[column]:
                cited |= {s.strip() for s in cell.split(";") if s.strip()}
    sources = pd.read_csv(BUNDLED / "sources.csv", dtype=str, keep_default_na=False)
    scenario_text = "\n".join(p.read_text() for p in (BUNDLED / "scenarios").glob("*.yaml"))
    cited |= {s for s in sources["source_id"] if s in scenario_text}
    uncited = sources.loc[
        ~sources["source_id"].isin(cited) & ~sources["kind"].isin(["seed", "reference"]),
        "source_id",
    ]
    assert uncited.empty, f"sources never cited by any table: {sorted(uncited)}"
