"""The kept linear programme of a compiled scenario: built once, changed by numbers.

:class:`DrawLp` holds the HiGHS model of a scenario's least-cost flow in its smallest
exact form and applies a draw as a few batched changes:

- **Commodities.** Classes with the same origin, handling class, value per tonne, PCE
  and allowed edges share one commodity (one flow per edge, one conservation row per
  node); each class keeps its own unmet column from the origin to its destination.
  A flow of several classes with the same costs from the same origin is a flow of one
  commodity with several sinks, so the optimum is the same.
- **Pruning.** A commodity keeps only the edges that lie on some route from its origin
  to one of its destinations (reachable from the origin and reaching a destination,
  every link a draw may open counted open), and only the rows of the nodes they touch.
  Other edges could only carry cycles, which cost something, so the optimum is the same.
- **Closures.** A draw's closed links and facilities are column bounds. What a set of
  closures means is worked out once per distinct set (:class:`Pattern`): the columns
  shut, the Russia–China rule (no DPRK transit while a route through Russia and China
  alone is open, decided per draw as a single run decides it) and the classes left
  with no open route (a single run leaves them out of its objective; so does this).
- **A draw** is then one ``changeRowsBounds`` (demand at the terminal rows and every
  capacity), one ``changeColsBounds`` (the unmet columns and the columns that open or
  close), one ``changeColsCost`` only where costs change, and a warm dual simplex
  re-solve from the last basis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order

from tumen.errors import ConvergenceError

__all__ = ["BINDING_TOLERANCE", "DrawLp", "LpClass", "LpOutcome", "Pattern", "new_highs"]

#: A constraint binds when its slack is at most this share of its capacity.
BINDING_TOLERANCE = 1e-7

#: Cost of a column whose edge cost is no longer finite after a cost change.
_CLOSED_COST = 1e12


@dataclass(frozen=True, eq=False)
class LpClass:
    """One demand class as the programme sees it.

    Attributes
    ----------
    origin, destination : int
        Centroid nodes.
    pce : float
        Tonne-equivalents per unit.
    group : tuple
        Classes with equal ``group`` and origin share costs (handling class, value).
    allowed : ndarray of bool
        Edges the class may use when every link a draw may open is open; for a class
        under the Russia–China rule, the edges without it (DPRK edges included).
    restricted : ndarray of bool or None
        For a class under the Russia–China rule, ``allowed`` without the DPRK edges.
    cost : ndarray
        Generalised cost per unit on each edge, USD.
    """

    origin: int
    destination: int
    pce: float
    group: tuple[Any, ...]
    allowed: NDArray[np.bool_]
    restricted: NDArray[np.bool_] | None
    cost: NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Pattern:
    """What one set of closed edges means for the programme.

    Attributes
    ----------
    shut : ndarray of int32
        Flow columns bounded to zero.
    allowed : list of ndarray of bool
        Per class: the edges it may use (closures and the Russia–China rule applied).
    no_route : ndarray of bool
        Per class: no open route from origin to destination.
    """

    shut: NDArray[np.int32]
    allowed: list[NDArray[np.bool_]]
    no_route: NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class LpOutcome:
    """One solve's key outputs (arrays in class, group and link order)."""

    objective_usd: float
    cost_usd: float
    class_unmet: NDArray[np.float64]
    group_flow: NDArray[np.float64]
    group_shadow: NDArray[np.float64]
    group_binding: NDArray[np.bool_]
    link_flow: NDArray[np.float64]


def _reach(
    tail: NDArray[np.int64], head: NDArray[np.int64], n: int, start: int
) -> NDArray[np.bool_]:
    matrix = csr_matrix((np.ones(tail.size), (tail, head)), shape=(n, n))
    out = np.zeros(n, dtype=bool)
    out[breadth_first_order(matrix, start, directed=True, return_predecessors=False)] = True
    return out


def new_highs(lp: Any) -> Any:
    """Return a quiet, serial HiGHS solver holding the model ``lp``."""
    import highspy

    # the public constructor prints a banner on stdout; the core class does not
    h = getattr(getattr(highspy, "_core", None), "_Highs", highspy.Highs)()
    h.setOptionValue("output_flag", False)
    # serial and fixed: the same draws give the same bits on any worker ("threads" is left
    # alone: HiGHS refuses a solve whose thread count differs from its running scheduler's)
    h.setOptionValue("parallel", "off")
    h.setOptionValue("simplex_strategy", 1)  # serial dual simplex, never PAMI/SIP
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("presolve", "off")  # warm re-solves from a basis never presolve
    h.passModel(lp)
    return h


class DrawLp:
    """The least-cost flow of a compiled scenario as one kept HiGHS model.

    Parameters
    ----------
    tail, head : ndarray of int64
        Each edge's end nodes.
    num_nodes : int
        Nodes of the graph.
    classes : sequence of LpClass
        The classes with a route (in the compiled scenario's order).
    groups : sequence of ndarray of int64
        Edges of each capacity group.
    capacity : ndarray
        Each group's base capacity, tonne-equivalents per year.
    edge_link : ndarray of int64
        Per edge, the corridor link it runs on (``-1`` for other edges).
    num_links : int
        Corridor links.
    in_kp : ndarray of bool
        Edges in the DPRK (for the Russia–China rule).
    penalty : float
        Cost of a unit of unmet demand, USD.
    """

    def __init__(
        self,
        tail: NDArray[np.int64],
        head: NDArray[np.int64],
        num_nodes: int,
        classes: Sequence[LpClass],
        groups: Sequence[NDArray[np.int64]],
        capacity: NDArray[np.float64],
        edge_link: NDArray[np.int64],
        num_links: int,
        in_kp: NDArray[np.bool_],
        penalty: float,
    ) -> None:
        import highspy
        import scipy.sparse as sp

        self.tail, self.head, self.n = tail, head, num_nodes
        self.classes = list(classes)
        self.penalty = float(penalty)
        self.in_kp = in_kp
        m = tail.size
        # commodities: one per origin, cost group, PCE, allowed edges (and destination
        # where the Russia–China rule decides per destination)
        key_of: dict[tuple[Any, ...], int] = {}
        comm_of_class = np.zeros(len(self.classes), dtype=np.int64)
        for k, c in enumerate(self.classes):
            key = (c.origin, c.group, c.pce, c.allowed.tobytes(),
                   c.destination if c.restricted is not None else -1)  # fmt: skip
            comm_of_class[k] = key_of.setdefault(key, len(key_of))
        ncomm = len(key_of)
        rows_i: list[Any] = []
        cols_i: list[Any] = []
        vals: list[Any] = []
        col_edge: list[Any] = []
        col_comm: list[Any] = []
        node_row = np.full((ncomm, num_nodes), -1, dtype=np.int64)
        nrow = ncol = 0
        for ci in range(ncomm):
            members = np.flatnonzero(comm_of_class == ci)
            first = self.classes[members[0]]
            usable = first.allowed & np.isfinite(first.cost)
            t, h_ = tail[usable], head[usable]
            fwd = _reach(t, h_, num_nodes, first.origin)
            bwd = np.zeros(num_nodes, dtype=bool)
            for d in {self.classes[k].destination for k in members}:
                bwd |= _reach(h_, t, num_nodes, d)
            edges = np.flatnonzero(usable & fwd[tail] & bwd[head])
            nodes = np.unique(np.concatenate([
                tail[edges], head[edges], [first.origin],
                [self.classes[k].destination for k in members],
            ]).astype(np.int64))  # fmt: skip
            node_row[ci, nodes] = np.arange(nrow, nrow + nodes.size)
            nrow += nodes.size
            cols = np.arange(ncol, ncol + edges.size)
            rows_i += [node_row[ci, tail[edges]], node_row[ci, head[edges]]]
            cols_i += [cols, cols]
            vals += [np.ones(edges.size), -np.ones(edges.size)]
            col_edge.append(edges)
            col_comm.append(np.full(edges.size, ci))
            ncol += edges.size
        n_flow = ncol
        # one unmet column per class, from its origin's row to its destination's
        unmet_col = np.arange(n_flow, n_flow + len(self.classes))
        o_row = np.array([node_row[comm_of_class[k], c.origin] for k, c in enumerate(self.classes)],
                         dtype=np.int64)  # fmt: skip
        d_row = np.array([node_row[comm_of_class[k], c.destination]
                          for k, c in enumerate(self.classes)], dtype=np.int64)  # fmt: skip
        rows_i += [o_row, d_row]
        cols_i += [unmet_col, unmet_col]
        vals += [np.ones(unmet_col.size), -np.ones(unmet_col.size)]
        ncol = n_flow + len(self.classes)
        self.col_edge = (
            np.concatenate(col_edge).astype(np.int64) if col_edge else np.zeros(0, np.int64)
        )
        self.col_comm = (
            np.concatenate(col_comm).astype(np.int64) if col_comm else np.zeros(0, np.int64)
        )
        comm_pce = np.array([self.classes[np.flatnonzero(comm_of_class == ci)[0]].pce
                             for ci in range(ncomm)])  # fmt: skip
        col_pce = comm_pce[self.col_comm] if n_flow else np.zeros(0)
        # capacity rows: sum over the group's edges of pce * flow
        g_rows, g_cols, g_vals = [], [], []
        for gi, g in enumerate(groups):
            inside = np.zeros(m, dtype=bool)
            inside[np.asarray(g, dtype=np.int64)] = True
            cols = np.flatnonzero(inside[self.col_edge])
            g_rows.append(np.full(cols.size, nrow + gi))
            g_cols.append(cols)
            g_vals.append(col_pce[cols])
        n_eq = nrow
        n_rows = n_eq + len(groups)
        matrix = sp.csc_matrix(
            (np.concatenate([*map(np.asarray, vals), *g_vals]).astype(np.float64),
             (np.concatenate([*map(np.asarray, rows_i), *g_rows]).astype(np.int64),
              np.concatenate([*map(np.asarray, cols_i), *g_cols]).astype(np.int64))),
            shape=(n_rows, ncol),
        )  # fmt: skip
        matrix.sum_duplicates()
        comm_cost = [self.classes[np.flatnonzero(comm_of_class == ci)[0]].cost
                     for ci in range(ncomm)]  # fmt: skip
        self.comm_rep = [int(np.flatnonzero(comm_of_class == ci)[0]) for ci in range(ncomm)]
        cost = np.concatenate([
            np.array([comm_cost[c][e] for c, e in zip(self.col_comm, self.col_edge, strict=True)],
                     dtype=np.float64),
            np.full(len(self.classes), self.penalty),
        ])  # fmt: skip
        lp = highspy.HighsLp()
        lp.num_col_ = ncol
        lp.num_row_ = n_rows
        lp.col_cost_ = cost
        lp.col_lower_ = np.zeros(ncol)
        lp.col_upper_ = np.full(ncol, np.inf)
        lp.row_lower_ = np.concatenate([np.zeros(n_eq), np.full(len(groups), -np.inf)])
        lp.row_upper_ = np.concatenate([np.zeros(n_eq), np.asarray(capacity, dtype=np.float64)])
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
        lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
        lp.a_matrix_.value_ = matrix.data
        self.lp = lp
        self.h = new_highs(lp)
        self.ncol, self.n_flow, self.n_eq = ncol, n_flow, n_eq
        self.comm_of_class = comm_of_class
        self.unmet_col = unmet_col.astype(np.int32)
        self.base_cost = cost
        self.cost = cost
        # the rows a draw changes: each terminal row once, then every capacity row
        self.term_rows, inverse = np.unique(np.concatenate([o_row, d_row]), return_inverse=True)
        self._o_at, self._d_at = inverse[: len(self.classes)], inverse[len(self.classes) :]
        self.change_rows = np.concatenate([self.term_rows, np.arange(n_eq, n_rows)]).astype(
            np.int32
        )
        self._lower = np.concatenate([np.zeros(self.term_rows.size), np.full(len(groups), -np.inf)])
        link = edge_link[self.col_edge] if n_flow else np.zeros(0, np.int64)
        keep = link >= 0
        self.to_link = csr_matrix((col_pce[keep], (link[keep], np.flatnonzero(keep))),
                                  shape=(num_links, ncol))  # fmt: skip
        self.group_rows = slice(n_eq, n_rows)
        self.group_matrix = matrix.tocsr()[n_eq:n_rows]
        self._patterns: dict[bytes, Pattern] = {}
        self._shut = np.zeros(0, dtype=np.int32)
        self._cost_changed = False
        self._start_basis: Any = None

    # -- closures ---------------------------------------------------------------------
    def pattern(self, closed: NDArray[np.bool_]) -> Pattern:
        """Return what closing the edges ``closed`` means (worked out once per set)."""
        key = closed.tobytes()
        found = self._patterns.get(key)
        if found is not None:
            return found
        open_ = ~closed
        allowed, no_route = [], np.zeros(len(self.classes), dtype=bool)
        rule_shut = np.zeros(self.ncol, dtype=bool)
        for k, c in enumerate(self.classes):
            mask = c.allowed & open_
            if c.restricted is not None:
                tight = c.restricted & open_
                if _reach(self.tail[tight], self.head[tight], self.n, c.origin)[c.destination]:
                    mask = tight
                    rule_shut[: self.n_flow] |= (self.col_comm == self.comm_of_class[k]) & (
                        self.in_kp[self.col_edge]
                    )
            allowed.append(mask)
            no_route[k] = not _reach(self.tail[mask], self.head[mask], self.n, c.origin)[
                c.destination
            ]
        shut = np.zeros(self.ncol, dtype=bool)
        shut[: self.n_flow] = closed[self.col_edge]
        shut |= rule_shut
        found = Pattern(np.flatnonzero(shut).astype(np.int32), allowed, no_route)
        self._patterns[key] = found
        return found

    # -- solving ----------------------------------------------------------------------
    def keep_basis(self) -> None:
        """Keep the current basis as the one every :meth:`restart` returns to."""
        self._start_basis = self.h.getBasis()

    def restart(self) -> None:
        """Return to the kept basis with a fresh solver (each chunk starts here)."""
        if self._start_basis is None:
            return
        # A fresh solver: HiGHS keeps more than the basis between solves (edge weights,
        # factorisation), and a chunk must not depend on the one before.
        self.h = new_highs(self.lp)
        self.h.setBasis(self._start_basis)
        self._shut = np.zeros(0, dtype=np.int32)
        self.cost = self.base_cost
        self._cost_changed = False

    def column_costs(self, class_costs: Sequence[NDArray[np.float64]]) -> NDArray[np.float64]:
        """Return the column costs for per-class edge costs (a cost change)."""
        cost = self.base_cost.copy()
        for ci, k in enumerate(self.comm_rep):
            cols = np.flatnonzero(self.col_comm == ci)
            gen = class_costs[k][self.col_edge[cols]]
            cost[cols] = np.where(np.isfinite(gen), gen, _CLOSED_COST)
        return cost

    def solve(
        self,
        volume: NDArray[np.float64],
        capacity: NDArray[np.float64],
        pattern: Pattern,
        cost: NDArray[np.float64] | None = None,
    ) -> LpOutcome:
        """Set a draw's numbers and re-solve warm.

        Parameters
        ----------
        volume : ndarray
            Demand of each class, its units per year.
        capacity : ndarray
            Each group's capacity, tonne-equivalents per year.
        pattern : Pattern
            The draw's closures (:meth:`pattern`).
        cost : ndarray, optional
            Column costs (:meth:`column_costs`); None keeps the base costs.

        Returns
        -------
        LpOutcome

        Raises
        ------
        ConvergenceError
            If HiGHS does not reach an optimal solution.
        """
        import highspy

        h = self.h
        size = self.term_rows.size
        rhs = np.bincount(self._o_at, volume, size) - np.bincount(self._d_at, volume, size)
        upper = np.concatenate([rhs, capacity])
        lower = self._lower.copy()
        lower[: rhs.size] = rhs
        h.changeRowsBounds(self.change_rows.size, self.change_rows, lower, upper)
        shut = pattern.shut
        if shut is self._shut:
            cols, col_upper = self.unmet_col, volume
        else:  # the columns that open or close, with the unmet columns (the demand)
            changed = np.union1d(self._shut, shut).astype(np.int32)
            cols = np.concatenate([changed, self.unmet_col])
            col_upper = np.concatenate([np.where(np.isin(changed, shut), 0.0, np.inf), volume])
            self._shut = shut
        h.changeColsBounds(cols.size, cols, np.zeros(cols.size), col_upper)
        if cost is not None or self._cost_changed:
            self.cost = self.base_cost if cost is None else cost
            h.changeColsCost(self.ncol, np.arange(self.ncol, dtype=np.int32), self.cost)
            self._cost_changed = cost is not None
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise ConvergenceError(
                "HiGHS stopped without an optimal solution for a draw: "
                f"{h.modelStatusToString(h.getModelStatus())}"
            )
        sol = h.getSolution()
        x = np.maximum(np.asarray(sol.col_value), 0.0)
        rows = self.group_matrix @ x  # the capacity rows' activity, from x alone
        shadow = -np.asarray(sol.row_dual)[self.group_rows]
        shadow = np.where(np.abs(shadow) < 1e-9, 0.0, shadow)
        unmet = x[self.unmet_col]
        flow = x[: self.n_flow]
        served_cost = float(np.dot(self.cost[: self.n_flow], flow))
        objective = served_cost + self.penalty * float(unmet.sum())
        # a single run leaves a class with no open route out of its objective
        objective -= self.penalty * float(volume[pattern.no_route].sum())
        binding = capacity - rows <= BINDING_TOLERANCE * np.maximum(1.0, capacity)
        return LpOutcome(objective, served_cost, unmet, rows, shadow, binding,
                         np.asarray(self.to_link @ x))  # fmt: skip
