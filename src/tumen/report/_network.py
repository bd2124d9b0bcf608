"""The dataset's side of a report: places, links, facilities, the ledger, sources, disputes.

Everything here is read through :class:`tumen.data.Dataset` and returned as JSON-ready
dicts; text stays raw (the page sets it as text, never as markup).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import shapely

from tumen.data import Dataset
from tumen.report._escape import plain
from tumen.report._geometry import _paths, project
from tumen.report._sea_paths import sea_paths

__all__ = ["ledger_json", "network_json", "observed_json", "sources_json"]

#: Margin drawn around a zone's places, map units (about 2.2 km).
_ZONE_MARGIN = 200.0

#: Fields whose sources a hover card shows, per table.
_CITED_FIELDS = {
    "places": ("lon",),
    "links": ("length_km", "speed_kmh", "capacity"),
    "facilities": ("capacity", "handling_cost_usd_per_t"),
}


def _is_name_column(column: str) -> bool:
    """``name_en``, ``name_ru``…: a name in one language (not ``name_source``)."""
    return column.startswith("name_") and len(column) == 7


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
    """Return places, links, facilities and zones with names, map positions and sources.

    Parameters
    ----------
    ds : Dataset
        The dataset the results were computed on.

    Returns
    -------
    dict
        ``places`` (``id, name, names, kind, country, lon, lat, x, y, src``), ``links``
        (``id, name, from, to, mode, gauge, length_km, speed_kmh, capacity,
        capacity_unit, countries, src``; sea and ferry links also ``path``, their route
        over water as ``[[x, y], ...]`` map units, and ``water_km``, its length) and
        ``facilities`` (``id, name, place, kind, cargo_class, capacity, capacity_unit,
        links, src``) and ``zones`` (``id, name, kind, countries, places, d, label, src``).
    """
    places = []
    xs, ys = project(ds.places["lon"].to_numpy(float), ds.places["lat"].to_numpy(float))
    for i, (pid, row) in enumerate(ds.places.iterrows()):
        names = {k[5:]: row[k] for k in row.index if _is_name_column(k) and row[k]}
        places.append({
            "id": str(pid), "name": names.get("en") or str(pid), "names": names,
            "kind": row.get("kind", ""), "country": row.get("country", ""),
            "lon": row["lon"], "lat": row["lat"],
            "x": round(float(xs[i])), "y": round(float(ys[i])),
            "src": _sources(ds, "places", str(pid)),
        })  # fmt: skip
    links = []
    water = _water_routes(ds)
    for lid, row in ds.links.iterrows():
        links.append({
            "id": str(lid), "name": row.get("name") or str(lid),
            "from": row["from_id"], "to": row["to_id"], "mode": row["mode"],
            "gauge": row.get("gauge", ""), "length_km": row.get("length_km"),
            "speed_kmh": row.get("speed_kmh"), "capacity": row.get("capacity"),
            "capacity_unit": row.get("capacity_unit", ""),
            "countries": row.get("countries", ""), "src": _sources(ds, "links", str(lid)),
            **water.get(str(lid), {}),
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
    return plain({
        "places": places, "links": links, "facilities": facilities,
        "zones": _zones(ds, {p["id"]: (p["x"], p["y"]) for p in places}),
    })  # fmt: skip


def _zones(ds: Dataset, points: dict[str, tuple[int, int]]) -> list[dict[str, Any]]:
    """Return each zone that names places, outlined around them.

    A zone is drawn as the convex hull of its places widened by :data:`_ZONE_MARGIN`;
    ``d`` is its SVG path and ``label`` the centre of its places' hull. Zones whose location no
    source gives (no ``place_ids``) are listed with an empty ``d``.
    """
    zones = []
    for zid, row in ds.zones.iterrows():
        ids = [p for p in str(row.get("place_ids", "")).split(";") if p in points]
        outline, label = "", None
        if ids:
            hull = shapely.MultiPoint([points[p] for p in ids]).convex_hull
            shape = hull.buffer(_ZONE_MARGIN, quad_segs=4)
            outline = _paths([shape], close=True)
            centre = hull.centroid
            label = [round(centre.x), round(centre.y)]
        zones.append({
            "id": str(zid), "name": row.get("name_en") or str(zid), "kind": row.get("kind", ""),
            "countries": row.get("countries", ""), "places": ids, "d": outline,
            "label": label, "src": _sources(ds, "zones", str(zid)),
        })  # fmt: skip
    return zones


def _water_routes(ds: Dataset) -> dict[str, dict[str, Any]]:
    """Return ``{link_id: {"path": [[x, y], ...], "water_km": km}}`` for sea and ferry links.

    The path is the shortest route over water (:mod:`tumen.report._sea_paths`), so the map
    never draws a sea leg across land; links whose route is not found are drawn straight.
    """
    sea = ds.links[ds.links["mode"].isin(["sea", "ferry"])]
    lon, lat = ds.places["lon"], ds.places["lat"]
    ends = [
        ((float(lon[a]), float(lat[a])), (float(lon[b]), float(lat[b])))
        for a, b in zip(sea["from_id"], sea["to_id"], strict=True)
    ]
    routes = {}
    for lid, route in zip(sea.index, sea_paths(ends), strict=True):
        if route is None:
            continue
        xs, ys = project(route.points[:, 0], route.points[:, 1])
        path = [[round(float(x)), round(float(y))] for x, y in zip(xs, ys, strict=True)]
        routes[str(lid)] = {"path": path, "water_km": round(route.length_km, 1)}
    return routes


def _states(frame: pd.DataFrame) -> dict[str, list[Any]]:
    """Return ``{id: [status, is_open, capacity, capacity_unit]}`` for a state's table."""
    cols = {c: frame[c] if c in frame.columns else pd.Series(None, index=frame.index)
            for c in ("status", "is_open", "capacity", "capacity_unit")}  # fmt: skip
    rows = zip(frame.index, *(c.tolist() for c in cols.values()), strict=True)
    return {str(rid): plain([st, bool(op), cap, unit]) for rid, st, op, cap, unit in rows}


#: Event kinds that change no link or facility (their dates reuse the previous state).
_NO_STATE_CHANGE = ("volume_reported",)


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
    # Only events on links, facilities and zones change what the map draws; other dates keep
    # the state of the date before them.
    moving = events[
        events["target_type"].isin(["link", "facility", "zone"])
        & ~events["kind"].isin(_NO_STATE_CHANGE)
    ]
    changing = {d.date() for d in moving["date"]}
    timeline: dict[str, dict[str, list[list[Any]]]] = {"links": {}, "facilities": {}, "zones": {}}
    last: dict[tuple[str, str], list[Any]] = {}
    for i, day in enumerate(dates):
        if i and day not in changing:
            continue
        state = ds.on(day)
        for table in timeline:
            for rid, now in _states(state.table(table)).items():
                key = (table, rid)
                if last.get(key) != now:
                    timeline[table].setdefault(rid, []).append([i, *now])
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
