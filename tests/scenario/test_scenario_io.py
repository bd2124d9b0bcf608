"""Atomic result folders and a user's edited dataset copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tumen.cli import app
from tumen.data import bundled_dir
from tumen.scenario._io import write_dir_atomically, write_tables


def test_atomic_write_keeps_old_folder_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write_dir_atomically(target, lambda d: (d / "a.txt").write_text("one", encoding="utf-8"))

    def broken(folder: Path) -> None:
        (folder / "a.txt").write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_dir_atomically(target, broken)
    assert (target / "a.txt").read_text(encoding="utf-8") == "one"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    write_dir_atomically(target, lambda d: (d / "b.txt").write_text("two", encoding="utf-8"))
    assert sorted(p.name for p in target.iterdir()) == [".tumen-output", "b.txt"]


def test_write_tables_parquet_and_duckdb(tmp_path: Path) -> None:
    import duckdb

    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    write_tables(tmp_path, {"t": frame})
    assert pd.read_parquet(tmp_path / "t.parquet").equals(frame)
    con = duckdb.connect(str(tmp_path / "results.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT sum(a) FROM t").fetchone()[0] == 3
    finally:
        con.close()


def test_bad_cost_table_in_data_copy_exits_2(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(bundled_dir(), data)
    costs = pd.read_csv(data / "cost_parameters.csv", dtype=str, keep_default_na=False)
    costs.loc[costs["parameter_id"] == "border_fee_usd_per_t", "value"] = "-4"
    costs.to_csv(data / "cost_parameters.csv", index=False)
    result = CliRunner().invoke(
        app, ["run", "2023-reopened", "--data", str(data), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    assert "cost_parameters.csv, row" in result.output
    assert "field 'value': expected a non-negative number, got '-4'" in result.output


def test_data_copy_changes_the_answer(tmp_path: Path) -> None:
    from tumen.scenario import run_scenario

    data = tmp_path / "data"
    shutil.copytree(bundled_dir(), data)
    costs = pd.read_csv(data / "cost_parameters.csv", dtype=str, keep_default_na=False)
    costs.loc[costs["parameter_id"] == "border_fee_usd_per_t", "value"] = "5.5"
    costs.loc[costs["parameter_id"] == "border_fee_usd_per_t", "high"] = "6"
    costs.to_csv(data / "cost_parameters.csv", index=False)
    routes = run_scenario("2023-reopened", data).routes
    # Russian cargo to Hunchun crosses one border (at Makhalino–Kamyshovaya).
    crossing = routes[(routes["destination"] == "hunchun") & (routes["origin"] != "busan")]
    assert len(crossing) > 0
    assert crossing["border_usd"].to_numpy() == pytest.approx(5.5)
