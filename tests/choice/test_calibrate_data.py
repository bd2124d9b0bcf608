"""Calibration on the bundled dataset: the observations, the command, a logit run."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import tumen.data
from tumen.choice import observations, read_parameters
from tumen.cli import app
from tumen.data._scenario import AssignmentSpec
from tumen.errors import ScenarioError

FIT_COLUMNS = ["facility", "year", "observed", "modelled", "in_sample"]


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cal") / "fit"
    result = CliRunner().invoke(app, ["calibrate", "--holdout-year", "2022", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_observation_table_rules() -> None:
    table = observations(tumen.data.load()).set_index(["facility", "year", "kind", "scope"])
    # A whole-port throughput the dataset's demand covers only in part is not used.
    assert not table.loc[("vostochny", 2023, "event", "all"), "used"]
    assert "covers 31%" in table.loc[("vostochny", 2023, "event", "all"), "reason"]
    # Part of a year is a lower bound, not used.
    assert not table.loc[("rajin_port", 2024, "demand", "rajin_coal"), "used"]
    # A reported throughput of the place wins over a series at the same place and year.
    assert table.loc[("rajin_port", 2017, "event", "all"), "used"]
    assert not table.loc[("rajin_port", 2017, "demand", "rajin_coal"), "used"]
    assert table.loc[("posyet", 2022, "event", "all"), "observed"] == 6.3e6


def test_cli_writes_the_fit_table_and_parameters(calibrated: Path) -> None:
    fit = pd.read_csv(calibrated / "fit.csv")
    assert set(FIT_COLUMNS) <= set(fit.columns)
    assert set(fit.loc[~fit["in_sample"], "year"]) == {2022}
    assert 2022 not in set(fit.loc[fit["in_sample"], "year"])
    stats = pd.read_csv(calibrated / "statistics.csv")
    assert {"r2", "rmse_t", "mape"} <= set(stats.columns)
    assert stats["sample"].tolist() == ["in", "out"]
    params = read_parameters(calibrated / "parameters.json")
    assert params.cost > 0
    meta = json.loads((calibrated / "parameters.json").read_text(encoding="utf-8"))
    assert meta["optimiser"] == "converged" and meta["holdout_year"] == 2022
    table = pd.read_csv(calibrated / "parameters.csv")
    assert {"parameter", "value", "std_error"} <= set(table.columns)


def test_cli_refuses_a_folder_it_did_not_write(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("a user's file\n")
    result = CliRunner().invoke(app, ["calibrate", "--out", str(mine)])
    assert result.exit_code == 2
    assert result.output.startswith("error:") and len(result.output.strip().splitlines()) == 1
    assert (mine / "notes.txt").read_text() == "a user's file\n"


def test_cli_unknown_holdout_year_is_one_error_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["calibrate", "--holdout-year", "1990",
                                      "--out", str(tmp_path / "x")])  # fmt: skip
    assert result.exit_code == 2
    assert result.output.startswith("error:") and "--holdout-year" in result.output


def test_logit_needs_a_parameters_file() -> None:
    with pytest.raises(ValueError, match="choice_parameters"):
        AssignmentSpec(method="logit")
    with pytest.raises(ValueError, match="choice_parameters"):
        AssignmentSpec(choice_parameters="p.json")


def test_a_logit_scenario_runs_with_the_calibrated_parameters(
    calibrated: Path, tmp_path: Path
) -> None:
    import tumen.scenario

    bundled = tumen.data.load().scenarios["2023-reopened"]
    text = Path(bundled.source).read_text(encoding="utf-8")
    logit_spec = f"method: logit\n  choice_parameters: {calibrated.name}/parameters.json"
    text = text.replace("method: capacity_constrained", logit_spec)
    text = text.replace("pin_observed_gateways: true", "pin_observed_gateways: false")
    assert "method: logit" in text
    (tmp_path / calibrated.name).mkdir()
    (tmp_path / calibrated.name / "parameters.json").write_bytes(
        (calibrated / "parameters.json").read_bytes()
    )
    path = tmp_path / "logit.yaml"
    path.write_text(text, encoding="utf-8")
    logit = tumen.scenario.run_scenario(path)
    lp = tumen.scenario.run_scenario("2023-reopened")
    assert logit.meta["method"].iloc[0] == "logit"
    assert logit.meta["status"].iloc[0] == "converged"
    for name in ("facility_use", "routes", "bottlenecks", "link_flows", "unmet"):
        assert getattr(logit, name).columns.tolist() == getattr(lp, name).columns.tolist()
    # Every tonne is served or reported unmet; capacities hold within the tolerance.
    served = logit.meta["served_t"].iloc[0] + logit.meta["unmet_t"].iloc[0]
    assert served == pytest.approx(logit.meta["demand_t"].iloc[0])
    b = logit.bottlenecks
    assert (b["flow_t_yr"] <= b["capacity_t_yr"] * 1.001 + 1.0).all()


def test_a_missing_parameters_file_is_a_scenario_error(tmp_path: Path) -> None:
    import tumen.scenario

    bundled = tumen.data.load().scenarios["2023-reopened"]
    text = (
        Path(bundled.source)
        .read_text(encoding="utf-8")
        .replace("method: capacity_constrained", "method: logit\n  choice_parameters: nothing.json")
    )
    path = tmp_path / "logit.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"nothing\.json"):
        tumen.scenario.run_scenario(path)


def test_russia_china_choice_sets_keep_rajin_but_not_the_dprk_china_land_border() -> None:
    """A choice model's Russia–China classes may ship from Rajin, never cross into China
    from the DPRK over land; the least-cost methods keep them out of the DPRK entirely."""
    from tumen.choice import choice_sets
    from tumen.scenario._compiled import demand_ends
    from tumen.scenario._graph import build_graph
    from tumen.scenario._inputs import prepare_inputs
    from tumen.scenario._load import load_scenario
    from tumen.scenario._resolve import resolve
    from tumen.scenario._run import _classes

    dataset = tumen.data.load()
    sc = load_scenario("2019-pre-closure", dataset=dataset)
    sc = sc.model_copy(update={"demand": sc.demand.model_copy(
        update={"pin_observed_gateways": False})})  # fmt: skip
    inputs = prepare_inputs(resolve(sc), dataset=dataset)
    graph = build_graph(
        inputs.links, inputs.facilities, inputs.places, inputs.zone_fees,
        demand_ends(inputs.demand), inputs.params, inputs.crossing_links,
    )  # fmt: skip
    country = dict(zip(inputs.places["place_id"], inputs.places["country"], strict=True))
    e = graph.edges
    side = {c: e[c].map(country).to_numpy(dtype=object) for c in ("from_place", "to_place")}
    kp_cn_land = (
        (e["kind"] == "line").to_numpy() & e["border"].to_numpy(dtype=bool)
        & e["mode"].isin(["rail", "road"]).to_numpy()
        & np.array([{a, b} == {"KP", "CN"} for a, b in zip(*side.values(), strict=True)])
    )  # fmt: skip
    in_kp = np.zeros(len(e), dtype=bool)
    for col in ("place_id", "from_place", "to_place"):
        in_kp |= e[col].map(country).eq("KP").to_numpy()
    assert kp_cn_land.any() and (in_kp & ~kp_cn_land).any()

    def ru_cn(classes: list) -> list:
        # A class is named ``demand_id:commodity:origin>destination``.
        ends = [c.name.rsplit(":", 1)[1].split(">") for c in classes]
        return [c for c, (o, d) in zip(classes, ends, strict=True)
                if {country[o], country[d]} == {"RU", "CN"}]  # fmt: skip

    choice, _, _ = _classes(graph, inputs, choice=True)
    least_cost, _, _ = _classes(graph, inputs, choice=False)
    assert ru_cn(choice) and len(ru_cn(choice)) == len(ru_cn(least_cost))
    for c in ru_cn(choice):
        assert not (c.cost.allowed & kp_cn_land).any(), c.name
    for c in ru_cn(least_cost):
        assert not (c.cost.allowed & in_kp).any(), c.name
    sets = choice_sets(graph, ru_cn(choice))
    assert all(not kp_cn_land[r].any() for s in sets.values() for r in s.routes)
    coal = next(s for name, s in sets.items() if "kuzbass>shanghai" in name)
    assert any("rajin_port" in g for g in coal.gateways)
    hunchun = next(s for name, s in sets.items() if "kuzbass>hunchun" in name)
    assert any("kamyshovaya" in g for g in hunchun.gateways)
