"""Time/cost–distance profiles of routes, in the manner of UN ESCAP's corridor studies.

UN ESCAP's time/cost–distance method plots, along one route, the cumulative cost and the
cumulative time against the distance travelled: slopes for line haul, vertical steps where
a border, a gauge break or a port adds cost or delay without distance. A scenario's route
table gives the totals of each cost component per tonne; this module places each
component where it arises on the path (border fees on the link that crosses a border,
transshipment where the gauge layer or the mode changes, handling at ports at either
end, zone fees where the route enters a zone) and spreads line haul and the value of
time along the distance. The end point of each profile equals the route's totals.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from tumen.data import Dataset, derived_length_km
from tumen.report._escape import plain

__all__ = ["route_profile"]

#: Running speed used where a link has none (km/h), by mode.
_DEFAULT_SPEED = {"rail": 40.0, "road": 50.0, "sea": 20.0, "ferry": 20.0}


def _link_info(ds: Dataset, link_id: str, a: str, b: str, mode: str) -> tuple[float, float, bool]:
    """Return (km, running hours, crosses a border) for one link of a path."""
    if link_id in ds.links.index:
        row = ds.links.loc[link_id]
        km = float(row["length_km"])
        speed = row.get("speed_kmh")
        mode = str(row["mode"])
        border = len([c for c in str(row.get("countries", "")).split(";") if c]) > 1
    elif a not in ds.places.index or b not in ds.places.index:  # nothing to measure
        return 0.0, 0.0, False
    else:  # a link a scenario added: its length from the places' coordinates
        pa, pb = ds.places.loc[a], ds.places.loc[b]
        km = derived_length_km(mode if mode in _DEFAULT_SPEED else "road",
                               pa["lon"], pa["lat"], pb["lon"], pb["lat"])  # fmt: skip
        speed = None
        border = False
    if a in ds.places.index and b in ds.places.index:
        border = border or ds.places.loc[a, "country"] != ds.places.loc[b, "country"]
    speed = float(speed) if speed is not None and speed == speed and speed > 0 else None
    hours = km / (speed or _DEFAULT_SPEED.get(mode, 40.0))
    return km, hours, bool(border)


def route_profile(
    ds: Dataset, route: pd.Series, layers: dict[tuple[str, str], str]
) -> dict[str, Any]:
    """Return the time/cost–distance profile of one route.

    Parameters
    ----------
    ds : Dataset
        The dataset the result was computed on.
    route : pandas.Series
        One row of a result's ``routes`` table.
    layers : dict of (link id, commodity) to str
        The layer (``rail1520``, ``rail1435``, ``road``, ``sea``…) each link carried the
        commodity on, from ``link_flows``.

    Returns
    -------
    dict
        ``label``, ``origin``, ``destination``, ``commodity``, ``flow``, ``unit`` and
        ``points``: a list of ``{km, usd, h, kind, label}`` (cumulative distance, cost per
        unit and hours), one point per place and two per step (``kind`` ``border``,
        ``gauge``, ``port``, ``zone``); the last point's ``usd`` and ``h`` are the
        route's ``total_usd`` and ``time_h``.
    """
    places = str(route.get("path", "")).split(">")
    links = [p for p in str(route.get("links", "")).split(";") if p][: max(len(places) - 1, 0)]
    modes = str(route.get("modes", "")).split(";")
    commodity = str(route.get("commodity", ""))
    segs = []
    for i, lid in enumerate(links):
        a, b = places[i], places[i + 1] if i + 1 < len(places) else places[-1]
        mode = modes[i] if i < len(modes) else (modes[0] if modes else "rail")
        km, hours, border = _link_info(ds, lid, a, b, mode)
        layer = layers.get((lid, commodity), mode)
        segs.append({"a": a, "b": b, "km": km, "h": hours, "border": border, "layer": layer})
    total_km = sum(s["km"] for s in segs) or 1.0
    run_h = sum(s["h"] for s in segs)
    haul = float(route.get("line_haul_usd", 0) or 0) + float(route.get("time_usd", 0) or 0)

    # Where does each fixed component arise?  (position index: before segment i)
    steps: list[tuple[int, str, float, str]] = []  # (position, kind, usd, label)
    borders = [i for i, s in enumerate(segs) if s["border"]]
    breaks = [i for i in range(1, len(segs)) if segs[i]["layer"] != segs[i - 1]["layer"]]
    zone_places = {
        p for ids in ds.zones.get("place_ids", pd.Series(dtype=str)) for p in str(ids).split(";")
    }
    port_places = set(ds.facilities.loc[ds.facilities["kind"] == "port", "place_id"])
    port_places |= set(ds.places.index[ds.places["kind"] == "port"])

    def spread(total: float, positions: list[int], kind: str, label: str) -> None:
        if total <= 0:
            return
        where = positions or [len(segs)]
        for pos in where:
            steps.append((pos, kind, total / len(where), label))

    spread(float(route.get("border_usd", 0) or 0), [i + 1 for i in borders], "border",
           "border")  # fmt: skip
    spread(float(route.get("transshipment_usd", 0) or 0), breaks, "gauge",
           "gauge break / transshipment")  # fmt: skip
    ends = [p for p, place in ((0, places[0]), (len(segs), places[-1])) if place in port_places]
    spread(float(route.get("handling_usd", 0) or 0), ends, "port", "port handling")
    entry = [i for i, p in enumerate(places[: len(segs) + 1]) if p in zone_places][:1]
    spread(float(route.get("zone_fee_usd", 0) or 0), entry, "zone", "zone fee")

    n_steps = len(steps)
    wait_h = max(float(route.get("time_h", 0) or 0) - run_h, 0.0)
    step_h = wait_h / n_steps if n_steps else 0.0
    if not n_steps:  # no step to hold the waiting: spread it with the running time
        scale = (run_h + wait_h) / run_h if run_h else 1.0
        for s in segs:
            s["h"] *= scale

    names = ds.places["name_en"] if "name_en" in ds.places.columns else pd.Series(dtype=str)
    km = usd = h = 0.0
    points = [{"km": 0.0, "usd": 0.0, "h": 0.0, "kind": "place",
               "label": str(names.get(places[0], places[0]))}]  # fmt: skip
    for pos in range(len(segs) + 1):
        for where, kind, cost, label in steps:
            if where == pos:
                usd += cost
                h += step_h
                points.append({"km": km, "usd": usd, "h": h, "kind": kind, "label": label})
        if pos < len(segs):
            s = segs[pos]
            km += s["km"]
            usd += haul * s["km"] / total_km
            h += s["h"]
            points.append({"km": km, "usd": usd, "h": h, "kind": "place",
                           "label": str(names.get(s["b"], s["b"]))})  # fmt: skip
    return plain({
        "label": f"{names.get(places[0], places[0])} → {names.get(places[-1], places[-1])}"
                 f" ({commodity})",
        "origin": places[0], "destination": places[-1], "commodity": commodity,
        "flow": route.get("flow"), "unit": route.get("unit", ""), "points": points,
    })  # fmt: skip
