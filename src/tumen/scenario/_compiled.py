"""Compile once: a scenario's graph, classes and linear programme, re-solved per draw.

:func:`compile_scenario` builds the corridor graph, the demand classes, the capacity
groups and the HiGHS model of the least-cost flow once for a scenario, with every link
and facility that a draw may open left in the graph. :meth:`CompiledScenario.solve`
then takes a resolved scenario (plain numbers, :func:`tumen.scenario._resolve.resolve`)
and changes only numbers in the kept model: capacities (row bounds), demand (the origin
and destination rows and the unmet columns), links and facilities closed (column
bounds) and, where a draw changes cost parameters or zone fees, the column costs. HiGHS
keeps its model and basis between solves, so each draw starts warm from the last.

The model is the one :mod:`tumen.scenario._solve` gives the engine's
:func:`tumen.assign.solve_min_cost_flow` for a scenario: per class (one origin, one
destination) flow in the class's units on its allowed edges at its generalised cost,
demand left unserved at the scenario's penalty, and each capacity group a row
``sum pce * flow <= capacity``. Equilibrium scenarios are solved per draw by
:func:`tumen.scenario._solve.solve` on the kept graph.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from tumen.data._scenario import Scenario
from tumen.errors import ConvergenceError, ScenarioError
from tumen.scenario._cost import class_cost
from tumen.scenario._graph import CorridorGraph, build_graph
from tumen.scenario._inputs import Inputs, prepare_inputs
from tumen.scenario._solve import DemandClass, solve

__all__ = ["CompiledScenario", "DrawOutcome", "check_ids", "compile_scenario", "demand_ends"]

_NO_COLS = np.zeros(0, dtype=np.int64)

#: A constraint binds when its slack is at most this share of its capacity.
BINDING_TOLERANCE = 1e-7


@dataclass(frozen=True, eq=False)
class DrawOutcome:
    """What one solve gives, as arrays in the compiled scenario's orders.

    Attributes
    ----------
    status : str
        ``optimal`` (or the equilibrium's status).
    objective_usd : float
        Total generalised cost with the penalty on unmet demand, USD per year.
    cost_usd : float
        Generalised cost of the flows served, USD per year.
    class_volume : ndarray
        Demand of each demand row (``CompiledScenario.rows`` order), units per year.
    class_unmet : ndarray
        Demand left unserved per demand row, units per year.
    group_capacity, group_flow, group_shadow : ndarray
        Per capacity group (``CompiledScenario.groups`` order): capacity and flow in
        tonne-equivalents per year, shadow price in USD per (t/yr).
    group_binding : ndarray of bool
        Whether the group's slack is (almost) nil.
    link_flow : ndarray
        Tonne-equivalents per year on each corridor link (``CompiledScenario.link_ids``).
    """

    status: str
    objective_usd: float
    cost_usd: float
    class_volume: NDArray[np.float64]
    class_unmet: NDArray[np.float64]
    group_capacity: NDArray[np.float64]
    group_flow: NDArray[np.float64]
    group_shadow: NDArray[np.float64]
    group_binding: NDArray[np.bool_]
    link_flow: NDArray[np.float64]


def _maybe_open(scenario: Scenario) -> tuple[set[str], set[str]]:
    unc = scenario.uncertainty
    return set(unc.open_links), set(unc.open_facilities)


def _topology(resolved: Scenario, links: set[str], facilities: set[str]) -> Scenario:
    """Return the scenario with every link and facility a draw may open left open."""
    ov = resolved.overrides
    return resolved.model_copy(update={"overrides": ov.model_copy(update={
        "close_links": tuple(x for x in ov.close_links if x not in links),
        "open_links": (*ov.open_links, *sorted(links - set(ov.open_links))),
        "close_facilities": tuple(x for x in ov.close_facilities if x not in facilities),
        "open_facilities": (*ov.open_facilities,
                            *sorted(facilities - set(ov.open_facilities))),
    })})  # fmt: skip


def _unit_demand(resolved: Scenario) -> Scenario:
    """Return the scenario with demand scales 1 and additions of 1 unit (set per draw)."""
    spec = resolved.demand
    return resolved.model_copy(update={"demand": spec.model_copy(update={
        "scale_all": 1.0, "scale_by_category": {}, "scale_by_commodity": {},
        "add": tuple(a.model_copy(update={"quantity": 1.0}) for a in spec.add),
    })})  # fmt: skip


def demand_ends(demand: pd.DataFrame) -> pd.DataFrame:
    """Return the demand's origin and destination places with their sea flags."""
    return pd.concat([
        pd.DataFrame({"place_id": demand["origin"], "origin": True, "sea": demand["origin_sea"]}),
        pd.DataFrame({"place_id": demand["destination"], "origin": False,
                      "sea": demand["destination_sea"]}),
    ], ignore_index=True)  # fmt: skip


def _params(dataset: Any, resolved: Scenario) -> dict[str, float]:
    params = {str(k): float(v) for k, v in dataset.cost_parameters["value"].items()}
    params.update({k: float(v) for k, v in resolved.overrides.cost.items()})  # type: ignore[arg-type]
    return params


@dataclass(eq=False)
class CompiledScenario:
    """A scenario built once: graph, classes, capacity groups and the kept HiGHS model.

    Use :func:`compile_scenario`; then :meth:`solve` once per resolved draw.

    Attributes
    ----------
    scenario : Scenario
        The scenario as read (it may hold distributions).
    inputs : Inputs
        Inputs of the compiled topology (demand unscaled).
    graph : CorridorGraph
        The corridor graph, every link and facility a draw may open included.
    classes : list of DemandClass
        Classes with a route (the rest are unmet in every draw).
    rows : pandas.DataFrame
        One row per demand row: ``name, category, commodity, unit, handling_class,
        origin, destination, add_index`` (``-1`` unless a scenario addition) and
        ``quantity0`` (the unscaled quantity).
    groups : list
        Capacity groups (``graph.groups``).
    link_ids : list of str
        Corridor links in :attr:`DrawOutcome.link_flow` order.
    capacity_basis : list of str
        Per capacity group: ``sourced``, ``estimate`` (an ``ASSUMPTION-CAPACITY-…``
        source) or ``scenario`` (set by the scenario file), as a run's bottlenecks say;
        a capacity drawn from its dataset range keeps the dataset's basis.
    """

    scenario: Scenario
    dataset: Any = field(repr=False)
    inputs: Inputs = field(repr=False)
    graph: CorridorGraph = field(repr=False)
    classes: list[DemandClass] = field(repr=False)
    rows: pd.DataFrame = field(repr=False)
    link_ids: list[str] = field(repr=False)
    _solvable: NDArray[np.int64] = field(repr=False)
    _params: dict[str, float] = field(repr=False)
    _zone_fees: dict[str, float] = field(repr=False)
    _base_caps: NDArray[np.float64] = field(repr=False)
    _model: Any = field(default=None, repr=False)
    _start_basis: Any = field(default=None, repr=False)
    capacity_basis: list[str] = field(default_factory=list, repr=False)

    @property
    def groups(self) -> list[Any]:
        """The capacity groups, in :attr:`DrawOutcome.group_flow` order."""
        return self.graph.groups

    # -- building -------------------------------------------------------------------
    def _build_lp(self) -> None:
        import highspy
        import scipy.sparse as sp

        graph, classes = self.graph, self.classes
        e = graph.edges
        n, m = len(graph.nodes), len(e)
        tail = e["from_node"].to_numpy(dtype=np.int64)
        head = e["to_node"].to_numpy(dtype=np.int64)
        penalty = float(self.scenario.assignment.unmet_penalty_usd_per_t)
        rows_i, cols_i, vals, cost, col_edge, col_class = [], [], [], [], [], []
        ncol = 0
        unmet_col = np.zeros(len(classes), dtype=np.int64)
        for k, c in enumerate(classes):
            gen = c.cost.generalised()
            edges = np.flatnonzero(c.cost.allowed & np.isfinite(gen))
            cols = np.arange(ncol, ncol + edges.size)
            base = k * n
            rows_i += [
                base + tail[edges],
                base + head[edges],
                [base + c.origin, base + c.destination],
            ]
            cols_i += [cols, cols, [ncol + edges.size] * 2]
            vals += [np.ones(edges.size), -np.ones(edges.size), [1.0, -1.0]]
            cost += [gen[edges], [penalty]]
            col_edge += [edges, [-1]]
            col_class += [np.full(edges.size + 1, k)]
            unmet_col[k] = ncol + edges.size
            ncol += edges.size + 1
        col_edge_arr = np.concatenate(col_edge).astype(np.int64) if col_edge else np.zeros(0, int)
        col_class_arr = np.concatenate(col_class) if col_class else np.zeros(0, int)
        pce = np.array([c.pce for c in classes])
        flow_cols = np.flatnonzero(col_edge_arr >= 0)
        n_eq = len(classes) * n
        groups = graph.groups
        member = np.full(m, -1, dtype=np.int64)
        g_rows, g_cols, g_vals = [], [], []
        for gi, g in enumerate(groups):
            inside = np.zeros(m, dtype=bool)
            inside[list(g.edges)] = True
            cols = flow_cols[inside[col_edge_arr[flow_cols]]]
            g_rows.append(np.full(cols.size, n_eq + gi))
            g_cols.append(cols)
            g_vals.append(pce[col_class_arr[cols]])
        del member
        matrix = sp.csc_matrix(
            (np.concatenate([*map(np.asarray, vals), *g_vals]).astype(np.float64),
             (np.concatenate([*map(np.asarray, rows_i), *g_rows]).astype(np.int64),
              np.concatenate([*map(np.asarray, cols_i), *g_cols]).astype(np.int64))),
            shape=(n_eq + len(groups), ncol),
        )  # fmt: skip
        matrix.sum_duplicates()
        lp = highspy.HighsLp()
        lp.num_col_ = ncol
        lp.num_row_ = n_eq + len(groups)
        lp.col_cost_ = np.concatenate([np.asarray(x, dtype=np.float64) for x in cost])
        lp.col_lower_ = np.zeros(ncol)
        lp.col_upper_ = np.full(ncol, np.inf)
        lp.row_lower_ = np.concatenate([np.zeros(n_eq), np.full(len(groups), -np.inf)])
        lp.row_upper_ = np.concatenate([np.zeros(n_eq), self._base_caps])
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
        lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
        lp.a_matrix_.value_ = matrix.data
        h = _new_highs(lp)
        line = (e["kind"] == "line").to_numpy()
        link_codes, link_ids = pd.factorize(e["link_id"].where(line, None))
        flow_link = link_codes[col_edge_arr[flow_cols]]
        keep = flow_link >= 0
        to_link = sp.csr_matrix(
            (pce[col_class_arr[flow_cols[keep]]], (flow_link[keep], flow_cols[keep])),
            shape=(len(link_ids), ncol),
        )
        self.link_ids = [str(x) for x in link_ids]
        self._model = {
            "h": h, "n": n, "n_eq": n_eq, "ncol": ncol, "unmet_col": unmet_col,
            "col_edge": col_edge_arr, "col_class": col_class_arr, "flow_cols": flow_cols,
            "to_link": to_link, "cost": lp.col_cost_.copy(), "lp": lp,
        }  # fmt: skip

    # -- one draw -------------------------------------------------------------------
    def restart(self) -> None:
        """Return the kept model to the base solution's basis (each chunk starts here)."""
        if self._model is not None and self._start_basis is not None:
            # A fresh solver: HiGHS keeps more than the basis between solves (edge
            # weights, factorisation), and a chunk must not depend on the one before.
            h = _new_highs(self._model["lp"])
            h.setBasis(self._start_basis)
            self._model["h"] = h
            self._model["costs_changed"] = False
            self._model["closed_cols"] = _NO_COLS

    def solve(self, resolved: Scenario) -> DrawOutcome:
        """Solve one draw: change the numbers of the kept model and re-solve warm.

        Parameters
        ----------
        resolved : Scenario
            The scenario resolved to plain numbers for this draw (same topology).

        Returns
        -------
        DrawOutcome

        Raises
        ------
        ConvergenceError
            If HiGHS does not reach an optimal solution.
        """
        volume = self._volumes(resolved)
        closed_edges = self._closed_edges(resolved)
        params = _params(self.dataset, resolved)
        fees = {k: float(v) for k, v in resolved.overrides.zone_fee_usd_per_t.items()}  # type: ignore[arg-type]
        slow = params != self._params or fees != self._zone_fees
        caps, costs = self._slow_numbers(resolved, params) if slow else (
            self._fast_caps(resolved), None)  # fmt: skip
        if self.scenario.assignment.method == "equilibrium":
            return self._solve_equilibrium(resolved, volume, caps, closed_edges, params)
        return self._solve_lp(volume, caps, closed_edges, costs)

    def _volumes(self, resolved: Scenario) -> NDArray[np.float64]:
        spec = resolved.demand
        md = self._model
        if "q0" not in md:  # the demand rows' columns as arrays, taken once
            md["cat"] = self.rows["category"].to_numpy(dtype=object)
            md["com"] = self.rows["commodity"].to_numpy(dtype=object)
            md["q0"] = self.rows["quantity0"].to_numpy(dtype=np.float64)
            add = self.rows["add_index"].to_numpy(dtype=np.int64)
            md["add_rows"] = [(int(i), int(add[i])) for i in np.flatnonzero(add >= 0)]
        factor = np.full(md["q0"].size, float(spec.scale_all))  # type: ignore[arg-type]
        for key, value in spec.scale_by_category.items():
            factor[md["cat"] == key] *= float(value)  # type: ignore[arg-type]
        for key, value in spec.scale_by_commodity.items():
            factor[md["com"] == key] *= float(value)  # type: ignore[arg-type]
        volume = md["q0"] * factor
        for i, a in md["add_rows"]:
            volume[i] = float(spec.add[a].quantity)  # type: ignore[arg-type]
        return volume

    def _closed_edges(self, resolved: Scenario) -> NDArray[np.bool_]:
        links, facilities = _maybe_open(self.scenario)
        ov = resolved.overrides
        shut_l = links & set(ov.close_links)
        shut_f = facilities & set(ov.close_facilities)
        e = self.graph.edges
        closed = np.zeros(len(e), dtype=bool)
        masks = self._model.setdefault("masks", {})
        for kind, ids in (("link", shut_l), ("facility", shut_f)):
            for x in sorted(ids):
                if (kind, x) not in masks:
                    if kind == "link":
                        masks[kind, x] = (e["kind"] == "line").to_numpy() & (
                            e["link_id"] == x
                        ).to_numpy()
                    else:
                        masks[kind, x] = (e["facility_id"] == x).to_numpy()
                closed |= masks[kind, x]
        return closed

    def _fast_caps(self, resolved: Scenario) -> NDArray[np.float64]:
        ov = resolved.overrides
        caps = self._base_caps.copy()
        added = {f.facility_id: f.capacity for f in ov.add_facilities if f.capacity is not None}
        for gi, g in enumerate(self.graph.groups):
            if g.kind == "link" and g.element_id in ov.link_capacity:
                caps[gi] = float(ov.link_capacity[g.element_id])  # type: ignore[arg-type]
            elif g.kind == "facility" and g.element_id in ov.facility_capacity:
                caps[gi] = float(ov.facility_capacity[g.element_id])  # type: ignore[arg-type]
            elif g.kind == "facility" and g.element_id in added:
                caps[gi] = float(added[g.element_id])  # type: ignore[arg-type]
        return caps

    def _slow_numbers(
        self, resolved: Scenario, params: dict[str, float]
    ) -> tuple[NDArray[np.float64], list[NDArray[np.float64]]]:
        """Rebuild edge costs and capacities where a draw changes cost parameters or fees."""
        links, facilities = _maybe_open(self.scenario)
        inputs = prepare_inputs(_unit_demand(_topology(resolved, links, facilities)),
                                dataset=self.dataset)  # fmt: skip
        graph = build_graph(inputs.links, inputs.facilities, inputs.places, inputs.zone_fees,
                            demand_ends(self.inputs.demand), inputs.params,
                            inputs.crossing_links)  # fmt: skip
        if len(graph.edges) != len(self.graph.edges):
            raise ConvergenceError("a draw changed the corridor graph's edges; sweep stopped")
        by_name = {g.name: g.capacity for g in graph.groups}
        caps = np.array([by_name.get(g.name, g.capacity) for g in self.graph.groups])
        memo: dict[tuple[str, float], NDArray[np.float64]] = {}
        costs = []
        rows = self.rows.set_index("name")
        for c in self.classes:
            key = (str(rows.loc[c.name, "handling_class"]), float(rows.loc[c.name, "value"]))
            if key not in memo:
                memo[key] = class_cost(graph, key[0], key[1], params).generalised()
            costs.append(memo[key])
        return caps, costs

    def _solve_lp(
        self,
        volume: NDArray[np.float64],
        caps: NDArray[np.float64],
        closed_edges: NDArray[np.bool_],
        costs: list[NDArray[np.float64]] | None,
    ) -> DrawOutcome:
        import highspy

        md = self._model
        h = md["h"]
        n, n_eq, ncol = md["n"], md["n_eq"], md["ncol"]
        cls_vol = volume[self._solvable]
        if "od_rows" not in md:
            md["od_rows"] = np.array(
                [k * n + c.origin for k, c in enumerate(self.classes)]
                + [k * n + c.destination for k, c in enumerate(self.classes)],
                dtype=np.int32,
            )
            md["group_rows"] = np.arange(n_eq, n_eq + caps.size, dtype=np.int32)
        if len(self.classes):
            rhs = np.concatenate([cls_vol, -cls_vol])
            h.changeRowsBounds(rhs.size, md["od_rows"], rhs, rhs)
        if caps.size:
            h.changeRowsBounds(caps.size, md["group_rows"], np.full(caps.size, -np.inf), caps)
        edge = md["col_edge"]
        flow_cols = md["flow_cols"]
        shut = flow_cols[closed_edges[edge[flow_cols]]] if closed_edges.any() else _NO_COLS
        # only the columns that open or close change, with the unmet columns (the demand)
        changed = np.union1d(md.get("closed_cols", _NO_COLS), shut)
        cols = np.concatenate([changed, md["unmet_col"]]).astype(np.int32)
        upper = np.concatenate([np.where(np.isin(changed, shut), 0.0, np.inf), cls_vol])
        md["closed_cols"] = shut
        if cols.size:
            h.changeColsBounds(cols.size, cols, np.zeros(cols.size), upper)
        all_cols = np.arange(ncol, dtype=np.int32)
        col_cost = md["cost"]
        if costs is not None:
            col_cost = col_cost.copy()
            for k, gen in enumerate(costs):
                cols = np.flatnonzero((md["col_class"] == k) & (edge >= 0))
                col_cost[cols] = np.where(np.isfinite(gen[edge[cols]]), gen[edge[cols]], 1e12)
        if ncol and (costs is not None or md.get("costs_changed")):
            h.changeColsCost(ncol, all_cols, col_cost)
            md["costs_changed"] = costs is not None
        if ncol:
            h.run()
            if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                raise ConvergenceError(
                    "HiGHS stopped without an optimal solution for a draw: "
                    f"{h.modelStatusToString(h.getModelStatus())}"
                )
            sol = h.getSolution()
            x = np.maximum(np.asarray(sol.col_value), 0.0)
            activity = np.asarray(sol.row_value)[n_eq:]
            shadow = -np.asarray(sol.row_dual)[n_eq:]
            objective = float(h.getInfo().objective_function_value)
        else:
            x = np.zeros(0)
            activity = np.zeros(caps.size)
            shadow = np.zeros(caps.size)
            objective = 0.0
        shadow = np.where(np.abs(shadow) < 1e-9, 0.0, shadow)
        unmet = volume.copy()
        unmet[self._solvable] = x[md["unmet_col"]] if ncol else cls_vol
        flow_cols = md["flow_cols"]
        used = flow_cols[x[flow_cols] > 0]
        served_cost = math.fsum(col_cost[used] * x[used]) if ncol else 0.0
        binding = caps - activity <= BINDING_TOLERANCE * np.maximum(1.0, caps)
        return DrawOutcome(
            status="optimal", objective_usd=objective, cost_usd=served_cost,
            class_volume=volume, class_unmet=unmet, group_capacity=caps, group_flow=activity,
            group_shadow=shadow, group_binding=binding,
            link_flow=np.asarray(md["to_link"] @ x) if ncol else np.zeros(len(self.link_ids)),
        )  # fmt: skip

    def _solve_equilibrium(
        self,
        resolved: Scenario,
        volume: NDArray[np.float64],
        caps: NDArray[np.float64],
        closed_edges: NDArray[np.bool_],
        params: dict[str, float],
    ) -> DrawOutcome:
        from dataclasses import replace

        graph = replace(self.graph, groups=[
            replace(g, capacity=float(c)) for g, c in zip(self.graph.groups, caps, strict=True)
        ])  # fmt: skip
        classes = []
        for k, c in enumerate(self.classes):
            allowed = c.cost.allowed & ~closed_edges
            cost = replace(c.cost, allowed=allowed)
            classes.append(replace(c, volume=float(volume[self._solvable[k]]), cost=cost))
        a = resolved.assignment
        sol = solve(graph, classes, method="equilibrium", gap=a.gap,
                    max_iterations=a.max_iterations, unmet_penalty=a.unmet_penalty_usd_per_t,
                    params=params)  # fmt: skip
        m = len(self.graph.edges)
        tonne_eq = np.zeros(m)
        cost = 0.0
        for c in classes:
            f = sol.flows.get(c.name, np.zeros(m))
            tonne_eq += f * c.pce
            gen = c.cost.generalised()
            cost += float(np.where(np.isfinite(gen), gen, 0.0) @ f)
        flow = np.array([tonne_eq[list(g.edges)].sum() for g in self.graph.groups])
        e = self.graph.edges
        line = (e["kind"] == "line").to_numpy()
        link_flow = (
            pd.Series(tonne_eq[line], index=e.loc[line, "link_id"].to_numpy())
            .groupby(level=0, sort=False).sum().reindex(self.link_ids).fillna(0.0).to_numpy()
        )  # fmt: skip
        unmet = volume.copy()
        unmet[self._solvable] = 0.0
        return DrawOutcome(
            status=sol.status, objective_usd=sol.objective, cost_usd=cost,
            class_volume=volume, class_unmet=unmet, group_capacity=caps, group_flow=flow,
            group_shadow=np.full(caps.size, np.nan),
            group_binding=flow >= caps * (1 - BINDING_TOLERANCE), link_flow=link_flow,
        )  # fmt: skip


def check_ids(scenario: Scenario, dataset: Any) -> None:
    """Check every id the scenario names, ``uncertainty`` included, against the dataset.

    Raises
    ------
    ScenarioError
        One line naming the file and each key path holding an unknown id.
    """
    from tumen.data._scenario_file import scenario_problems
    from tumen.scenario._resolve import resolve

    problems = scenario_problems(scenario, scenario.source or scenario.name, vars(dataset))
    if problems:
        raise ScenarioError(problems)
    resolve(scenario)  # a shared multiplier's keys


def _new_highs(lp: Any) -> Any:
    """Return a quiet HiGHS solver holding the model ``lp``."""
    import highspy

    # the public constructor prints a banner on stdout; the core class does not
    h = getattr(getattr(highspy, "_core", None), "_Highs", highspy.Highs)()
    h.setOptionValue("output_flag", False)
    # serial and fixed: the same draws give the same bits on any worker ("threads" is left
    # alone: HiGHS refuses a solve whose thread count differs from its running scheduler's)
    h.setOptionValue("parallel", "off")
    h.setOptionValue("simplex_strategy", 1)  # serial dual simplex, never PAMI/SIP
    h.setOptionValue("random_seed", 0)
    h.passModel(lp)
    return h


def compile_scenario(scenario: Scenario, dataset: Any) -> CompiledScenario:
    """Build a scenario's graph, classes and solver model once, for many draws.

    Parameters
    ----------
    scenario : Scenario
        A scenario, possibly with distributions (its base values shape the graph; every
        link and facility in ``uncertainty.open_links`` / ``open_facilities`` is kept in
        it and closed per draw by column bounds). Its ``uncertainty.capacity_ranges``
        are written in as capacity distributions (see
        :func:`tumen.scenario._ranges.with_capacity_ranges`); ``scenario`` of the
        result is that scenario.
    dataset : tumen.data.Dataset
        The loaded dataset.

    Returns
    -------
    CompiledScenario

    Raises
    ------
    ScenarioError
        If the scenario names unknown ids.
    """
    from tumen.scenario._ranges import with_capacity_ranges
    from tumen.scenario._resolve import resolve
    from tumen.scenario._run import _capacity_basis, _classes

    check_ids(scenario, dataset)
    own = scenario  # the file's own capacities (before its ranges are written in)
    scenario = with_capacity_ranges(scenario, dataset)
    base = resolve(scenario)
    links, facilities = _maybe_open(scenario)
    compiled_sc = _unit_demand(_topology(base, links, facilities))
    inputs = prepare_inputs(compiled_sc, dataset=dataset)
    graph = build_graph(inputs.links, inputs.facilities, inputs.places, inputs.zone_fees,
                        demand_ends(inputs.demand), inputs.params,
                        inputs.crossing_links)  # fmt: skip
    classes, rows, unreachable = _classes(graph, inputs)
    solvable = [c for c in classes if c.name not in unreachable]
    names = list(rows)
    demand = inputs.demand
    prefix = f"{scenario.name}:add"
    add_index = [
        int(str(d)[len(prefix) :]) - 1 if str(d).startswith(prefix) else -1
        for d in demand["demand_id"]
    ]
    table = pd.DataFrame({
        "name": names, "category": demand["category"].astype(str).to_numpy(),
        "commodity": demand["commodity"].astype(str).to_numpy(),
        "unit": demand["unit"].astype(str).to_numpy(),
        "handling_class": demand["handling_class"].astype(str).to_numpy(),
        "value": demand["value_usd_per_t"].astype(float).to_numpy(),
        "origin": demand["origin"].astype(str).to_numpy(),
        "destination": demand["destination"].astype(str).to_numpy(),
        "add_index": add_index, "quantity0": demand["quantity"].astype(float).to_numpy(),
    })  # fmt: skip
    position = {name: i for i, name in enumerate(names)}
    compiled = CompiledScenario(
        scenario=scenario, dataset=dataset, inputs=inputs, graph=graph, classes=solvable,
        rows=table, link_ids=[],
        _solvable=np.array([position[c.name] for c in solvable], dtype=np.int64),
        _params=_params(dataset, base),
        _zone_fees={k: float(v) for k, v in base.overrides.zone_fee_usd_per_t.items()},  # type: ignore[arg-type]
        _base_caps=np.array([g.capacity for g in graph.groups], dtype=np.float64),
    )  # fmt: skip
    basis = _capacity_basis(inputs, own)
    compiled.capacity_basis = [basis.get((g.kind, g.element_id), "sourced") for g in graph.groups]
    compiled._build_lp()
    compiled.solve(base)
    if compiled._model is not None and compiled._model["ncol"]:
        compiled._start_basis = compiled._model["h"].getBasis()
    return compiled
