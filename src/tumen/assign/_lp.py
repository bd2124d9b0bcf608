"""Capacity-constrained least-cost multi-commodity flow, as a linear programme in HiGHS."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from tumen.assign._classes import TrafficClass
from tumen.assign._network import Network
from tumen.assign._prepare import prepare_classes
from tumen.errors import ConvergenceError, DataError, Problem

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CapacityConstraint", "FlowResult", "FlowSettings", "solve_min_cost_flow"]


@dataclass(frozen=True, eq=False)
class CapacityConstraint:
    """A capacity shared by a group of links: ``sum coef[a] * w_k * x[k, a] <= capacity``.

    Attributes
    ----------
    name : str
        Name shown in results (e.g. "Rajin port handling").
    links : ndarray of int64
        Link indices in the group.
    capacity : float
        Capacity of the group, in the flow units of the weighted sum per period.
    coefficients : ndarray of float64 or None
        Weight of each link in the group (e.g. 0.5 where a link uses half a berth); default 1.
    classes : tuple of str or None
        Classes counted; None counts all.
    use_pce : bool
        Weight each class's flow by its PCE (``w_k = pce``); otherwise ``w_k = 1``.
    """

    name: str
    links: NDArray[np.int64]
    capacity: float
    coefficients: NDArray[np.float64] | None = None
    classes: tuple[str, ...] | None = None
    use_pce: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "links", np.asarray(self.links, dtype=np.int64).ravel())
        if self.coefficients is not None:
            object.__setattr__(
                self, "coefficients", np.asarray(self.coefficients, dtype=np.float64).ravel()
            )
        if self.classes is not None:
            object.__setattr__(self, "classes", tuple(self.classes))


@dataclass(frozen=True)
class FlowSettings:
    """How to set up and solve the least-cost flow programme.

    Attributes
    ----------
    link_capacity : bool
        Add ``sum_k pce_k * x[k, a] <= capacity[a]`` for every link (default True).
    default_unmet_cost : float or None
        Cost per unit of unserved demand for classes without ``unmet_cost``; None uses
        ``1 + sum over links of the largest class cost``, dearer than any path, so demand
        goes unserved only where capacity runs out.
    time_limit : float or None
        Seconds HiGHS may run.
    binding_tolerance : float
        A constraint is binding when its slack is at most this times ``max(1, capacity)``.
    """

    link_capacity: bool = True
    default_unmet_cost: float | None = None
    time_limit: float | None = None
    binding_tolerance: float = 1e-7


@dataclass(frozen=True, eq=False)
class FlowResult:
    """The outcome of :func:`solve_min_cost_flow`.

    Attributes
    ----------
    network : Network
        The network solved.
    class_flows : dict of str to ndarray
        Flow per link of each class, in the class's units per period.
    origin_flows : dict of str to (ndarray, ndarray)
        Per class: origin node indices and their link flows (origins x links).
    class_costs : dict of str to ndarray
        The fixed cost per unit per link of each class (``inf`` where closed).
    unmet : pandas.DataFrame
        One row per OD pair: ``class``, ``origin``, ``destination`` (node ids), ``demand``,
        ``unmet`` (units per period) and ``unmet_cost`` (cost per unit).
    constraints : pandas.DataFrame
        One row per capacity constraint: ``name``, ``kind`` (``link`` or ``shared``),
        ``capacity``, ``flow`` (its weighted flow), ``shadow_price`` (cost units per unit of
        capacity, >= 0: how much the objective falls with one more unit of capacity) and
        ``binding``.
    objective : float
        Total cost, unserved demand's penalty included (cost units).
    """

    network: Network
    class_flows: dict[str, NDArray[np.float64]]
    origin_flows: dict[str, tuple[NDArray[np.int64], NDArray[np.float64]]] = field(repr=False)
    class_costs: dict[str, NDArray[np.float64]] = field(repr=False)
    unmet: pd.DataFrame
    constraints: pd.DataFrame
    objective: float

    @property
    def binding(self) -> pd.DataFrame:
        """The binding constraints, dearest shadow price first."""
        rows = self.constraints[self.constraints["binding"]]
        return rows.sort_values("shadow_price", ascending=False)

    def paths(self, class_name: str, tolerance: float = 1e-9) -> pd.DataFrame:
        """Decompose a class's flows into OD paths (see :func:`tumen.assign.decompose_flow`)."""
        from tumen.assign._paths import paths_table

        origins, flows = self.origin_flows[class_name]
        return paths_table(self.network, origins, flows, self.class_costs[class_name], tolerance)


def _check_constraints(
    network: Network, names: set[str], constraints: Sequence[CapacityConstraint]
) -> None:
    problems = []
    seen: set[str] = set()
    for i, con in enumerate(constraints):
        where = f"constraint '{con.name}'"
        if con.name in seen:
            problems.append(Problem("constraints", i + 1, "name", "a unique name", con.name))
        seen.add(con.name)
        bad = con.links[(con.links < 0) | (con.links >= network.num_links)]
        if bad.size:
            problems.append(
                Problem(
                    where, None, "links", f"link indices in 0..{network.num_links - 1}", str(bad[0])
                )
            )
        if con.coefficients is not None and con.coefficients.shape != con.links.shape:
            problems.append(
                Problem(
                    where,
                    None,
                    "coefficients",
                    f"{con.links.size} values",
                    str(con.coefficients.shape),
                )
            )
        if not (np.isfinite(con.capacity) and con.capacity >= 0):
            problems.append(
                Problem(where, None, "capacity", "a finite number >= 0", str(con.capacity))
            )
        for name in con.classes or ():
            if name not in names:
                problems.append(Problem(where, None, "classes", "names of classes solved", name))
    if problems:
        raise DataError(problems)


def solve_min_cost_flow(
    network: Network,
    classes: Sequence[TrafficClass] | TrafficClass,
    constraints: Sequence[CapacityConstraint] = (),
    settings: FlowSettings | None = None,
) -> FlowResult:
    """Route every class at least total cost within capacities (a linear programme).

    Costs do not depend on flow: class ``k`` pays ``c[k, a] = free_flow_time[a] +
    toll_weight * toll[a] + distance_weight * length[a] + fixed_cost[k, a]`` per unit on
    link ``a``. Each (class, origin) is one commodity with flow conservation at every
    node; demand may go unserved at the class's ``unmet_cost`` per unit, so the programme
    is always feasible. The programme::

        minimise   sum_k sum_o sum_a c[k, a] x[k, o, a] + sum_k sum_od p_k u[k, od]
        subject to conservation per (k, o) and node, with u leaving at the origin,
                   sum_k pce_k sum_o x[k, o, a] <= capacity[a]       (link capacities)
                   sum_a coef[a] w_k sum_o x[k, o, a] <= capacity_g  (each constraint g)
                   x >= 0, 0 <= u <= demand.

    The shadow price of a constraint is minus HiGHS's row dual: the fall in total cost per
    unit of extra capacity (>= 0; zero for a constraint with slack).

    Parameters
    ----------
    network : Network
        The network.
    classes : TrafficClass or sequence of TrafficClass
        The commodity classes.
    constraints : sequence of CapacityConstraint
        Shared capacities over groups of links, each named.
    settings : FlowSettings, optional
        See :class:`FlowSettings`.

    Returns
    -------
    FlowResult

    Raises
    ------
    tumen.errors.DataError
        For bad classes or constraints.
    tumen.errors.ConvergenceError
        If HiGHS does not reach an optimal solution.

    References
    ----------
    R. K. Ahuja, T. L. Magnanti and J. B. Orlin (1993), *Network Flows*, ch. 17
    (multicommodity flows); Q. Huangfu and J. A. J. Hall (2018), "Parallelizing the dual
    revised simplex method", Mathematical Programming Computation 10, 119-142 (HiGHS).
    """
    import highspy  # imported here: only this solver needs HiGHS and scipy.sparse
    import pandas as pd
    import scipy.sparse as sp

    settings = settings or FlowSettings()
    if isinstance(classes, TrafficClass):
        classes = [classes]
    arrays = prepare_classes(network, classes)
    _check_constraints(network, {c.name for c in arrays}, constraints)
    n, m = network.num_nodes, network.num_links
    costs = [network.free_flow_time + c.static for c in arrays]
    finite_max = max(float(np.where(np.isfinite(c), c, 0.0).max(initial=0.0)) for c in costs)
    auto_unmet = 1.0 + finite_max * m

    # columns: per commodity (class k, origin o) its usable links, then its unmet pairs
    col_cost, col_upper, rows_i, cols_i, vals = [], [], [], [], []
    link_of_col: list[NDArray[np.int64]] = []
    commodity_cols: list[tuple[int, int, int, NDArray[np.int64]]] = []
    unmet_cols: list[tuple[int, int, int, int]] = []
    row_rhs = []
    ncol = 0
    ncom = 0
    for k, (cls, user) in enumerate(zip(arrays, classes, strict=True)):
        open_links = np.flatnonzero(np.isfinite(costs[k]))
        tails = network.from_node[open_links]
        penalty = user.unmet_cost
        if penalty is None:
            penalty = settings.default_unmet_cost
        if penalty is None:
            penalty = auto_unmet
        for oi, o in enumerate(cls.origins):
            links = open_links[~network.no_thru[tails] | (tails == o)]
            base = ncom * n
            cols = np.arange(ncol, ncol + links.size)
            rows_i += [base + network.from_node[links], base + network.to_node[links]]
            cols_i += [cols, cols]
            vals += [np.ones(links.size), -np.ones(links.size)]
            col_cost.append(costs[k][links])
            col_upper.append(np.full(links.size, np.inf))
            link_of_col.append(links)
            commodity_cols.append((k, oi, ncol, links))
            ncol += links.size
            rhs = np.zeros(n)
            lo, hi = cls.dem_ptr[oi], cls.dem_ptr[oi + 1]
            dests = cls.dem_dest[lo:hi]
            dem = cls.dem_vol[lo:hi] / cls.pce
            np.add.at(rhs, dests, -dem)
            rhs[o] += dem.sum()
            row_rhs.append(rhs)
            ucols = np.arange(ncol, ncol + dests.size)
            rows_i += [np.full(dests.size, base + o), base + dests]
            cols_i += [ucols, ucols]
            vals += [np.ones(dests.size), -np.ones(dests.size)]
            col_cost.append(np.full(dests.size, float(penalty)))
            col_upper.append(dem)
            link_of_col.append(np.full(dests.size, -1, dtype=np.int64))
            for j in range(dests.size):
                unmet_cols.append((k, oi, int(dests[j]), ncol + j))
            ncol += dests.size
            ncom += 1
    n_eq = ncom * n
    link_col = np.concatenate(link_of_col)
    pce_col = np.concatenate(
        [np.full(links.size, arrays[k].pce) for k, _, _, links in commodity_cols]
    )
    flow_cols = np.concatenate(
        [np.arange(start, start + links.size) for _, _, start, links in commodity_cols]
    )
    class_of_flow_col = np.concatenate(
        [np.full(links.size, k) for k, _, _, links in commodity_cols]
    )
    names, kinds, caps = [], [], []
    next_row = n_eq
    if settings.link_capacity:
        used = np.unique(link_col[flow_cols])
        row_of_link = np.full(m, -1, dtype=np.int64)
        row_of_link[used] = np.arange(next_row, next_row + used.size)
        rows_i.append(row_of_link[link_col[flow_cols]])
        cols_i.append(flow_cols)
        vals.append(pce_col)
        for a in used:
            names.append(
                f"link {network.node_ids[network.from_node[a]]}-"
                f"{network.node_ids[network.to_node[a]]}"
            )
            kinds.append("link")
            caps.append(float(network.capacity[a]))
        next_row += used.size
    class_index = {c.name: k for k, c in enumerate(arrays)}
    for con in constraints:
        coef = np.zeros(m)
        np.add.at(coef, con.links, 1.0 if con.coefficients is None else con.coefficients)
        weight = np.array([c.pce if con.use_pce else 1.0 for c in arrays])
        if con.classes is not None:
            keep = np.zeros(len(arrays), dtype=bool)
            keep[[class_index[name] for name in con.classes]] = True
            weight = np.where(keep, weight, 0.0)
        value = coef[link_col[flow_cols]] * weight[class_of_flow_col]
        nz = value != 0.0
        rows_i.append(np.full(int(nz.sum()), next_row))
        cols_i.append(flow_cols[nz])
        vals.append(value[nz])
        names.append(con.name)
        kinds.append("shared")
        caps.append(float(con.capacity))
        next_row += 1
    n_rows = next_row
    matrix = sp.csc_matrix(
        (np.concatenate(vals), (np.concatenate(rows_i), np.concatenate(cols_i))),
        shape=(n_rows, ncol),
    )
    matrix.sum_duplicates()
    rhs = np.concatenate(row_rhs) if row_rhs else np.zeros(0)
    caps_arr = np.array(caps, dtype=np.float64)
    lp = highspy.HighsLp()
    lp.num_col_ = ncol
    lp.num_row_ = n_rows
    lp.col_cost_ = np.concatenate(col_cost)
    lp.col_lower_ = np.zeros(ncol)
    lp.col_upper_ = np.concatenate(col_upper)
    lp.row_lower_ = np.concatenate([rhs, np.full(caps_arr.size, -np.inf)])
    lp.row_upper_ = np.concatenate([rhs, caps_arr])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
    lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = matrix.data
    # the public constructor prints a banner on stdout; the core class does not
    h = getattr(getattr(highspy, "_core", None), "_Highs", highspy.Highs)()
    h.setOptionValue("output_flag", False)
    if settings.time_limit is not None:
        h.setOptionValue("time_limit", float(settings.time_limit))
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise ConvergenceError(
            f"HiGHS stopped without an optimal solution: {h.modelStatusToString(status)}"
        )
    solution = h.getSolution()
    x = np.asarray(solution.col_value)
    dual = np.asarray(solution.row_dual)
    activity = np.asarray(solution.row_value)[n_eq:]

    origin_flows = {}
    for k, cls in enumerate(arrays):
        flows = np.zeros((cls.origins.shape[0], m))
        for kk, oi, start, links in commodity_cols:
            if kk == k:
                flows[oi, links] = np.maximum(x[start : start + links.size], 0.0)
        origin_flows[cls.name] = (cls.origins, flows)
    unmet = pd.DataFrame(
        [
            (
                arrays[k].name,
                int(network.node_ids[arrays[k].origins[oi]]),
                int(network.node_ids[d]),
                float(lp.col_upper_[col]),
                max(float(x[col]), 0.0),
                float(lp.col_cost_[col]),
            )
            for k, oi, d, col in unmet_cols
        ],
        columns=["class", "origin", "destination", "demand", "unmet", "unmet_cost"],
    )
    shadow = -dual[n_eq:]
    shadow = np.where(np.abs(shadow) < 1e-12, 0.0, shadow)
    slack = caps_arr - activity
    binding = slack <= settings.binding_tolerance * np.maximum(1.0, caps_arr)
    table = pd.DataFrame(
        {
            "name": names,
            "kind": kinds,
            "capacity": caps_arr,
            "flow": activity,
            "shadow_price": shadow,
            "binding": binding,
        }
    )
    return FlowResult(
        network=network,
        class_flows={c.name: origin_flows[c.name][1].sum(axis=0) for c in arrays},
        origin_flows=origin_flows,
        class_costs={c.name: costs[k] for k, c in enumerate(arrays)},
        unmet=unmet,
        constraints=table,
        objective=float(h.getInfo().objective_function_value),
    )
