from __future__ import annotations

import numpy as np
import pytest
from assign_networks import braess, grid, random_demand
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tumen.assign as ta
from tumen.errors import ConvergenceWarning, DataError

ALL = ["fw", "cfw", "bfw", "algorithm-b"]


def test_public_names_are_exactly_these():
    assert sorted(ta.__all__) == sorted(
        [
            "VDF",
            "CapacityConstraint",
            "EquilibriumResult",
            "EquilibriumSettings",
            "FlowResult",
            "FlowSettings",
            "Network",
            "PathFlow",
            "PathTree",
            "TrafficClass",
            "decompose_flow",
            "algorithm_b_memory_mb",
            "read_tntp_flow",
            "read_tntp_net",
            "read_tntp_trips",
            "read_tntp_weights",
            "shortest_path_tree",
            "solve_equilibrium",
            "solve_min_cost_flow",
        ]
    )


@pytest.mark.parametrize("algorithm", ["bfw", "algorithm-b"])
def test_braess_equilibrium_matches_closed_form(algorithm):
    net, trips = braess()
    gap = 1e-10 if algorithm == "algorithm-b" else 1e-6
    res = ta.solve_equilibrium(net, trips, ta.EquilibriumSettings(algorithm, gap=gap))
    assert res.converged
    np.testing.assert_allclose(res.link_flow, [4, 2, 2, 2, 4], atol=1e-3)
    # each used path costs 92
    cost = res.class_costs["trips"]
    np.testing.assert_allclose(
        [cost[0] + cost[2], cost[1] + cost[4], cost[0] + cost[3] + cost[4]], 92.0, atol=1e-3
    )


def test_braess_paradox_removing_the_bridge_lowers_the_cost():
    net, trips = braess(with_bridge=False)
    res = ta.solve_equilibrium(net, trips, ta.EquilibriumSettings("algorithm-b", gap=1e-10))
    np.testing.assert_allclose(res.link_flow, [3, 3, 3, 3], atol=1e-6)
    np.testing.assert_allclose(
        res.class_costs["trips"][0] + res.class_costs["trips"][2], 83.0, atol=1e-6
    )


@pytest.mark.parametrize("algorithm", ALL)
def test_two_linear_bpr_links_split_as_in_closed_form(algorithm):
    # t1 = 10 (1 + x/10) = 10 + x ; t2 = 15 (1 + 0.5 x / 15) = 15 + 0.5 x ; demand 20
    net = ta.Network.from_arrays(
        [0, 0], [1, 1], [10.0, 15.0], [10.0, 15.0], alpha=[1.0, 0.5], beta=1.0
    )
    res = ta.solve_equilibrium(
        net,
        ta.TrafficClass("c", [0], [1], [20.0]),
        ta.EquilibriumSettings(algorithm, gap=1e-9, max_iter=5000),
    )
    x1 = (15 - 10 + 0.5 * 20) / 1.5
    np.testing.assert_allclose(res.link_flow, [x1, 20 - x1], rtol=1e-6)
    assert res.relative_gap <= 1e-9


@pytest.mark.parametrize("vdf", ["bpr", "conical"])
def test_same_shape_links_load_in_proportion_to_capacity(vdf):
    # equal t0 and alpha: equal times need equal v/c, so flows follow capacity
    alpha = 4.0 if vdf == "conical" else 0.15
    net = ta.Network.from_arrays(
        [0, 0, 0], [1, 1, 1], [3.0, 3.0, 3.0], [100.0, 200.0, 300.0], vdf=vdf, alpha=alpha, beta=4.0
    )
    res = ta.solve_equilibrium(
        net,
        ta.TrafficClass("c", [0], [1], [900.0]),
        ta.EquilibriumSettings("algorithm-b", gap=1e-12),
    )
    np.testing.assert_allclose(res.link_flow, [150.0, 300.0, 450.0], rtol=1e-7)


def test_queue_vdf_follows_akcelik_formula_and_is_finite_over_capacity():
    from tumen.assign._kernels_vdf import link_derivative, link_integral, link_time

    t0, c, j, period = 2.0, 10.0, 0.5, 4.0
    for v in (0.0, 5.0, 10.0, 25.0):
        x = v / c
        want = t0 + 0.25 * period * ((x - 1) + np.sqrt((x - 1) ** 2 + 8 * j * x / (c * period)))
        assert link_time(v, t0, c, 2, j, period) == pytest.approx(want, rel=1e-12)
        h = 1e-6
        numeric = link_time(v + h, t0, c, 2, j, period) - link_time(v - h, t0, c, 2, j, period)
        assert link_derivative(v, t0, c, 2, j, period) == pytest.approx(
            numeric / (2 * h), rel=1e-5, abs=1e-9
        )
    grid_v = np.linspace(0, 25.0, 20001)
    vals = [link_time(u, t0, c, 2, j, period) for u in grid_v]
    assert link_integral(25.0, t0, c, 2, j, period) == pytest.approx(
        np.trapezoid(vals, grid_v), rel=1e-6
    )
    # delay beyond capacity grows about linearly (T/2 per unit of x), never infinite
    assert link_time(30.0, t0, c, 2, j, period) < t0 + 0.5 * period * 2.0 + 1.0


def test_queue_links_reach_equal_times():
    net = ta.Network.from_arrays(
        [0, 0], [1, 1], [1.0, 1.5], [10.0, 30.0], vdf="queue", alpha=[0.8, 0.4], beta=[8.0, 8.0]
    )
    res = ta.solve_equilibrium(
        net,
        ta.TrafficClass("c", [0], [1], [60.0]),
        ta.EquilibriumSettings("algorithm-b", gap=1e-12),
    )
    assert res.link_time[0] == pytest.approx(res.link_time[1], rel=1e-9)
    assert res.link_flow.sum() == pytest.approx(60.0)


def test_multi_class_masks_pce_and_fixed_costs():
    # road link 0: t = 10 + v ; rail link 1: t = 5 + 0.5 v. Rail class (pce 2, 4 units)
    # may only use link 1; cars (10 units) choose: 10 + r0 = 5 + 0.5 (10 - r0 + 8).
    net = ta.Network.from_arrays([0, 0], [1, 1], [10.0, 5.0], [10.0, 10.0], alpha=1.0, beta=1.0)
    cars = ta.TrafficClass("cars", [0], [1], [10.0])
    rail = ta.TrafficClass("rail", [0], [1], [4.0], pce=2.0, allowed=[False, True])
    for algorithm in ALL:
        res = ta.solve_equilibrium(
            net, [cars, rail], ta.EquilibriumSettings(algorithm, gap=1e-9, max_iter=5000)
        )
        np.testing.assert_allclose(res.class_flows["rail"], [0.0, 4.0], atol=1e-9)
        np.testing.assert_allclose(res.class_flows["cars"], [8 / 3, 10 - 8 / 3], rtol=1e-6)
        np.testing.assert_allclose(res.link_flow, [8 / 3, 10 - 8 / 3 + 8], rtol=1e-6)
        assert np.isinf(res.class_costs["rail"][0])
    # a handling charge of 3 on link 1 for cars only: 10 + r0 = 5 + 0.5 (18 - r0) + 3
    cars_fee = ta.TrafficClass("cars", [0], [1], [10.0], fixed_cost=[0.0, 3.0])
    res = ta.solve_equilibrium(
        net, [cars_fee, rail], ta.EquilibriumSettings("algorithm-b", gap=1e-12)
    )
    np.testing.assert_allclose(res.class_flows["cars"][0], 14 / 3, rtol=1e-8)


def test_toll_and_distance_weights_enter_the_generalised_cost():
    net = ta.Network.from_arrays(
        [0, 0],
        [1, 1],
        [10.0, 10.0],
        [10.0, 10.0],
        alpha=1.0,
        beta=1.0,
        toll=[2.0, 0.0],
        length=[0.0, 1.0],
    )
    # cost0 = 10 + x0 + 0.5 * 2 ; cost1 = 10 + x1 + 3 * 1 ; demand 10 -> x0 = 6
    trips = ta.TrafficClass("c", [0], [1], [10.0], toll_weight=0.5, distance_weight=3.0)
    res = ta.solve_equilibrium(net, trips, ta.EquilibriumSettings("algorithm-b", gap=1e-12))
    np.testing.assert_allclose(res.link_flow, [6.0, 4.0], rtol=1e-9)


@pytest.mark.parametrize("algorithm", ["bfw", "algorithm-b"])
def test_first_thru_node_keeps_paths_out_of_zones(algorithm):
    # zones 0, 1, 2; node 3 is the only thru node. 0->1->2 costs 2 but passes zone 1.
    tail, head, t0 = [0, 1, 0, 3], [1, 2, 3, 2], [1.0, 1.0, 5.0, 5.0]
    demand = ta.TrafficClass("c", [0], [2], [1.0])
    s = ta.EquilibriumSettings(algorithm, gap=1e-9)
    blocked = ta.Network.from_arrays(tail, head, t0, [1e6] * 4, zones=3, first_thru_node=3)
    res = ta.solve_equilibrium(blocked, demand, s)
    np.testing.assert_allclose(res.link_flow, [0, 0, 1, 1], atol=1e-12)
    open_ = ta.Network.from_arrays(tail, head, t0, [1e6] * 4, zones=3)
    res = ta.solve_equilibrium(open_, demand, s)
    np.testing.assert_allclose(res.link_flow, [1, 1, 0, 0], atol=1e-12)
    # a zone may still end a path and start one
    to_zone1 = ta.TrafficClass("c", [0, 1], [1, 2], [1.0, 2.0])
    res = ta.solve_equilibrium(blocked, to_zone1, s)
    np.testing.assert_allclose(res.link_flow, [1, 2, 0, 0], atol=1e-12)


def test_objective_never_rises_and_gap_falls():
    net = grid(5, 5, seed=3, zones=6)
    demand = random_demand(net, seed=4, scale=30.0)
    for algorithm in ("fw", "bfw"):
        with pytest.warns(ConvergenceWarning):
            res = ta.solve_equilibrium(
                net, demand, ta.EquilibriumSettings(algorithm, gap=1e-14, max_iter=40)
            )
        obj = res.iterations["objective"].to_numpy()
        assert np.all(np.diff(obj) <= 1e-9 * obj[0])
        gaps = res.iterations["relative_gap"].to_numpy()
        assert gaps[-1] < gaps[0] / 10
        assert not res.converged
    res = ta.solve_equilibrium(net, demand, ta.EquilibriumSettings("algorithm-b", gap=1e-11))
    gaps = res.iterations["relative_gap"].to_numpy()
    assert res.converged and gaps[-1] <= 1e-11
    assert list(res.iterations.columns) == [
        "iteration",
        "relative_gap",
        "average_excess_cost",
        "objective",
        "seconds",
    ]


def test_algorithms_agree_on_a_grid():
    net = grid(4, 6, seed=7, zones=5)
    demand = random_demand(net, seed=8, scale=40.0)
    ref = ta.solve_equilibrium(net, demand, ta.EquilibriumSettings("algorithm-b", gap=1e-12))
    for algorithm, gap, tolerance in (("fw", 1e-3, 5e-2), ("cfw", 1e-5, 1e-2), ("bfw", 1e-6, 1e-3)):
        res = ta.solve_equilibrium(
            net, demand, ta.EquilibriumSettings(algorithm, gap=gap, max_iter=5000)
        )
        assert res.converged
        err = np.abs(res.link_flow - ref.link_flow).sum() / ref.link_flow.sum()
        assert err < tolerance
        assert res.objective >= ref.objective - 1e-9 * abs(ref.objective)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    algorithm=st.sampled_from(ALL),
    rows=st.integers(2, 4),
    cols=st.integers(2, 4),
)
def test_flows_conserve_and_are_non_negative(seed, algorithm, rows, cols):
    net = grid(rows, cols, seed=seed, zones=min(3, rows * cols))
    demand = random_demand(net, seed=seed + 1)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        res = ta.solve_equilibrium(
            net,
            demand,
            ta.EquilibriumSettings(algorithm, gap=1e-6, max_iter=200, store_origin_flows=True),
        )
    assert np.all(res.link_flow >= -1e-12)
    origins, flows = res.origin_flows["cars"]
    n = net.num_nodes
    for o, f in zip(origins, flows, strict=True):
        assert np.all(f >= -1e-12)
        balance = np.bincount(net.to_node, f, n) - np.bincount(net.from_node, f, n)
        expected = np.zeros(n)
        mine = demand.origins == o
        np.add.at(expected, demand.destinations[mine], demand.volumes[mine])
        expected[o] -= demand.volumes[mine].sum()
        np.testing.assert_allclose(balance, expected, atol=1e-8 * max(1.0, demand.volumes.sum()))
    np.testing.assert_allclose(flows.sum(axis=0), res.class_flows["cars"], rtol=1e-9, atol=1e-9)


def test_unreachable_demand_and_bad_settings_are_data_errors():
    net = ta.Network.from_arrays([0], [1], [1.0], [1.0])
    with pytest.raises(DataError) as err:
        ta.solve_equilibrium(net, ta.TrafficClass("c", [1], [0], [1.0]))
    assert err.value.field == "destination"
    with pytest.raises(DataError) as err:
        ta.EquilibriumSettings(algorithm="magic")  # type: ignore[arg-type]
    assert err.value.field == "algorithm"
    with pytest.raises(DataError) as err:
        ta.Network.from_arrays([0, 0], [1, 5], [1.0, -1.0], [1.0, 0.0], num_nodes=3)
    fields = {p.field for p in err.value.problems}
    assert {"to_node", "free_flow_time", "capacity"} <= fields
    assert err.value.problems[0].row is not None


def test_time_limit_and_iteration_limit_warn_and_still_return():
    net, trips = braess()
    with pytest.warns(ConvergenceWarning, match="above the target"):
        res = ta.solve_equilibrium(net, trips, ta.EquilibriumSettings("fw", gap=1e-15, max_iter=3))
    assert len(res.iterations) == 3 and not res.converged
    assert res.link_flow.sum() > 0


@pytest.mark.parametrize(
    ("code", "a", "b"),
    [(0, 0.15, 4.0), (1, 4.0, 0.0), (1, 1.5, 0.0), (2, 0.5, 4.0), (2, 0.05, 0.25), (2, 3.0, 0.5)],
)
def test_vdf_integral_matches_numeric_quadrature(code, a, b):
    from scipy.integrate import quad

    from tumen.assign._kernels_vdf import link_integral, link_time

    for v in (3.0, 10.0, 27.0):
        want, _ = quad(
            lambda u: link_time(u, 2.0, 10.0, code, a, b),
            0.0,
            v,
            points=[10.0],
            epsabs=1e-12,
            epsrel=1e-12,
            limit=200,
        )
        assert link_integral(v, 2.0, 10.0, code, a, b) == pytest.approx(want, rel=1e-9)


def test_vdf_given_by_name_code_or_enum_and_bad_names_listed():
    net = ta.Network.from_arrays(
        [0, 0, 0],
        [1, 1, 1],
        [1.0] * 3,
        [1.0] * 3,
        vdf=["bpr", "Conical", "queue"],
        alpha=[0.15, 4.0, 0.5],
    )
    assert net.vdf.tolist() == [0, 1, 2]
    same = ta.Network.from_arrays(
        [0, 0, 0],
        [1, 1, 1],
        [1.0] * 3,
        [1.0] * 3,
        vdf=[ta.VDF.BPR, ta.VDF.CONICAL, ta.VDF.QUEUE],
        alpha=[0.15, 4.0, 0.5],
    )
    assert same.vdf.tolist() == [0, 1, 2]
    assert ta.Network.from_arrays(
        [0], [1], [1.0], [1.0], vdf="conical", alpha=4.0
    ).vdf.tolist() == [1]
    with pytest.raises(DataError) as err:
        ta.Network.from_arrays([0, 0], [1, 1], [1.0] * 2, [1.0] * 2, vdf=["bpr", "davidson"])
    assert (err.value.row, err.value.field, err.value.problems[0].got) == (2, "vdf", "davidson")


def test_auto_picks_by_target_gap_and_memory_budget():
    net, trips = braess()
    loose = ta.solve_equilibrium(net, trips, ta.EquilibriumSettings(target_gap=1e-3))
    assert loose.algorithm == "bfw" and "loose" in loose.algorithm_reason
    tight = ta.solve_equilibrium(net, trips, ta.EquilibriumSettings(target_gap=1e-10))
    assert tight.algorithm == "algorithm-b" and "within the" in tight.algorithm_reason
    np.testing.assert_allclose(tight.link_flow, [4, 2, 2, 2, 4], atol=1e-6)
    small = ta.EquilibriumSettings(target_gap=1e-10, memory_budget_mb=1e-9)
    capped = ta.solve_equilibrium(net, trips, small)
    assert capped.algorithm == "bfw" and "above the" in capped.algorithm_reason
    assert ta.algorithm_b_memory_mb(net, [trips]) > 0


def test_former_gap_name_still_sets_the_target():
    settings = ta.EquilibriumSettings(gap=1e-7)
    assert settings.target_gap == 1e-7 and settings.gap == 1e-7
    assert ta.EquilibriumSettings(target_gap=1e-6).gap == 1e-6


def test_algorithm_b_gives_the_same_flows_on_any_number_of_threads():
    import numba

    net = grid(6, 6, seed=3, zones=8)
    trips = random_demand(net, seed=4)
    flows = []
    before = numba.get_num_threads()
    try:
        for threads in sorted({1, min(2, numba.config.NUMBA_NUM_THREADS)}):
            numba.set_num_threads(threads)
            res = ta.solve_equilibrium(
                net, trips, ta.EquilibriumSettings("algorithm-b", target_gap=1e-10)
            )
            flows.append(res.link_flow)
    finally:
        numba.set_num_threads(before)
    assert all(np.array_equal(flows[0], f) for f in flows)


def test_algorithm_b_bush_store_grows_without_changing_the_answer(monkeypatch):
    from tumen.assign import _algorithm_b

    net = grid(5, 5, seed=7, zones=10)
    trips = random_demand(net, seed=8, scale=40.0)
    settings = ta.EquilibriumSettings("algorithm-b", target_gap=1e-9)
    wide = ta.solve_equilibrium(net, trips, settings)
    grown = []

    class Narrow(_algorithm_b.BushStore):
        def __init__(self, n_bushes, n_nodes, n_links):
            super().__init__(n_bushes, n_nodes, n_links)
            self.width = n_nodes - 1  # room for a shortest-path tree only
            self.links = np.zeros(n_bushes * self.width, dtype=np.int32)
            self.flows = np.zeros(n_bushes * self.width)

        def grow(self, need):
            grown.append(need)
            super().grow(need)

    monkeypatch.setattr(_algorithm_b, "BushStore", Narrow)
    narrow = ta.solve_equilibrium(net, trips, settings)
    assert grown and narrow.converged
    np.testing.assert_array_equal(narrow.link_flow, wide.link_flow)
    _origins, flows = narrow.origin_flows["cars"]
    np.testing.assert_allclose(flows.sum(axis=0), narrow.link_flow, rtol=1e-12, atol=1e-9)
    assert (flows >= 0).all()
