from __future__ import annotations

import csv

import pytest
from typer.testing import CliRunner

from tumen.cli import app

runner = CliRunner()


@pytest.fixture
def sioux(tntp_dir):
    base = tntp_dir / "SiouxFalls" / "SiouxFalls"
    return str(base) + "_net.tntp", str(base) + "_trips.tntp"


def test_assign_prints_table_and_writes_csv(sioux, tmp_path):
    net, trips = sioux
    out = tmp_path / "flows.csv"
    result = runner.invoke(
        app,
        [
            "assign",
            "--net",
            net,
            "--trips",
            trips,
            "--gap",
            "1e-8",
            "--algorithm",
            "algorithm-b",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "relative gap" in result.output and "converged" in result.output
    with out.open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["from", "to", "flow", "cost"]
    assert len(rows) == 77
    first = dict(zip(rows[0], rows[1], strict=True))
    assert (first["from"], first["to"]) == ("1", "2")
    assert float(first["flow"]) == pytest.approx(4494.657646, rel=1e-4)
    assert not list(tmp_path.glob(".*tmp"))


def test_assign_flags_override_weights_and_iteration_limit_warns(sioux):
    net, trips = sioux
    result = runner.invoke(
        app,
        [
            "assign",
            "--net",
            net,
            "--trips",
            trips,
            "--gap",
            "1e-12",
            "--max-iter",
            "3",
            "--toll-weight",
            "2",
            "--distance-weight",
            "0.5",
        ],
    )
    assert result.exit_code == 0
    assert "toll weight 2, distance weight 0.5" in result.output
    assert "NOT converged" in result.output
    assert "warning: stopped after 3 iterations" in result.output


def test_assign_bad_input_is_one_line_and_status_2(sioux, tmp_path):
    net, trips = sioux
    result = runner.invoke(app, ["assign", "--net", net, "--trips", trips, "--algorithm", "x"])
    assert result.exit_code == 2
    assert "expected one of auto, bfw, cfw, fw, algorithm-b" in result.output
    broken = tmp_path / "broken_net.tntp"
    broken.write_text("<END OF METADATA>\n1 2 3\n", encoding="utf-8")
    result = runner.invoke(app, ["assign", "--net", str(broken), "--trips", trips])
    assert result.exit_code == 2
    assert "broken_net.tntp, row 2" in result.output
    assert "Traceback" not in result.output


def test_readme_example_converges_as_written_with_auto(sioux):
    net, trips = sioux
    result = runner.invoke(
        app, ["assign", "--net", net, "--trips", trips, "--gap", "1e-8"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "algorithm: algorithm-b (auto: the target gap 1e-08 is tight" in result.output
    assert "converged: relative gap" in result.output and "warning" not in result.output


def test_auto_falls_back_to_bfw_above_the_memory_budget(sioux):
    net, trips = sioux
    result = runner.invoke(
        app,
        [
            "assign",
            "--net",
            net,
            "--trips",
            trips,
            "--gap",
            "1e-5",
            "--memory-budget",
            "0.001",
            "--max-iter",
            "5",
        ],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "algorithm: bfw (auto: the target gap 1e-05 is tight, but Algorithm B" in result.output


def test_engine_and_command_line_load_nothing_heavy_at_import():
    import subprocess
    import sys

    code = (
        "import sys, tumen.assign, tumen.cli; "
        "print(','.join(m for m in ('numba', 'pandas', 'highspy', 'scipy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
