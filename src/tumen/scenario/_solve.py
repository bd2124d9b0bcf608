"""Assign a scenario's classes on the corridor graph with the :mod:`tumen.assign` engine.

Two methods, as the scenario file chooses:

``capacity_constrained``
    A minimum-cost multi-commodity flow (HiGHS LP): every class pays its generalised
    cost in USD per unit (money plus free-flow hours valued at its value of time); the
    named capacity groups (links, ports, border crossings) are hard limits; demand that
    finds no route or no capacity is left unserved at the penalty. The duals of the
    capacity groups are their shadow prices, USD per year per extra tonne a year.
``logit``
    Route and mode choice by (path-size, optionally nested) logit with parameters that
    ``tumen calibrate`` fitted; capacities held by shadow prices (:mod:`tumen.choice`).
``equilibrium``
    A static multi-class user equilibrium in hours: border-crossing edges use the
    engine's queue-style volume-delay function (the delay grows with volume, stays
    finite above capacity); other capacitated edges use BPR. Each class's money cost
    enters as hours of its own value of time, so each class minimises its generalised
    cost. Flows and capacities are per hour inside the solve (t/yr / 8760).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order

from tumen.errors import ScenarioError
from tumen.scenario._cost import ClassCost
from tumen.scenario._graph import CorridorGraph

__all__ = ["DemandClass", "Solution", "extra_hours", "network_time", "reachable", "solve"]

_HOURS_PER_YEAR = 8760.0


@dataclass(frozen=True, eq=False)
class DemandClass:
    """One origin–destination flow of one commodity, as assigned.

    Attributes
    ----------
    name : str
        Unique class name.
    origin, destination : int
        Centroid nodes.
    volume : float
        Tonnes (or persons) per year.
    pce : float
        Tonne-equivalents per unit (1 for goods).
    cost : ClassCost
        Edge costs of the class.
    """

    name: str
    origin: int
    destination: int
    volume: float
    pce: float
    cost: ClassCost


@dataclass(frozen=True, eq=False)
class Solution:
    """Flows of every class and what the solver reports.

    Attributes
    ----------
    flows : dict of str to ndarray
        Per class, flow on each edge in the class's units per year.
    unmet : dict of str to float
        Per class, demand left unserved (units per year).
    edge_time_h : ndarray
        Hours on each edge at the solution's flows (free-flow in LP runs).
    duals : dict of str to float
        Capacity group name -> shadow price, USD per (t/yr) of extra capacity; empty for
        equilibrium runs.
    iterations : pandas.DataFrame
        The solver's log.
    status : str
        ``optimal``, ``converged`` or ``stopped at limit``.
    objective : float
        Total generalised cost in USD per year (LP), or the engine's objective.
    gap : float
        Relative gap reached (equilibrium), 0 for the LP.
    network : tumen.assign.Network or None
        The engine network the solve built (reused for the result tables).
    paths : callable or None
        Class name -> the engine's path table of that class (``destination`` node,
        ``flow`` in units per year, ``links``), from the flows the engine result holds.
    """

    flows: dict[str, NDArray[np.float64]]
    unmet: dict[str, float]
    edge_time_h: NDArray[np.float64]
    duals: dict[str, float]
    iterations: pd.DataFrame
    status: str
    objective: float
    gap: float
    network: Any = None
    paths: Callable[[str], pd.DataFrame] | None = None


def reachable(graph: CorridorGraph, allowed: NDArray[np.bool_], origin: int) -> set[int]:
    """Return the nodes reachable from ``origin`` over the allowed edges.

    Parameters
    ----------
    graph : CorridorGraph
        The graph.
    allowed : ndarray of bool
        Edges that may be used.
    origin : int
        Start node.

    Returns
    -------
    set of int
        Node numbers, ``origin`` included.
    """
    e = graph.edges
    n = len(graph.nodes)
    tail = e["from_node"].to_numpy(dtype=np.int64)[allowed]
    head = e["to_node"].to_numpy(dtype=np.int64)[allowed]
    matrix = csr_matrix((np.ones(tail.shape[0]), (tail, head)), shape=(n, n))
    order = breadth_first_order(matrix, origin, directed=True, return_predecessors=False)
    return {int(i) for i in order}


def solve(
    graph: CorridorGraph,
    classes: list[DemandClass],
    *,
    method: str,
    gap: float,
    max_iterations: int,
    unmet_penalty: float,
    params: dict[str, float],
    choice: Any = None,
) -> Solution:
    """Assign the classes with the chosen method.

    Parameters
    ----------
    graph : CorridorGraph
        The corridor graph.
    classes : list of DemandClass
        Classes to assign; each must have a route (check with :func:`reachable`).
    method : {"capacity_constrained", "equilibrium", "logit"}
        The assignment method.
    gap : float
        Target relative gap (equilibrium).
    max_iterations : int
        Most iterations (equilibrium).
    unmet_penalty : float
        USD per unit of demand left unserved (LP).
    params : dict of str to float
        Cost parameters (queue delay parameters for border crossings).
    choice : tumen.choice.ChoiceParameters, optional
        The choice model's parameters (method ``logit``).

    Returns
    -------
    Solution
    """
    if method == "logit":
        from tumen.choice import solve_logit

        if choice is None:
            raise ScenarioError("method logit: expected choice parameters (choice_parameters)")

        return solve_logit(graph, classes, choice, unmet_penalty=unmet_penalty,
                           max_iterations=max_iterations)  # fmt: skip
    if method == "equilibrium":
        return _solve_equilibrium(graph, classes, gap, max_iterations, params)
    return _solve_lp(graph, classes, unmet_penalty)


def extra_hours(demand_class: DemandClass, shared_h: NDArray[np.float64]) -> NDArray[np.float64]:
    """Hours a class spends on each edge beyond the shared time (handling, its own delay)."""
    return np.maximum(demand_class.cost.time_h - shared_h, 0.0)


def network_time(graph: CorridorGraph, classes: list[DemandClass]) -> NDArray[np.float64]:
    """Return the free-flow hours all classes share on each edge."""
    return _network_time(graph, classes)


def _network_time(graph: CorridorGraph, classes: list[DemandClass]) -> NDArray[np.float64]:
    """Free-flow hours every class shares on each edge (running time and border delay)."""
    e = graph.edges
    base = e["time_h"].to_numpy(dtype=np.float64).copy()
    if classes:
        delays = np.vstack([c.cost.border_delay_h for c in classes])
        base += delays.min(axis=0)
    return base


def _solve_equilibrium(
    graph: CorridorGraph,
    classes: list[DemandClass],
    gap: float,
    max_iterations: int,
    params: dict[str, float],
) -> Solution:
    from tumen.assign import EquilibriumSettings, Network, TrafficClass, solve_equilibrium

    e = graph.edges
    n_edges = len(e)
    time0 = _network_time(graph, classes)
    capacity = np.full(n_edges, 1e12)
    vdf = np.full(n_edges, "bpr", dtype=object)
    alpha = np.zeros(n_edges)
    beta = np.full(n_edges, 4.0)
    border = e["border"].to_numpy(dtype=bool) & (e["kind"].to_numpy(dtype=object) == "line")
    for group in graph.groups:
        idx = np.asarray(group.edges, dtype=np.int64)
        per_hour = max(group.capacity, 1.0) / _HOURS_PER_YEAR
        capacity[idx] = np.minimum(capacity[idx], per_hour)
        alpha[idx] = np.where(border[idx], alpha[idx], 0.15)
    queue = border & (capacity < 1e12)
    vdf[queue] = "queue"
    alpha[queue] = params["border_queue_j"]
    beta[queue] = params["border_queue_period_h"]
    network = Network.from_arrays(
        e["from_node"].to_numpy(dtype=np.int64),
        e["to_node"].to_numpy(dtype=np.int64),
        time0,
        capacity,
        vdf=list(vdf),
        alpha=alpha,
        beta=beta,
        num_nodes=len(graph.nodes),
    )
    traffic = []
    for c in classes:
        vot = max(c.cost.value_of_time, 1e-9)
        extra_h = extra_hours(c, time0)
        fixed = c.cost.total_money() / vot + extra_h
        traffic.append(
            TrafficClass(
                c.name,
                np.array([c.origin]),
                np.array([c.destination]),
                np.array([c.volume / _HOURS_PER_YEAR]),
                pce=c.pce,
                allowed=c.cost.allowed,
                fixed_cost=fixed,
            )
        )
    settings = EquilibriumSettings(target_gap=gap, max_iter=max_iterations, store_origin_flows=True)
    result = solve_equilibrium(network, traffic, settings)

    def paths(name: str) -> pd.DataFrame:
        table = result.paths(name)
        return table.assign(flow=table["flow"] * _HOURS_PER_YEAR)  # per hour in the solve

    flows = {name: f * _HOURS_PER_YEAR for name, f in result.class_flows.items()}
    return Solution(
        flows=flows,
        unmet={c.name: 0.0 for c in classes},
        edge_time_h=np.asarray(result.link_time, dtype=np.float64),
        duals={},
        iterations=result.iterations.copy(),
        status="converged" if result.converged else "stopped at limit",
        objective=float(result.objective),
        gap=float(result.relative_gap),
        network=network,
        paths=paths,
    )


def _solve_lp(graph: CorridorGraph, classes: list[DemandClass], unmet_penalty: float) -> Solution:
    from tumen.assign import (
        CapacityConstraint,
        FlowSettings,
        Network,
        TrafficClass,
        solve_min_cost_flow,
    )

    e = graph.edges
    n_edges = len(e)
    network = Network.from_arrays(
        e["from_node"].to_numpy(dtype=np.int64),
        e["to_node"].to_numpy(dtype=np.int64),
        np.zeros(n_edges),
        np.ones(n_edges),
        num_nodes=len(graph.nodes),
    )
    traffic = [
        TrafficClass(
            c.name,
            np.array([c.origin]),
            np.array([c.destination]),
            np.array([c.volume]),
            pce=c.pce,
            allowed=c.cost.allowed,
            fixed_cost=c.cost.generalised(),
            unmet_cost=unmet_penalty,
        )
        for c in classes
    ]
    constraints = [
        CapacityConstraint(g.name, np.asarray(g.edges, dtype=np.int64), g.capacity)
        for g in graph.groups
    ]
    result = solve_min_cost_flow(network, traffic, constraints, FlowSettings(link_capacity=False))
    unmet = result.unmet.groupby("class", sort=False)["unmet"].sum()
    duals = dict(
        zip(
            result.constraints["name"],
            result.constraints["shadow_price"].astype(float),
            strict=True,
        )
    )
    iterations = pd.DataFrame({"iteration": [1], "objective": [float(result.objective)]})
    return Solution(
        flows={k: np.asarray(v, dtype=np.float64) for k, v in result.class_flows.items()},
        unmet={c.name: float(unmet.get(c.name, 0.0)) for c in classes},
        edge_time_h=_network_time(graph, classes),
        duals=duals,
        iterations=iterations,
        status="optimal",
        objective=float(result.objective),
        gap=0.0,
        network=network,
        paths=result.paths,
    )
