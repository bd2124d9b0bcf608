"""Generalised cost on a small corridor with a known answer: gauge breaks, borders, ports."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

import tumen.data
from tumen.scenario._cost import class_cost, route_breakdown
from tumen.scenario._graph import build_graph, capacity_t_per_yr

PARAMS = {k: float(v) for k, v in tumen.data.load().cost_parameters["value"].items()}

PLACES = pd.DataFrame({
    "place_id": ["a", "b", "c", "d", "p"],
    "kind": ["junction", "border_post", "border_post", "city", "port"],
    "country": ["RU", "RU", "KP", "KP", "KP"],
})  # fmt: skip


def links(cd_gauge: str) -> pd.DataFrame:
    return pd.DataFrame({
        "link_id": ["ab", "bc", "cd", "dp"],
        "from_id": ["a", "b", "c", "d"],
        "to_id": ["b", "c", "d", "p"],
        "mode": ["rail", "rail", "rail", "rail"],
        "gauge": ["1520", "dual", cd_gauge, cd_gauge],
        "length_km": [100.0, 10.0, 50.0, 5.0],
        "speed_kmh": [50.0, 10.0, 50.0, 50.0],
        "capacity_t_yr": [np.nan, 1e6, np.nan, np.nan],
        "bidirectional": [True, True, True, True],
        "countries": ["RU", "RU;KP", "KP", "KP"],
    })  # fmt: skip


FACILITIES = pd.DataFrame({
    "facility_id": ["cross", "port"],
    "place_id": ["b", "p"],
    "kind": ["border_crossing", "port"],
    "cargo_class": ["all", "bulk"],
    "capacity_t_yr": [2e6, 4e6],
    "handling_time_h": [np.nan, 10.0],
    "handling_cost_usd_per_t": [np.nan, 7.0],
    "link_ids": ["bc", ""],
})  # fmt: skip


PEOPLE_CROSSING = pd.DataFrame({
    "facility_id": ["cross_people"], "place_id": ["b"], "kind": ["border_crossing"],
    "cargo_class": ["people"], "capacity_t_yr": [1e4], "handling_time_h": [np.nan],
    "handling_cost_usd_per_t": [np.nan], "link_ids": ["bc"],
})  # fmt: skip


def cheapest(
    cd_gauge: str, handling_class: str, sea: bool = False, facilities: pd.DataFrame = FACILITIES
):
    dest = "p" if sea else "d"
    ends = pd.DataFrame({"place_id": ["a", dest], "origin": [True, False], "sea": [False, sea]})
    graph = build_graph(links(cd_gauge), facilities, PLACES, {"d": 2.0}, ends, PARAMS)
    cost = class_cost(graph, handling_class, 100.0, PARAMS)
    weight = np.where(cost.allowed, cost.generalised(), np.inf)
    e = graph.edges
    keep = np.isfinite(weight)
    n = len(graph.nodes)
    matrix = csr_matrix(
        (weight[keep] + 1e-12, (e["from_node"][keep], e["to_node"][keep])), shape=(n, n)
    )
    o = graph.centroid("a", origin=True, sea=False)
    d = graph.centroid(dest, origin=False, sea=sea)
    _, pred = dijkstra(matrix, indices=o, return_predecessors=True)
    path, node = [], d
    lookup = {
        (int(u), int(v)): i
        for i, (u, v) in enumerate(zip(e["from_node"], e["to_node"], strict=True))
        if keep[i]
    }
    while node != o:
        prev = int(pred[node])
        path.append(lookup[(prev, node)])
        node = prev
    path.reverse()
    return graph, cost, route_breakdown(cost, path, cost.time_h), path


def test_gauge_break_costs_a_transshipment() -> None:
    graph, _, parts, path = cheapest("1435", "bulk")
    assert parts["transshipment_usd"] == pytest.approx(PARAMS["gauge_transshipment_usd_per_t"])
    assert parts["line_haul_usd"] == pytest.approx(160 * PARAMS["line_haul_rail_usd_per_tkm"])
    assert parts["border_usd"] == pytest.approx(PARAMS["border_fee_usd_per_t"])
    assert parts["zone_fee_usd"] == pytest.approx(2.0)
    kinds = list(graph.edges["kind"].iloc[path])
    assert kinds.count("gauge") == 1
    expected_h = 100 / 50 + 10 / 10 + 50 / 50 + PARAMS["gauge_transshipment_h"] + PARAMS[
        "border_delay_rail_h"]  # fmt: skip
    assert parts["time_h"] == pytest.approx(expected_h)
    vot = 100.0 * PARAMS["time_value_rate_per_yr"] / 8760
    assert parts["time_usd"] == pytest.approx(expected_h * vot)


def test_dual_gauge_avoids_transshipment() -> None:
    _, _, parts, _ = cheapest("dual", "bulk")
    assert parts["transshipment_usd"] == 0
    assert parts["time_h"] == pytest.approx(2 + 1 + 1 + PARAMS["border_delay_rail_h"])


def test_sea_end_pays_port_handling_and_class_must_match() -> None:
    _, _, parts, _ = cheapest("dual", "bulk", sea=True)
    assert parts["handling_usd"] == pytest.approx(7.0)
    with pytest.raises(KeyError):
        cheapest("dual", "container", sea=True)  # a bulk port takes no containers


def test_non_bulk_pays_rail_terminals() -> None:
    _, _, parts, _ = cheapest("dual", "container")
    assert parts["handling_usd"] == pytest.approx(2 * PARAMS["rail_terminal_usd_per_t"])


def test_people_cross_only_at_a_passenger_facility() -> None:
    # The freight crossing ("all" goods) does not take travellers: no route without a
    # passenger crossing, and with one the traveller uses it.
    with pytest.raises(KeyError):
        cheapest("dual", "people")
    both = pd.concat([FACILITIES, PEOPLE_CROSSING], ignore_index=True)
    graph, _, _, path = cheapest("dual", "people", facilities=both)
    used = set(graph.edges["facility_id"].iloc[path]) - {""}
    assert used == {"cross_people"}


def test_people_pay_fares_not_freight_rates() -> None:
    both = pd.concat([FACILITIES, PEOPLE_CROSSING], ignore_index=True)
    _, cost, parts, _ = cheapest("dual", "people", facilities=both)
    assert parts["line_haul_usd"] == pytest.approx(160 * PARAMS["line_haul_rail_usd_per_pkm"])
    assert parts["zone_fee_usd"] == 0
    assert cost.value_of_time == PARAMS["person_value_of_time_usd_per_h"]


def test_capacity_groups_cover_link_copies_and_crossing() -> None:
    graph, _, _, _ = cheapest("dual", "bulk")
    groups = {g.name: g for g in graph.groups}
    # The dual-gauge border link has a 1520 and a 1435 copy in each direction.
    assert len(groups["link:bc:fwd"].edges) == 2
    assert len(groups["facility:cross"].edges) == 4
    assert groups["facility:cross"].capacity == 2e6


def test_capacity_units() -> None:
    assert capacity_t_per_yr(5, "Mt/yr", PARAMS) == 5e6
    assert capacity_t_per_yr(300, "veh/day", PARAMS) == 300 * 365 * PARAMS["net_t_per_truck"]
    assert np.isnan(capacity_t_per_yr(1, "furlongs", PARAMS))
