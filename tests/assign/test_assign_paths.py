from __future__ import annotations

import numpy as np
import pytest
from assign_networks import braess, grid, random_demand

import tumen.assign as ta
from tumen.errors import DataError


def test_shortest_path_tree_on_braess():
    net, _ = braess()
    # at free flow: 0->2 (1e-8), 2->3 (10), 3->1 (1e-8)
    tree = ta.shortest_path_tree(net, net.free_flow_time, 0)
    assert tree.cost[1] == pytest.approx(10.0)
    assert tree.path_to(1).tolist() == [0, 3, 4]
    assert tree.predecessor_node[1] == 3 and tree.predecessor_link[0] == -1
    closed = net.free_flow_time.copy()
    closed[3] = np.inf
    tree = ta.shortest_path_tree(net, closed, 0)
    assert tree.cost[1] == pytest.approx(50.0)
    with pytest.raises(DataError):
        ta.shortest_path_tree(net, -net.free_flow_time, 0)


def test_unreachable_node_has_no_path():
    net = ta.Network.from_arrays([0], [1], [1.0], [1.0], num_nodes=3)
    tree = ta.shortest_path_tree(net, net.free_flow_time, 0)
    assert np.isinf(tree.cost[2])
    with pytest.raises(ValueError, match="cannot be reached"):
        tree.path_to(2)


def test_decomposition_rebuilds_link_flows_and_od_volumes():
    net = grid(4, 4, seed=11, zones=4)
    demand = random_demand(net, seed=12, scale=50.0)
    res = ta.solve_equilibrium(net, demand, ta.EquilibriumSettings("algorithm-b", gap=1e-10))
    origins, flows = res.origin_flows["cars"]
    table = res.paths("cars")
    for o, f in zip(origins, flows, strict=True):
        paths = ta.decompose_flow(net, f, int(o))
        rebuilt = np.zeros(net.num_links)
        for p in paths:
            rebuilt[list(p.links)] += p.flow
            assert net.from_node[p.links[0]] == o and net.to_node[p.links[-1]] == p.destination
        np.testing.assert_allclose(rebuilt, f, atol=1e-6)
        for d in demand.destinations[demand.origins == o]:
            want = demand.volumes[(demand.origins == o) & (demand.destinations == d)].sum()
            got = sum(p.flow for p in paths if p.destination == d)
            assert got == pytest.approx(want, rel=1e-8)
    # at equilibrium every used path of an OD pair costs the same
    spread = table.groupby(["origin", "destination"])["cost"].agg(lambda c: c.max() - c.min())
    assert spread.max() < 1e-6
    assert list(table.columns) == ["origin", "destination", "flow", "cost", "links", "nodes"]


def test_frank_wolfe_keeps_origin_flows_on_request():
    net, trips = braess()
    res = ta.solve_equilibrium(net, trips, ta.EquilibriumSettings("bfw", gap=1e-6))
    with pytest.raises(KeyError, match="store_origin_flows"):
        res.paths("trips")
    res = ta.solve_equilibrium(
        net, trips, ta.EquilibriumSettings("bfw", gap=1e-6, store_origin_flows=True)
    )
    table = res.paths("trips", tolerance=1e-6)
    assert table["flow"].sum() == pytest.approx(6.0)
    assert set(table["nodes"]) <= {(1, 3, 2), (1, 4, 2), (1, 3, 4, 2)}
