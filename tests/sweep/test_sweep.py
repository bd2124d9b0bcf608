"""Sweeps: the compiled scenario, Dask against local, resume, one-line errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tumen.scenario._compiled import compile_scenario
from tumen.scenario._load import load_scenario
from tumen.scenario._resolve import resolve
from tumen.sweep import SweepInterrupted, chunk_dir, run_sweep

_EXACT = ("draws", "draw_inputs", "draw_constraints", "draw_links", "draw_unmet",
          "quantiles", "binding", "sensitivity", "grid")  # fmt: skip


def _same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    for name in _EXACT:
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=True)


@pytest.mark.parametrize("name", ["2023-reopened", "2021-closed"])
def test_compiled_base_solve_matches_a_run(name: str, dataset) -> None:
    from tumen.scenario import run_scenario

    sc = load_scenario(name, dataset=dataset)
    compiled = compile_scenario(sc, dataset)
    outcome = compiled.solve(resolve(sc))
    result = run_scenario(sc, dataset=dataset)
    assert outcome.objective_usd == pytest.approx(result.meta["objective_usd"][0], rel=1e-9)
    assert outcome.class_unmet.sum() == pytest.approx(result.unmet["unmet"].sum(), abs=1e-3)
    # The flows of one optimum: the kept programme is smaller (classes that share costs
    # share a commodity, edges off every route are dropped), so where several flows cost
    # the same (two transshipment yards at one price) it may pick another of them; the
    # objective and the unmet demand are unique.
    caps = result.bottlenecks.set_index("constraint")["capacity_t_yr"]
    for group, flow in zip(compiled.groups, outcome.group_flow, strict=True):
        assert flow <= caps[group.name] * (1 + 1e-9) + 1e-6
    again = compile_scenario(sc, dataset).solve(resolve(sc))
    assert again.objective_usd == outcome.objective_usd
    assert list(again.group_flow) == list(outcome.group_flow)


def test_a_draw_that_closes_the_crossing_moves_its_flow(uncertain_yaml: Path, dataset) -> None:
    sc = load_scenario(uncertain_yaml, dataset=dataset)
    compiled = compile_scenario(sc, dataset)
    key = "uncertainty.open_links.rail_khasan_tumangang"
    open_ = compiled.solve(resolve(sc, {key: 1.0}))
    shut = compiled.solve(resolve(sc, {key: 0.0}))
    link = compiled.link_ids.index("rail_khasan_tumangang")
    assert open_.link_flow[link] > 0
    assert shut.link_flow[link] == 0


def test_two_dask_workers_give_exactly_the_local_result(uncertain_yaml: Path) -> None:
    import dask
    from distributed import Client, LocalCluster

    local = run_sweep(uncertain_yaml, 10, seed=5, workers=1, chunk_size=3, progress=False)
    # A loaded 2-core machine can take longer than the default 30 s to start a cluster.
    slow = {"distributed.comm.timeouts.connect": "120s", "distributed.comm.timeouts.tcp": "120s"}
    with dask.config.set(slow), \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                         dashboard_address=None) as cluster, \
            Client(cluster, timeout="120s"):  # fmt: skip
        remote = run_sweep(uncertain_yaml, 10, seed=5, scheduler=cluster.scheduler_address,
                           chunk_size=3, progress=False)  # fmt: skip
    _same(local.tables, remote.tables)
    assert len(local["draws"]) == 12  # 10 draws and 2 grid points


def test_a_resumed_sweep_equals_an_uninterrupted_one(
    uncertain_yaml: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tumen.sweep._run as sweep_run

    whole = run_sweep(uncertain_yaml, 9, seed=2, workers=1, chunk_size=4,
                      out=tmp_path / "whole", progress=False)  # fmt: skip
    assert not chunk_dir(tmp_path / "whole").exists()
    save = sweep_run._save_chunk
    saved: list[int] = []

    def save_then_interrupt(folder: Path, spec, tables) -> None:
        save(folder, spec, tables)
        saved.append(spec.start)
        if len(saved) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(sweep_run, "_save_chunk", save_then_interrupt)
    out = tmp_path / "part"
    with pytest.raises(SweepInterrupted) as info:
        run_sweep(uncertain_yaml, 9, seed=2, workers=1, chunk_size=4, out=out, progress=False)
    assert info.value.done == 8 and info.value.total == 11
    assert not out.exists()
    assert len(list(chunk_dir(out).glob("chunk-*"))) == 2
    monkeypatch.setattr(sweep_run, "_save_chunk", save)
    with pytest.raises(Exception, match="--resume"):
        run_sweep(uncertain_yaml, 9, seed=2, workers=1, chunk_size=4, out=out, progress=False)
    resumed = run_sweep(uncertain_yaml, 9, seed=2, workers=1, chunk_size=4, out=out,
                        resume=True, progress=False)  # fmt: skip
    _same(whole.tables, resumed.tables)
    assert not chunk_dir(out).exists()
    on_disk = pd.read_parquet(out / "binding.parquet")
    pd.testing.assert_frame_equal(on_disk, whole["binding"], check_exact=True)


_BAD = {
    "{dist: triangular, low: 9, mode: 1, high: 10}": "low <= mode <= high",
    "{dist: gamma, shape: 2}": "a distribution with dist one of",
    "{dist: discrete, values: [1, 2], p: [0.5, 0.6]}": "sum to 1",
    "{dist: lognormal, median: 1}": "this key (it is required)",
}


@pytest.mark.parametrize("spec", list(_BAD))
def test_a_bad_distribution_is_one_line_naming_file_and_key(spec: str, tmp_path: Path) -> None:
    from tumen.cli import app

    path = tmp_path / "bad.yaml"
    path.write_text(
        "name: bad\ntitle: t\ndate: 2023-10-05\ndemand: {base_year: 2023}\n"
        f"overrides:\n  facility_capacity:\n    fac_posyet_port: {spec}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["sweep", str(path), "--draws", "3",
                                      "--out", str(tmp_path / "o")])  # fmt: skip
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and str(path) in lines[0]
    assert "overrides.facility_capacity.fac_posyet_port" in lines[0]
    assert _BAD[spec] in lines[0]


def test_an_unknown_id_under_uncertainty_is_one_line(tmp_path: Path) -> None:
    from tumen.cli import app

    path = tmp_path / "bad.yaml"
    path.write_text(
        "name: bad\ntitle: t\ndate: 2023-10-05\ndemand: {base_year: 2023}\n"
        "uncertainty:\n  open_links: {no_such_link: 0.5}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["sweep", str(path), "--draws", "3",
                                      "--out", str(tmp_path / "o")])  # fmt: skip
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "uncertainty.open_links.no_such_link" in result.stderr


def test_the_command_writes_parquet_and_duckdb(uncertain_yaml: Path, tmp_path: Path) -> None:
    import duckdb

    from tumen.cli import app

    out = tmp_path / "sweep"
    args = ["sweep", str(uncertain_yaml), "--draws", "6", "--workers", "1", "--seed", "4"]
    result = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "P(binds)" in result.stdout
    con = duckdb.connect(str(out / "results.duckdb"), read_only=True)
    try:
        draws = con.execute("SELECT count(*) FROM draws WHERE kind = 'random'").fetchone()
        p = con.execute("SELECT max(p_binding) FROM binding").fetchone()
    finally:
        con.close()
    assert draws == (6,)
    assert p is not None and 0.0 <= p[0] <= 1.0
    assert (out / "quantiles.parquet").is_file() and (out / ".tumen-output").is_file()


def test_a_logit_scenario_says_its_draws_were_solved_by_the_lp(
    uncertain_yaml: Path, tmp_path: Path
) -> None:
    from tumen.choice import ChoiceParameters, write_parameters
    from tumen.cli import app

    write_parameters(tmp_path / "parameters.json", ChoiceParameters(cost=0.3), {})
    text = uncertain_yaml.read_text(encoding="utf-8")
    logit = tmp_path / "logit.yaml"
    logit.write_text(
        text + "assignment:\n  method: logit\n  choice_parameters: parameters.json\n",
        encoding="utf-8",
    )
    args = ["sweep", str(logit), "--draws", "3", "--workers", "1", "--seed", "1"]
    result = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "note: the scenario says method: logit" in result.stdout
    meta = pd.read_parquet(tmp_path / "out" / "meta.parquet")
    assert meta["method"].tolist() == ["capacity_constrained"]
    assert "capacity-constrained LP" in meta["note"].iloc[0]
    plain = run_sweep(uncertain_yaml, 3, seed=1, workers=1, progress=False)
    assert plain["meta"]["method"].tolist() == ["capacity_constrained"]
    assert plain["meta"]["note"].tolist() == [""]
