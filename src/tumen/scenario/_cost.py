"""Generalised cost per tonne (or per person) of every corridor edge, by component.

The cost of moving one unit (a tonne, or a person for people) over an edge is the sum of

- *line haul*: length times the mode's rate (USD per t-km or per person-km);
- *time*: hours on the edge (running, processing at a border, handling, gauge change)
  times the unit's value of time (a commodity's value per tonne times an annual rate
  over 8760 h, or a flat value per hour for people);
- *handling*: port and terminal handling, rail-road transfers, and loading or
  unloading a wagon where a non-bulk consignment starts or ends by rail;
- *transshipment*: the 1520/1435 mm gauge change at a place without dual-gauge track;
- *border*: customs and border fees on a link that crosses a border;
- *zone fees*: the fee regime of a special zone or the trade park where a flow starts
  or ends.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from tumen.scenario._graph import CorridorGraph, serves

__all__ = ["COMPONENTS", "ClassCost", "class_cost", "route_breakdown"]

#: Money components of the generalised cost, in USD per unit.
COMPONENTS = ("line_haul_usd", "handling_usd", "transshipment_usd", "border_usd", "zone_fee_usd")

_HOURS_PER_YEAR = 8760.0


@dataclass(frozen=True, eq=False)
class ClassCost:
    """Edge costs of one class of demand (one handling class and value).

    Attributes
    ----------
    money : dict of str to ndarray
        Per component of :data:`COMPONENTS`, USD per unit on each edge.
    time_h : ndarray
        Free-flow hours on each edge, including border processing and handling.
    border_delay_h : ndarray
        The part of ``time_h`` spent in border processing (grows with volume in
        equilibrium runs).
    value_of_time : float
        USD per unit per hour.
    allowed : ndarray of bool
        Edges the class may use.
    """

    money: dict[str, NDArray[np.float64]]
    time_h: NDArray[np.float64]
    border_delay_h: NDArray[np.float64]
    value_of_time: float
    allowed: NDArray[np.bool_]

    def total_money(self) -> NDArray[np.float64]:
        """Return the money cost per unit on each edge, USD."""
        return np.sum([self.money[c] for c in COMPONENTS], axis=0)

    def generalised(self) -> NDArray[np.float64]:
        """Return money plus free-flow time valued at the value of time, USD per unit."""
        return self.total_money() + self.value_of_time * self.time_h


def class_cost(
    graph: CorridorGraph,
    handling_class: str,
    value_usd_per_t: float,
    params: dict[str, float],
) -> ClassCost:
    """Price every edge of the graph for one class of demand.

    Parameters
    ----------
    graph : CorridorGraph
        The corridor graph.
    handling_class : str
        ``bulk``, ``liquid``, ``container``, ``general``, ``live`` or ``people``.
    value_usd_per_t : float
        The commodity's value, USD per tonne (ignored for people).
    params : dict of str to float
        Cost parameters (see ``cost_parameters.csv``).

    Returns
    -------
    ClassCost
    """
    e = graph.edges
    n = len(e)
    people = handling_class == "people"
    kind = e["kind"].to_numpy(dtype=object)
    mode = e["mode"].to_numpy(dtype=object)
    layer = e["layer"].to_numpy(dtype=object)
    length = e["length_km"].to_numpy(dtype=np.float64)
    border = e["border"].to_numpy(dtype=bool)
    handling_usd = e["handling_usd_per_t"].to_numpy(dtype=np.float64)
    handling_h = e["handling_h"].to_numpy(dtype=np.float64)
    unit = "pkm" if people else "tkm"

    line = kind == "line"
    rate = np.zeros(n)
    for m in ("rail", "road", "sea", "ferry", "air"):
        key = f"line_haul_{m}_usd_per_{unit}"
        if key in params:
            rate[line & (mode == m)] = params[key]
    line_haul = rate * length

    transfer = np.isin(kind, ["intermodal", "port", "access", "egress"])
    gauge = kind == "gauge"
    handling = np.zeros(n)
    transship = np.zeros(n)
    time_h = e["time_h"].to_numpy(dtype=np.float64).copy()
    if people:
        # Travellers change trains or board a ship: time only, fares are in the line haul.
        changes = transfer & (handling_h > 0) | gauge
        time_h[changes] += 1.0
    else:
        handling[transfer] = handling_usd[transfer]
        time_h[transfer] += handling_h[transfer]
        transship[gauge] = handling_usd[gauge]
        time_h[gauge] += handling_h[gauge]
        if handling_class != "bulk":
            ends = np.isin(kind, ["access", "egress"]) & np.char.startswith(
                layer.astype(str), "rail"
            )
            handling[ends] += params["rail_terminal_usd_per_t"]

    border_fee = np.zeros(n)
    delay = np.zeros(n)
    crossing = line & border
    if people:
        border_fee[crossing] = params["border_fee_usd_per_person"]
        delay[crossing] = params["border_delay_person_h"]
    else:
        border_fee[crossing] = params["border_fee_usd_per_t"]
        delay[crossing & (mode == "rail")] = params["border_delay_rail_h"]
        delay[crossing & (mode == "road")] = params["border_delay_road_h"]
        delay[crossing & ~np.isin(mode, ["rail", "road"])] = params["border_delay_road_h"]
    time_h += delay

    zone = np.zeros(n) if people else e["zone_fee_usd_per_t"].to_numpy(dtype=np.float64)

    fclass = e["facility_class"].to_numpy(dtype=object)
    allowed = np.array([c == "" or serves(str(c), handling_class) for c in fclass], dtype=bool)
    if not people:
        allowed &= layer != "air"  # air links carry travellers only

    if people:
        vot = params["person_value_of_time_usd_per_h"]
    else:
        vot = float(value_usd_per_t) * params["time_value_rate_per_yr"] / _HOURS_PER_YEAR
    return ClassCost(
        money={
            "line_haul_usd": line_haul,
            "handling_usd": handling,
            "transshipment_usd": transship,
            "border_usd": border_fee,
            "zone_fee_usd": zone,
        },
        time_h=time_h,
        border_delay_h=delay,
        value_of_time=float(vot),
        allowed=allowed,
    )


def route_breakdown(
    cost: ClassCost, edges: list[int], time_h: NDArray[np.float64]
) -> dict[str, float]:
    """Return the cost components of a path, USD per unit, and its hours.

    Parameters
    ----------
    cost : ClassCost
        The class's edge costs.
    edges : list of int
        The path's edges.
    time_h : ndarray
        Hours on each edge (free-flow, or congested in equilibrium runs).

    Returns
    -------
    dict of str to float
        ``time_h``, ``time_usd``, each of :data:`COMPONENTS` and ``total_usd``.
    """
    idx = np.asarray(edges, dtype=np.int64)
    out = {c: float(cost.money[c][idx].sum()) for c in COMPONENTS}
    hours = float(time_h[idx].sum())
    out["time_h"] = hours
    out["time_usd"] = hours * cost.value_of_time
    out["total_usd"] = sum(out[c] for c in COMPONENTS) + out["time_usd"]
    return out
