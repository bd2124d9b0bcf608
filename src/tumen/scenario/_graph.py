"""The corridor graph: places split into mode and gauge layers, joined by transfers.

Every place becomes one node per *layer* it touches: ``rail1520``, ``rail1435``, ``road``
and ``water`` (sea and ferry). A dual-gauge link appears in both rail layers, so a
consignment on it keeps its wagons; changing between the 1520 mm and 1435 mm layers at a
place is a *gauge transfer* (transshipment or bogie exchange). Changing between rail and
road is an *intermodal transfer*, and between land and water a *port transfer*. Demand
enters and leaves through centroid nodes: ``O:place`` (out-links only) and ``D:place``
(in-links only), plus ``O~sea:place`` / ``D~sea:place`` for cargo that arrives or leaves
by sea beyond the modelled network (it pays the port's handling and uses its capacity).
Centroids cannot be passed through, so no path changes layer at a centroid for free.

A border link on which crossing facilities sit is split into one parallel edge per
facility, so that a crossing for people and one for freight keep their own capacities.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["CapacityGroup", "CorridorGraph", "build_graph", "capacity_t_per_yr"]

#: Layers of a place.
LAYERS = ("rail1520", "rail1435", "road", "water", "air")

_FREIGHT_FACILITY_MATCH = {
    "bulk": {"bulk", "all"},
    "liquid": {"liquid", "bulk", "all"},
    "container": {"container", "general", "all"},
    "general": {"general", "container", "all"},
    "live": {"live", "general", "all"},
    "people": {"people"},
}


def serves(facility_class: str, handling_class: str) -> bool:
    """Return True when a facility of ``facility_class`` can handle ``handling_class`` cargo."""
    return facility_class in _FREIGHT_FACILITY_MATCH.get(handling_class, {"all"})


def capacity_t_per_yr(value: float, unit: str, params: dict[str, float]) -> float:
    """Convert a capacity to tonne-equivalents per year.

    Parameters
    ----------
    value : float
        The capacity in ``unit``.
    unit : str
        ``t/yr``, ``kt/yr``, ``Mt/yr``, ``veh/day``, ``veh/yr``, ``trains/day``,
        ``TEU/yr``, ``pax/day``, ``pax/yr`` or ``persons/yr``.
    params : dict of str to float
        Cost parameters (``net_t_per_train``, ``net_t_per_truck``, ``t_per_teu``,
        ``people_pce_t``).

    Returns
    -------
    float
        Tonne-equivalents per year; NaN where the value is missing or the unit unknown.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return math.nan
    factors = {
        "t/yr": 1.0,
        "kt/yr": 1e3,
        "Mt/yr": 1e6,
        "veh/day": params["net_t_per_truck"] * 365.0,
        "veh/yr": params["net_t_per_truck"],
        "trains/day": params["net_t_per_train"] * 365.0,
        "TEU/yr": params["t_per_teu"],
        "pax/day": params["people_pce_t"] * 365.0,
        "pax/yr": params["people_pce_t"],
        "persons/yr": params["people_pce_t"],
    }
    factor = factors.get(str(unit).strip())
    return math.nan if factor is None else float(value) * factor


@dataclass(frozen=True)
class CapacityGroup:
    """A capacity constraint over a group of edges.

    Attributes
    ----------
    name : str
        Unique name (``link:<id>:<dir>`` or ``facility:<id>``).
    kind : str
        ``link`` or ``facility``.
    element_id : str
        The link or facility id.
    edges : tuple of int
        Edge indices whose flow (tonne-equivalents) counts against the capacity.
    capacity : float
        Tonne-equivalents per year.
    """

    name: str
    kind: str
    element_id: str
    edges: tuple[int, ...]
    capacity: float


@dataclass(frozen=True, eq=False)
class CorridorGraph:
    """The graph a scenario is assigned on.

    Attributes
    ----------
    nodes : list of str
        Node labels (``place@layer`` or a centroid label); the index is the node number.
    edges : pandas.DataFrame
        One row per directed edge: ``from_node, to_node, kind`` (line, gauge, intermodal,
        port, access, egress), ``link_id, facility_id, place_id, from_place, to_place,
        layer, mode, length_km, time_h`` (free-flow hours), ``border`` (bool),
        ``handling_usd_per_t, handling_h`` (transfers and sea ends), ``sea_end`` (bool),
        ``zone_fee_usd_per_t``, ``facility_class`` (cargo class of the facility the edge
        belongs to, empty if none).
    groups : list of CapacityGroup
        Capacity constraints.
    node_index : dict of str to int
        Label -> node number.
    """

    nodes: list[str]
    edges: pd.DataFrame
    groups: list[CapacityGroup]
    node_index: dict[str, int] = field(repr=False)

    def centroid(self, place: str, *, origin: bool, sea: bool) -> int | None:
        """Return the node of a place's origin or destination centroid, or None."""
        prefix = ("O" if origin else "D") + ("~sea" if sea else "")
        return self.node_index.get(f"{prefix}:{place}")


def _layers_of_link(mode: str, gauge: str, countries: str) -> list[str]:
    if mode == "road":
        return ["road"]
    if mode in ("sea", "ferry"):
        return ["water"]
    if mode == "air":
        return ["air"]
    if gauge == "dual":
        return ["rail1520", "rail1435"]
    if gauge in ("1520", "1435"):
        return [f"rail{gauge}"]
    return ["rail1520"] if countries.split(";")[0] == "RU" else ["rail1435"]


def build_graph(
    links: pd.DataFrame,
    facilities: pd.DataFrame,
    places: pd.DataFrame,
    zone_fees: dict[str, float],
    demand_ends: pd.DataFrame,
    params: dict[str, float],
    crossing_links: frozenset[str] = frozenset(),
) -> CorridorGraph:
    """Build the corridor graph from the open links and facilities on a date.

    Parameters
    ----------
    links : pandas.DataFrame
        Open links: ``link_id, from_id, to_id, mode, gauge, length_km, speed_kmh,
        capacity_t_yr, bidirectional`` (bool), ``countries``.
    facilities : pandas.DataFrame
        Open facilities: ``facility_id, place_id, kind, cargo_class, capacity_t_yr,
        handling_time_h, handling_cost_usd_per_t, link_ids``.
    places : pandas.DataFrame
        ``place_id, kind, country``.
    zone_fees : dict of str to float
        Place id -> fee in USD per tonne for a flow starting or ending there.
    demand_ends : pandas.DataFrame
        ``place_id, origin`` (bool), ``sea`` (bool): the centroids demand needs.
    params : dict of str to float
        Cost parameters (default speeds, handling, gauge change, capacity units).
    crossing_links : frozenset of str, optional
        Links that a border-crossing facility of the dataset guards, open or not: such
        a link is usable only through its open facilities (none open: no edge at all).

    Returns
    -------
    CorridorGraph
    """
    nodes: list[str] = []
    index: dict[str, int] = {}

    def node(label: str) -> int:
        if label not in index:
            index[label] = len(nodes)
            nodes.append(label)
        return index[label]

    rows: list[dict[str, object]] = []
    groups: list[CapacityGroup] = []
    link_edges: dict[tuple[str, str], list[int]] = {}
    facility_edges: dict[str, list[int]] = {}
    crossing = facilities[facilities["kind"] == "border_crossing"]
    on_link: dict[str, list[dict[str, object]]] = {}
    for fac in crossing.to_dict("records"):
        for link_id in str(fac["link_ids"]).split(";"):
            if link_id:
                on_link.setdefault(link_id, []).append(fac)
    country = dict(zip(places["place_id"], places["country"], strict=True))
    place_layers: dict[str, set[str]] = {}

    def add_edge(u: str, v: str, kind: str, place: str, layer: str, **extra: object) -> int:
        edge = len(rows)
        record: dict[str, object] = {
            "from_node": node(u),
            "to_node": node(v),
            "kind": kind,
            "link_id": "",
            "facility_id": "",
            "facility_class": "",
            "place_id": place,
            "from_place": place,
            "to_place": place,
            "layer": layer,
            "mode": "",
            "length_km": 0.0,
            "time_h": 0.0,
            "border": False,
            "handling_usd_per_t": 0.0,
            "handling_h": 0.0,
            "sea_end": False,
            "zone_fee_usd_per_t": 0.0,
        }
        record.update(extra)
        rows.append(record)
        return edge

    for link in links.to_dict("records"):
        mode = str(link["mode"])
        speed = link["speed_kmh"]
        if speed is None or not speed > 0:
            speed = params[f"default_speed_{mode}_kmh"]
        time_h = float(link["length_km"]) / float(speed)
        a, b = str(link["from_id"]), str(link["to_id"])
        border = bool(country.get(a) and country.get(b) and country[a] != country[b])
        border = border or len([c for c in str(link.get("countries", "")).split(";") if c]) > 1
        directions = [(a, b, "fwd")]
        if bool(link["bidirectional"]):
            directions.append((b, a, "rev"))
        facs = on_link.get(str(link["link_id"]), [])
        if not facs and str(link["link_id"]) in crossing_links:
            continue  # every crossing facility on the link is closed on the date
        variants: list[dict[str, object] | None] = list(facs) if facs else [None]
        for layer in _layers_of_link(mode, str(link["gauge"]), str(link.get("countries", ""))):
            for u, v, direction in directions:
                place_layers.setdefault(u, set()).add(layer)
                place_layers.setdefault(v, set()).add(layer)
                head = f"{v}@water~in" if layer == "water" else f"{v}@{layer}"
                for fac in variants:
                    edge = add_edge(
                        f"{u}@{layer}",
                        head,
                        "line",
                        "",
                        layer,
                        link_id=str(link["link_id"]),
                        facility_id="" if fac is None else str(fac["facility_id"]),
                        facility_class="" if fac is None else str(fac["cargo_class"]),
                        from_place=u,
                        to_place=v,
                        mode=mode,
                        length_km=float(link["length_km"]),
                        time_h=time_h,
                        border=border,
                    )
                    link_edges.setdefault((str(link["link_id"]), direction), []).append(edge)
                    if fac is not None:
                        facility_edges.setdefault(str(fac["facility_id"]), []).append(edge)

    ports = facilities[facilities["kind"] == "port"]
    port_rows = {p: g.to_dict("records") for p, g in ports.groupby("place_id", sort=True)}
    transship = facilities[facilities["kind"] == "transshipment"]
    trans_rows = {p: g.to_dict("records") for p, g in transship.groupby("place_id", sort=True)}
    place_kind = dict(zip(places["place_id"], places["kind"], strict=True))

    def handling(fac: dict[str, object] | None) -> tuple[float, float]:
        cost = params["port_handling_usd_per_t"]
        hours = params["port_handling_h"]
        if fac is not None:
            c, h = fac.get("handling_cost_usd_per_t"), fac.get("handling_time_h")
            if c is not None and not pd.isna(c):
                cost = float(c)
            if h is not None and not pd.isna(h):
                hours = float(h)
        return cost, hours

    def port_variants(place: str) -> list[dict[str, object] | None]:
        facs = port_rows.get(place)
        if facs:
            return list(facs)
        return [None] if place_kind.get(place) == "port" else []

    for place, layers in sorted(place_layers.items()):
        if "rail1520" in layers and "rail1435" in layers:
            facs = trans_rows.get(place) or [None]
            for fac in facs:
                cost = params["gauge_transshipment_usd_per_t"]
                hours = params["gauge_transshipment_h"]
                if fac is not None:
                    c, h = fac.get("handling_cost_usd_per_t"), fac.get("handling_time_h")
                    cost = cost if c is None or pd.isna(c) else float(c)
                    hours = hours if h is None or pd.isna(h) else float(h)
                fid = "" if fac is None else str(fac["facility_id"])
                fclass = "" if fac is None else str(fac["cargo_class"])
                for a, b in (("rail1520", "rail1435"), ("rail1435", "rail1520")):
                    e = add_edge(
                        f"{place}@{a}",
                        f"{place}@{b}",
                        "gauge",
                        place,
                        f"{a}>{b}",
                        handling_usd_per_t=cost,
                        handling_h=hours,
                        facility_id=fid,
                        facility_class=fclass,
                    )
                    if fid:
                        facility_edges.setdefault(fid, []).append(e)
        rails = [x for x in ("rail1520", "rail1435") if x in layers]
        if "road" in layers:
            cost, hours = handling(None)
            for rail in rails:
                for a, b in ((rail, "road"), ("road", rail)):
                    add_edge(
                        f"{place}@{a}",
                        f"{place}@{b}",
                        "intermodal",
                        place,
                        f"{a}>{b}",
                        handling_usd_per_t=cost,
                        handling_h=hours,
                    )
        if "water" in layers:
            for fac in port_variants(place):
                cost, hours = handling(fac)
                fid = "" if fac is None else str(fac["facility_id"])
                fclass = "" if fac is None else str(fac["cargo_class"])
                # A ship arrives at "water~in" and leaves from "water": unloading, loading
                # and a sea-to-sea transshipment each pay the port's handling.
                lands = [x for x in sorted(layers) if x not in ("water", "air")]
                pairs = [(land, "water") for land in lands] + [("water~in", x) for x in lands]
                pairs.append(("water~in", "water"))
                for a, b in pairs:
                    e = add_edge(
                        f"{place}@{a}",
                        f"{place}@{b}",
                        "port",
                        place,
                        f"{a}>{b}",
                        handling_usd_per_t=cost,
                        handling_h=hours,
                        facility_id=fid,
                        facility_class=fclass,
                    )
                    if fid:
                        facility_edges.setdefault(fid, []).append(e)

    for end in demand_ends.drop_duplicates().to_dict("records"):
        place = str(end["place_id"])
        is_origin, sea = bool(end["origin"]), bool(end["sea"])
        label = ("O" if is_origin else "D") + ("~sea" if sea else "") + f":{place}"
        fee = float(zone_fees.get(place, 0.0))
        layers = sorted(place_layers.get(place, set()))
        node(label)
        water_only = layers == ["water"]
        for layer in layers:
            if layer == "water" and not water_only:
                continue  # goods reach the water layer only through a port transfer
            variants: list[dict[str, object] | None] = [None]
            charged = sea or water_only
            if charged:
                variants = port_variants(place)
            for fac in variants:
                cost, hours = handling(fac) if charged else (0.0, 0.0)
                fid = "" if fac is None else str(fac["facility_id"])
                fclass = "" if fac is None else str(fac["cargo_class"])
                inner = f"{place}@{layer}"
                if layer == "water" and not is_origin:
                    inner = f"{place}@water~in"
                u, v = (label, inner) if is_origin else (inner, label)
                e = add_edge(
                    u,
                    v,
                    "access" if is_origin else "egress",
                    place,
                    layer,
                    handling_usd_per_t=cost,
                    handling_h=hours,
                    sea_end=sea,
                    facility_id=fid,
                    facility_class=fclass,
                    zone_fee_usd_per_t=fee,
                )
                if fid:
                    facility_edges.setdefault(fid, []).append(e)

    edges = pd.DataFrame(rows)
    if edges.empty:
        edges = pd.DataFrame(columns=["from_node", "to_node", "kind", "link_id"])
    cap_link = dict(zip(links["link_id"].astype(str), links["capacity_t_yr"], strict=True))
    for (link_id, direction), members in sorted(link_edges.items()):
        cap = cap_link.get(link_id, math.nan)
        if cap is not None and not pd.isna(cap):
            groups.append(
                CapacityGroup(
                    f"link:{link_id}:{direction}", "link", link_id, tuple(members), float(cap)
                )
            )
    cap_fac = dict(
        zip(facilities["facility_id"].astype(str), facilities["capacity_t_yr"], strict=True)
    )
    for fac_id, members in sorted(facility_edges.items()):
        cap = cap_fac.get(fac_id, math.nan)
        if cap is not None and not pd.isna(cap):
            groups.append(
                CapacityGroup(
                    f"facility:{fac_id}", "facility", fac_id, tuple(sorted(members)), float(cap)
                )
            )
    return CorridorGraph(nodes=nodes, edges=edges, groups=groups, node_index=index)
