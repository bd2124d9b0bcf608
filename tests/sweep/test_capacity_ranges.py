"""Capacity ranges of the dataset (capacity_low..capacity_high) drawn by a sweep."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tumen.data._scenario import Scenario, Triangular, Uniform
from tumen.scenario._compiled import compile_scenario
from tumen.scenario._inputs import prepare_inputs
from tumen.scenario._load import load_scenario
from tumen.scenario._ranges import capacity_ranges, with_capacity_ranges
from tumen.scenario._resolve import draw_values, resolve, uncertain_inputs
from tumen.sweep import run_sweep


def _with(sc: Scenario, kind: str) -> Scenario:
    unc = sc.uncertainty.model_copy(update={"capacity_ranges": kind})
    return sc.model_copy(update={"uncertainty": unc})


@pytest.fixture(scope="module")
def uncertain(uncertain_yaml: Path, dataset) -> Scenario:
    return load_scenario(uncertain_yaml, dataset=dataset)


def test_off_changes_nothing(uncertain: Scenario, dataset) -> None:
    assert capacity_ranges(uncertain, dataset) == {}
    assert with_capacity_ranges(uncertain, dataset) is uncertain


def test_triangular_ranges_have_the_dataset_capacity_as_mode(uncertain: Scenario, dataset) -> None:
    sc = _with(uncertain, "triangular")
    ranges = capacity_ranges(sc, dataset)
    inputs = prepare_inputs(resolve(uncertain), dataset=dataset)
    links = inputs.all_links.set_index("link_id")
    facilities = inputs.facilities.set_index("facility_id")
    assert ranges
    for (what, ident), dist in ranges.items():
        assert isinstance(dist, Triangular)
        assert dist.low < dist.high
        table = links if what == "link" else facilities
        assert bool(table.loc[ident, "is_open"])
        assert dist.mode == pytest.approx(float(table.loc[ident, "capacity_t_yr"]), rel=1e-12)
    # the scenario's own capacities and capacities an event set are kept as they are
    own = {("facility", "fac_kraskino_checkpoint"), ("facility", "fac_posyet_port"),
           ("link", "rail_khasan_tumangang")}  # fmt: skip
    assert not own & set(ranges)
    assert not set(inputs.capacity_event_sources) & set(ranges)
    # every open facility with a usable range is drawn: the Vladivostok port's
    assert ("facility", "fac_vladivostok_port") in ranges


def test_uniform_ranges_span_low_to_high(uncertain: Scenario, dataset) -> None:
    tri = capacity_ranges(_with(uncertain, "triangular"), dataset)
    uni = capacity_ranges(_with(uncertain, "uniform"), dataset)
    assert set(uni) == set(tri)
    for key, dist in uni.items():
        assert isinstance(dist, Uniform)
        assert (dist.low, dist.high) == (tri[key].low, tri[key].high)


def test_ranges_become_inputs_and_writing_them_twice_changes_nothing(
    uncertain: Scenario, dataset
) -> None:
    sc = _with(uncertain, "triangular")
    once = with_capacity_ranges(sc, dataset)
    assert with_capacity_ranges(once, dataset) == once
    keys = {i.key for i in uncertain_inputs(once)}
    assert "overrides.facility_capacity.fac_vladivostok_port" in keys
    assert {i.key for i in uncertain_inputs(uncertain)} < keys


def test_compiled_draws_stay_in_range_and_the_base_is_the_plain_run(
    uncertain: Scenario, dataset
) -> None:
    from tumen.scenario import run_scenario

    sc = _with(uncertain, "triangular")
    compiled = compile_scenario(sc, dataset)
    ranges = capacity_ranges(sc, dataset)
    base = compiled.solve(resolve(compiled.scenario))
    run = run_scenario(resolve(uncertain), dataset=dataset)
    assert base.objective_usd == pytest.approx(run.meta["objective_usd"][0], rel=1e-9)
    inputs = uncertain_inputs(compiled.scenario)
    draw = compiled.solve(resolve(compiled.scenario, draw_values(inputs, 7, 0)))
    checked = 0
    for group, cap in zip(compiled.groups, draw.group_capacity, strict=True):
        dist = ranges.get((group.kind, group.element_id))
        if dist is not None:
            assert dist.low <= cap <= dist.high
            checked += 1
    assert checked > 0


def test_a_sweep_records_the_drawn_capacities(uncertain_yaml: Path, tmp_path: Path) -> None:
    text = uncertain_yaml.read_text(encoding="utf-8").replace(
        "uncertainty:\n", "uncertainty:\n  capacity_ranges: triangular\n"
    )
    path = tmp_path / "ranges.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_sweep(path, draws=3, seed=5, workers=1, progress=False)
    drawn = result["draw_inputs"]
    port = drawn[drawn["input"] == "overrides.facility_capacity.fac_vladivostok_port"]
    assert len(port) == 3


def test_an_unknown_capacity_ranges_kind_is_one_line(tmp_path: Path) -> None:
    from tumen.cli import app

    path = tmp_path / "bad.yaml"
    path.write_text(
        "name: bad\ntitle: t\ndate: 2023-10-05\ndemand: {base_year: 2023}\n"
        "uncertainty:\n  capacity_ranges: normal\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["sweep", str(path), "--draws", "3",
                                      "--out", str(tmp_path / "o")])  # fmt: skip
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0] and "uncertainty.capacity_ranges" in lines[0]


def test_capacity_basis_is_the_runs_and_ranges_keep_the_datasets(
    uncertain: Scenario, dataset
) -> None:
    from tumen.scenario import run_scenario

    run = run_scenario(resolve(uncertain), dataset=dataset).bottlenecks
    by_run = dict(zip(run["constraint"], run["capacity_basis"], strict=True))
    plain = compile_scenario(uncertain, dataset)
    basis = dict(zip([g.name for g in plain.groups], plain.capacity_basis, strict=True))
    assert basis == by_run
    assert basis["facility:fac_kraskino_checkpoint"] == "scenario"
    assert {"sourced", "estimate", "scenario"} <= set(basis.values())
    ranged = compile_scenario(_with(uncertain, "triangular"), dataset)
    assert ranged.capacity_basis == plain.capacity_basis


def test_the_binding_table_says_each_capacitys_basis(uncertain_yaml: Path) -> None:
    result = run_sweep(uncertain_yaml, draws=2, seed=1, workers=1, progress=False)
    binding = result["binding"].set_index("constraint")
    assert binding.loc["facility:fac_kraskino_checkpoint", "capacity_basis"] == "scenario"
    drawn = result["draw_constraints"]
    assert drawn.groupby("constraint")["capacity_basis"].nunique().max() == 1
