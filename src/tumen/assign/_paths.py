"""Shortest-path trees and the decomposition of one origin's link flows into paths."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tumen.assign._network import Network
from tumen.assign._prepare import in_star
from tumen.errors import DataError, Problem

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PathFlow", "PathTree", "decompose_flow", "paths_table", "shortest_path_tree"]


@dataclass(frozen=True, eq=False)
class PathTree:
    """Shortest paths from one origin to every node.

    Attributes
    ----------
    origin : int
        Origin node index.
    cost : ndarray of float64
        Least cost from the origin to each node (cost units; ``inf`` where unreachable).
    predecessor_link : ndarray of int64
        Link entering each node on its shortest path (-1 at the origin and where unreached).
    predecessor_node : ndarray of int64
        Node before each node on its shortest path (-1 likewise).
    """

    origin: int
    cost: NDArray[np.float64]
    predecessor_link: NDArray[np.int64]
    predecessor_node: NDArray[np.int64]

    def path_to(self, node: int) -> NDArray[np.int64]:
        """Return the link indices of the shortest path from the origin to ``node``, in order.

        Raises
        ------
        ValueError
            If ``node`` cannot be reached.
        """
        if not np.isfinite(self.cost[node]):
            raise ValueError(f"node {node} cannot be reached from node {self.origin}")
        links = []
        k = node
        while k != self.origin:
            link = int(self.predecessor_link[k])
            links.append(link)
            k = int(self.predecessor_node[k])
        return np.array(links[::-1], dtype=np.int64)


def shortest_path_tree(network: Network, cost: ArrayLike, origin: int) -> PathTree:
    """Return the tree of least-cost paths from ``origin`` under a link cost vector.

    Paths do not pass through the network's no-thru nodes (they may end there).

    Parameters
    ----------
    network : Network
        The network.
    cost : array_like of float
        Cost of each link (cost units, >= 0); ``inf`` closes a link.
    origin : int
        Origin node index.

    Returns
    -------
    PathTree

    Raises
    ------
    tumen.errors.DataError
        If ``cost`` has the wrong length or negative/NaN values, or ``origin`` is no node.
    """
    c = np.ascontiguousarray(cost, dtype=np.float64)
    problems = []
    if c.shape != (network.num_links,):
        problems.append(
            Problem("cost", None, None, f"{network.num_links} link costs", str(c.shape))
        )
    elif np.any(np.isnan(c) | (c < 0)):
        i = int(np.flatnonzero(np.isnan(c) | (c < 0))[0])
        problems.append(Problem("cost", i + 1, None, "a cost >= 0 or inf", str(c[i])))
    if not 0 <= origin < network.num_nodes:
        problems.append(
            Problem(
                "origin", None, None, f"a node index in 0..{network.num_nodes - 1}", str(origin)
            )
        )
    if problems:
        raise DataError(problems)
    n, m = network.num_nodes, network.num_links
    dist = np.empty(n)
    pred = np.full(n, -1, dtype=np.int64)
    from tumen.assign._kernels_paths import dijkstra

    dijkstra(
        int(origin),
        network.out_ptr,
        network.out_links,
        network.to_node[network.out_links].astype(np.uint32),
        c[network.out_links],
        network.no_thru,
        dist,
        pred,
        np.empty(n, dtype=np.uint32),
        np.empty(m + 1),
        np.empty(m + 1, dtype=np.uint32),
        np.zeros(1, dtype=np.int64),
        1,
        0,
    )
    pred = np.where(np.isfinite(dist), pred, -1)
    pred_node = np.where(pred >= 0, network.from_node[np.maximum(pred, 0)], -1)
    return PathTree(int(origin), dist, pred, pred_node.astype(np.int64))


@dataclass(frozen=True)
class PathFlow:
    """Flow on one path from an origin to a destination.

    Attributes
    ----------
    origin, destination : int
        Node indices.
    links : tuple of int
        Link indices along the path, in order.
    flow : float
        Flow on the path, in the flow's units per period.
    """

    origin: int
    destination: int
    links: tuple[int, ...]
    flow: float


def decompose_flow(
    network: Network, link_flow: ArrayLike, origin: int, tolerance: float = 1e-9
) -> list[PathFlow]:
    """Split one origin's link flows into paths to the nodes where flow ends.

    Every node whose inflow exceeds its outflow is a destination, receiving that net
    inflow. Paths are traced backwards from each destination along the entering link with
    the most remaining flow, so few paths are produced; the decomposition of a flow into
    paths is not unique, but the paths' flows add up to the link flows (within
    ``tolerance`` times the origin's total).

    Parameters
    ----------
    network : Network
        The network.
    link_flow : array_like of float
        Flow of one origin (and one class) on each link.
    origin : int
        The origin node index.
    tolerance : float
        Relative flow below which remainders are ignored.

    Returns
    -------
    list of PathFlow
        Ordered by destination, then by decreasing flow.
    """
    flow = np.array(link_flow, dtype=np.float64)
    n = network.num_nodes
    net_in = np.bincount(network.to_node, flow, minlength=n) - np.bincount(
        network.from_node, flow, minlength=n
    )
    total = float(
        flow[network.out_links[network.out_ptr[origin] : network.out_ptr[origin + 1]]].sum()
    )
    eps = tolerance * max(total, 1.0)
    in_ptr, in_links = in_star(network)
    result = []
    for dest in np.flatnonzero(net_in > eps):
        if dest == origin:
            continue
        need = float(net_in[dest])
        while need > eps:
            links = []
            k = int(dest)
            for _ in range(n):
                if k == origin:
                    break
                cand = in_links[in_ptr[k] : in_ptr[k + 1]]
                best = int(cand[np.argmax(flow[cand])]) if cand.size else -1
                if best < 0 or flow[best] <= eps:
                    links = []
                    break
                links.append(best)
                k = int(network.from_node[best])
            if not links or k != origin:
                break
            amount = min(need, float(flow[links].min()))
            flow[links] -= amount
            need -= amount
            result.append(PathFlow(int(origin), int(dest), tuple(links[::-1]), amount))
    return result


def paths_table(
    network: Network,
    origins: NDArray[np.int64],
    flows: NDArray[np.float64],
    cost: NDArray[np.float64],
    tolerance: float = 1e-9,
) -> pd.DataFrame:
    """Decompose per-origin flows into paths, as a table with node ids and path costs.

    Returns
    -------
    pandas.DataFrame
        Columns ``origin``, ``destination`` (node ids), ``flow``, ``cost`` (sum of the link
        costs along the path), ``links`` (tuple of link indices) and ``nodes`` (tuple of
        node ids).
    """
    import pandas as pd

    rows = []
    for o, f in zip(origins, flows, strict=True):
        for p in decompose_flow(network, f, int(o), tolerance):
            idx = np.array(p.links, dtype=np.int64)
            nodes = (
                int(network.node_ids[p.origin]),
                *(int(x) for x in network.node_ids[network.to_node[idx]]),
            )
            rows.append(
                (
                    int(network.node_ids[p.origin]),
                    int(network.node_ids[p.destination]),
                    p.flow,
                    float(cost[idx].sum()),
                    p.links,
                    nodes,
                )
            )
    return pd.DataFrame(rows, columns=["origin", "destination", "flow", "cost", "links", "nodes"])
