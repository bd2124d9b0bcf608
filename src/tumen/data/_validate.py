"""Read the tables of a dataset and check them once: cells, keys, references and sources.

Every problem in every file is collected; one :class:`~tumen.errors.DataError` carries
them all, so a user fixes a folder in one pass. What a cell may hold comes from the
declarations in :mod:`tumen.data._schema`; rules across the cells of a row from
:mod:`tumen.data._checks`.
"""

from __future__ import annotations

import csv
import io
import math
import re
from datetime import date
from typing import Any

import pandas as pd

from tumen.data._checks import TABLE_CHECKS, Collector, split
from tumen.data._schema import TABLES, Column, Table
from tumen.errors import DataError, Problem

__all__ = ["BINARY", "check_table", "describe", "validate_tables"]

_BOOLS = {"true": True, "false": False}
#: Bytes that never occur in a text table (NUL and other C0 controls but tab, CR, LF).
BINARY = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _parse_date(text: str) -> date | None:
    if len(text) != 10:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _number(col: Column, cell: str) -> float | None:
    """Return the cell as a finite number in the column's range, or None."""
    try:
        value = float(cell) if col.kind == "float" else int(cell)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    bad = (col.positive and value <= 0) or (col.low is not None and value < col.low)
    if bad or (col.high is not None and value > col.high):
        return None
    return value


def _convert(col: Column, cell: str, row: int, out: Collector) -> Any:
    """Return the typed value of one cell, or None (after recording a problem if bad)."""
    if cell == "":
        if col.required:
            out.add(row, col.name, describe(col), "")
        return None
    value: Any = cell
    if col.kind in ("float", "int"):
        value = _number(col, cell)
    elif col.kind == "bool":
        value = _BOOLS.get(cell.lower())
    elif col.kind == "date":
        value = _parse_date(cell)
    elif col.kind == "enum":
        value = cell if cell in col.choices else None
    elif col.kind in ("enums", "list", "refs", "sources"):
        parts = split(cell)
        ok = bool(parts) or not col.required
        if col.kind == "enums":
            ok = ok and all(p in col.choices for p in parts)
        if col.pattern:
            ok = ok and all(re.fullmatch(col.pattern, p) for p in parts)
        value = ";".join(parts) if ok else None
    elif col.pattern and not re.fullmatch(col.pattern, cell):
        value = None
    if value is None:
        out.add(row, col.name, describe(col), cell)
    return value


def describe(col: Column) -> str:
    """Return what a column expects, in words.

    Parameters
    ----------
    col : Column
        The column.

    Returns
    -------
    str
        For example ``a number greater than 0`` or ``one of high, medium, low``.
    """
    what = "a value"
    if col.kind in ("float", "int"):
        noun = "a number" if col.kind == "float" else "a whole number"
        if col.positive:
            what = f"{noun} greater than 0"
        elif col.low is not None and col.high is not None:
            what = f"{noun} from {col.low:g} to {col.high:g}"
        elif col.low == 0:
            what = "a non-negative number" if col.kind == "float" else "a non-negative " + noun[2:]
        elif col.low is not None:
            what = f"{noun} of at least {col.low:g}"
        else:
            what = noun
    elif col.kind == "bool":
        what = "true or false"
    elif col.kind == "date":
        what = "a date YYYY-MM-DD"
    elif col.kind == "enum":
        what = "one of " + ", ".join(col.choices)
    elif col.kind == "enums":
        what = "';'-separated values from " + ", ".join(col.choices)
    elif col.kind == "sources":
        what = "one or more ';'-separated source ids from sources.csv"
    elif col.kind in ("ref", "refs"):
        what = f"an id from {TABLES[col.ref].file}"
    elif col.kind == "list":
        what = "';'-separated items"
        if col.pattern:
            what += f" matching {col.pattern}"
    elif col.pattern:
        what = f"a value matching {col.pattern}"
    elif col.required:
        what = "a non-empty value"
    return what


def _decode(data: bytes | None, table: Table, out: Collector) -> list[list[str]] | None:
    """Return a file's CSV records (header first), or None after recording why not."""
    if data is None:
        out.add(None, None, f"a file {table.file} in the dataset folder", None)
        return None
    if BINARY.search(data):
        out.add(None, None, "a CSV text file", "binary data")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        out.add(None, None, "a UTF-8 CSV file", f"byte {exc.start} is not UTF-8")
        return None
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        out.add(None, None, "a CSV file", str(exc))
        return None


def _parse(table: Table, data: bytes | None, out: Collector) -> list[dict[str, Any]] | None:
    """Return typed rows (each with its 1-based ``_row``), or None if the file is unusable."""
    if data is None and table.optional:
        return []
    records = _decode(data, table, out)
    if records is None:
        return None
    if not records or not any(cell.strip() for cell in records[0]):
        out.add(0, None, "a header row naming the columns", "")
        return None
    header = [h.strip() for h in records[0]]
    missing = [c for c in table.column_names if c not in header]
    for name in missing:
        out.add(0, name, f"a column '{name}' in the header", None)
    if missing:
        return None
    typed: list[dict[str, Any]] = []
    for number, record in enumerate(records[1:], start=1):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            out.add(number, None, f"{len(header)} comma-separated cells", f"{len(record)} cells")
            continue
        cells = {h: c.strip() for h, c in zip(header, record, strict=True)}
        values: dict[str, Any] = {"_row": number}
        for col in table.columns:
            values[col.name] = _convert(col, cells[col.name], number, out)
        values["_extra"] = {h: c for h, c in cells.items() if h not in values}
        typed.append(values)
    if len(typed) < table.min_rows:
        out.add(None, None, f"at least {table.min_rows} data row(s) under the header", "none")
    return typed


def _keys(table: Table, rows: list[dict[str, Any]], out: Collector) -> set[str]:
    """Check that keys are unique; return the table's ids (empty if it has no id column)."""
    ids: set[str] = set()
    columns = table.key_columns
    if not columns:
        return ids
    seen: set[tuple[Any, ...]] = set()
    for r in rows:
        key = tuple(r[c] for c in columns)
        if any(v is None for v in key):
            continue
        if key in seen and len(columns) == 1:
            out.add(r["_row"], columns[0], "a unique id", str(key[0]))
        elif key in seen:
            what = f"a row unlike every earlier one in {', '.join(columns)}"
            out.add(r["_row"], None, what, "; ".join(str(k) for k in key))
        seen.add(key)
    if table.id_column is not None:
        ids = {r[table.id_column] for r in rows if r[table.id_column] is not None}
    for missing in (i for i in table.required_ids if i not in ids):
        out.add(None, table.id_column, "a row for every id the model reads", f"no {missing}")
    return ids


def _cross_checks(
    table: Table,
    rows: list[dict[str, Any]],
    ids: dict[str, set[str] | None],
    out: Collector,
) -> None:
    """Check sources and references against the other tables, then the table's own rules."""
    known_sources = ids.get("sources")
    for r in rows:
        for col in table.columns:
            items = split(r[col.name] or "") if col.kind in ("sources", "ref", "refs") else []
            if col.kind == "sources" and known_sources is not None:
                bad = [s for s in items if s not in known_sources]
                what = "a source id listed in sources.csv"
            elif col.kind in ("ref", "refs") and ids.get(col.ref) is not None:
                bad = [i for i in items if i not in ids[col.ref]]  # type: ignore[operator]
                what = f"an id from {TABLES[col.ref].file}"
            else:
                continue
            for item in bad:
                out.add(r["_row"], col.name, what, item)
        for stem in table.overrides:
            if r.get(f"{stem}_confidence") and not r.get(f"{stem}_source"):
                what = f"a source for the fields {stem}_confidence rates"
                out.add(r["_row"], f"{stem}_source", what, "")
    check = TABLE_CHECKS.get(table.name)
    if check is not None:
        check(rows, ids, out)


def _frame(table: Table, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Build the typed DataFrame of a valid table (undeclared columns kept as text)."""
    data: dict[str, Any] = {}
    for col in table.columns:
        values = [r[col.name] for r in rows]
        if col.kind == "float":
            data[col.name] = pd.array([math.nan if v is None else v for v in values], "float64")
        elif col.kind == "int":
            data[col.name] = pd.array(values, dtype="int64" if None not in values else "Int64")
        elif col.kind == "bool":
            data[col.name] = pd.array([bool(v) for v in values], dtype="bool")
        elif col.kind == "date":
            data[col.name] = pd.to_datetime(pd.Series(values, dtype="object"))
        else:
            data[col.name] = pd.array(["" if v is None else v for v in values], dtype="str")
    for name in dict.fromkeys(h for r in rows for h in r["_extra"]):
        data[name] = pd.array([r["_extra"].get(name, "") for r in rows], dtype="str")
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(rows)))
    if table.id_column is not None:
        frame.index = pd.Index(frame[table.id_column], name=None)
    return frame


def validate_tables(
    files: dict[str, bytes | None], label: str = ""
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Check every table of a dataset given as file contents.

    Parameters
    ----------
    files : dict of str to bytes or None
        Table name (a key of :data:`tumen.data._schema.TABLES`) -> the file's bytes, or
        None where the file is absent.
    label : str
        How to name the folder in messages: each file is named ``<label>/<file>``; an
        empty label names the bare file.

    Returns
    -------
    tables : dict of str to pandas.DataFrame
        Typed tables by name, indexed by their id column; complete only without problems.
    problems : list of Problem
        Every problem found in every file.
    """
    problems: list[Problem] = []
    parsed: dict[str, list[dict[str, Any]]] = {}
    outs: dict[str, Collector] = {}
    ids: dict[str, set[str] | None] = {}
    for name, table in TABLES.items():
        out = Collector(f"{label}/{table.file}" if label else table.file, problems)
        outs[name] = out
        rows = _parse(table, files.get(name), out)
        ids[name] = None if rows is None else _keys(table, rows, out)
        if rows is not None:
            parsed[name] = rows
    for name, rows in parsed.items():
        _cross_checks(TABLES[name], rows, ids, outs[name])
    tables = {name: _frame(TABLES[name], rows) for name, rows in parsed.items()}
    return tables, problems


def check_table(name: str, data: bytes, ids: dict[str, set[str]]) -> pd.DataFrame:
    """Check one table on its own against known ids of the other tables.

    Parameters
    ----------
    name : str
        Table name (``places``, ``measures`` …).
    data : bytes
        The file's contents.
    ids : dict of str to set of str
        Ids of the other tables (``sources`` included) that references must hit.

    Returns
    -------
    pandas.DataFrame
        The typed table.

    Raises
    ------
    DataError
        Listing every problem in the file.
    """
    table = TABLES[name]
    problems: list[Problem] = []
    out = Collector(table.file, problems)
    rows = _parse(table, data, out)
    if rows is not None:
        known: dict[str, set[str] | None] = dict(ids)
        known[name] = _keys(table, rows, out)
        _cross_checks(table, rows, known, out)
    if problems or rows is None:
        raise DataError(problems)
    return _frame(table, rows)
