"""Turn a network and its classes into the plain arrays the kernels take (checked once)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from tumen.assign._classes import TrafficClass
from tumen.assign._network import Network
from tumen.errors import DataError, Problem

__all__ = ["ClassArrays", "in_star", "prepare_classes", "raise_unreachable"]


@dataclass(frozen=True, eq=False)
class ClassArrays:
    """One class's demand grouped by origin, in PCE units, and its static link costs."""

    name: str
    pce: float
    origins: NDArray[np.int64]
    dem_ptr: NDArray[np.int64]
    dem_dest: NDArray[np.int64]
    dem_vol: NDArray[np.float64]
    static: NDArray[np.float64]
    static_finite: NDArray[np.float64]
    total_demand: float


def in_star(network: Network) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Return the backward star: links entering node ``n`` are ``links[ptr[n]:ptr[n+1]]``."""
    order = np.argsort(network.to_node, kind="stable").astype(np.int64)
    ptr = np.zeros(network.num_nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(network.to_node, minlength=network.num_nodes), out=ptr[1:])
    return ptr, order


def _is_sorted(org: NDArray[np.int64], dst: NDArray[np.int64]) -> bool:
    """Whether OD pairs are ordered by origin, then destination."""
    if org.shape[0] < 2:
        return True
    step = np.diff(org)
    return bool(np.all((step > 0) | ((step == 0) & (dst[1:] >= dst[:-1]))))


def prepare_classes(network: Network, classes: Sequence[TrafficClass]) -> list[ClassArrays]:
    """Check classes against the network and group their demand by origin.

    Raises
    ------
    tumen.errors.DataError
        For duplicate names, bad node indices or negative costs (listed together).
        Reachability is checked by the solvers (:func:`raise_unreachable`).
    """
    if not classes:
        raise DataError(Problem("classes", None, None, "at least one traffic class", "none"))
    problems: list[Problem] = []
    names = [c.name for c in classes]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(Problem("classes", None, "name", "a unique class name", name))
    for cls in classes:
        try:
            cls.check(network)
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    out = []
    for cls in classes:
        static = cls.static_cost(network)
        bad = np.flatnonzero(network.free_flow_time + static < 0)
        for i in bad[:20]:
            problems.append(
                Problem(
                    f"class '{cls.name}'",
                    int(i) + 1,
                    "generalised cost",
                    "a cost >= 0 at free flow",
                    str(network.free_flow_time[i] + static[i]),
                )
            )
        keep = (cls.volumes > 0) & (cls.origins != cls.destinations)
        org, dst, vol = cls.origins, cls.destinations, cls.volumes
        if not keep.all():  # from_matrix keeps only positive volumes off the diagonal
            org, dst, vol = org[keep], dst[keep], vol[keep]
        del keep
        if not _is_sorted(org, dst):  # from_matrix gives pairs already in order
            order = np.lexsort((dst, org))
            org, dst, vol = org[order], dst[order], vol[order]
            del order
        if cls.pce != 1.0:
            vol = vol * cls.pce  # never in place: vol may be the class's own array
        starts = np.flatnonzero(np.diff(org, prepend=-1))
        ptr = np.append(starts, org.shape[0]).astype(np.int64)
        arrays = ClassArrays(
            name=cls.name,
            pce=float(cls.pce),
            origins=org[starts].astype(np.int64),
            dem_ptr=ptr,
            dem_dest=dst.astype(np.int64, copy=False),
            dem_vol=vol.astype(np.float64, copy=False),
            static=static,
            static_finite=np.where(np.isfinite(static), static, 0.0),
            total_demand=float(vol.sum()),
        )
        out.append(arrays)
    if problems:
        raise DataError(problems)
    return out


def raise_unreachable(network: Network, classes: Sequence[ClassArrays]) -> None:
    """Raise a :class:`DataError` listing OD pairs with demand but no open path, if any."""
    problems: list[Problem] = []
    for arrays in classes:
        problems.extend(_unreachable(network, arrays))
    if problems:
        raise DataError(problems)


def _unreachable(network: Network, arrays: ClassArrays) -> list[Problem]:
    """List OD pairs of a class with demand but no open path."""
    from tumen.assign._kernels_paths import dijkstra

    n, m = network.num_nodes, network.num_links
    dist = np.empty(n)
    pred = np.empty(n, dtype=np.int64)
    order = np.empty(n, dtype=np.uint32)
    hk = np.empty(m + 1)
    hn = np.empty(m + 1, dtype=np.uint32)
    cost = (network.free_flow_time + arrays.static)[network.out_links]
    csr_to = network.to_node[network.out_links].astype(np.uint32)
    no_mark = np.zeros(1, dtype=np.int64)
    problems = []
    for i, o in enumerate(arrays.origins):
        dijkstra(
            o,
            network.out_ptr,
            network.out_links,
            csr_to,
            cost,
            network.no_thru,
            dist,
            pred,
            order,
            hk,
            hn,
            no_mark,
            1,
            0,
        )
        dests = arrays.dem_dest[arrays.dem_ptr[i] : arrays.dem_ptr[i + 1]]
        for d in dests[~np.isfinite(dist[dests])]:
            if len(problems) < 20:
                problems.append(
                    Problem(
                        f"class '{arrays.name}'",
                        None,
                        "destination",
                        f"a node reachable from origin node {network.node_ids[o]} on the links "
                        "this class may use",
                        str(network.node_ids[d]),
                    )
                )
    return problems
