"""Algorithm B (Dial 2006): bush-based equilibrium to very small relative gaps."""

from __future__ import annotations

from collections.abc import Sequence

import numba
import numpy as np
from numpy.typing import NDArray

from tumen.assign import _kernels_bush as kb
from tumen.assign import _kernels_vdf as kv
from tumen.assign._kernels_paths import shortest_costs
from tumen.assign._measure import Progress, gap_of, link_times
from tumen.assign._network import Network
from tumen.assign._prepare import ClassArrays, in_star, raise_unreachable

__all__ = ["run_algorithm_b"]


def run_algorithm_b(
    network: Network,
    classes: Sequence[ClassArrays],
    progress: Progress,
    inner_passes: int,
) -> tuple[NDArray[np.float64], list[tuple[NDArray[np.int64], NDArray[np.float64]]]]:
    """Run Algorithm B until ``progress`` says stop.

    Each outer iteration measures the gap (one shortest-path round), updates every bush's
    links in parallel at the current times, gives every bush one pass of Newton shifts,
    then runs up to ``inner_passes`` more passes over the bushes whose own relative gap is
    above a quarter of the last measured gap (bushes near equilibrium are skipped, so the
    work goes where the excess cost is). Shifts update link times exactly as they go.

    Returns the per-class PCE link flows (classes x links) and, per class, its origins
    and their bush flows (origins x links, PCE; views into one array).
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
    bf = np.empty((n_b, n_l))
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
        bf,
    )
    if lost:
        raise_unreachable(network, classes)
    x = np.zeros((len(classes), n_l))
    dt = np.empty(n_l)
    active = np.ones(n_b, dtype=np.uint8)
    threads = numba.get_num_threads()
    topology = (net.out_ptr, net.out_links, in_ptr, in_links, net.from_node, net.to_node)
    while True:
        kb.class_flows(bf, bush_class, len(classes), x)
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
        kb.improve_all(
            bush_class,
            bush_origin,
            bf,
            static,
            t,
            *topology[:4],
            net.from_node,
            net.to_node,
            net.no_thru,
            threads,
        )
        active[:] = 1
        kb.shift_all(
            bush_class,
            bush_origin,
            bf,
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
                    bf,
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
    kb.clear_absent(bf)
    per_class = []
    start = 0
    for c in classes:
        n = c.origins.shape[0]
        per_class.append((c.origins, bf[start : start + n]))
        start += n
    return x, per_class
