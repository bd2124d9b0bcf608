"""`tumen screen`: the summary, the written result, and the same verdicts as screen()."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import typer.main
import typer.testing
from screening_flows import flow, table
from typer.testing import CliRunner

from tumen.cli import app
from tumen.screening import VERDICTS, read_shipments, sample_path, screen


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setattr(typer.testing, "_get_command", typer.main.get_group)
    return CliRunner()


def _run(runner: CliRunner, *args: str) -> typer.testing.Result:
    return runner.invoke(app, ["screen", *args], prog_name="tumen", env={"COLUMNS": "160"})


def test_sample_covers_every_verdict_and_prints_a_summary(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "sample.csv"
    res = _run(runner, "--sample", "--out", str(out))
    assert res.exit_code == 0, res.output
    text = res.stdout
    for verdict in VERDICTS:
        assert verdict in text
    assert "Rows that matter" in text
    assert "Measures cited" in text
    assert "never proposes a way around" in text
    # The rows that matter come first: prohibited before cap_exceeded before needs_review.
    at = [
        text.index(v, text.index("Rows that matter"))
        for v in ("prohibited", "cap_exceeded", "needs_review")
    ]
    assert at == sorted(at)
    result = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert set(result["verdict"]) == set(VERDICTS)
    assert len(result) == len(pd.read_csv(sample_path()))


def test_sample_verdicts_known_by_hand() -> None:
    res = screen(read_shipments(sample_path()))
    by_note = dict(zip(res["note"], res["verdict"], strict=True))
    assert by_note["Russian coal through Rajin before any UN coal measure"] == "not_covered"
    assert (
        by_note["Russian coal through Rajin with origin confirmed and advance notice (2371)"]
        == "exempt"
    )
    assert by_note["Russian coal through Rajin without a declared advance notice"] == ("prohibited")
    assert by_note["DPRK coal that takes the 2017 total past 7.5 Mt"] == "cap_exceeded"
    assert by_note["Diesel in tonnes that takes the 2018 refined total past 500000 bbl"] == (
        "cap_exceeded"
    )
    assert by_note["Refined products in a new calendar year"] == "within_cap"
    assert by_note["Wheat supplied to the DPRK"] == "not_covered"
    assert by_note["Passenger train Khasan-Tumangang"] == "not_covered"
    assert by_note["Free text that names no goods"] == "needs_review"
    assert by_note["DPRK workers still abroad after the repatriation deadline"] == "prohibited"


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json"])
def test_formats_written(fmt: str, runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / f"r.{fmt}"
    res = _run(runner, "--sample", "--out", str(out), "--format", fmt)
    assert res.exit_code == 0, res.output
    if fmt == "csv":
        got = pd.read_csv(out)
    elif fmt == "parquet":
        got = pd.read_parquet(out)
    else:
        got = pd.DataFrame(json.loads(out.read_text(encoding="utf-8")))
    assert "verdict" in got.columns and len(got) == 31
    assert sorted(p.name for p in tmp_path.iterdir()) == [".tumen-files", out.name]  # no temp


def test_default_output_name(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    res = _run(runner, "--sample")
    assert res.exit_code == 0
    assert (tmp_path / "shipments_screened.csv").is_file()


def test_cli_and_api_give_the_same_verdict_for_the_same_flow(
    runner: CliRunner, tmp_path: Path
) -> None:
    # The flows a scenario hands to screening: built as a typed DataFrame in Python.
    flows = pd.DataFrame(
        {
            "date": pd.to_datetime(["2019-06-01"] * 5),
            "origin": ["RU", "KP", "RU", "RU", "KP"],
            "destination": ["CN", "CN", "KP", "KP", "RU"],
            "transit": ["KP", "", "", "", ""],
            "via": ["Rajin", "", "", "", ""],
            "commodity": ["coal", "coal", "oil_products", "wheat", "workers"],
            "quantity": [500000.0, 1000.0, 600000.0, 2000.0, 100.0],
            "unit": ["t", "t", "bbl", "t", "persons"],
            "origin_confirmed_non_kp": [True, False, False, False, False],
            "notified_1718": [True, False, True, False, False],
            "purpose": ["", "", "livelihood", "", ""],
        }
    )
    api = screen(flows)
    path = tmp_path / "flows.csv"
    flows.assign(date=flows["date"].dt.strftime("%Y-%m-%d")).to_csv(path, index=False)
    out = tmp_path / "cli.csv"
    res = _run(runner, str(path), "--out", str(out))
    assert res.exit_code == 0, res.output
    cli = pd.read_csv(out, dtype=str, keep_default_na=False)
    cols = ["verdict", "measures", "reason", "conditions"]
    assert cli[cols].to_dict("records") == api[cols].astype(str).to_dict("records")
    # Workers without a declared pre-2375 authorisation: 2375 para 17 applies.
    assert api["verdict"].tolist() == [
        "exempt",
        "prohibited",
        "cap_exceeded",
        "not_covered",
        "prohibited",
    ]


def test_regime_none_in_cli_is_labelled(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "none.csv"
    res = _run(runner, "--sample", "--regime", "none", "--out", str(out))
    assert res.exit_code == 0
    assert "none (counterfactual: UN measures ignored)" in res.stdout
    got = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert set(got["regime"]) == {"none (counterfactual: UN measures ignored)"}
    assert set(got["verdict"]) == {"not_covered"}


def test_help_says_screening_never_proposes_a_way_around(runner: CliRunner) -> None:
    res = _run(runner, "--help")
    assert res.exit_code == 0
    assert "never proposes a way around" in " ".join(res.stdout.split())


def test_data_from_table_is_not_read_as_markup(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "flows.csv"
    table(flow(commodity="[bold red]mystery[/] goods")).to_csv(path, index=False)
    res = _run(runner, str(path), "--out", str(tmp_path / "o.csv"))
    assert res.exit_code == 0
    assert "[bold red]mystery[/]" in res.stdout
