"""Split one origin–destination class's edge flows into the paths it uses."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["split_paths"]


def split_paths(
    tail: NDArray[np.int64],
    head: NDArray[np.int64],
    flow: NDArray[np.float64],
    origin: int,
    destination: int,
    *,
    tolerance: float = 1e-6,
    max_paths: int = 20,
) -> list[tuple[list[int], float]]:
    """Decompose a single-OD edge flow into paths, largest first.

    Parameters
    ----------
    tail, head : ndarray of int64
        Tail and head node of each edge.
    flow : ndarray of float64
        Flow of the one OD pair on each edge (any unit).
    origin, destination : int
        Node numbers.
    tolerance : float
        Flow below ``tolerance`` times the total leaving the origin is ignored.
    max_paths : int
        Most paths returned.

    Returns
    -------
    list of (list of int, float)
        Each path's edges in order and its flow (same unit as ``flow``).
    """
    remaining = np.where(flow > 0, flow, 0.0).astype(np.float64)
    total = float(remaining[tail == origin].sum())
    if total <= 0:
        return []
    floor = tolerance * total
    out_edges: dict[int, list[int]] = {}
    for e in np.flatnonzero(remaining > floor):
        out_edges.setdefault(int(tail[e]), []).append(int(e))
    paths: list[tuple[list[int], float]] = []
    while len(paths) < max_paths:
        node, visited, edges = origin, {origin}, []
        while node != destination:
            options = [e for e in out_edges.get(node, []) if remaining[e] > floor]
            options = [e for e in options if int(head[e]) not in visited]
            if not options:
                break
            best = max(options, key=lambda e: remaining[e])
            edges.append(best)
            node = int(head[best])
            visited.add(node)
        if node != destination or not edges:
            break
        amount = float(min(remaining[e] for e in edges))
        for e in edges:
            remaining[e] -= amount
        paths.append((edges, amount))
    return paths
