"""Usage errors are one line; users' tables read as they come; plain pandas frames screen.

Issue 13, items 5 and 6: every usage error is one ``error:`` line with no panel (also
from a real ``python -m tumen`` process); a shipment table may be separated by ``,`` ``;``
or tab, be UTF-8 with or without a BOM, or cp1251/latin-1 named with ``--encoding``; a
table read with plain :func:`pandas.read_csv` screens like the same table read as text.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import tumen
from tumen._user_tables import read_user_table
from tumen.cli import app
from tumen.data._hs import hs_code, hs_text
from tumen.errors import DataError
from tumen.screening import read_shipments, sample_path

SRC = Path(__file__).resolve().parent / ".." / "src"
PANEL = ("╭", "│", "Usage:", "Try '", "Traceback")


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: "), lines[0]
    assert not any(mark in stderr for mark in PANEL), stderr
    return lines[0]


# ------------------------------------------------------------------ usage errors

USAGE = [
    (["network"], "Missing option '--on'"),
    (["netwrk"], "No such command 'netwrk'"),
    (["--bogus"], "No such option: --bogus"),
    (["run"], "Missing argument"),
    (["network", "--on", "2021-06-01", "--mode"], "requires an argument"),
    (["network", "--on", "2021-06-01", "--mode", "hovercraft"], "hovercraft"),
    (["network", "--on", "June"], "a date YYYY-MM-DD"),
    (["network", "--on", "2021-06-01", "--data", "nowhere"], "--data"),
    (["check", "--data", "nowhere"], "nowhere"),
    (["assign", "--net", "x.tntp"], "Missing option '--trips'"),
    (["assign", "--net", "x", "--trips", "y", "--gap", "small"], "'--gap'"),
    (["screen", "--sample", "--format", "xlsx"], "xlsx"),
    (["screen", "--sample", "--encoding", "koi8-r"], "one of utf-8, cp1251, latin-1"),
    (["export", "--on", "2021-06-01", "--format", "shp", "--out", "x"], "shp"),
]


@pytest.mark.parametrize(("args", "says"), USAGE, ids=[" ".join(a) for a, _ in USAGE])
def test_usage_error_is_one_line(args: list[str], says: str, tmp_path: Path,
                                 monkeypatch) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, args, prog_name="tumen")
    assert result.exit_code == 2
    assert says in _one_line(result.stderr)
    assert list(tmp_path.iterdir()) == []


def test_usage_error_one_line_from_a_real_process() -> None:
    path = os.pathsep.join(p for p in (str(SRC.resolve()), os.environ.get("PYTHONPATH", ""))
                           if p)  # fmt: skip
    done = subprocess.run([sys.executable, "-m", "tumen", "network", "--data", "nowhere",
                           "--on", "2021-06-01"], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": path, "COLUMNS": "80"})  # fmt: skip
    assert done.returncode == 2
    assert _one_line(done.stderr) == (
        "error: --data: expected an existing dataset folder (a full copy of the bundled "
        "one, see docs/data.md), got 'nowhere'"
    )


# ------------------------------------------------------------------- user tables


def _sample_rows() -> list[list[str]]:
    return list(csv.reader(sample_path().read_text(encoding="utf-8").splitlines()))


@pytest.mark.parametrize("sep", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"], ids=["utf8", "bom"])
def test_separators_and_bom_read_alike(tmp_path: Path, sep: str, encoding: str) -> None:
    path = tmp_path / "flows.csv"
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=sep).writerows(_sample_rows())
    expected = pd.read_csv(sample_path(), dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(read_user_table(path), expected)
    result = CliRunner().invoke(app, ["screen", str(path), "--out", str(tmp_path / "s.csv")])
    assert result.exit_code == 0, result.output
    assert "Screened 31 flows" in result.output


TEXT = {"cp1251": ("уголь", "RU"), "latin-1": ("café à Rajin", "FR")}


@pytest.mark.parametrize("encoding", ["cp1251", "latin-1"])
def test_legacy_encoding_named_or_refused_in_one_line(tmp_path: Path, encoding: str) -> None:
    words, origin = TEXT[encoding]
    path = tmp_path / "flows.csv"
    path.write_text(f"date;origin;destination;commodity;quantity;unit;note\n"
                    f"2019-06-01;{origin};CN;coal;5;t;{words}\n", encoding=encoding)  # fmt: skip
    with pytest.raises(DataError) as info:
        read_user_table(path)
    message = str(info.value)
    assert "\n" not in message and "not UTF-8" in message and "--encoding" in message
    assert message.startswith(f"{path}: expected UTF-8 text") and "line 2" in message
    frame = read_user_table(path, encoding=encoding)
    assert frame.loc[0, "note"] == words and frame.loc[0, "origin"] == origin
    runner = CliRunner()
    out = str(tmp_path / "s.csv")
    refused = runner.invoke(app, ["screen", str(path), "--out", out])
    assert refused.exit_code == 2 and "--encoding" in _one_line(refused.stderr)
    done = runner.invoke(app, ["screen", str(path), "--encoding", encoding, "--out", out])
    assert done.exit_code == 0, done.output
    assert pd.read_csv(out, encoding="utf-8")["note"].iloc[0] == words


def test_bad_rows_named_by_file_and_row(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a;b;c\n1;2;3\n1;2\n1;2;3;4\n1;2;3;;\n\n5;6;7\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_user_table(path)
    assert [(p.file, p.row) for p in info.value.problems] == [(str(path), 2), (str(path), 3)]
    assert "3 fields separated by ';'" in str(info.value)
    for text, expected in (("", "an empty file"), ("a,a\n1,2\n", "used once")):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(DataError, match=expected):
            read_user_table(path)
    with pytest.raises(DataError, match="no such file"):
        read_user_table(tmp_path / "none.csv")


# ------------------------------------------------------- frames from plain pandas


def test_screen_accepts_a_frame_from_plain_read_csv() -> None:
    plain = pd.read_csv(sample_path())
    assert plain["hs"].dtype == "float64"  # what a new user gets
    got = tumen.screen(plain)
    want = tumen.screen(read_shipments(sample_path()))
    for col in ("verdict", "measures", "commodity_id"):
        assert got[col].tolist() == want[col].tolist(), col


@pytest.mark.parametrize(
    ("value", "codes"),
    [
        (2701.0, "2701"), (2701, "2701"), ("2701.0", "2701"), ("2701.00", "2701"),
        (8471.3, "847130"), ("8471.30", "847130"), (27.0, "27"), ("27; 2701", "27;2701"),
        (301, "0301"), (301.0, "0301"), ("301", "0301"), (3, "03"), (30111, "030111"),
        ("0301", "0301"), ("", ""), (float("nan"), ""), (None, ""), ("coal", "coal"),
    ],
)  # fmt: skip
def test_hs_codes_normalised(value: object, codes: str) -> None:
    assert hs_code(value) == codes


def test_odd_digit_code_gets_its_leading_zero_back() -> None:
    """Live fish (HS 0301) read as the number 301 screens as HS 0301: seafood, banned."""
    rows = {"date": ["2018-03-01"] * 2, "origin": ["KP"] * 2, "destination": ["CN"] * 2,
            "hs": [301, 301.0], "quantity": [10, 10], "unit": ["t", "t"]}  # fmt: skip
    frame = pd.DataFrame(rows)
    assert hs_text(frame).tolist() == ["0301", "0301"]
    result = tumen.screen(frame)
    assert result["verdict"].tolist() == ["prohibited", "prohibited"]
    assert result["measures"].str.contains("UNSCR 2371 para 9").all()
    assert result["hs"].tolist() == [301, 301]  # the input column passes through
