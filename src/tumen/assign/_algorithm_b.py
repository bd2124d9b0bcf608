"""Algorithm B (Dial 2006): bush-based equilibrium to very small relative gaps."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import numba
import numpy as np
from numpy.typing import NDArray

from tumen.assign import _kernels_bush as kb
from tumen.assign import _kernels_vdf as kv
from tumen.assign._kernels_paths import shortest_costs
from tumen.assign._measure import Progress, gap_of, link_times
from tumen.assign._network import Network
from tumen.assign._prepare import ClassArrays, in_star, raise_unreachable

__all__ = ["BushStore", "run_algorithm_b"]


class BushStore:
    """The bushes of one run, stored compactly (see :mod:`tumen.assign._kernels_bush`).

    ``links`` (int32) and ``flows`` (float64) hold ``width`` slots per bush, ``size`` the
    number used. The store starts a little wider than a shortest-path tree and grows in
    place (``ndarray.resize``: a large block is remapped, not copied) when a bush needs
    more room, so growing never holds two copies.
    """

    def __init__(self, n_bushes: int, n_nodes: int, n_links: int) -> None:
        self.n_bushes = n_bushes
        self.n_links = n_links
        self.width = max(1, min(n_links, n_nodes + n_nodes // 8 + 16))
        self.links = np.zeros(n_bushes * self.width, dtype=np.int32)
        self.flows = np.zeros(n_bushes * self.width)
        self.size = np.zeros(n_bushes, dtype=np.int32)

    @property
    def arrays(self) -> tuple[NDArray[np.int32], NDArray[np.float64], NDArray[np.int32], int]:
        """The arrays the kernels take: links, flows, sizes and width."""
        return self.links, self.flows, self.size, self.width

    def grow(self, need: int) -> None:
        """Widen every bush's slots to at least ``need`` (and by at least a tenth)."""
        new = min(self.n_links, max(need, self.width + self.width // 10 + 1))
        for name in ("links", "flows"):
            store = getattr(self, name)
            store.resize(self.n_bushes * new, refcheck=False)
            kb.restride(store, self.n_bushes, self.width, new)
        self.width = new

    def dense(self, first: int, last: int, scale: float) -> NDArray[np.float64]:
        """Flows of bushes ``first .. last - 1`` as rows over all links, divided by ``scale``."""
        return kb.dense_flows(*self.arrays, first, last, self.n_links, scale)


class BushFlows(Mapping[str, tuple[NDArray[np.int64], NDArray[np.float64]]]):
    """Per class: its origins and their bush flows (origins x links, class units).

    The dense rows are built when a class is first asked for, so a solve that never asks
    never holds them.
    """

    def __init__(self, store: BushStore, classes: Sequence[ClassArrays]) -> None:
        self._store = store
        self._spans: dict[str, tuple[NDArray[np.int64], int, int, float]] = {}
        start = 0
        for c in classes:
            n = int(c.origins.shape[0])
            self._spans[c.name] = (c.origins, start, start + n, c.pce)
            start += n
        self._made: dict[str, tuple[NDArray[np.int64], NDArray[np.float64]]] = {}

    def __getitem__(self, name: str) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        if name not in self._made:
            origins, first, last, pce = self._spans[name]
            self._made[name] = (origins, self._store.dense(first, last, pce))
        return self._made[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._spans)

    def __len__(self) -> int:
        return len(self._spans)


def run_algorithm_b(
    network: Network,
    classes: Sequence[ClassArrays],
    progress: Progress,
    inner_passes: int,
) -> tuple[NDArray[np.float64], BushFlows]:
    """Run Algorithm B until ``progress`` says stop.

    Each outer iteration measures the gap (one shortest-path round), updates every bush's
    links in parallel at the current times, gives every bush one pass of Newton shifts,
    then runs up to ``inner_passes`` more passes over the bushes whose own relative gap is
    above a quarter of the last measured gap (bushes near equilibrium are skipped, so the
    work goes where the excess cost is). Shifts update link times exactly as they go.

    Returns the per-class PCE link flows (classes x links) and the bushes' flows per class
    (origins x links, class units, built on first use).
    """
    bush_class = np.concatenate(
        [np.full(c.origins.shape[0], k, dtype=np.int64) for k, c in enumerate(classes)]
    )
    bush_origin = np.concatenate([c.origins for c in classes])
    counts = np.concatenate([np.diff(c.dem_ptr) for c in classes])
    dptr = np.zeros(counts.shape[0] + 1, dtype=np.int64)
    np.cumsum(counts, out=dptr[1:])
    dest = np.concatenate([c.dem_dest for c in classes])
    vol = np.concatenate([c.dem_vol for c in classes])
    static = np.stack([c.static for c in classes])
    n_b, n_l = bush_origin.shape[0], network.num_links
    store = BushStore(n_b, network.num_nodes, n_l)
    in_ptr, in_links = in_star(network)
    net = network
    vdf_args = (net.free_flow_time, net.capacity, net.vdf, net.alpha, net.beta)
    t = net.free_flow_time.copy()
    lost = kb.init_bushes(
        bush_class,
        bush_origin,
        dptr,
        dest,
        vol,
        net.out_ptr,
        net.out_links,
        net.from_node,
        net.to_node,
        net.no_thru,
        static,
        t,
        *store.arrays,
    )
    if lost:
        raise_unreachable(network, classes)
    x = np.zeros((len(classes), n_l))
    dt = np.empty(n_l)
    active = np.ones(n_b, dtype=np.uint8)
    threads = numba.get_num_threads()
    topology = (net.out_ptr, net.out_links, in_ptr, in_links, net.from_node, net.to_node)
    while True:
        kb.class_flows(*store.arrays, bush_class, len(classes), x)
        v = x.sum(axis=0)
        t = link_times(network, v)
        sp = 0.0
        for cls in classes:
            sp += float(
                shortest_costs(
                    cls.origins,
                    cls.dem_ptr,
                    cls.dem_dest,
                    cls.dem_vol,
                    net.out_ptr,
                    net.out_links,
                    net.to_node,
                    t + cls.static,
                    net.no_thru,
                    threads,
                )
            )
        gap = gap_of(network, classes, x, t, sp)
        if progress.record(gap):
            break
        kv.derivatives(v, *vdf_args, dt)
        rel_tol = min(1e-3, 0.1 * gap.relative_gap) * 1e-2
        todo = np.ones(n_b, dtype=np.uint8)
        while True:
            need = kb.improve_all(
                bush_class,
                bush_origin,
                *store.arrays,
                todo,
                static,
                t,
                *topology[:4],
                net.from_node,
                net.to_node,
                net.no_thru,
                threads,
            )
            if not todo.any():
                break
            store.grow(int(need.max()))
        active[:] = 1
        kb.shift_all(
            bush_class,
            bush_origin,
            *store.arrays,
            static,
            v,
            t,
            dt,
            *vdf_args,
            *topology,
            active,
            0.0,
            rel_tol,
        )
        threshold = 0.25 * gap.relative_gap
        for _ in range(inner_passes):
            if (
                kb.shift_all(
                    bush_class,
                    bush_origin,
                    *store.arrays,
                    static,
                    v,
                    t,
                    dt,
                    *vdf_args,
                    *topology,
                    active,
                    threshold,
                    rel_tol,
                )
                == 0
            ):
                break
    return x, BushFlows(store, classes)
