"""The public surface of tumen.sweep and the command's place in the CLI."""

from __future__ import annotations

from typer.testing import CliRunner

import tumen.sweep
from tumen.cli import app


def test_public_names_exactly() -> None:
    assert sorted(tumen.sweep.__all__) == [
        "SweepInterrupted", "SweepResult", "chunk_dir", "first_order", "run_sweep",
    ]  # fmt: skip


def test_sweep_is_a_listed_command() -> None:
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert " sweep " in result.output
    help_text = CliRunner().invoke(app, ["sweep", "--help"], env={"COLUMNS": "200"}).output
    for option in ("--draws", "--seed", "--workers", "--scheduler", "--out", "--resume"):
        assert option in help_text
