"""Choice sets: the cheapest distinct routes of an origin–destination class, one per gateway.

A *gateway* is where a route leaves or enters a country: a land border crossing
(named by its crossing facility) or a port where cargo moves between land and sea
(named by the port's place). For each class the set holds the cheapest route over all
edges and the cheapest route through each gateway the graph has, kept when its
generalised cost is within ``max_cost_ratio`` of the cheapest; duplicates are dropped
and the ``max_routes`` cheapest are kept. Routes through one gateway but different
ports or crossings elsewhere overlap; the path-size term of the logit corrects for it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from tumen.scenario._graph import CorridorGraph
from tumen.scenario._solve import DemandClass

__all__ = ["ChoiceSet", "EdgeLabels", "choice_sets", "edge_labels"]


@dataclass(frozen=True, eq=False)
class EdgeLabels:
    """What each edge of a graph says about the gateways of a route that uses it.

    Attributes
    ----------
    gateway : ndarray of object
        Gateway key of the edge (crossing facility id, or port place id), ``""`` if none.
    touches : list of frozenset of str
        Gateway places of the edge: a port's place, or both end places of a land
        crossing; empty for other edges.
    mode : ndarray of object
        Mode of a line edge, ``""`` for transfers.
    port : ndarray of bool
        The edge's gateway is a port (else a land crossing, or none).
    """

    gateway: NDArray[np.object_]
    touches: list[frozenset[str]]
    mode: NDArray[np.object_]
    port: NDArray[np.bool_]


def edge_labels(graph: CorridorGraph) -> EdgeLabels:
    """Label every edge with its gateway and the ids it passes.

    Parameters
    ----------
    graph : CorridorGraph
        The corridor graph.

    Returns
    -------
    EdgeLabels
    """
    e = graph.edges
    kind = e["kind"].to_numpy(dtype=object)
    layer = e["layer"].to_numpy(dtype=object).astype(str)
    border = e["border"].to_numpy(dtype=bool)
    mode = e["mode"].to_numpy(dtype=object)
    fac = e["facility_id"].fillna("").to_numpy(dtype=object)
    place = e["place_id"].fillna("").to_numpy(dtype=object)
    src = e["from_place"].fillna("").to_numpy(dtype=object)
    dst = e["to_place"].fillna("").to_numpy(dtype=object)
    gateway = np.full(len(e), "", dtype=object)
    touches: list[frozenset[str]] = []
    for i in range(len(e)):
        ids: set[str] = set()
        if kind[i] == "line" and border[i] and mode[i] in ("rail", "road"):
            gateway[i] = str(fac[i]) or f"{src[i]}~{dst[i]}"
            ids = {str(src[i]), str(dst[i])}
        elif kind[i] == "port":
            sides = layer[i].replace("~in", "").split(">")
            if len(sides) == 2 and (sides[0] == "water") != (sides[1] == "water"):
                gateway[i] = str(place[i])
                ids = {str(place[i])}
        touches.append(frozenset(ids) if gateway[i] else frozenset())
    modes = np.where(kind == "line", mode, "").astype(object)
    port = (kind == "port") & (gateway != "")
    return EdgeLabels(gateway=gateway, touches=touches, mode=modes, port=port)


@dataclass(frozen=True, eq=False)
class ChoiceSet:
    """The routes one class chooses among.

    Attributes
    ----------
    name : str
        The class's name.
    routes : tuple of ndarray of int
        Edge indices of each route, in order.
    cost_usd : ndarray
        Generalised cost of each route, USD per unit (money plus free-flow time).
    gateways : tuple of frozenset of str
        Gateway places each route passes (a port's place, both ends of a land crossing):
        what its alternative-specific constants and the observations name.
    modes : tuple of str
        Each route's modes in order, joined by ``>`` (``rail>sea``).
    path_size : ndarray
        Path-size factor of each route, in (0, 1]: 1 for a route sharing no edge.
    """

    name: str
    routes: tuple[NDArray[np.int64], ...]
    cost_usd: NDArray[np.float64]
    gateways: tuple[frozenset[str], ...]
    modes: tuple[str, ...]
    path_size: NDArray[np.float64]


def _path_size(routes: list[NDArray[np.int64]], weight: NDArray[np.float64]) -> NDArray[np.float64]:
    """Path-size factors (Ben-Akiva and Bierlaire 1999), edge weight as length."""
    use: dict[int, int] = {}
    for r in routes:
        for a in np.unique(r):
            use[int(a)] = use.get(int(a), 0) + 1
    out = np.ones(len(routes))
    for k, r in enumerate(routes):
        edges = np.unique(r)
        w = weight[edges]
        total = float(w.sum())
        if total > 0:
            shares = np.array([use[int(a)] for a in edges], dtype=np.float64)
            out[k] = float((w / total / shares).sum())
    return np.clip(out, 1e-6, 1.0)


class _Router:
    """Shortest paths over the allowed edges of one cost, the cheapest parallel edge kept."""

    def __init__(self, graph: CorridorGraph, cost: NDArray[np.float64], allowed: NDArray[np.bool_]):
        e = graph.edges
        self.n = len(graph.nodes)
        self.tail = e["from_node"].to_numpy(dtype=np.int64)
        self.head = e["to_node"].to_numpy(dtype=np.int64)
        self.cost = np.maximum(cost, 1e-9)
        self.allowed = allowed

    def path(self, origin: int, dest: int, mask: NDArray[np.bool_]) -> NDArray[np.int64] | None:
        ok = np.flatnonzero(self.allowed & mask)
        order = ok[np.argsort(self.cost[ok], kind="stable")]
        best: dict[tuple[int, int], int] = {}
        for i in order:
            best.setdefault((int(self.tail[i]), int(self.head[i])), int(i))
        idx = np.fromiter(best.values(), dtype=np.int64, count=len(best))
        if idx.size == 0:
            return None
        matrix = csr_matrix((self.cost[idx], (self.tail[idx], self.head[idx])), shape=(self.n,) * 2)
        dist, pred = dijkstra(matrix, indices=origin, return_predecessors=True)
        if not np.isfinite(dist[dest]):
            return None
        edges: list[int] = []
        node = dest
        while node != origin:
            prev = int(pred[node])
            edges.append(best[(prev, node)])
            node = prev
        return np.asarray(edges[::-1], dtype=np.int64)


def choice_sets(
    graph: CorridorGraph,
    classes: list[DemandClass],
    *,
    max_routes: int = 8,
    max_cost_ratio: float = 2.0,
    labels: EdgeLabels | None = None,
) -> dict[str, ChoiceSet]:
    """Generate each class's choice set: the cheapest route through each gateway.

    Parameters
    ----------
    graph : CorridorGraph
        The corridor graph on the scenario's date.
    classes : list of DemandClass
        Classes with a route (see :func:`tumen.scenario._solve.reachable`).
    max_routes : int, default 8
        Most routes per class (the cheapest are kept).
    max_cost_ratio : float, default 2.0
        A route is kept when its generalised cost is at most this times the cheapest.
    labels : EdgeLabels, optional
        The graph's edge labels (computed when None).

    Returns
    -------
    dict of str to ChoiceSet
        Class name -> its choice set; a class with no route is left out.
    """
    labels = labels if labels is not None else edge_labels(graph)
    gateway = labels.gateway
    keys = sorted({str(g) for g in gateway if g})
    out: dict[str, ChoiceSet] = {}
    cache: dict[tuple[int, int, int], ChoiceSet | None] = {}
    for c in classes:
        key = (id(c.cost), c.origin, c.destination)
        if key not in cache:
            cache[key] = _one_set(graph, c, keys, labels, max_routes, max_cost_ratio)
        found = cache[key]
        if found is not None:
            out[c.name] = ChoiceSet(c.name, *_fields(found))
    return out


def _fields(cs: ChoiceSet) -> tuple[object, ...]:
    return (cs.routes, cs.cost_usd, cs.gateways, cs.modes, cs.path_size)


def _one_set(
    graph: CorridorGraph,
    c: DemandClass,
    keys: list[str],
    labels: EdgeLabels,
    max_routes: int,
    max_cost_ratio: float,
) -> ChoiceSet | None:
    cost = c.cost.generalised()
    router = _Router(graph, cost, c.cost.allowed)
    everything = np.ones(len(cost), dtype=bool)
    found: dict[tuple[int, ...], NDArray[np.int64]] = {}
    best = router.path(c.origin, c.destination, everything)
    if best is None:
        return None
    found[tuple(best.tolist())] = best
    is_gateway = labels.gateway != ""
    port_keys = {str(g) for g in labels.gateway[labels.port]}
    for k in keys:
        # Through gateway k: every other gateway of its kind (ports, or land crossings)
        # closed, so the route loads (or crosses) only there.
        same_kind = labels.port if k in port_keys else is_gateway & ~labels.port
        mask = ~same_kind | (labels.gateway == k)
        path = router.path(c.origin, c.destination, mask)
        if path is not None and (labels.gateway[path] == k).any():
            found.setdefault(tuple(path.tolist()), path)
    routes = sorted(found.values(), key=lambda r: (float(cost[r].sum()), r.tolist()))
    costs = np.array([float(cost[r].sum()) for r in routes])
    keep = costs <= max_cost_ratio * costs[0] + 1e-9
    routes = [r for r, k in zip(routes, keep, strict=True) if k][:max_routes]
    costs = costs[keep][:max_routes]
    gateways = tuple(frozenset().union(*(labels.touches[int(a)] for a in r)) for r in routes)
    modes = tuple(_modes(labels.mode[r]) for r in routes)
    return ChoiceSet(c.name, tuple(routes), costs, gateways, modes,
                     _path_size(routes, cost))  # fmt: skip


def _modes(modes: NDArray[np.object_]) -> str:
    chain: list[str] = []
    for m in modes:
        if m and (not chain or chain[-1] != m):
            chain.append(str(m))
    return ">".join(chain)
