from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from tumen.cli import app

HELDOUT = Path(__file__).resolve().parent / "fixtures" / "heldout"
runner = CliRunner()


def test_ingest_writes_proposals(tmp_path: Path) -> None:
    out = tmp_path / "p.yaml"
    result = runner.invoke(
        app, ["ingest", str(HELDOUT / "h1_freight_train.txt"), str(HELDOUT / "h2_road_bridge.html"),
              "-o", str(out)], env={"COLUMNS": "200"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "proposals from 2 articles" in result.output
    doc = yaml.safe_load(out.read_text(encoding="utf-8"))
    kinds = {e["kind"] for e in doc["proposals"]}
    assert {"resumed", "construction_started", "agreement_signed"} <= kinds
    assert out.read_text(encoding="utf-8").startswith("# Tumen ingest proposals")


def test_ingest_prints_yaml_without_out() -> None:
    result = runner.invoke(
        app, ["ingest", str(HELDOUT / "h3_passenger_trains.txt"), "--date", "2025-06-20"]
    )
    assert result.exit_code == 0, result.output
    doc = yaml.safe_load(result.output)
    assert {e["date"] for e in doc["proposals"]} >= {"2025-06-17", "2025-06-19"}


def test_bad_input_is_one_line_and_status_2(tmp_path: Path) -> None:
    binary = tmp_path / "x.pdf"
    binary.write_bytes(b"%PDF-1.4\x00\x01\x02\x03" * 50)
    for args in (
        ["ingest", str(binary)],
        ["ingest", str(HELDOUT / "h1_freight_train.txt"), "--date", "2023-13-01"],
        ["ledger", "accept", str(tmp_path / "p.yaml")],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output
        assert result.output.startswith("error: ") and result.output.count("\n") == 1


def test_ledger_accept_round_trip(tmp_path: Path, data_copy: Path) -> None:
    out = tmp_path / "p.yaml"
    assert runner.invoke(app, ["ingest", str(HELDOUT / "h3_passenger_trains.txt"),
                               "--date", "2025-06-20", "-o", str(out)]).exit_code == 0  # fmt: skip
    doc = yaml.safe_load(out.read_text(encoding="utf-8"))
    for entry in doc["proposals"]:
        entry["accept"] = entry["date"] == "2025-06-17"
    out.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["ledger", "accept", str(out), "--data", str(data_copy)])
    assert result.exit_code == 0, result.output
    assert "existing events cited" in result.output
    check = runner.invoke(app, ["check", str(data_copy)])
    assert check.exit_code == 0, check.output
