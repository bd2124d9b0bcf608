"""One screening engine: a scenario's findings and `tumen screen` agree flow by flow."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tumen.cli import app
from tumen.scenario import run_scenario

#: Columns of a finding that describe the flow itself (what a shipment table holds).
FLOW_COLUMNS = ["date", "origin", "destination", "transit", "via", "commodity", "quantity", "unit"]


@pytest.mark.parametrize("name", ["2019-pre-closure", "2026-road-bridge-trade-park"])
def test_scenario_findings_match_tumen_screen(name: str, tmp_path: Path) -> None:
    findings = run_scenario(name).findings
    findings = (
        findings[findings["screening"] == "scenario regime"]
        if "screening" in findings
        else findings
    )
    assert len(findings) > 0, "the bundled scenario should list at least one covered flow"

    table = tmp_path / "flows.csv"
    findings[FLOW_COLUMNS].to_csv(table, index=False)
    out = tmp_path / "screened.csv"
    run = CliRunner().invoke(app, ["screen", str(table), "--out", str(out)])
    assert run.exit_code == 0, run.output

    screened = pd.read_csv(out, keep_default_na=False)
    assert len(screened) == len(findings)
    assert screened["verdict"].tolist() == findings["verdict"].tolist()
    assert screened["measures"].tolist() == findings["measures"].tolist()
