"""Bundled categories, demand and cost tables: sourced, checked, and the demand rules."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import tumen.data
import tumen.scenario as ts
from tumen.data import bundled_dir
from tumen.errors import DataError
from tumen.scenario import Scenario


def load_categories() -> pd.DataFrame:
    return tumen.data.load().categories


def load_demand() -> pd.DataFrame:
    return tumen.data.load().demand


def load_cost_parameters() -> pd.DataFrame:
    return tumen.data.load().cost_parameters


def test_public_names() -> None:
    assert sorted(ts.__all__) == sorted([
        "TABLES", "ComparisonResult", "Normal", "Scenario", "ScenarioResult", "Triangular",
        "Uniform", "base_value", "bundled_scenario_dir", "compare", "list_scenarios",
        "load_scenario", "run_demo",
        "run_scenario", "scenario_demand", "summary_text",
    ])  # fmt: skip
    for name in ts.__all__:
        assert hasattr(ts, name)


def test_seed_categories_and_those_defined_by_tumen() -> None:
    cats = load_categories()
    assert len(cats) == 7
    assert set(cats.loc[cats["defined_by"] == "seed", "category_id"]) == {
        "primorye_ports", "ru_cn_overland", "cn_transit_apac"}  # fmt: skip
    tumen_defined = cats[cats["defined_by"] == "tumen"]
    assert set(tumen_defined["category_id"]) == {
        "ru_kp_bilateral", "rajin_transit", "cn_kp_bilateral", "cn_via_rajin"}  # fmt: skip
    assert tumen_defined["notes"].str.contains("Defined by Tumen").all()


def test_demand_sourced_figures() -> None:
    d = load_demand()
    row = d.set_index(["series", "year"])
    assert row.loc[("rajin_coal", 2014), "quantity"] == 238200
    assert row.loc[("makh_hun_coal", 2022), "quantity"] == 2_900_000
    grod = d[d["series"].str.startswith("grod_suif") & (d["year"] == 2022)]
    assert grod["quantity"].sum() == pytest.approx(8_200_000)
    assert (grod["observed_gateway"] == "grodekovo").all()
    assert row.loc[("rukp_horses", 2022), "quantity"] == 15  # 30 horses, 0.5 t each
    assert row.loc[("rukp_passengers", 2024), "unit"] == "persons/yr"
    assert row.loc[("rukp_passengers", 2024), "period"] == "2024-06/2024-12"
    # Every assumption, interpolation and projection names its method and an assumption.
    labelled = d[d["basis"].isin(["assumed", "interpolated", "projected"])]
    assert labelled["method"].str.len().gt(0).all()
    assert labelled["source"].str.contains("ASSUMPTION-|WEB-|RF-", regex=True).all()


def test_cost_parameters_sourced_and_ranged() -> None:
    c = load_cost_parameters()
    assert (
        c.loc["line_haul_rail_usd_per_tkm", "value"] < c.loc["line_haul_road_usd_per_tkm", "value"]
    )
    ranged = c.dropna(subset=["low", "high"])
    assert ((ranged["low"] <= ranged["value"]) & (ranged["value"] <= ranged["high"])).all()
    assert c["source"].str.len().gt(0).all()


def test_bad_demand_reports_every_problem(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(bundled_dir(), folder)
    d = pd.read_csv(bundled_dir() / "demand.csv", dtype=str, keep_default_na=False)
    d.loc[0, "quantity"] = "-3"
    d.loc[1, "year"] = "20x5"
    d.loc[2, "unit"] = "bushels"
    d.loc[3, "source"] = "NO-SUCH-SOURCE"
    d.to_csv(folder / "demand.csv", index=False)
    with pytest.raises(DataError) as info:
        tumen.data.load(folder)
    fields = {(p.row, p.field) for p in info.value.problems}
    assert fields == {(1, "quantity"), (2, "year"), (3, "unit"), (4, "source")}
    assert info.value.file == f"{folder}/demand.csv"


def demand_table() -> pd.DataFrame:
    rows = [
        ("A1", "a", "cat1", "coal", "x", "y", 2014, 10.0, "observed"),
        ("A2", "a", "cat1", "coal", "x", "y", 2017, 30.0, "observed"),
        ("A3", "a", "cat1", "coal", "x", "y", 2020, 0.0, "observed"),
        ("A4", "a", "cat1", "coal", "x", "y", 2030, 99.0, "scenario"),
        ("B1", "b", "cat2", "wheat", "x", "z", 2018, 5.0, "derived"),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "demand_id",
            "series",
            "category",
            "commodity",
            "origin",
            "destination",
            "year",
            "quantity",
            "basis",
        ],
    )
    frame["unit"] = "t/yr"
    frame["source"] = "SEED-000"
    frame["confidence"] = "low"
    return frame


def scenario(**demand: object) -> Scenario:
    return Scenario.model_validate(
        {"name": "t", "title": "t", "date": "2020-01-01", "demand": demand}
    )


def test_demand_takes_latest_year_at_or_before_base() -> None:
    out = ts.scenario_demand(scenario(base_year=2019), demand_table())
    assert dict(zip(out["demand_id"], out["quantity"], strict=True)) == {"A2": 30.0, "B1": 5.0}


def test_demand_zero_ends_a_series() -> None:
    out = ts.scenario_demand(scenario(base_year=2021), demand_table())
    assert list(out["demand_id"]) == ["B1"]


def test_demand_targets_replace_observed_only_when_asked() -> None:
    out = ts.scenario_demand(scenario(base_year=2019, include_targets=True), demand_table())
    assert dict(zip(out["demand_id"], out["quantity"], strict=True)) == {"A4": 99.0, "B1": 5.0}


def test_demand_scaling_and_additions() -> None:
    sc = scenario(
        base_year=2019,
        scale_all=2.0,
        scale_by_category={"cat1": 0.5},
        scale_by_commodity={"wheat": {"dist": "triangular", "low": 1, "mode": 3, "high": 4}},
        add=[{"commodity": "workers", "origin": "y", "destination": "x", "quantity": 7,
              "category": "cat2", "source": "SEED-000"}],
    )  # fmt: skip
    out = ts.scenario_demand(sc, demand_table()).set_index("demand_id")
    assert out.loc["A2", "quantity"] == pytest.approx(30.0)  # 30 x 2 x 0.5
    assert out.loc["B1", "quantity"] == pytest.approx(30.0)  # 5 x 2 x 3 (triangular mode)
    assert out.loc["t:add1", "quantity"] == 7
    assert out.loc["t:add1", "basis"] == "scenario"
