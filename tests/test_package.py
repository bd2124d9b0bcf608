"""The top-level package: its public names, no work at import, the command list."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

import tumen
from tumen.cli import app


def test_public_names_exactly() -> None:
    assert sorted(tumen.__all__) == sorted(
        ["__version__", "compare", "load", "load_scenario", "run_scenario", "screen"]
    )
    for name in tumen.__all__:
        assert getattr(tumen, name) is not None


def test_lazy_names_resolve_to_their_modules() -> None:
    import tumen.data
    import tumen.scenario
    import tumen.screening

    assert tumen.load is tumen.data.load
    assert tumen.screen is tumen.screening.screen
    assert tumen.run_scenario is tumen.scenario.run_scenario


def test_import_does_no_work() -> None:
    code = (
        "import sys, tumen; "
        "heavy = [m for m in ('numba', 'pandas', 'highspy', 'geopandas', 'duckdb') "
        "if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_every_command_is_listed() -> None:
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for command in ("check", "network", "timeline", "sources", "export", "assign", "run",
                    "compare", "demo", "screen", "ingest", "ledger", "report",
                    "sweep", "calibrate"):  # fmt: skip
        assert f" {command} " in result.output
    assert "never searches for a way around" in result.output
