"""The Tumangang–Sonbong–Rajin line: old standard gauge, closed for rebuilding, dual gauge."""

from __future__ import annotations

import pandas as pd
import pytest

import tumen.data as td

LINE = ("rail_tumangang_sonbong", "rail_sonbong_rajin", "rail_rajin_port")


@pytest.mark.parametrize(
    ("day", "status", "gauge"),
    [
        ("2000-01-01", "open", "1435"),  # the old line (1935/1952), before the works
        ("2010-06-01", "closed", "1435"),  # works from Tumangang since October 2008
        ("2014-01-01", "open", "dual"),  # rebuilt line reopened on 2013-09-22
    ],
)
def test_line_state_on_a_date(dataset: td.Dataset, day: str, status: str, gauge: str) -> None:
    links = dataset.on(day).links
    for lid in LINE:
        assert links.loc[lid, "status"] == status, (day, lid)
        assert bool(links.loc[lid, "is_open"]) is (status == "open"), (day, lid)
        assert links.loc[lid, "gauge"] == gauge, (day, lid)


def test_line_is_not_built_before_its_first_opening(dataset: td.Dataset) -> None:
    links = dataset.on("1940-01-01").links
    assert links.loc["rail_tumangang_sonbong", "status"] == "not_built"  # Hongui–Tumangang: 1952
    assert links.loc["rail_sonbong_rajin", "status"] == "open"  # Ungna line: 1935-11-01
    assert links.loc["rail_rajin_port", "status"] == "open"


def test_reopening_is_not_a_first_opening(dataset: td.Dataset) -> None:
    ev = dataset.events
    rebuilt = ev[
        (ev["date"] == pd.Timestamp("2013-09-22"))
        & ev["target_id"].isin(LINE)
        & (ev["field"] == "gauge")
    ]
    assert set(rebuilt["kind"]) == {"resumed"}
    assert set(rebuilt["value"]) == {"dual"}
    first = ev[ev["target_id"].isin(LINE) & (ev["kind"] == "opened")]
    assert first["date"].max() < pd.Timestamp("1953-01-01")  # the old line, not the rebuilt one


def test_capacity_changes_with_the_rebuilding(dataset: td.Dataset) -> None:
    before, after = dataset.on("2000-01-01").links, dataset.on("2014-01-01").links
    assert after.loc["rail_sonbong_rajin", "capacity_unit"] == "Mt/yr"
    assert after.loc["rail_sonbong_rajin", "capacity"] == 5
    assert before.loc["rail_sonbong_rajin", "capacity_unit"] == "trains/day"
