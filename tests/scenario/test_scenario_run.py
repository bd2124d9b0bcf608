"""Running the bundled scenarios: the issue's "done when" through the Python API and the CLI."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import tumen
from tumen.cli import app
from tumen.scenario import TABLES, ScenarioResult, list_scenarios, run_scenario

WIDE = {"COLUMNS": "200"}


@pytest.fixture(scope="module")
def results() -> dict[str, ScenarioResult]:
    import tumen.data

    dataset = tumen.data.load()
    return {name: run_scenario(name, dataset=dataset) for name in list_scenarios()}


def carried(result: ScenarioResult, link_id: str) -> float:
    flows = result.link_flows
    return float(flows.loc[flows["link_id"] == link_id, "flow"].sum())


def test_every_bundled_scenario_runs(results: dict[str, ScenarioResult]) -> None:
    assert len(results) >= 6
    for name, result in results.items():
        meta = result.meta.iloc[0]
        assert meta["scenario"] == name
        assert meta["status"] in ("optimal", "converged")
        assert (result.link_flows["flow"] >= 0).all()
        for table in TABLES:
            frame = getattr(result, table)
            assert {"scenario", "counterfactual"} <= set(frame.columns), table


def test_flow_conservation(results: dict[str, ScenarioResult]) -> None:
    for result in results.values():
        demand = result.demand.groupby(["origin", "destination", "commodity"])["quantity"].sum()
        routed = result.routes.groupby(["origin", "destination", "commodity"])["flow"].sum()
        unmet = result.unmet.groupby(["origin", "destination", "commodity"])["unmet"].sum()
        total = routed.add(unmet, fill_value=0.0).reindex(demand.index, fill_value=0.0)
        assert total.to_numpy() == pytest.approx(demand.to_numpy(), rel=1e-5)


def test_2021_carries_nothing_across_khasan_tumangang(
    results: dict[str, ScenarioResult],
) -> None:
    closed = results["2021-closed"]
    assert carried(closed, "rail_khasan_tumangang") == 0
    assert carried(closed, "road_khasan_tumangang") == 0
    unmet = closed.unmet
    assert not unmet.empty
    lost = set(zip(unmet["origin"], unmet["destination"], unmet["commodity"], strict=True))
    assert ("kuzbass", "shanghai", "coal") in lost  # Rajin transit coal: its gateway is shut
    reasons = dict(zip(unmet["commodity"], unmet["reason"], strict=False))
    assert "observed gateway (rajin_port)" in reasons["coal"]
    assert ("vladivostok", "rajin", "wheat") in lost
    assert closed.meta.iloc[0]["unmet_t"] > 0
    # The same demand crossed in 2019.
    assert carried(results["2019-pre-closure"], "rail_khasan_tumangang") > 0


def test_2026_uses_the_road_bridge(results: dict[str, ScenarioResult]) -> None:
    bridge = results["2026-road-bridge-trade-park"]
    assert carried(bridge, "road_khasan_tumangang") > 0
    assert results["2023-reopened"].link_flows["link_id"].ne("road_khasan_tumangang").all()


def test_dprk_coal_and_workers_are_listed_under_measures_in_force(
    results: dict[str, ScenarioResult],
) -> None:
    park = results["2026-road-bridge-trade-park"].findings
    workers = park[park["commodity"] == "workers"]
    assert len(workers) >= 1
    assert workers["measures"].str.contains("2397 para 8").all()
    assert (workers["regime"] == "in_force").all()
    transit = results["2019-pre-closure"].findings
    coal = transit[transit["commodity"] == "coal"]
    assert len(coal) >= 1 and coal["measures"].str.contains("2371 para 8").all()
    # Russian transit coal (50 kt) and the Chinese coal carried through Rajin (20 kt).
    russian = coal[coal["origin_place"] == "kuzbass"]
    assert russian["quantity"].sum() == pytest.approx(50_000)
    assert coal.loc[coal["origin_place"] == "hunchun", "quantity"].sum() == pytest.approx(20_000)


def test_counterfactual_is_labelled_everywhere(results: dict[str, ScenarioResult]) -> None:
    cf = results["sanctions-lifted-counterfactual"]
    assert cf.counterfactual
    assert cf.meta.iloc[0]["title"].startswith("COUNTERFACTUAL")
    for table in TABLES:
        frame = getattr(cf, table)
        assert frame["counterfactual"].all() if len(frame) else True, table
    for name, other in results.items():
        if name != cf.name:
            assert not other.meta.iloc[0]["counterfactual"]
    findings = cf.findings
    # Under its own regime nothing is covered; for reference, the measures in force are listed.
    assert findings["screening"].str.startswith("reference: measures in force").all()
    coal = findings[(findings["commodity"] == "coal") & (findings["origin"] == "KP")]
    assert len(coal) >= 1
    assert findings["commodity"].eq("workers").any()
    assert tumen.scenario.summary_text(cf).startswith("COUNTERFACTUAL")


def test_capacity_bottleneck_has_a_shadow_price(results: dict[str, ScenarioResult]) -> None:
    p2 = results["primorye-2-expansion"]
    binding = p2.bottlenecks[p2.bottlenecks["utilisation"] >= 0.999]
    assert not binding.empty
    assert (binding["shadow_price_usd_per_t"] > 0).any()
    # Binding capacities say whether they are sourced, an estimate or the scenario's own.
    assert set(binding["capacity_basis"]) <= {"sourced", "estimate", "scenario"}


def test_route_cost_breakdown_adds_up(results: dict[str, ScenarioResult]) -> None:
    routes = results["2023-reopened"].routes
    parts = ["line_haul_usd", "time_usd", "handling_usd", "transshipment_usd", "border_usd",
             "zone_fee_usd"]  # fmt: skip
    assert routes[parts].sum(axis=1).to_numpy() == pytest.approx(routes["total_usd"].to_numpy())
    hunchun = routes[(routes["destination"] == "hunchun") & (routes["commodity"] == "coal")]
    assert (hunchun["border_usd"] > 0).all()


def test_to_dir_round_trip_and_duckdb(results: dict[str, ScenarioResult], tmp_path: Path) -> None:
    result = results["2021-closed"]
    folder = result.to_dir(tmp_path / "r")
    back = ScenarioResult.read_dir(folder)
    assert back.scenario == result.scenario
    for table in TABLES:
        pd.testing.assert_frame_equal(
            getattr(back, table).reset_index(drop=True),
            getattr(result, table).reset_index(drop=True),
            check_dtype=False,
        )
    con = duckdb.connect(str(folder / "results.duckdb"), read_only=True)
    try:
        names = {row[0] for row in con.execute("SHOW TABLES").fetchall()}
        assert set(TABLES) <= names
        unmet = con.execute("SELECT sum(unmet) FROM unmet WHERE unit = 't/yr'").fetchone()[0]
    finally:
        con.close()
    assert unmet == pytest.approx(result.meta.iloc[0]["unmet_t"])
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp left


def test_compare(results: dict[str, ScenarioResult], tmp_path: Path) -> None:
    diff = tumen.compare(results["2019-pre-closure"], results["2021-closed"])
    unmet = diff.unmet.set_index(["origin", "destination", "commodity"])
    assert unmet.loc[("kuzbass", "shanghai", "coal"), "delta"] == pytest.approx(50_000)
    kt = diff.flows[diff.flows["link_id"] == "rail_khasan_tumangang"]
    assert (kt["delta"] < 0).all() and len(kt) > 0
    diff.to_dir(tmp_path / "d")
    assert (tmp_path / "d" / "unmet.parquet").is_file()
    cf = tumen.compare(results["2026-road-bridge-trade-park"],
                       results["sanctions-lifted-counterfactual"])  # fmt: skip
    assert cf.counterfactual and cf.flows["counterfactual"].all()
    # Result folders compare without running again.
    a = results["2019-pre-closure"].to_dir(tmp_path / "a")
    b = results["2021-closed"].to_dir(tmp_path / "b")
    again = tumen.compare(a, b)
    pd.testing.assert_frame_equal(again.unmet, diff.unmet, check_dtype=False)


def test_cli_run_writes_parquet_and_duckdb(tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = CliRunner().invoke(app, ["run", "2021-closed", "--out", str(out)], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "Unmet demand" in result.output
    for table in TABLES:
        assert (out / f"{table}.parquet").is_file()
    assert (out / "results.duckdb").is_file()


def test_cli_counterfactual_says_so_first(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["run", "sanctions-lifted-counterfactual", "--out", str(tmp_path / "cf")], env=WIDE
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("COUNTERFACTUAL")
    assert "(ref.)" in result.output
    text = (tmp_path / "cf" / "summary.txt").read_text(encoding="utf-8")
    assert text.startswith("COUNTERFACTUAL")


def test_cli_compare_and_demo(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["compare", "2019-pre-closure", "2021-closed", "--out",
                              str(tmp_path / "cmp")], env=WIDE)  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "unmet_t" in res.output
    res = runner.invoke(app, ["demo", "--out", str(tmp_path / "demo")], env=WIDE)
    assert res.exit_code == 0, res.output
    summary = pd.read_parquet(tmp_path / "demo" / "summary.parquet")
    assert set(summary["scenario"]) == set(list_scenarios())
    assert "COUNTERFACTUAL" in res.output
    for name in list_scenarios():
        assert (tmp_path / "demo" / name / "meta.parquet").is_file()


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scale=st.floats(min_value=0.0, max_value=50.0), cap=st.floats(0.0, 8e6))
def test_any_scale_serves_or_reports_all_demand(scale: float, cap: float) -> None:
    base = tumen.load_scenario("2023-reopened")
    spec = base.model_dump()
    spec["demand"]["scale_by_category"] = {"ru_cn_overland": scale}
    spec["overrides"]["link_capacity"] = {"rail_kamyshovaya_hunchun": cap}
    spec["source"] = ""
    result = run_scenario(type(base).model_validate(spec))
    assert (result.link_flows["flow"] >= -1e-6).all()
    demand = result.demand["quantity"].sum()
    served = result.routes["flow"].sum()
    assert served + result.unmet["unmet"].sum() == pytest.approx(demand, rel=1e-6)
    use = result.bottlenecks
    assert (use["flow_t_yr"] <= use["capacity_t_yr"] * (1 + 1e-6) + 1e-3).all()


def test_declarations_reach_screening(tmp_path: Path) -> None:
    path = tmp_path / "decl.yaml"
    path.write_text(
        "name: decl\ntitle: notice declared\ndate: 2019-06-01\n"
        "demand: {base_year: 2019, pin_observed_gateways: true}\n"
        "sanctions:\n  declarations:\n"
        "    rajin_transit: {origin_confirmed_non_kp: true, notified_1718: true}\n",
        encoding="utf-8",
    )
    findings = run_scenario(path).findings
    coal = findings[(findings["commodity"] == "coal") & (findings["origin_place"] == "kuzbass")]
    assert list(coal["verdict"]) == ["exempt"]
    assert coal["conditions"].str.contains("notified_1718 = true").all()
    # Undeclared, the same flow is covered by the ban.
    path.write_text(path.read_text(encoding="utf-8").split("sanctions:")[0], encoding="utf-8")
    undeclared = run_scenario(path).findings
    russian = (undeclared["commodity"] == "coal") & (undeclared["origin_place"] == "kuzbass")
    assert list(undeclared.loc[russian, "verdict"]) == ["prohibited"]
