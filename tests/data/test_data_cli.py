"""The data commands through Typer's runner: output, exit status, one-line errors."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tumen.cli import app

runner = CliRunner()
WIDE = {"COLUMNS": "200"}


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=WIDE)
    return result.exit_code, result.stdout, result.stderr


def line_for(output: str, key: str) -> str:
    lines = [ln for ln in output.splitlines() if re.search(rf"\b{re.escape(key)}\b", ln)]
    assert lines, f"{key} not in output"
    return lines[0]


def test_network_2021_shows_khasan_tumangang_closed() -> None:
    code, out, _ = run("network", "--on", "2021-06-01")
    assert code == 0
    row = line_for(out, "fac_khasan_tumangang_rail_freight")
    assert "closed" in row.split()
    assert "suspended" in row.split()
    link = line_for(out, "rail_khasan_tumangang")
    assert "closed" in link.split()


def test_network_2023_shows_khasan_tumangang_open() -> None:
    code, out, _ = run("network", "--on", "2023-06-01")
    assert code == 0
    row = line_for(out, "fac_khasan_tumangang_rail_freight")
    assert "open" in row.split()
    assert "closed" not in row.split()
    link = line_for(out, "rail_khasan_tumangang")
    assert "open" in link.split()
    assert "5 Mt/yr" in link


def test_network_diff_names_the_changes() -> None:
    code, out, _ = run("network", "--on", "2021-06-01", "--diff", "2023-06-01")
    assert code == 0
    assert "facilities fac_khasan_tumangang_rail_freight status: suspended -> open" in out
    assert "ev_" not in out  # events shown by date and description, not raw ids
    assert "First freight train since the closure" in out


def test_network_mode_filter() -> None:
    code, out, _ = run("network", "--on", "2023-06-01", "--mode", "sea")
    assert code == 0
    assert "sea_rajin_busan" in out
    assert "rail_khasan_tumangang " not in out


def test_timeline_range() -> None:
    code, out, _ = run("timeline", "--from", "2020-01-01", "--to", "2020-12-31")
    assert code == 0
    assert "2020-02-03" in out
    assert "2022-11-02" not in out
    # the three closures of 2020 and the suspension of the Vladivostok–Pyongyang flights
    assert "Timeline (4 events)" in out


def test_sources_list_and_one_source() -> None:
    code, out, _ = run("sources")
    assert code == 0
    assert "SEED-002" in out
    code, out, _ = run("sources", "RF-S17")
    assert code == 0
    assert "https://tass.com/politics/1951633" in out
    assert "road_khasan_tumangang" in out
    code, _, err = run("sources", "NOPE-1")
    assert code == 2
    assert err.strip() == (
        "error: sources.csv, field 'source_id': expected a listed source id, got 'NOPE-1'"
    )


def test_check_bundled_and_copy(data_copy: Path) -> None:
    code, out, _ = run("check")
    assert code == 0
    assert out.startswith("OK: bundled dataset: ")
    code, out, _ = run("check", str(data_copy))
    assert code == 0
    assert f"OK: {data_copy}" in out
    code, out, _ = run("check", "--data", str(data_copy))
    assert code == 0


def test_bad_dates_on_the_command_line() -> None:
    code, _, err = run("network", "--on", "2021-02-30")
    assert code == 2
    assert err.strip() == "error: --on: expected a date YYYY-MM-DD, got '2021-02-30'"
    code, _, err = run("timeline", "--from", "soon")
    assert code == 2
    assert "--from" in err


def test_timeline_dates_outside_the_ledger_or_reversed_are_refused() -> None:
    code, _, err = run("timeline", "--from", "1800-01-01")
    assert code == 2
    assert err.startswith("error: --from: expected a date from ")
    assert "(the event ledger's first event to the end of the horizon year" in err
    code, _, err = run("timeline", "--to", "2099-01-01")
    assert code == 2 and "error: --to: expected a date from" in err
    code, _, err = run("timeline", "--from", "2020-01-01", "--to", "2019-01-01")
    assert code == 2
    expected = "error: --to: expected a date on or after --from 2020-01-01, got '2019-01-01'"
    assert err.strip() == expected


def one_error(folder: Path) -> str:
    code, out, err = run("check", str(folder))
    assert code == 2, out
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_missing_column(data_copy: Path, rewrite: Callable[..., None]) -> None:
    def drop_mode(rows: list[list[str]]) -> list[list[str]]:
        col = rows[0].index("mode")
        return [r[:col] + r[col + 1 :] for r in rows]

    rewrite(data_copy / "links.csv", drop_mode)
    assert one_error(data_copy) == (
        f"error: {data_copy}/links.csv, row 0, field 'mode': expected a column 'mode' in the header"
    )


@pytest.mark.parametrize(
    ("file", "row_id", "column", "value", "expected"),
    [
        ("links.csv", "rail_khasan_tumangang", "length_km", "five", "a number greater than 0"),
        ("links.csv", "rail_khasan_tumangang", "mode", "hovercraft", "one of rail, road, sea"),
        ("links.csv", "rail_khasan_tumangang", "to_id", "atlantis", "an id from places.csv"),
        ("places.csv", "khasan", "source", "RF-NOPE", "a source id listed in sources.csv"),
        ("events.csv", "ev_2022_khasan_freight_resumed", "date", "2022-11-31", "a date"),
        ("places.csv", "khasan", "lat", "95", "a number from -90 to 90"),
        ("places.csv", "khasan", "lon", "-181", "a number from -180 to 180"),
        ("facilities.csv", "fac_rajin_pier3", "capacity", "-3", "a number greater than 0"),
        ("links.csv", "rail_khasan_tumangang", "capacity_unit", "kg/s", "one of Mt/yr"),
        ("links.csv", "rail_khasan_tumangang", "bidirectional", "maybe", "true or false"),
        ("places.csv", "khasan", "source", "", "one or more"),
        ("places.csv", "khasan", "confidence", "certain", "one of high, medium, low"),
        ("events.csv", "ev_2022_khasan_freight_resumed", "target_id", "fac_x", "an id from"),
    ],
)
def test_bad_cell_gets_one_line(
    data_copy: Path,
    edit: Callable[..., int],
    file: str,
    row_id: str,
    column: str,
    value: str,
    expected: str,
) -> None:
    row = edit(data_copy, file, row_id, column, value)
    message = one_error(data_copy)
    assert message.startswith(f"error: {data_copy}/{file}, row {row}, field '{column}': expected ")
    assert expected in message
    if value:
        assert message.endswith(f"got '{value}'")


def test_duplicate_id(data_copy: Path, rewrite: Callable[..., None]) -> None:
    rewrite(data_copy / "places.csv", lambda rows: [*rows, rows[1]])
    n = len((data_copy / "places.csv").read_text(encoding="utf-8").splitlines()) - 1
    assert one_error(data_copy) == (
        f"error: {data_copy}/places.csv, row {n}, field 'place_id': expected a unique id, "
        "got 'vladivostok'"
    )


def test_missing_file(data_copy: Path) -> None:
    (data_copy / "zones.csv").unlink()
    assert one_error(data_copy) == (
        f"error: {data_copy}/zones.csv: expected a file zones.csv in the dataset folder"
    )


def test_many_problems_are_all_reported(data_copy: Path, edit: Callable[..., int]) -> None:
    edit(data_copy, "places.csv", "khasan", "lat", "95")
    edit(data_copy, "links.csv", "rail_khasan_tumangang", "length_km", "-1")
    code, _, err = run("check", str(data_copy))
    assert code == 2
    assert err.startswith("error: 2 problems:")
    assert "places.csv, row" in err
    assert "links.csv, row" in err


def test_every_command_accepts_data(data_copy: Path, edit: Callable[..., int]) -> None:
    edit(data_copy, "links.csv", "rail_khasan_tumangang", "name", "Edited crossing")
    edit(data_copy, "places.csv", "khasan", "lat", "95")
    for args in (
        ["network", "--on", "2023-06-01"],
        ["timeline"],
        ["sources"],
        ["export", "--on", "2023-06-01", "--format", "geojson", "--out", str(data_copy / "x.json")],
    ):
        code, _, err = run(*args, "--data", str(data_copy))
        assert code == 2, args
        assert "places.csv, row" in err


def test_data_text_is_not_read_as_markup(data_copy: Path, edit: Callable[..., int]) -> None:
    edit(data_copy, "events.csv", "ev_2022_khasan_freight_resumed", "description", "[red]x[/red]")
    code, out, _ = run("timeline", "--from", "2022-11-01", "--to", "2022-11-30", "--data",
                       str(data_copy))  # fmt: skip
    assert code == 0
    assert "[red]x[/red]" in out
