"""Assign classes by logit route and mode choice, with capacities held by shadow prices.

Each class splits over its choice set (:func:`tumen.choice.choice_sets`) plus an
*unserved* alternative that costs the scenario's unmet-demand penalty. Capacities:
a price ``mu_g`` (USD per tonne) on each capacity group is added to the generalised
cost of every route that uses it, and raised where the group is over capacity and
lowered (not below zero) where it has room, by ``log(flow / capacity) / cost`` per
iteration (the toll that would move a small alternative's flow to the capacity),
until every group holds within the tolerance. This is dual ascent on the capacity
constraints of a stochastic (logit) assignment: at the end the prices are the shadow
prices of the capacities, in the same unit as the LP's duals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.sparse import csr_matrix

from tumen.choice._logit import probabilities
from tumen.choice._model import Alternatives, ChoiceParameters, stack
from tumen.choice._sets import ChoiceSet, choice_sets
from tumen.scenario._graph import CorridorGraph
from tumen.scenario._solve import DemandClass, Solution, network_time

__all__ = ["solve_logit"]


def _unserved(cs: ChoiceSet, penalty: float) -> ChoiceSet:
    """Return the class's set with an extra empty route costing the unmet-demand penalty."""
    return ChoiceSet(
        cs.name,
        (*cs.routes, np.zeros(0, dtype=np.int64)),
        np.append(cs.cost_usd, penalty),
        (*cs.gateways, frozenset()),
        (*cs.modes, "unserved"),
        np.append(cs.path_size, 1.0),
    )


def _incidence(alts: Alternatives, n_edges: int) -> csr_matrix:
    rows = np.repeat(np.arange(len(alts.route)), [r.size for r in alts.route])
    cols = np.concatenate(alts.route) if alts.route else np.zeros(0, dtype=np.int64)
    return csr_matrix((np.ones(rows.size), (rows, cols)), shape=(len(alts.route), n_edges))


def solve_logit(
    graph: CorridorGraph,
    classes: list[DemandClass],
    params: ChoiceParameters,
    *,
    unmet_penalty: float,
    max_iterations: int = 200,
    tolerance: float = 1e-3,
) -> Solution:
    """Split each class over its routes by logit; hold capacities with shadow prices.

    Parameters
    ----------
    graph : CorridorGraph
        The corridor graph.
    classes : list of DemandClass
        Classes with a route.
    params : ChoiceParameters
        The choice model's parameters (from ``tumen calibrate``).
    unmet_penalty : float
        USD per unit: the cost of the unserved alternative.
    max_iterations : int, default 200
        Most price updates.
    tolerance : float, default 1e-3
        Largest relative overflow of a capacity accepted.

    Returns
    -------
    Solution
        Flows per class, demand left unserved, ``duals`` (capacity group -> shadow
        price, USD per tonne), ``status`` ``converged`` or ``stopped at limit`` and
        ``gap`` the largest relative overflow left.
    """
    from tumen.assign import Network

    e = graph.edges
    n_edges = len(e)
    sets = choice_sets(graph, classes)
    ordered = [c for c in classes if c.name in sets]
    alts = stack([_unserved(sets[c.name], unmet_penalty) for c in ordered])
    volume = np.array([c.volume for c in ordered])[alts.group]
    pce = np.array([c.pce for c in ordered])[alts.group]
    incidence = _incidence(alts, n_edges)
    groups = graph.groups
    rows = np.concatenate([np.asarray(g.edges, dtype=np.int64) for g in groups]) if groups else []
    cols = np.repeat(np.arange(len(groups)), [len(g.edges) for g in groups])
    edge_group = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_edges, len(groups)))
    use = (incidence @ edge_group).toarray()  # alternative x group: edges counted
    capacity = np.array([max(g.capacity, 0.0) for g in groups])
    base = alts.utility(params)
    mu = np.zeros(len(groups))
    log_rows = []
    status = "stopped at limit"
    overflow = 0.0
    p = probabilities(base, alts.group, alts.nest, params.nest_scale)
    for it in range(1, max_iterations + 1):
        toll = pce * (use @ mu) if len(groups) else np.zeros_like(base)
        p = probabilities(base - params.cost * toll, alts.group, alts.nest, params.nest_scale)
        load = (volume * pce * p) @ use if len(groups) else np.zeros(0)
        ratio = load / np.maximum(capacity, 1e-9)
        over = np.where(capacity > 0, ratio - 1.0, np.where(load > 1e-9, np.inf, 0.0))
        overflow = float(max(over.max(initial=0.0), 0.0))
        slack = (mu > 0) & (ratio < 1.0 - tolerance)
        log_rows.append({"iteration": it, "relative_gap": overflow, "priced": int((mu > 0).sum())})
        if overflow <= tolerance and not slack.any():
            status = "converged"
            break
        step = np.log(np.clip(ratio, 1e-3, 1e3)) / params.cost
        mu = np.maximum(mu + step, 0.0)
    flow_alt = volume * p
    flows: dict[str, NDArray[np.float64]] = {}
    unmet: dict[str, float] = {}
    served = np.array([m != "unserved" for m in alts.modes])
    path_rows: dict[str, list[tuple[list[int], float]]] = {}
    for g, c in enumerate(ordered):
        sel = np.flatnonzero((alts.group == g) & served)
        flows[c.name] = np.asarray(incidence[sel].T @ flow_alt[sel]).ravel()
        unmet[c.name] = float(flow_alt[(alts.group == g) & ~served].sum())
        path_rows[c.name] = [(alts.route[i].tolist(), float(flow_alt[i])) for i in sel
                             if flow_alt[i] > 1e-9 * max(c.volume, 1.0)]  # fmt: skip
    for c in classes:  # no route at all: everything unserved
        if c.name not in flows:
            flows[c.name] = np.zeros(n_edges)
            unmet[c.name] = c.volume
            path_rows[c.name] = []
    network = Network.from_arrays(
        e["from_node"].to_numpy(dtype=np.int64), e["to_node"].to_numpy(dtype=np.int64),
        np.zeros(n_edges), np.ones(n_edges), num_nodes=len(graph.nodes),
    )  # fmt: skip
    dest = {c.name: int(network.node_ids[c.destination]) for c in classes}

    def paths(name: str) -> pd.DataFrame:
        found = path_rows.get(name, [])
        return pd.DataFrame({
            "destination": [dest[name]] * len(found),
            "flow": [f for _, f in found],
            "links": [links for links, _ in found],
        })  # fmt: skip

    toll = pce * (use @ mu) if len(groups) else np.zeros_like(base)
    objective = float((flow_alt * (alts.cost_usd + toll))[served].sum())
    return Solution(
        flows=flows,
        unmet=unmet,
        edge_time_h=network_time(graph, classes),
        duals={g.name: float(m) for g, m in zip(groups, mu, strict=True)},
        iterations=pd.DataFrame(log_rows, columns=["iteration", "relative_gap", "priced"]),
        status=status,
        objective=objective,
        gap=overflow,
        network=network,
        paths=paths,
    )
