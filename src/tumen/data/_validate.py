"""Read a dataset folder and check it once: schema, references, units and ranges.

Every problem in every file is collected; one :class:`~tumen.errors.DataError` carries
them all, so a user fixes a folder in one pass.
"""

from __future__ import annotations

import csv
import math
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from tumen.data._schema import (
    CAPACITY_UNITS,
    EVENT_STATUS,
    TABLES,
    Column,
    Table,
)
from tumen.errors import DataError, Problem

__all__ = ["read_dataset"]

#: Event target type -> table holding its ids.
_TARGET_TABLES = {"link": "links", "facility": "facilities", "zone": "zones", "place": "places"}
#: Fields an event may set on a target, per table (status is set by the event kind).
_SETTABLE = {
    "links": (
        "gauge",
        "length_km",
        "bridge_length_m",
        "speed_kmh",
        "capacity",
        "capacity_unit",
        "bidirectional",
    ),
    "facilities": (
        "capacity",
        "capacity_unit",
        "handling_time_h",
        "handling_cost_usd_per_t",
        "cargo_class",
        "link_ids",
    ),
    "zones": ("place_ids",),
    "places": (),
}
_BOOLS = {"true": True, "false": False}


class _Collector:
    """Collects problems for one file."""

    def __init__(self, file: str, sink: list[Problem]) -> None:
        self.file = file
        self.sink = sink
        self.seen: set[tuple[int | None, str | None]] = set()

    def add(self, row: int | None, field: str | None, expected: str, got: str | None) -> None:
        """Record a problem; a second one for the same cell is a consequence and is dropped."""
        if field is not None and (row, field) in self.seen:
            return
        self.seen.add((row, field))
        self.sink.append(Problem(self.file, row, field, expected, got))


def _split(cell: str) -> list[str]:
    return [p.strip() for p in cell.split(";") if p.strip()]


def _parse_date(text: str) -> date | None:
    if len(text) != 10:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _convert(col: Column, cell: str, row: int, out: _Collector) -> Any:
    """Return the typed value of one cell, or None (after recording a problem if bad)."""
    if cell == "":
        if col.required:
            out.add(row, col.name, _describe(col), "")
        return None
    if col.kind == "float":
        try:
            value = float(cell)
        except ValueError:
            out.add(row, col.name, _describe(col), cell)
            return None
        if not math.isfinite(value):
            out.add(row, col.name, _describe(col), cell)
            return None
        bad = (col.positive and value <= 0) or (col.low is not None and value < col.low)
        bad = bad or (col.high is not None and value > col.high)
        if bad:
            out.add(row, col.name, _describe(col), cell)
            return None
        return value
    if col.kind == "bool":
        if cell.lower() not in _BOOLS:
            out.add(row, col.name, _describe(col), cell)
            return None
        return _BOOLS[cell.lower()]
    if col.kind == "date":
        parsed = _parse_date(cell)
        if parsed is None:
            out.add(row, col.name, _describe(col), cell)
        return parsed
    if col.kind == "enum":
        if cell not in col.choices:
            out.add(row, col.name, _describe(col), cell)
            return None
        return cell
    if col.kind == "enums":
        parts = _split(cell)
        if not parts or any(p not in col.choices for p in parts):
            out.add(row, col.name, _describe(col), cell)
            return None
        return ";".join(parts)
    if col.kind in ("refs", "sources"):
        return ";".join(_split(cell))
    return cell


def _describe(col: Column) -> str:
    """Return what a column expects, in words."""
    if col.kind == "float":
        if col.positive:
            what = "a number greater than 0"
        elif col.low is not None and col.high is not None:
            what = f"a number from {col.low:g} to {col.high:g}"
        elif col.low is not None:
            what = f"a number of at least {col.low:g}"
        else:
            what = "a number"
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
    elif col.kind == "ref":
        what = f"an id from {TABLES[col.ref].file}"
    else:
        what = "a value"
    return what if not col.required or col.kind != "text" else "a non-empty value"


def _read_table(
    table: Table, path: Path, out: _Collector
) -> tuple[list[dict[str, Any]], list[dict[str, str]]] | None:
    """Read one CSV file; return typed rows and raw rows, or None if unreadable."""
    if not path.is_file():
        out.add(None, None, f"a file {table.file} in the dataset folder", None)
        return None
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            records = list(reader)
    except (UnicodeDecodeError, csv.Error) as exc:
        out.add(None, None, "a UTF-8 CSV file", str(exc))
        return None
    if header is None:
        out.add(0, None, "a header row naming the columns", "")
        return None
    header = [h.strip() for h in header]
    missing = [c for c in table.column_names if c not in header]
    for name in missing:
        out.add(0, name, f"a column '{name}' in the header", None)
    if missing:
        return None
    typed: list[dict[str, Any]] = []
    raw: list[dict[str, str]] = []
    for number, record in enumerate(records, start=1):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            out.add(number, None, f"{len(header)} comma-separated cells", f"{len(record)} cells")
            continue
        cells = {h: c.strip() for h, c in zip(header, record, strict=True)}
        values: dict[str, Any] = {"_row": number}
        for col in table.columns:
            values[col.name] = _convert(col, cells[col.name], number, out)
        typed.append(values)
        raw.append(cells)
    return typed, raw


def _check_ids(table: Table, rows: list[dict[str, Any]], out: _Collector) -> set[str]:
    ids: set[str] = set()
    if table.id_column is None:
        return ids
    for r in rows:
        value = r[table.id_column]
        if value is None:
            continue
        if value in ids:
            out.add(r["_row"], table.id_column, "a unique id", value)
        ids.add(value)
    return ids


def _check_sources(
    table: Table, rows: list[dict[str, Any]], source_ids: set[str], out: _Collector
) -> None:
    source_cols = [c.name for c in table.columns if c.kind == "sources"]
    for r in rows:
        for name in source_cols:
            for sid in _split(r[name] or ""):
                if sid not in source_ids:
                    out.add(r["_row"], name, "a source id listed in sources.csv", sid)
        for stem in table.overrides:
            if r.get(f"{stem}_confidence") and not r.get(f"{stem}_source"):
                out.add(
                    r["_row"],
                    f"{stem}_source",
                    f"a source for the fields {stem}_confidence rates",
                    "",
                )


def _check_refs(
    table: Table, rows: list[dict[str, Any]], ids: dict[str, set[str] | None], out: _Collector
) -> None:
    for col in table.columns:
        if col.kind not in ("ref", "refs"):
            continue
        known = ids.get(col.ref)
        if known is None:  # that file is unreadable: already reported
            continue
        for r in rows:
            for ref in _split(r[col.name] or ""):
                if ref not in known:
                    out.add(r["_row"], col.name, f"an id from {TABLES[col.ref].file}", ref)


def _check_capacity(rows: list[dict[str, Any]], out: _Collector) -> None:
    for r in rows:
        has_cap = r.get("capacity") is not None
        has_unit = r.get("capacity_unit") is not None
        if has_cap and not has_unit:
            out.add(r["_row"], "capacity_unit", "a capacity unit for the capacity given", "")
        if has_unit and not has_cap:
            out.add(r["_row"], "capacity", "a capacity for the unit given", "")


def _check_links(rows: list[dict[str, Any]], out: _Collector) -> None:
    for r in rows:
        if r["mode"] == "rail" and r["gauge"] is None:
            out.add(r["_row"], "gauge", "a gauge (1520, 1435 or dual) for a rail link", "")
        if r["mode"] not in (None, "rail") and r["gauge"] is not None:
            out.add(r["_row"], "gauge", "an empty gauge for a non-rail link", r["gauge"])
        if r["from_id"] is not None and r["from_id"] == r["to_id"]:
            out.add(r["_row"], "to_id", "a place other than from_id", r["to_id"])


def _check_sources_table(rows: list[dict[str, Any]], out: _Collector) -> None:
    for r in rows:
        sid = r["source_id"] or ""
        if sid.startswith("ASSUMPTION-"):
            if r["kind"] != "assumption":
                out.add(r["_row"], "kind", "'assumption' for an ASSUMPTION-… id", r["kind"])
            if not r["notes"]:
                out.add(r["_row"], "notes", "the assumption's reasoning", "")


def _check_events(
    rows: list[dict[str, Any]],
    ids: dict[str, set[str] | None],
    out: _Collector,
) -> None:
    for r in rows:
        row = r["_row"]
        ttype, tid, kind, fld = r["target_type"], r["target_id"], r["kind"], r["field"]
        day, precision = r.get("date"), r.get("date_precision")
        if isinstance(day, date) and precision == "month" and day.day != 1:
            out.add(row, "date", "the 1st of the month for a month-precise event", str(day))
        if isinstance(day, date) and precision == "year" and (day.month, day.day) != (1, 1):
            out.add(row, "date", "1 January for a year-precise event", str(day))
        if ttype == "network":
            if tid:
                out.add(row, "target_id", "an empty target_id for a network event", tid)
        elif ttype is not None:
            table = _TARGET_TABLES[ttype]
            known = ids.get(table)
            if not tid:
                out.add(row, "target_id", f"an id from {TABLES[table].file}", "")
            elif known is not None and tid not in known:
                out.add(row, "target_id", f"an id from {TABLES[table].file}", tid)
        if kind in ("capacity_changed", "value_changed", "volume_reported") and not fld:
            out.add(row, "field", f"the field a {kind} event sets", "")
        if kind == "capacity_changed" and fld and fld != "capacity":
            out.add(row, "field", "'capacity' for a capacity_changed event", fld)
        if fld and not r["value"]:
            out.add(row, "value", f"a value for the field '{fld}'", "")
        if not fld or kind is None or ttype is None:
            continue
        if kind == "volume_reported":
            if fld != "volume":
                out.add(row, "field", "'volume' for a volume_reported event", fld)
            else:
                _check_event_number(r, out, positive=False)
            continue
        if EVENT_STATUS[kind] is None and kind not in ("capacity_changed", "value_changed"):
            out.add(row, "field", f"an empty field for a {kind} event", fld)
            continue
        if ttype == "network":
            out.add(row, "field", "an empty field for a network event", fld)
            continue
        table = _TARGET_TABLES[ttype]
        if fld not in _SETTABLE[table]:
            allowed = ", ".join(_SETTABLE[table]) or "none"
            out.add(row, "field", f"a field an event may set on {table} ({allowed})", fld)
            continue
        _check_event_value(r, table, out)


def _check_event_number(r: dict[str, Any], out: _Collector, positive: bool = True) -> None:
    try:
        value = float(r["value"])
    except (TypeError, ValueError):
        out.add(r["_row"], "value", "a number", r["value"])
        return
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        out.add(r["_row"], "value", "a number greater than 0", r["value"])


def _check_event_value(r: dict[str, Any], table: str, out: _Collector) -> None:
    fld, value, unit = r["field"], r["value"], r["unit"]
    col = next(c for c in TABLES[table].columns if c.name == fld)
    if col.kind == "float" and value:
        _check_event_number(r, out, positive=col.positive)
    elif col.kind == "enum" and value not in col.choices:
        out.add(r["_row"], "value", _describe(col), value)
    elif col.kind == "bool" and str(value).lower() not in _BOOLS:
        out.add(r["_row"], "value", "true or false", value)
    if fld == "capacity" and unit and unit not in CAPACITY_UNITS:
        out.add(r["_row"], "unit", "one of " + ", ".join(CAPACITY_UNITS), unit)


def _check_conflicts(rows: list[dict[str, Any]], ids: dict[str, set[str]], out: _Collector) -> None:
    for r in rows:
        if r["table"] is None or r["id"] is None or ids.get(r["table"]) is None:
            continue
        if r["id"] not in ids[r["table"]]:
            out.add(r["_row"], "id", f"an id from {TABLES[r['table']].file}", r["id"])


def _frame(table: Table, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Build the typed DataFrame of a valid table."""
    data: dict[str, Any] = {}
    for col in table.columns:
        values = [r[col.name] for r in rows]
        if col.kind == "float":
            data[col.name] = pd.array(
                [math.nan if v is None else v for v in values], dtype="float64"
            )
        elif col.kind == "bool":
            data[col.name] = pd.array([bool(v) for v in values], dtype="bool")
        elif col.kind == "date":
            data[col.name] = pd.to_datetime(pd.Series(values, dtype="object"))
        else:
            data[col.name] = pd.array(["" if v is None else v for v in values], dtype="str")
    frame = pd.DataFrame(data)
    if table.id_column is not None:
        frame.index = pd.Index(frame[table.id_column], name=None)
    return frame


def read_dataset(data_dir: Path, label: str | None = None) -> dict[str, pd.DataFrame]:
    """Read and validate every table of a dataset folder.

    Parameters
    ----------
    data_dir : pathlib.Path
        Folder holding ``sources.csv``, ``places.csv``, ``links.csv``,
        ``facilities.csv``, ``zones.csv``, ``events.csv`` and ``conflicts.csv``.
    label : str, optional
        How to name the folder in messages (default: the path as given). Each file is
        named ``<label>/<file>``; an empty label names the bare file.

    Returns
    -------
    dict of str to pandas.DataFrame
        Typed tables by name, indexed by their id column (not conflicts).

    Raises
    ------
    DataError
        Listing every problem found in every file.
    """
    prefix = str(data_dir) if label is None else label
    problems: list[Problem] = []
    parsed: dict[str, list[dict[str, Any]]] = {}
    collectors: dict[str, _Collector] = {}
    ids: dict[str, set[str] | None] = {}
    for name, table in TABLES.items():
        shown = f"{prefix}/{table.file}" if prefix else table.file
        out = _Collector(shown, problems)
        collectors[name] = out
        result = _read_table(table, data_dir / table.file, out)
        if result is None:
            ids[name] = None
            continue
        parsed[name] = result[0]
        ids[name] = _check_ids(table, parsed[name], out)
    source_ids = ids.get("sources") or set()
    for name, rows in parsed.items():
        table, out = TABLES[name], collectors[name]
        if name != "sources" and "sources" in parsed:
            _check_sources(table, rows, source_ids, out)
        _check_refs(table, rows, ids, out)
    if "sources" in parsed:
        _check_sources_table(parsed["sources"], collectors["sources"])
    for name in ("links", "facilities"):
        if name in parsed:
            _check_capacity(parsed[name], collectors[name])
    if "links" in parsed:
        _check_links(parsed["links"], collectors["links"])
    if "events" in parsed:
        _check_events(parsed["events"], ids, collectors["events"])
    if "conflicts" in parsed:
        _check_conflicts(parsed["conflicts"], ids, collectors["conflicts"])
    if problems:
        raise DataError(problems)
    return {name: _frame(TABLES[name], rows) for name, rows in parsed.items()}
