"""Canonical small networks for the assignment tests, each with a known answer."""

from __future__ import annotations

import numpy as np

from tumen.assign import Network, TrafficClass


def braess(with_bridge: bool = True) -> tuple[Network, TrafficClass]:
    """Braess's network as TNTP ships it: 6 trips from node 0 to node 1.

    Link times: 0->2 10x, 0->3 50+x, 2->1 50+x, 2->3 10+x, 3->1 10x (the 10x links have
    a free-flow time of 1e-8, as in TNTP). With the bridge 2->3 every path carries 2 and
    costs 92; without it each of the two paths carries 3 and costs 83.
    """
    tail = [0, 0, 2, 2, 3]
    head = [2, 3, 1, 3, 1]
    t0 = [1e-8, 50.0, 50.0, 10.0, 1e-8]
    alpha = [1e9, 0.02, 0.02, 0.1, 1e9]
    keep = [0, 1, 2, 3, 4] if with_bridge else [0, 1, 2, 4]
    net = Network.from_arrays(
        np.take(tail, keep),
        np.take(head, keep),
        np.take(t0, keep),
        np.ones(len(keep)),
        alpha=np.take(alpha, keep),
        beta=1.0,
        num_nodes=4,
        zones=2,
    )
    return net, TrafficClass("trips", [0], [1], [6.0])


def grid(rows: int, cols: int, seed: int, zones: int) -> Network:
    """A two-way grid with random BPR links; the first ``zones`` nodes are zones."""
    rng = np.random.default_rng(seed)
    tail, head = [], []
    for r in range(rows):
        for c in range(cols):
            n = r * cols + c
            if c + 1 < cols:
                tail += [n, n + 1]
                head += [n + 1, n]
            if r + 1 < rows:
                tail += [n, n + cols]
                head += [n + cols, n]
    m = len(tail)
    return Network.from_arrays(
        tail,
        head,
        rng.uniform(1.0, 5.0, m),
        rng.uniform(20, 60, m),
        length=rng.uniform(0.5, 2.0, m),
        toll=rng.uniform(0, 1, m),
        alpha=0.15,
        beta=4.0,
        zones=zones,
    )


def random_demand(net: Network, seed: int, scale: float = 10.0) -> TrafficClass:
    """Demand between every pair of zones, uniform in [0, scale)."""
    rng = np.random.default_rng(seed)
    z = net.zones
    mat = rng.uniform(0, scale, (z.size, z.size))
    np.fill_diagonal(mat, 0.0)
    return TrafficClass.from_matrix("cars", mat, z)
