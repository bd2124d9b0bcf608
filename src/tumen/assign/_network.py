"""The network: links as plain arrays with a compressed forward star (CSR) beside them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tumen.errors import DataError, Problem

__all__ = ["VDF", "Network"]

_WHERE = "network arrays"


class VDF(IntEnum):
    """Volume-delay function of a link; the code stored in :attr:`Network.vdf`.

    With ``x = v / c`` (flow over capacity) and ``t0`` the free-flow time:

    ``BPR`` (Bureau of Public Roads, 1964)
        ``t = t0 * (1 + alpha * x**beta)``, for any ``alpha >= 0`` and ``beta >= 0``;
        ``beta = 0`` is the constant time ``t0 * (1 + alpha)`` (TNTP's "power 0" links).
    ``CONICAL`` (Spiess, 1990, *Transportation Science* 24(2), 153-158)
        ``t = t0 * (2 + sqrt(alpha**2 * (1 - x)**2 + b**2) - alpha * (1 - x) - b)`` with
        ``b = (2 * alpha - 1) / (2 * alpha - 2)``; needs ``alpha > 1``; the link's ``beta`` is
        not used.
    ``QUEUE`` (Akçelik, 1991, *Australian Road Research* 21(3), 49-59)
        A time-dependent queueing delay for border crossings and other bottlenecks that
        stays finite above capacity:
        ``t = t0 + (T / 4) * ((x - 1) + sqrt((x - 1)**2 + 8 * J * x / (c * T)))`` with
        ``J = alpha`` (the delay parameter, dimensionless; Akçelik suggests 0.1 for freeways
        up to 1.6 for interrupted flow) and ``T = beta`` (the length of the flow period, in
        the unit of ``t0``). For this function ``c`` must be a flow per that same time unit,
        so that ``c * T`` is the number of units the link can serve in the period.
    """

    BPR = 0
    CONICAL = 1
    QUEUE = 2


def _as_float(
    values: ArrayLike | None, n: int, name: str, default: float, problems: list[Problem]
) -> NDArray[np.float64]:
    if values is None:
        return np.full(n, default, dtype=np.float64)
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim == 0:
        arr = np.full(n, float(arr), dtype=np.float64)
    if arr.shape != (n,):
        problems.append(Problem(_WHERE, None, name, f"{n} values (one per link)", str(arr.shape)))
        return np.full(n, default, dtype=np.float64)
    bad = np.flatnonzero(~np.isfinite(arr))
    for i in bad[:20]:
        problems.append(Problem(_WHERE, int(i) + 1, name, "a finite number", str(arr[i])))
    return arr


@dataclass(frozen=True, eq=False)
class Network:
    """A directed network held as plain arrays; build it with :meth:`from_arrays`.

    Nodes are numbered ``0 .. num_nodes - 1`` and links ``0 .. num_links - 1``; every
    per-link array has one value per link, in link order. Zones (origins and
    destinations of demand) are nodes too.

    Attributes
    ----------
    from_node, to_node : ndarray of int64
        Tail and head node index of each link.
    free_flow_time : ndarray of float64
        Travel time at zero flow, in the network's time unit (e.g. minutes).
    capacity : ndarray of float64
        Capacity, in flow units (e.g. vehicles per hour, PCE) per the demand's period.
    length : ndarray of float64
        Length, in the network's distance unit.
    toll : ndarray of float64
        Toll, in the network's money unit.
    vdf : ndarray of int8
        :class:`VDF` code of each link.
    alpha, beta : ndarray of float64
        Parameters of each link's volume-delay function (see :class:`VDF`).
    num_nodes : int
        Number of nodes.
    zones : ndarray of int64
        Node index of each zone, in zone order.
    no_thru : ndarray of bool
        Per node: True where paths may start or end at the node but not pass through it
        (TNTP's "first thru node" rule).
    node_ids : ndarray of int64
        The user's identifier of each node (TNTP node numbers), for output.
    out_ptr, out_links : ndarray of int64
        Forward star: the links leaving node ``n`` are ``out_links[out_ptr[n]:out_ptr[n+1]]``.
    """

    from_node: NDArray[np.int64]
    to_node: NDArray[np.int64]
    free_flow_time: NDArray[np.float64]
    capacity: NDArray[np.float64]
    length: NDArray[np.float64]
    toll: NDArray[np.float64]
    vdf: NDArray[np.int8]
    alpha: NDArray[np.float64]
    beta: NDArray[np.float64]
    num_nodes: int
    zones: NDArray[np.int64]
    no_thru: NDArray[np.bool_]
    node_ids: NDArray[np.int64]
    out_ptr: NDArray[np.int64] = field(repr=False)
    out_links: NDArray[np.int64] = field(repr=False)

    @property
    def num_links(self) -> int:
        """Number of links."""
        return int(self.from_node.shape[0])

    @property
    def num_zones(self) -> int:
        """Number of zones."""
        return int(self.zones.shape[0])

    @classmethod
    def from_arrays(
        cls,
        from_node: ArrayLike,
        to_node: ArrayLike,
        free_flow_time: ArrayLike,
        capacity: ArrayLike,
        *,
        length: ArrayLike | None = None,
        toll: ArrayLike | None = None,
        vdf: ArrayLike | Sequence[str] | str | VDF = VDF.BPR,
        alpha: ArrayLike = 0.15,
        beta: ArrayLike = 4.0,
        num_nodes: int | None = None,
        zones: ArrayLike | int | None = None,
        first_thru_node: int = 0,
        no_thru: ArrayLike | None = None,
        node_ids: ArrayLike | None = None,
    ) -> Network:
        """Check link arrays and build the network with its forward star.

        Parameters
        ----------
        from_node, to_node : array_like of int
            Tail and head node index of each link (0-based).
        free_flow_time : array_like of float
            Free-flow travel time of each link, in the network's time unit; >= 0.
        capacity : array_like of float
            Capacity of each link, in flow units; > 0.
        length : array_like of float, optional
            Length of each link, in the network's distance unit (default 0).
        toll : array_like of float, optional
            Toll of each link, in the network's money unit (default 0).
        vdf : VDF, str or array_like, optional
            Volume-delay function for all links or per link: a :class:`VDF`, its code, or
            its name (``"bpr"``, ``"conical"``, ``"queue"``). Default BPR.
        alpha, beta : float or array_like of float, optional
            Volume-delay parameters (see :class:`VDF`); default 0.15 and 4.
        num_nodes : int, optional
            Number of nodes; default one more than the largest node index.
        zones : int or array_like of int, optional
            Node indices of the zones, or a count ``n`` meaning nodes ``0 .. n-1`` (the TNTP
            convention). Default: no zones (demand may still use any node).
        first_thru_node : int, optional
            0-based index of the first node that paths may pass through: nodes with a
            smaller index may only start or end a path (TNTP ``<FIRST THRU NODE>`` minus 1).
            Default 0 (all nodes can be passed through).
        no_thru : array_like of bool, optional
            Per-node mask of nodes that paths may not pass through; combined (or) with
            ``first_thru_node``.
        node_ids : array_like of int, optional
            The user's node identifiers, for output; default ``1 .. num_nodes``.

        Returns
        -------
        Network

        Raises
        ------
        tumen.errors.DataError
            Listing every bad value (row is the 1-based link number).
        """
        problems: list[Problem] = []
        tail = np.asarray(from_node, dtype=np.int64).ravel()
        head = np.asarray(to_node, dtype=np.int64).ravel()
        n = int(tail.shape[0])
        if head.shape[0] != n:
            raise DataError(Problem(_WHERE, None, "to_node", f"{n} values", str(head.shape[0])))
        fft = _as_float(free_flow_time, n, "free_flow_time", 0.0, problems)
        cap = _as_float(capacity, n, "capacity", 1.0, problems)
        lng = _as_float(length, n, "length", 0.0, problems)
        tol = _as_float(toll, n, "toll", 0.0, problems)
        a = _as_float(alpha, n, "alpha", 0.15, problems)
        b = _as_float(beta, n, "beta", 4.0, problems)
        codes = _vdf_codes(vdf, n, problems)
        max_node = int(max(tail.max(initial=-1), head.max(initial=-1)))
        nn = max_node + 1 if num_nodes is None else int(num_nodes)
        for name, arr in (("from_node", tail), ("to_node", head)):
            for i in np.flatnonzero((arr < 0) | (arr >= nn))[:20]:
                problems.append(
                    Problem(_WHERE, int(i) + 1, name, f"a node index in 0..{nn - 1}", str(arr[i]))
                )
        for i in np.flatnonzero(fft < 0)[:20]:
            problems.append(Problem(_WHERE, int(i) + 1, "free_flow_time", ">= 0", str(fft[i])))
        for i in np.flatnonzero(cap <= 0)[:20]:
            problems.append(Problem(_WHERE, int(i) + 1, "capacity", "> 0", str(cap[i])))
        bpr = codes == VDF.BPR
        for i in np.flatnonzero(bpr & ((a < 0) | (b < 0)))[:20]:
            problems.append(
                Problem(
                    _WHERE,
                    int(i) + 1,
                    "alpha/beta",
                    "alpha >= 0 and beta >= 0 for BPR",
                    f"{a[i]}/{b[i]}",
                )
            )
        for i in np.flatnonzero((codes == VDF.CONICAL) & (a <= 1))[:20]:
            problems.append(Problem(_WHERE, int(i) + 1, "alpha", "> 1 for conical", str(a[i])))
        for i in np.flatnonzero((codes == VDF.QUEUE) & ((a <= 0) | (b <= 0)))[:20]:
            problems.append(
                Problem(
                    _WHERE, int(i) + 1, "alpha/beta", "J > 0 and T > 0 for queue", f"{a[i]}/{b[i]}"
                )
            )
        zone_arr = _zones(zones, nn, problems)
        blocked = np.zeros(nn, dtype=np.bool_)
        if first_thru_node > 0:
            blocked[: min(int(first_thru_node), nn)] = True
        if no_thru is not None:
            mask = np.asarray(no_thru, dtype=np.bool_)
            if mask.shape != (nn,):
                problems.append(Problem(_WHERE, None, "no_thru", f"{nn} booleans", str(mask.shape)))
            else:
                blocked |= mask
        ids = (
            np.arange(1, nn + 1, dtype=np.int64)
            if node_ids is None
            else np.asarray(node_ids, dtype=np.int64)
        )
        if ids.shape != (nn,):
            problems.append(Problem(_WHERE, None, "node_ids", f"{nn} ids", str(ids.shape)))
        if problems:
            raise DataError(problems)
        order = np.argsort(tail, kind="stable").astype(np.int64)
        ptr = np.zeros(nn + 1, dtype=np.int64)
        np.cumsum(np.bincount(tail, minlength=nn), out=ptr[1:])
        return cls(
            from_node=tail,
            to_node=head,
            free_flow_time=fft,
            capacity=cap,
            length=lng,
            toll=tol,
            vdf=codes,
            alpha=a,
            beta=b,
            num_nodes=nn,
            zones=zone_arr,
            no_thru=blocked,
            node_ids=ids,
            out_ptr=ptr,
            out_links=order,
        )


def _vdf_codes(
    vdf: ArrayLike | Sequence[str] | str | VDF, n: int, problems: list[Problem]
) -> NDArray[np.int8]:
    names = {v.name.lower(): int(v) for v in VDF}
    valid = np.array(sorted(int(v) for v in VDF))
    if isinstance(vdf, str | VDF | int):
        code = names.get(vdf.strip().lower()) if isinstance(vdf, str) else int(vdf)
        if code is None or code not in valid:
            problems.append(Problem(_WHERE, None, "vdf", "one of bpr, conical, queue", str(vdf)))
            return np.zeros(n, dtype=np.int8)
        return np.full(n, code, dtype=np.int8)
    values = np.asarray(vdf)
    if values.shape != (n,):
        problems.append(Problem(_WHERE, None, "vdf", f"{n} values", str(values.shape)))
        return np.zeros(n, dtype=np.int8)
    if values.dtype.kind in "iu":
        codes = values.astype(np.int64)
    else:
        text = np.char.lower(np.char.strip(values.astype(str)))
        codes = np.full(n, -1, dtype=np.int64)
        for name, code in names.items():
            codes[text == name] = code
        digits = np.char.isdigit(text)
        codes[digits] = text[digits].astype(np.int64)
    for i in np.flatnonzero(~np.isin(codes, valid))[:20]:
        problems.append(
            Problem(_WHERE, int(i) + 1, "vdf", "one of bpr, conical, queue", str(values[i]))
        )
    return codes.astype(np.int8) if not problems else np.zeros(n, dtype=np.int8)


def _zones(zones: ArrayLike | int | None, nn: int, problems: list[Problem]) -> NDArray[np.int64]:
    if zones is None:
        return np.zeros(0, dtype=np.int64)
    if np.ndim(zones) == 0:
        count = int(zones)  # type: ignore[arg-type]
        if not 0 <= count <= nn:
            problems.append(Problem(_WHERE, None, "zones", f"a count in 0..{nn}", str(count)))
            return np.zeros(0, dtype=np.int64)
        return np.arange(count, dtype=np.int64)
    arr = np.asarray(zones, dtype=np.int64).ravel()
    for i in np.flatnonzero((arr < 0) | (arr >= nn))[:20]:
        problems.append(
            Problem(_WHERE, int(i) + 1, "zones", f"a node index in 0..{nn - 1}", str(arr[i]))
        )
    if np.unique(arr).shape[0] != arr.shape[0]:
        problems.append(Problem(_WHERE, None, "zones", "distinct node indices", "duplicates"))
    return arr
