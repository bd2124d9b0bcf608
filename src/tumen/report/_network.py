"""The dataset's side of a report: places, links, facilities, the ledger, sources, disputes.

Everything here is read through :class:`tumen.data.Dataset` and returned as JSON-ready
dicts; text stays raw (the page sets it as text, never as markup).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from tumen.data import Dataset
from tumen.report._escape import plain
from tumen.report._geometry import project

__all__ = ["ledger_json", "network_json", "observed_json", "sources_json"]

#: Fields whose sources a hover card shows, per table.
_CITED_FIELDS = {
    "places": ("lon",),
    "links": ("length_km", "speed_kmh", "capacity"),
    "facilities": ("capacity", "handling_cost_usd_per_t"),
}


def _cell(frame: pd.DataFrame, rid: str, col: str) -> Any:
    return plain(frame.loc[rid, col]) if col in frame.columns else None


def _sources(ds: Dataset, table: str, rid: str) -> dict[str, Any]:
    """Return ``{field: [source ids, confidence]}`` plus ``row`` for the row's own."""
    frame: pd.DataFrame = getattr(ds, table)
    out: dict[str, Any] = {
        "row": [str(frame.loc[rid, "source"]).split(";"), str(frame.loc[rid, "confidence"])]
    }
    for field in _CITED_FIELDS.get(table, ()):
        if field not in frame.columns or plain(frame.loc[rid, field]) in (None, ""):
            continue
        try:
            ids, conf = ds.value_source(table, rid, field)
        except (KeyError, ValueError):
            continue
        out[field] = [list(ids), conf]
    return out


def network_json(ds: Dataset) -> dict[str, list[dict[str, Any]]]:
    """Return places, links and facilities with names, map positions and sources.

    Parameters
    ----------
    ds : Dataset
        The dataset the results were computed on.

    Returns
    -------
    dict
        ``places`` (``id, name, names, kind, country, lon, lat, x, y, src``), ``links``
        (``id, name, from, to, mode, gauge, length_km, speed_kmh, capacity,
        capacity_unit, countries, src``) and ``facilities`` (``id, name, place, kind,
        cargo_class, capacity, capacity_unit, links, src``).
    """
    places = []
    xs, ys = project(ds.places["lon"].to_numpy(float), ds.places["lat"].to_numpy(float))
    for i, (pid, row) in enumerate(ds.places.iterrows()):
        names = {k[5:]: row[k] for k in row.index if k.startswith("name_") and row[k]}
        places.append({
            "id": str(pid), "name": names.get("en") or str(pid), "names": names,
            "kind": row.get("kind", ""), "country": row.get("country", ""),
            "lon": row["lon"], "lat": row["lat"],
            "x": round(float(xs[i])), "y": round(float(ys[i])),
            "src": _sources(ds, "places", str(pid)),
        })  # fmt: skip
    links = []
    for lid, row in ds.links.iterrows():
        links.append({
            "id": str(lid), "name": row.get("name") or str(lid),
            "from": row["from_id"], "to": row["to_id"], "mode": row["mode"],
            "gauge": row.get("gauge", ""), "length_km": row.get("length_km"),
            "speed_kmh": row.get("speed_kmh"), "capacity": row.get("capacity"),
            "capacity_unit": row.get("capacity_unit", ""),
            "countries": row.get("countries", ""), "src": _sources(ds, "links", str(lid)),
        })  # fmt: skip
    facilities = []
    for fid, row in ds.facilities.iterrows():
        facilities.append({
            "id": str(fid), "name": row.get("name") or str(fid), "place": row["place_id"],
            "kind": row["kind"], "cargo_class": row.get("cargo_class", ""),
            "capacity": row.get("capacity"), "capacity_unit": row.get("capacity_unit", ""),
            "links": [p for p in str(row.get("link_ids", "")).split(";") if p],
            "src": _sources(ds, "facilities", str(fid)),
        })  # fmt: skip
    return plain({"places": places, "links": links, "facilities": facilities})


def _state_tuple(frame: pd.DataFrame, rid: str) -> list[Any]:
    return [
        _cell(frame, rid, "status"),
        bool(frame.loc[rid, "is_open"]),
        _cell(frame, rid, "capacity"),
        _cell(frame, rid, "capacity_unit"),
    ]


def ledger_json(ds: Dataset, extra_dates: list[date]) -> dict[str, Any]:
    """Return the event ledger and the network's state on every date of it.

    Parameters
    ----------
    ds : Dataset
        The dataset.
    extra_dates : list of datetime.date
        Further dates to include (the scenarios' dates).

    Returns
    -------
    dict
        ``dates`` (ISO, ascending), ``events`` (``date, kind, target_type, target_id,
        field, value, unit, description, source, confidence``) and ``links`` /
        ``facilities``: for each id, a list of changes ``[date index, status, is_open,
        capacity, capacity_unit]``; an element keeps a state until its next change.
    """
    events = ds.events.sort_values("date", kind="stable")
    dates = sorted({d.date() for d in events["date"]} | set(extra_dates))
    timeline: dict[str, dict[str, list[list[Any]]]] = {"links": {}, "facilities": {}}
    last: dict[tuple[str, str], list[Any]] = {}
    for i, day in enumerate(dates):
        state = ds.on(day)
        for table in timeline:
            frame = state.table(table)
            for rid in frame.index:
                now = _state_tuple(frame, str(rid))
                key = (table, str(rid))
                if last.get(key) != now:
                    timeline[table].setdefault(str(rid), []).append([i, *now])
                    last[key] = now
    rows = []
    for ev in events.itertuples(index=False):
        rec = ev._asdict()
        rows.append({k: rec.get(k) for k in (
            "event_id", "date", "date_precision", "kind", "target_type", "target_id",
            "field", "value", "unit", "description", "source", "confidence")})  # fmt: skip
    return plain({"dates": [d.isoformat() for d in dates], "events": rows, **timeline})


def observed_json(ds: Dataset) -> list[dict[str, Any]]:
    """Return observed throughputs from the ledger (``volume_reported`` events).

    Parameters
    ----------
    ds : Dataset
        The dataset.

    Returns
    -------
    list of dict
        ``facility, year, date, value, unit, tonnes, source, confidence, description``;
        ``tonnes`` is the value in tonnes where its unit is ``Mt`` or ``t`` (else None).
    """
    scale = {"Mt": 1e6, "kt": 1e3, "t": 1.0}
    out = []
    ev = ds.events[ds.events["kind"] == "volume_reported"]
    for row in ev.itertuples(index=False):
        try:
            value = float(row.value)
        except (TypeError, ValueError):
            continue
        unit = str(getattr(row, "unit", "") or "")
        factor = scale.get(unit.split("/")[0])
        out.append({
            "facility": row.target_id, "target_type": row.target_type, "year": row.date.year,
            "date": row.date, "value": value, "unit": unit,
            "tonnes": None if factor is None else value * factor,
            "source": row.source, "confidence": row.confidence,
            "description": row.description,
        })  # fmt: skip
    return plain(out)


def sources_json(ds: Dataset) -> dict[str, Any]:
    """Return the source registry and the recorded disputes.

    Parameters
    ----------
    ds : Dataset
        The dataset.

    Returns
    -------
    dict
        ``sources``: id -> ``kind, title, publisher, published, url, notes``;
        ``conflicts``: ``table, id, field, value, source, chosen, reason`` rows.
    """
    sources = {}
    frame = ds.sources
    for sid, row in frame.iterrows():
        rec = row.to_dict()
        if "source_id" in rec:
            sid = rec.pop("source_id")
        sources[str(sid)] = {
            k: rec.get(k, "") for k in ("kind", "title", "publisher", "published", "url", "notes")
        }
    conflicts = [
        {k: rec.get(k) for k in ("table", "id", "field", "value", "source", "chosen", "reason")}
        for rec in ds.conflicts.to_dict("records")
    ]
    return plain({"sources": sources, "conflicts": conflicts})
