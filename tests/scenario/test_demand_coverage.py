"""Demand that compares across years (issue 14): every series, every year, every basis."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import tumen
import tumen.data
from tumen.data import bundled_dir
from tumen.data._schema import DEMAND_BASES
from tumen.errors import DataError
from tumen.scenario import list_scenarios, load_scenario, scenario_demand

FIRST_YEAR, LAST_SCENARIO_YEAR = 2013, 2030


@pytest.fixture(scope="module")
def demand() -> pd.DataFrame:
    return tumen.load().demand


def test_every_series_covers_every_year(demand: pd.DataFrame) -> None:
    years = set(range(FIRST_YEAR, LAST_SCENARIO_YEAR + 1))
    own = demand[demand["basis"] != "scenario"]
    for series, part in own.groupby("series"):
        assert set(part["year"]) == years, series
        assert not part["year"].duplicated().any(), series


def test_every_basis_is_known_and_explained(demand: pd.DataFrame) -> None:
    assert set(demand["basis"]) <= set(DEMAND_BASES)
    explained = demand[demand["basis"].isin(["derived", "interpolated", "projected", "assumed"])]
    assert explained["method"].str.len().gt(0).all()
    assert demand["source"].str.len().gt(0).all()
    projected = demand[demand["basis"] == "projected"]
    assert (projected["year"] > 2025).all()
    part_year = demand[demand["period"] != ""]
    assert part_year["period"].str.fullmatch(r"\d{4}-\d{2}/\d{4}-\d{2}").all()
    # A part-year figure names its months and how it becomes a year's figure.
    assert part_year["method"].str.len().gt(0).all() | part_year["basis"].eq("observed").all()


def test_no_figure_silently_repeats_an_older_one(demand: pd.DataFrame) -> None:
    own = demand[demand["basis"] != "scenario"].sort_values(["series", "year"])
    for series, part in own.groupby("series"):
        q = part["quantity"].to_numpy()
        for i in range(1, len(part)):
            if q[i] > 0 and q[i] == q[i - 1]:
                # One of the two equal figures says that it holds the other's level.
                pair = part.iloc[[i - 1, i]]
                held = pair["basis"].isin(["assumed", "projected"]) & pair["method"].str.contains(
                    "held"
                )
                assert held.any(), (series, part.iloc[i]["year"])


def test_a_zero_that_ends_a_series_is_observed(demand: pd.DataFrame) -> None:
    own = demand[(demand["basis"] != "scenario") & (demand["year"] <= 2025)]
    for series, part in own.sort_values("year").groupby("series"):
        last = part.iloc[-1]
        if last["quantity"] == 0 and (part["quantity"] > 0).any():
            ok = last["basis"] == "observed" or "one-off" in last["method"]
            assert ok, series


def test_every_category_has_demand_in_every_scenario_year(demand: pd.DataFrame) -> None:
    categories = set(demand["category"])
    for name in list_scenarios():
        sc = load_scenario(name)
        picked = scenario_demand(sc, demand)
        have = set(picked["category"])
        year = sc.demand.base_year
        rows = demand[(demand["year"] == year) & (demand["basis"] != "scenario")]
        zero = rows[(rows["quantity"] == 0) & (rows["basis"] == "observed")]
        for category in categories - have:
            assert category in set(zero["category"]), (name, category)


def test_historical_scenarios_use_the_same_series(demand: pd.DataFrame) -> None:
    # The demo's table compares years on the same series: none starts between them.
    series = {}
    for name in ("2019-pre-closure", "2023-reopened", "2024-reported-flows"):
        year = load_scenario(name).demand.base_year
        rows = demand[(demand["year"] == year) & (demand["basis"] != "scenario")]
        series[name] = set(rows["series"])
    assert len({frozenset(s) for s in series.values()}) == 1


def test_reported_rajin_coal_after_the_closure_is_used(demand: pd.DataFrame) -> None:
    rajin = demand[demand["series"] == "rajin_coal"].set_index("year")
    assert rajin.loc[2021, "quantity"] == 15_000
    assert rajin.loc[2021, "period"] == "2021-01/2021-03"
    assert rajin.loc[2024, "quantity"] == 132_000
    assert rajin.loc[2024, "period"] == "2024-04/2024-05"
    conflicts = tumen.data.load().conflicts
    assert (conflicts["id"] == "fac_khasan_tumangang_rail_freight").any()


def test_compare_flags_categories_whose_data_coverage_differs() -> None:
    from tumen.scenario._compare import comparison_text

    diff = tumen.compare("2019-pre-closure", "2023-reopened")
    cov = diff.coverage
    assert {"category", "basis_a", "basis_b", "coverage_differs"} <= set(cov.columns)
    assert cov["coverage_differs"].any()
    flagged = cov[cov["coverage_differs"]]
    assert (flagged["basis_a"] != flagged["basis_b"]).all()
    text = comparison_text(diff)
    assert "data coverage differs for" in text


def test_month_precise_events_are_dated_on_the_first(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(bundled_dir(), data)
    events = pd.read_csv(data / "events.csv", dtype=str, keep_default_na=False)
    row = events.index[events["date_precision"] == "month"][0]
    events.loc[row, "date"] = events.loc[row, "date"][:8] + "15"
    events.to_csv(data / "events.csv", index=False)
    with pytest.raises(DataError) as info:
        tumen.data.load(data)
    assert any(p.field == "date" for p in info.value.problems)
