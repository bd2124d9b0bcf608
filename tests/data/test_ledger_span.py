"""Dates outside the ledger's span are refused; nothing is open before it opens.

Issue 13, item 4: a date before the ledger's first event or after the horizon year is an
error naming the span, in every command; within the span, a link or facility before its
first opening event is ``not_built`` in the state, the network table, GeoJSON and GMNS.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import tumen.data as td
from tumen.cli import app
from tumen.data._state import HORIZON_YEAR, ledger_span
from tumen.errors import DataError

SPAN = "from 1935-11-01 to 2040-12-31"


@pytest.fixture(scope="module")
def dataset() -> td.Dataset:
    return td.load()


def test_span_is_first_event_to_horizon(dataset: td.Dataset) -> None:
    first, last = ledger_span(dataset.events)
    assert first == dataset.events["date"].min().date() == date(1935, 11, 1)
    assert last == date(HORIZON_YEAR, 12, 31)
    assert dataset.on(first).date == first
    assert dataset.on(last).date == last


@pytest.mark.parametrize("day", ["1800-01-01", "1935-10-31", "2041-01-01", "2100-01-01"])
def test_date_outside_span_is_refused_naming_it(dataset: td.Dataset, day: str) -> None:
    with pytest.raises(DataError, match=SPAN) as info:
        dataset.on(day)
    assert info.value.problems[0].got == day


@pytest.mark.parametrize(
    "args",
    [
        ["network", "--on", "1800-01-01"],
        ["network", "--on", "2021-06-01", "--diff", "2100-01-01"],
        ["export", "--on", "1800-01-01", "--format", "geojson", "--out", "x.geojson"],
        ["export", "--on", "2100-01-01", "--format", "gmns", "--out", "g"],
    ],
)
def test_commands_refuse_dates_outside_span(args: list[str], tmp_path: Path,
                                            monkeypatch) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and SPAN in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_scenario_dated_outside_span_is_refused(tmp_path: Path) -> None:
    bundled = td.bundled_dir() / "scenarios" / "2019-pre-closure.yaml"
    text = bundled.read_text(encoding="utf-8").replace("date: 2019-06-01", "date: 1800-01-01")
    assert "1800-01-01" in text
    path = tmp_path / "old.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert SPAN in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


def test_crossing_before_its_link_is_built(dataset: td.Dataset) -> None:
    """In 1945 the Khasan–Tumangang rail crossing has no built link: not_built, not open."""
    state = dataset.on("1945-01-01")
    assert state.links.loc["rail_khasan_tumangang", "status"] == "not_built"
    for fid in ("fac_khasan_tumangang_rail_freight", "fac_khasan_tumangang_rail_people"):
        assert state.facilities.loc[fid, "status"] == "not_built"
        assert not state.facilities.loc[fid, "is_open"]
    later = dataset.on("1960-01-01")
    assert later.facilities.loc["fac_khasan_tumangang_rail_freight", "is_open"]


def test_nothing_open_before_its_opening_event_on_any_date(dataset: td.Dataset) -> None:
    ev = dataset.events
    opening = ev[ev["kind"].isin(["opened", "link_added", "planned_opening"])]
    first = opening.groupby(["target_type", "target_id"])["date"].min()
    for day in ("1941-06-01", "1951-01-01", "1990-01-01", "2005-01-01", "2013-01-01",
                "2016-01-01", "2026-01-01"):  # fmt: skip
        state = dataset.on(day)
        for (kind, target), opens in first.items():
            if opens <= pd.Timestamp(day) or kind not in ("link", "facility"):
                continue
            frame = state.links if kind == "link" else state.facilities
            assert not frame.loc[target, "is_open"], (day, target)
            assert frame.loc[target, "status"] != "open", (day, target)


@pytest.fixture(scope="module")
def copy_says_open(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dataset copy whose links.csv calls the Khasan–Tumangang bridge open from the start."""
    folder = tmp_path_factory.mktemp("data") / "copy"
    shutil.copytree(td.bundled_dir(), folder)
    links = pd.read_csv(folder / "links.csv", dtype=str, keep_default_na=False)
    links.loc[links["link_id"] == "rail_khasan_tumangang", "initial_status"] = "open"
    links.to_csv(folder / "links.csv", index=False)
    return folder


def test_not_built_in_every_output(copy_says_open: Path, tmp_path: Path,
                                   monkeypatch) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    """Before its 1952 opening the link is not_built: state, table, GeoJSON and GMNS."""
    data = str(copy_says_open)
    state = td.load(copy_says_open).on("1945-01-01")
    assert state.links.loc["rail_khasan_tumangang", "status"] == "not_built"
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    table = runner.invoke(app, ["network", "--on", "1945-01-01", "--data", data],
                          env={"COLUMNS": "250"})  # fmt: skip
    assert table.exit_code == 0, table.output
    row = next(line for line in table.output.splitlines()
               if line.strip().startswith("rail_khasan_tumangang "))  # fmt: skip
    assert "not_built" in row and " open " not in row
    for fmt, out in (("geojson", "n.geojson"), ("gmns", "g")):
        done = runner.invoke(app, ["export", "--on", "1945-01-01", "--format", fmt,
                                   "--out", out, "--data", data])  # fmt: skip
        assert done.exit_code == 0, done.output
    features = json.loads(Path("n.geojson").read_text(encoding="utf-8"))["features"]
    props = {(f["properties"]["feature_type"], f["properties"]["id"]): f["properties"]
             for f in features}  # fmt: skip
    link = props[("link", "rail_khasan_tumangang")]
    assert link["status"] == "not_built" and link["is_open"] is False
    crossing = props[("facility", "fac_khasan_tumangang_rail_freight")]
    assert crossing["status"] == "not_built" and crossing["is_open"] is False
    gmns = pd.read_csv("g/link.csv", dtype=str, keep_default_na=False).set_index("link_id")
    assert gmns.loc["rail_khasan_tumangang", "status"] == "not_built"
    assert gmns.loc["rail_khasan_tumangang", "is_open"] == "False"
