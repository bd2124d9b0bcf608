"""Rules that tie several cells of a row together, one function per table.

Each function takes the typed rows of one table (a bad cell is None, already reported),
the ids of every table (None where that file is unusable) and the file's collector.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import Any

from tumen.data._schema import CAPACITY_UNITS, DEMAND_METHOD_BASES, EVENT_STATUS, TABLES
from tumen.errors import Problem

__all__ = ["TABLE_CHECKS", "Collector", "split"]

Rows = list[dict[str, Any]]
Ids = dict[str, set[str] | None]

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


class Collector:
    """Collects the problems of one file into a shared list."""

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


def split(cell: str) -> list[str]:
    """Return the ``;``-separated items of a cell, stripped, empty ones dropped."""
    return [p.strip() for p in cell.split(";") if p.strip()]


def _capacity(rows: Rows, out: Collector) -> None:
    for r in rows:
        has_cap = r.get("capacity") is not None
        has_unit = r.get("capacity_unit") is not None
        if has_cap and not has_unit:
            out.add(r["_row"], "capacity_unit", "a capacity unit for the capacity given", "")
        if has_unit and not has_cap:
            out.add(r["_row"], "capacity", "a capacity for the unit given", "")


def _links(rows: Rows, ids: Ids, out: Collector) -> None:
    _capacity(rows, out)
    for r in rows:
        if r["mode"] == "rail" and r["gauge"] is None:
            out.add(r["_row"], "gauge", "a gauge (1520, 1435 or dual) for a rail link", "")
        if r["mode"] not in (None, "rail") and r["gauge"] is not None:
            out.add(r["_row"], "gauge", "an empty gauge for a non-rail link", r["gauge"])
        if r["from_id"] is not None and r["from_id"] == r["to_id"]:
            out.add(r["_row"], "to_id", "a place other than from_id", r["to_id"])


def _facilities(rows: Rows, ids: Ids, out: Collector) -> None:
    _capacity(rows, out)


def _places(rows: Rows, ids: Ids, out: Collector) -> None:
    """Check that every point names its own source and a confidence in it."""
    for r in rows:
        if not r.get("coord_source"):
            out.add(r["_row"], "coord_source", "the source of the place's point", "")
        if r.get("coord_confidence") is None:
            out.add(r["_row"], "coord_confidence", "a confidence for the point", "")


def _sources(rows: Rows, ids: Ids, out: Collector) -> None:
    for r in rows:
        sid = r["source_id"] or ""
        if sid.startswith("ASSUMPTION-"):
            if r["kind"] != "assumption":
                out.add(r["_row"], "kind", "'assumption' for an ASSUMPTION-… id", r["kind"])
            if not r["notes"]:
                out.add(r["_row"], "notes", "the assumption's reasoning", "")


def _events(rows: Rows, ids: Ids, out: Collector) -> None:
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
                _event_number(r, out, positive=False)
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
        _event_value(r, table, out)


def _event_number(r: dict[str, Any], out: Collector, positive: bool = True) -> None:
    try:
        value = float(r["value"])
    except (TypeError, ValueError):
        out.add(r["_row"], "value", "a number", r["value"])
        return
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        out.add(r["_row"], "value", "a number greater than 0", r["value"])


def _event_value(r: dict[str, Any], table: str, out: Collector) -> None:
    from tumen.data._validate import describe

    fld, value, unit = r["field"], r["value"], r["unit"]
    col = TABLES[table].column(fld)
    if col.kind == "float" and value:
        _event_number(r, out, positive=col.positive)
    elif col.kind == "enum" and value not in col.choices:
        out.add(r["_row"], "value", describe(col), value)
    elif col.kind == "bool" and str(value).lower() not in ("true", "false"):
        out.add(r["_row"], "value", "true or false", value)
    if fld == "capacity" and unit and unit not in CAPACITY_UNITS:
        out.add(r["_row"], "unit", "one of " + ", ".join(CAPACITY_UNITS), unit)


def _conflicts(rows: Rows, ids: Ids, out: Collector) -> None:
    for r in rows:
        known = ids.get(r["table"] or "")
        if r["id"] is not None and known is not None and r["id"] not in known:
            out.add(r["_row"], "id", f"an id from {TABLES[r['table']].file}", r["id"])


def _demand(rows: Rows, ids: Ids, out: Collector) -> None:
    for r in rows:
        if r["origin"] is not None and r["origin"] == r["destination"]:
            out.add(r["_row"], "destination", "a place other than the origin", r["destination"])
        if r["basis"] in DEMAND_METHOD_BASES and not r["method"]:
            out.add(r["_row"], "method", f"the method of a {r['basis']} figure", "")


def _cost_parameters(rows: Rows, ids: Ids, out: Collector) -> None:
    for r in rows:
        value, low, high = r["value"], r["low"], r["high"]
        if None not in (value, low, high) and not low <= value <= high:
            out.add(r["_row"], "value", "a value between low and high", str(value))


def _measures(rows: Rows, ids: Ids, out: Collector) -> None:
    for r in rows:
        row = r["_row"]
        if not r["goods_hs"] and not r["goods_commodities"] and r["kind"] != "ship_to_ship":
            out.add(row, "goods_hs", "HS codes or goods_commodities", "")
        if r["kind"] == "review" and not r["review_note"]:
            out.add(row, "review_note", "a sentence saying what needs review", "")
        if r["kind"] == "cap":
            for name in ("cap_quantity", "cap_unit", "cap_period"):
                if r[name] is None:
                    out.add(row, name, f"a {name.replace('_', ' ')} for a cap", "")
            if r["cap_period"] in ("fixed", "rolling_12_months") and not r["cap_period_start"]:
                out.add(row, "cap_period_start", "a date YYYY-MM-DD", "")
            if r["cap_period"] == "fixed" and not r["cap_period_end"]:
                out.add(row, "cap_period_end", "a date YYYY-MM-DD", "")
            if r["cap_alt_quantity"] is not None:
                for name in ("cap_alt_unit", "cap_alt_rule"):
                    if r[name] is None:
                        what = f"a {name.replace('_', ' ')} for the alternative cap"
                        out.add(row, name, what, "")
        cite, paragraph = r["citation"] or "", r["paragraph"] or ""
        if r["resolution"] is None or not r["citation"]:
            continue  # already reported
        if not cite.startswith(f"UNSCR {r['resolution']} para ") or paragraph not in cite:
            out.add(row, "citation", "'UNSCR <resolution> para <paragraph>'", cite)


def _luxury_goods(rows: Rows, ids: Ids, out: Collector) -> None:
    for r in rows:
        if r["resolution"] is None or not r["citation"] or not r["paragraph"]:
            continue  # already reported
        if r["citation"] != f"UNSCR {r['resolution']} para {r['paragraph']}":
            out.add(r["_row"], "citation", "'UNSCR <resolution> para <paragraph>'", r["citation"])


def _aliases(rows: Rows, ids: Ids, out: Collector) -> None:
    """Check that each alias names a known row and that no alias names two rows."""
    named: dict[str, tuple[str, str]] = {}
    for r in rows:
        target = r["table"]
        if target is None or r["id"] is None or r["alias"] is None:
            continue
        known = ids.get(target)
        if target != "regions" and known is not None and r["id"] not in known:
            out.add(r["_row"], "id", f"an id from {TABLES[target].file}", r["id"])
        key = r["alias"].casefold()
        if key in named and named[key] != (target, r["id"]):
            out.add(r["_row"], "alias", "an alias naming one row only", r["alias"])
        named.setdefault(key, (target, r["id"]))


#: Table name -> its rules across cells.
TABLE_CHECKS: dict[str, Callable[[Rows, Ids, Collector], None]] = {
    "sources": _sources,
    "places": _places,
    "links": _links,
    "facilities": _facilities,
    "events": _events,
    "conflicts": _conflicts,
    "demand": _demand,
    "cost_parameters": _cost_parameters,
    "measures": _measures,
    "luxury_goods": _luxury_goods,
    "aliases": _aliases,
}
