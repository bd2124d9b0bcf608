"""Bad shipment tables: every problem reported at once, exit status 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import typer.main
import typer.testing
from screening_flows import COLUMNS, flow, table
from typer.testing import CliRunner

from tumen.cli import app
from tumen.errors import DataError
from tumen.screening import read_shipments, screen


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    # While `screen` is the only registered command Typer would run it without the
    # group (and without its error handling); always invoke the group, as `tumen` does.
    monkeypatch.setattr(typer.testing, "_get_command", typer.main.get_group)
    return CliRunner()


def _write(tmp_path: Path, rows: list[dict[str, str]], name: str = "flows.csv") -> Path:
    path = tmp_path / name
    table(*rows).to_csv(path, index=False)
    return path


BAD = [
    (flow(origin="XX"), "origin", "ISO 3166 alpha-2"),
    (flow(destination="North Korea"), "destination", "ISO 3166 alpha-2"),
    (flow(transit="KP;ZZ"), "transit", "alpha-2 codes"),
    (flow(date="2019-02-30"), "date", "YYYY-MM-DD"),
    (flow(date="01/06/2019"), "date", "YYYY-MM-DD"),
    (flow(date=""), "date", "YYYY-MM-DD"),
    (flow(quantity="-5"), "quantity", "non-negative number"),
    (flow(quantity="lots"), "quantity", "non-negative number"),
    (flow(unit="barrels of fun"), "unit", "known unit"),
    (flow(unit="mt"), "unit", "known unit"),
    (flow(hs="27x"), "hs", "HS codes"),
    (flow(commodity="", hs=""), "commodity", "commodity"),
    (flow(notified_1718="maybe"), "notified_1718", "true or false"),
    (flow(authorised_on="last year"), "authorised_on", "YYYY-MM-DD"),
    (flow(value_usd="-1"), "value_usd", "non-negative"),
]


@pytest.mark.parametrize(("row", "field", "expected"), BAD)
def test_each_kind_of_bad_value(
    row: dict[str, str], field: str, expected: str, tmp_path: Path
) -> None:
    path = _write(tmp_path, [flow(), row])
    with pytest.raises(DataError) as info:
        read_shipments(path)
    problem = info.value.problems[0]
    assert (problem.file, problem.row, problem.field) == (str(path), 2, field)
    assert expected in problem.expected


def test_every_bad_row_is_reported_at_once(tmp_path: Path) -> None:
    path = _write(tmp_path, [flow()] + [row for row, _, _ in BAD])
    with pytest.raises(DataError) as info:
        read_shipments(path)
    got = {(p.row, p.field) for p in info.value.problems}
    assert got == {(i, field) for i, (_, field, _) in enumerate(BAD, start=2)}


@pytest.mark.parametrize("missing", ["date", "origin", "destination", "quantity", "unit"])
def test_missing_required_column(missing: str, tmp_path: Path) -> None:
    df = table(flow()).drop(columns=missing)
    path = tmp_path / "flows.csv"
    df.to_csv(path, index=False)
    with pytest.raises(DataError) as info:
        read_shipments(path)
    assert info.value.problems[0].field == missing
    assert info.value.problems[0].row == 0


def test_commodity_or_hs_column_required() -> None:
    df = table(flow()).drop(columns=["commodity", "hs"])
    with pytest.raises(DataError, match="commodity"):
        screen(df)


def test_on_supplies_a_missing_date_column(tmp_path: Path) -> None:
    path = tmp_path / "flows.csv"
    table(flow()).drop(columns="date").to_csv(path, index=False)
    assert screen(read_shipments(path, on="2019-01-01"), on="2019-01-01")["verdict"].iloc[0] == (
        "prohibited"
    )


def test_cli_bad_table_exit_2_one_message_nothing_written(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = _write(tmp_path, [flow(), flow(origin="XX"), flow(quantity="-1", unit="parsecs")])
    out = tmp_path / "result.csv"
    res = runner.invoke(app, ["screen", str(path), "--out", str(out)], prog_name="tumen")
    assert res.exit_code == 2
    assert res.stdout == ""
    err = res.stderr
    assert err.startswith("error: 3 problems:")
    assert "row 2, field 'origin'" in err and "row 3, field 'quantity'" in err
    assert "row 3, field 'unit'" in err
    assert "Traceback" not in err
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [path]


def test_cli_bad_flags_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    path = _write(tmp_path, [flow()])
    for args in (["--on", "June"], ["--regime", "maybe"], ["--format", "xlsx"]):
        res = runner.invoke(app, ["screen", str(path), *args], prog_name="tumen")
        assert res.exit_code == 2, args
        assert res.stderr.startswith("error:")
    res = runner.invoke(app, ["screen", str(tmp_path / "none.csv")], prog_name="tumen")
    assert res.exit_code == 2


def test_parquet_input(tmp_path: Path) -> None:
    path = tmp_path / "flows.parquet"
    df = table(flow(), flow(commodity="wheat", origin="RU", destination="KP"))
    df["quantity"] = df["quantity"].astype(float)
    df.to_parquet(path)
    res = screen(read_shipments(path))
    assert res["verdict"].tolist() == ["prohibited", "not_covered"]


def test_columns_helper_matches_documented_inputs() -> None:
    assert {
        "date",
        "origin",
        "destination",
        "transit",
        "commodity",
        "hs",
        "quantity",
        "unit",
        "value_usd",
        "purpose",
        "origin_confirmed_non_kp",
        "notified_1718",
        "authorised_on",
    } <= set(COLUMNS)
    assert isinstance(pd.DataFrame(), pd.DataFrame)


def test_thousands_separators_accepted_decimal_commas_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, [flow(quantity="1,000,000"), flow(quantity="1,5")])
    with pytest.raises(DataError) as info:
        read_shipments(path)
    assert [(p.row, p.field) for p in info.value.problems] == [(2, "quantity")]
    ok = _write(tmp_path, [flow(quantity="1,000,000.5")], "ok.csv")
    assert screen(read_shipments(ok))["cap_total"].isna().all()


def test_excel_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_text(table(flow()).to_csv(index=False), encoding="utf-8-sig")
    assert screen(read_shipments(path))["verdict"].iloc[0] == "prohibited"
