"""Read a table a user made (a CSV export from customs data, a spreadsheet) as text.

Users' tables come from spreadsheets and customs systems in Russia, China and elsewhere:
comma-, semicolon- or tab-separated, UTF-8 with or without a byte-order mark, or in a
legacy code page. :func:`read_user_table` reads any of these into a DataFrame of strings
and says in one line what is wrong when it cannot: a file that is not UTF-8 is named as
such, with the option that gives its encoding.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import pandas as pd

from tumen.errors import DataError, Problem

__all__ = ["ENCODINGS", "SEPARATORS", "read_user_table"]

#: Encodings a user may name: UTF-8 (the default; a byte-order mark is allowed), and the
#: code pages of Russian (cp1251) and Western European or Latin (latin-1) exports.
ENCODINGS = ("utf-8", "cp1251", "latin-1")
#: Separators recognised from the header row: comma, semicolon, tab.
SEPARATORS = (",", ";", "\t")
_NAMES = {"utf-8": "utf-8-sig", "cp1251": "cp1251", "latin-1": "latin-1"}
_HINT = "name its encoding: --encoding cp1251 or --encoding latin-1 (encoding= in Python)"


def _codec(encoding: str) -> str:
    """Return the Python codec for a user's encoding name, or raise naming the choices."""
    try:
        canonical = codecs.lookup(encoding).name
    except LookupError:
        canonical = ""
    known = {codecs.lookup(e).name: e for e in ENCODINGS}
    if canonical not in known:
        raise DataError(
            Problem("--encoding", None, None, "one of " + ", ".join(ENCODINGS), encoding)
        )
    return _NAMES[known[canonical]]


def _decode(raw: bytes, name: str, encoding: str | None) -> str:
    codec = "utf-8-sig" if encoding is None else _codec(encoding)
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = f"byte 0x{raw[exc.start]:02x} on line {line}"
        if encoding is None:
            expected = f"UTF-8 text; the file is not UTF-8, so {_HINT}"
        else:
            expected = f"text in {encoding}; the file is not, so name another encoding"
        raise DataError(Problem(name, None, None, expected, byte)) from None


def _separator(header: str) -> str:
    """Return the separator that splits the header row into the most fields (``,`` on a tie)."""
    best, most = ",", 1
    for sep in SEPARATORS:
        fields = next(csv.reader([header], delimiter=sep), [])
        if len(fields) > most:
            best, most = sep, len(fields)
    return best


def read_user_table(path: str | Path, *, encoding: str | None = None) -> pd.DataFrame:
    """Read a user's delimited text table; every cell is a string.

    Parameters
    ----------
    path : str or Path
        The file: a header row, then one row per record, separated by commas,
        semicolons or tabs (found from the header row).
    encoding : {'utf-8', 'cp1251', 'latin-1'}, optional
        The file's encoding; UTF-8 (with or without a byte-order mark) when None.

    Returns
    -------
    pandas.DataFrame
        One column per header name (surrounding spaces removed), every cell a string
        (empty where the file has nothing); blank lines are skipped.

    Raises
    ------
    DataError
        With every problem at once, naming the file and row: no such file, not UTF-8
        (with the option that names the encoding), an unknown encoding, empty file,
        a blank or repeated column name, a row with more or fewer fields than the header.

    Examples
    --------
    >>> read_user_table("flows.csv", encoding="cp1251")  # doctest: +SKIP
    """
    path = Path(path)
    name = str(path)
    if encoding is not None:
        _codec(encoding)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(Problem(name, None, None, "a table file", "no such file")) from None
    except OSError as exc:
        raise DataError(
            Problem(name, None, None, "a readable table file", exc.strerror or str(exc))
        ) from None
    if b"\x00" in raw[:4096]:
        raise DataError(Problem(name, None, None, "a text table (CSV)", "binary data"))
    text = _decode(raw, name, encoding).lstrip("\ufeff")
    if not text.strip():
        raise DataError(Problem(name, None, None, "a header row and data rows", "an empty file"))
    sep = _separator(next(line for line in text.splitlines() if line.strip()))
    try:
        rows = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=sep) if r]
    except csv.Error as exc:
        raise DataError(Problem(name, None, None, "a well-formed table", str(exc))) from None
    header = [h.strip() for h in rows[0]]
    while len(header) > 1 and header[-1] == "":  # a spreadsheet's trailing separator
        header.pop()
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, col in enumerate(header, start=1):
        if col == "":
            problems.append(Problem(name, 0, f"column {i}", "a column name", ""))
        elif col in seen:
            problems.append(Problem(name, 0, col, "a column name used once", col))
        seen.add(col)
    width = len(header)
    data: list[list[str]] = []
    for number, row in enumerate(rows[1:], start=1):
        if len(row) > width and not any(cell.strip() for cell in row[width:]):
            row = row[:width]
        if len(row) != width:
            expected = f"{width} fields separated by '{sep}' as in the header"
            problems.append(Problem(name, number, None, expected.replace("\t", "tab"),
                                    f"{len(row)} fields"))  # fmt: skip
            continue
        data.append(row)
    if problems:
        raise DataError(problems)
    return pd.DataFrame(data, columns=header, dtype=object).astype("str")
