from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from assign_networks import grid, random_demand
from hypothesis import given, settings
from hypothesis import strategies as st

import tumen.assign as ta
from tumen.errors import DataError


def two_routes() -> ta.Network:
    # 0 -> 1 by a cheap link (cost 1, capacity 5) or a dear one (cost 3, capacity 10)
    return ta.Network.from_arrays([0, 0], [1, 1], [1.0, 3.0], [5.0, 10.0])


def test_hand_solved_lp_has_known_flows_and_duals():
    # demand 8: 5 on the cheap link, 3 on the dear one; objective 5*1 + 3*3 = 14.
    # One more unit of cheap capacity moves a unit from cost 3 to cost 1: shadow price 2.
    res = ta.solve_min_cost_flow(two_routes(), ta.TrafficClass("goods", [0], [1], [8.0]))
    np.testing.assert_allclose(res.class_flows["goods"], [5.0, 3.0])
    assert res.objective == pytest.approx(14.0)
    cons = res.constraints
    assert list(cons.columns) == ["name", "kind", "capacity", "flow", "shadow_price", "binding"]
    assert cons["shadow_price"].tolist() == pytest.approx([2.0, 0.0])
    assert cons["binding"].tolist() == [True, False]
    assert res.unmet["unmet"].tolist() == [0.0]


def test_shared_capacity_and_unmet_demand_price_the_bottleneck():
    # a border crossing shared by both links holds 6: 2 units go unserved at 10 each.
    # Shadow price of the crossing: one more unit serves one more unit via the dear link,
    # saving 10 - 3 = 7; the cheap link's own capacity is then worth 3 - 1 = 2.
    goods = ta.TrafficClass("goods", [0], [1], [8.0], unmet_cost=10.0)
    crossing = ta.CapacityConstraint("crossing", [0, 1], 6.0)
    res = ta.solve_min_cost_flow(two_routes(), goods, [crossing])
    np.testing.assert_allclose(res.class_flows["goods"], [5.0, 1.0])
    assert res.unmet["unmet"].iloc[0] == pytest.approx(2.0)
    assert res.objective == pytest.approx(5 + 3 + 20)
    prices = dict(zip(res.constraints["name"], res.constraints["shadow_price"], strict=True))
    assert prices["crossing"] == pytest.approx(7.0)
    assert prices["link 1-2"] == pytest.approx(2.0) or prices["link 1-2"] == pytest.approx(0.0)
    assert res.binding["name"].iloc[0] == "crossing"
    assert (res.constraints["shadow_price"] >= 0).all()


def test_constraint_coefficients_pce_and_class_subsets():
    # Two classes share a crossing (link 0) of 10 PCE; trucks (pce 2) count, rail does not
    # (the constraint names trucks only). Rail may only use link 0.
    net = ta.Network.from_arrays([0, 0], [1, 1], [1.0, 4.0], [100.0, 100.0])
    trucks = ta.TrafficClass("trucks", [0], [1], [8.0], pce=2.0)
    rail = ta.TrafficClass("rail", [0], [1], [30.0], allowed=[True, False])
    crossing = ta.CapacityConstraint("crossing", [0], 10.0, classes=("trucks",))
    res = ta.solve_min_cost_flow(
        net, [trucks, rail], [crossing], ta.FlowSettings(link_capacity=False)
    )
    np.testing.assert_allclose(res.class_flows["trucks"], [5.0, 3.0])
    np.testing.assert_allclose(res.class_flows["rail"], [30.0, 0.0])
    row = res.constraints.set_index("name").loc["crossing"]
    assert row["flow"] == pytest.approx(10.0)
    # one more PCE of crossing lets half a truck switch from cost 4 to cost 1
    assert row["shadow_price"] == pytest.approx(1.5)
    half = ta.CapacityConstraint("crossing", [0], 10.0, coefficients=[0.5], classes=("trucks",))
    res = ta.solve_min_cost_flow(net, [trucks, rail], [half], ta.FlowSettings(link_capacity=False))
    np.testing.assert_allclose(res.class_flows["trucks"], [8.0, 0.0])


def test_fixed_costs_per_class_change_routes():
    net = ta.Network.from_arrays([0, 0], [1, 1], [1.0, 2.0], [100.0, 100.0])
    handled = ta.TrafficClass("coal", [0], [1], [5.0], fixed_cost=[5.0, 0.0])
    res = ta.solve_min_cost_flow(net, handled)
    np.testing.assert_allclose(res.class_flows["coal"], [0.0, 5.0])
    paths = res.paths("coal")
    assert paths["links"].tolist() == [(1,)]
    assert paths["cost"].tolist() == [2.0]


def test_bad_constraints_are_reported_together():
    with pytest.raises(DataError) as err:
        ta.solve_min_cost_flow(
            two_routes(),
            ta.TrafficClass("goods", [0], [1], [1.0]),
            [
                ta.CapacityConstraint("a", [0, 7], -1.0),
                ta.CapacityConstraint("a", [0], 1.0, classes=("nobody",)),
            ],
        )
    fields = [p.field for p in err.value.problems]
    assert {"links", "capacity", "name", "classes"} <= set(fields)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 1000), scale=st.floats(1.0, 200.0))
def test_lp_flows_conserve_demand_and_respect_capacity(seed, scale):
    net = grid(3, 4, seed=seed, zones=4)
    demand = random_demand(net, seed=seed + 1, scale=scale)
    res = ta.solve_min_cost_flow(net, demand)
    flow = res.class_flows["cars"]
    assert np.all(flow >= 0)
    assert np.all(flow <= net.capacity * (1 + 1e-7) + 1e-7)
    origins, flows = res.origin_flows["cars"]
    n = net.num_nodes
    unmet = res.unmet
    for o, f in zip(origins, flows, strict=True):
        balance = np.bincount(net.to_node, f, n) - np.bincount(net.from_node, f, n)
        rows = unmet[unmet["origin"] == net.node_ids[o]]
        served = np.zeros(n)
        np.add.at(
            served, rows["destination"].to_numpy() - 1, (rows["demand"] - rows["unmet"]).to_numpy()
        )
        served[o] -= served.sum()
        np.testing.assert_allclose(balance, served, atol=1e-6 * max(1.0, scale))
    assert isinstance(res.unmet, pd.DataFrame)


def test_lp_honours_first_thru_node_and_reports_routes():
    # zones 0, 1, 2; 0 -> 1 -> 2 is cheap but passes zone 1, so 0 -> 2 goes by node 3
    net = ta.Network.from_arrays(
        [0, 1, 0, 3], [1, 2, 3, 2], [1.0, 1.0, 5.0, 5.0], [1e6] * 4, zones=3, first_thru_node=3
    )
    res = ta.solve_min_cost_flow(net, ta.TrafficClass("c", [0, 1], [2, 2], [1.0, 2.0]))
    np.testing.assert_allclose(res.class_flows["c"], [0.0, 2.0, 1.0, 1.0])
    paths = res.paths("c").sort_values("origin")
    assert paths["nodes"].tolist() == [(1, 4, 3), (2, 3)]
    assert paths["cost"].tolist() == [10.0, 1.0]
    assert res.objective == pytest.approx(12.0)
