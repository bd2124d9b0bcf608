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

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from tumen.data._scenario import Scenario
from tumen.errors import ConvergenceError, ScenarioError
from tumen.scenario._cost import class_cost
from tumen.scenario._draw_lp import BINDING_TOLERANCE, DrawLp, LpClass
from tumen.scenario._graph import CorridorGraph, build_graph
from tumen.scenario._inputs import Inputs, prepare_inputs
from tumen.scenario._solve import DemandClass, solve

__all__ = ["CompiledScenario", "DrawOutcome", "check_ids", "compile_scenario", "demand_ends"]


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

    Use :func:`compile_scenario`; then :meth:`solve_draw` (drawn values, the sweep's
    fast path) or :meth:`solve` (a resolved scenario) once per draw.

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
    _lp: DrawLp | None = field(default=None, repr=False)
    _fast: dict[str, Any] = field(default_factory=dict, repr=False)
    capacity_basis: list[str] = field(default_factory=list, repr=False)

    @property
    def groups(self) -> list[Any]:
        """The capacity groups, in :attr:`DrawOutcome.group_flow` order."""
        return self.graph.groups

    # -- building -------------------------------------------------------------------
    def _build(self, base: Scenario) -> None:
        """Build the kept programme and the fast path's maps (once, at compile time)."""
        from tumen.scenario._resolve import grid_points, resolve_plan

        graph, inputs = self.graph, self.inputs
        e = graph.edges
        tail = e["from_node"].to_numpy(dtype=np.int64)
        head = e["to_node"].to_numpy(dtype=np.int64)
        country = dict(zip(inputs.places["place_id"], inputs.places["country"], strict=True))
        in_kp = np.zeros(len(e), dtype=bool)
        for col in ("place_id", "from_place", "to_place"):
            in_kp |= e[col].map(country).eq("KP").to_numpy()
        pin = self.scenario.demand.pin_observed_gateways
        demand = inputs.demand
        gateways = np.full(len(demand), "", dtype=object)
        if "observed_gateway" in demand.columns:
            gateways = demand["observed_gateway"].fillna("").astype(str).to_numpy()
        full: dict[tuple[str, float], NDArray[np.bool_]] = {}
        lp_classes = []
        for k, c in enumerate(self.classes):
            i = int(self._solvable[k])
            row = self.rows.iloc[i]
            group = (str(row["handling_class"]), float(row["value"]))
            ends = {country.get(str(row["origin"])), country.get(str(row["destination"]))}
            allowed, restricted = c.cost.allowed, None
            if ends == {"RU", "CN"} and not (pin and gateways[i]):
                # the Russia–China rule: decided per draw (DrawLp.pattern), as a run does
                if group not in full:
                    full[group] = class_cost(graph, group[0], group[1], inputs.params).allowed
                allowed = full[group]
                restricted = allowed & ~in_kp
            lp_classes.append(LpClass(c.origin, c.destination, c.pce, group, allowed,
                                      restricted, c.cost.generalised()))  # fmt: skip
        line = (e["kind"] == "line").to_numpy()
        link_codes, link_ids = pd.factorize(e["link_id"].where(line, None))
        self.link_ids = [str(x) for x in link_ids]
        self._lp = DrawLp(
            tail, head, len(graph.nodes), lp_classes, [np.asarray(list(g.edges), dtype=np.int64)
                                                       for g in graph.groups],
            self._base_caps, np.asarray(link_codes, dtype=np.int64), len(link_ids), in_kp,
            float(self.scenario.assignment.unmet_penalty_usd_per_t),
        )  # fmt: skip
        # the fast path: which numbers each key a draw may set changes
        spec = base.demand
        fast = self._fast
        fast["plan"] = resolve_plan(self.scenario)
        fast["base"] = base
        fast["scales"] = (float(spec.scale_all),  # type: ignore[arg-type]
                          {k: float(v) for k, v in spec.scale_by_category.items()},  # type: ignore[arg-type]
                          {k: float(v) for k, v in spec.scale_by_commodity.items()})  # type: ignore[arg-type]  # fmt: skip
        fast["add"] = [float(a.quantity) for a in spec.add]  # type: ignore[arg-type]
        fast["caps"] = self._fast_caps(base)
        fast["cat"] = self.rows["category"].to_numpy(dtype=object)
        fast["com"] = self.rows["commodity"].to_numpy(dtype=object)
        fast["q0"] = self.rows["quantity0"].to_numpy(dtype=np.float64)
        add = self.rows["add_index"].to_numpy(dtype=np.int64)
        fast["add_rows"] = [(int(i), int(add[i])) for i in np.flatnonzero(add >= 0)]
        cap_groups: dict[str, list[int]] = {}
        for gi, g in enumerate(graph.groups):
            kind = "link_capacity" if g.kind == "link" else "facility_capacity"
            cap_groups.setdefault(f"overrides.{kind}.{g.element_id}", []).append(gi)
        ov = base.overrides
        for i, f in enumerate(ov.add_facilities):
            if f.facility_id not in ov.facility_capacity:
                fkey = f"overrides.facility_capacity.{f.facility_id}"
                cap_groups[f"overrides.add_facilities[{i}].capacity"] = cap_groups.get(fkey, [])
        fast["cap_groups"] = {k: np.array(v, dtype=np.int64) for k, v in cap_groups.items()}
        links, facilities = _maybe_open(self.scenario)
        opens = {f"uncertainty.open_links.{x}": self._edge_mask("link", x) for x in links}
        opens |= {f"uncertainty.open_facilities.{x}": self._edge_mask("facility", x)
                  for x in facilities}  # fmt: skip
        fast["open"] = opens
        keys = {i.key for i in fast["plan"].inputs} | set(fast["plan"].base)
        keys |= {k for k, _ in grid_points(self.scenario)}
        fast["cost_keys"] = sorted(k for k in keys if k.startswith(_COST_PREFIXES))
        fast["cost_memo"] = {}

    def _edge_mask(self, kind: str, element: str) -> NDArray[np.bool_]:
        e = self.graph.edges
        if kind == "link":
            return (e["kind"] == "line").to_numpy() & (e["link_id"] == element).to_numpy()
        return (e["facility_id"] == element).to_numpy()

    # -- one draw -------------------------------------------------------------------
    def restart(self) -> None:
        """Return the kept model to the base solution's basis (each chunk starts here)."""
        if self._lp is not None:
            self._lp.restart()

    def solve_draw(
        self, drawn: dict[str, float] | None = None, fixed: dict[str, float] | None = None
    ) -> DrawOutcome:
        """Solve one draw given its drawn values: the sweep's fast path.

        Equal to ``solve(resolve(scenario, drawn, fixed=fixed))`` without building a
        scenario: the plain values (:class:`tumen.scenario._resolve.ResolvePlan`) are
        written straight into the demand, capacity, closure and cost arrays. A key this
        path does not know, and every equilibrium scenario, goes through :meth:`solve`.

        Parameters
        ----------
        drawn : dict of str to float, optional
            Drawn values by key path (:func:`tumen.scenario._resolve.draw_values`).
        fixed : dict of str to float, optional
            Key paths set after the draw (a grid point).

        Returns
        -------
        DrawOutcome
        """
        from tumen.scenario._resolve import resolve

        fast = self._fast
        plain = fast["plan"].values(drawn, fixed)
        sa, cat, com = fast["scales"]
        cat, com, add = dict(cat), dict(com), list(fast["add"])
        caps = fast["caps"]
        closed = None
        params: dict[str, float] | None = None
        fees: dict[str, float] | None = None
        cap_keys = []
        known = self.scenario.assignment.method != "equilibrium"
        for key, value in plain.items():
            if key in fast["cap_groups"]:
                cap_keys.append((key, value))
            elif key in fast["open"]:
                if value < 0.5:
                    closed = fast["open"][key] if closed is None else closed | fast["open"][key]
            elif key == "demand.scale_all":
                sa = value
            elif key.startswith("demand.scale_by_category."):
                cat[key[len("demand.scale_by_category.") :]] = value
            elif key.startswith("demand.scale_by_commodity."):
                com[key[len("demand.scale_by_commodity.") :]] = value
            elif m := _ADD_QUANTITY.fullmatch(key):
                add[int(m.group(1))] = value
            elif key.startswith("overrides.cost."):
                params = dict(self._params) if params is None else params
                params[key[len("overrides.cost.") :]] = value
            elif key.startswith("overrides.zone_fee_usd_per_t."):
                fees = dict(self._zone_fees) if fees is None else fees
                fees[key[len("overrides.zone_fee_usd_per_t.") :]] = value
            elif key.startswith(("uncertainty.shared.", "overrides.link_capacity.",
                                 "overrides.facility_capacity.")):  # fmt: skip
                continue  # applied already, or a capacity no group of the graph has
            else:
                known = False
        if not known:
            return self.solve(resolve(self.scenario, drawn, fixed=fixed))
        cost = None
        if params is not None or fees is not None:
            cost, caps = self._cost_numbers(params or self._params, fees or self._zone_fees)
        if cap_keys:
            caps = caps.copy()
            for key, value in cap_keys:
                caps[fast["cap_groups"][key]] = value
        factor = np.full(fast["q0"].size, sa)
        for key, value in cat.items():
            factor[fast["cat"] == key] *= value
        for key, value in com.items():
            factor[fast["com"] == key] *= value
        volume = fast["q0"] * factor
        for i, a in fast["add_rows"]:
            volume[i] = add[a]
        if closed is None:
            closed = np.zeros(len(self.graph.edges), dtype=bool)
        return self._solve_lp(volume, caps, closed, cost)

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
        lp = self._lp
        assert lp is not None
        return self._solve_lp(volume, caps, closed_edges,
                              None if costs is None else lp.column_costs(costs))  # fmt: skip

    def _cost_numbers(
        self, params: dict[str, float], fees: dict[str, float]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Column costs and base capacities for cost parameters and zone fees.

        Linear in the scenario's drawn cost keys where checked so at compile time (the
        costs then follow from a precomputed map); otherwise rebuilt from the graph and
        kept for the next draw with the same numbers.
        """
        fast = self._fast
        if "cost_map" not in fast:
            fast["cost_map"] = self._linear_cost_map()
        linear = fast["cost_map"]
        if linear is not None:
            base_cost, base_caps, coeff = linear
            cost = base_cost.copy()
            for key, (c, p0) in coeff.items():
                value = _cost_value(key, params, fees)
                if value != p0:
                    cost += c * (value - p0)
            return cost, base_caps
        key = (tuple(sorted(params.items())), tuple(sorted(fees.items())))
        memo = fast["cost_memo"]
        if key not in memo:
            if len(memo) >= 256:
                memo.pop(next(iter(memo)))
            memo[key] = self._rebuilt_costs(params, fees)
        return memo[key]

    def _rebuilt_costs(
        self, params: dict[str, float], fees: dict[str, float]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        base = self._fast["base"]
        ov = base.overrides
        sc = base.model_copy(update={"overrides": ov.model_copy(update={
            "cost": dict(params), "zone_fee_usd_per_t": dict(fees)})})  # fmt: skip
        caps, costs = self._slow_numbers(sc, params)
        lp = self._lp
        assert lp is not None
        return lp.column_costs(costs), caps

    def _linear_cost_map(self) -> tuple[Any, Any, dict[str, Any]] | None:
        """Check that costs are affine and separable in the drawn cost keys; map them.

        Returns ``(base column costs, base capacities, {key: (coefficients, base)})``
        when every drawn cost key moves the column costs linearly, without moving any
        capacity and without interacting with another key (checked at two steps each
        and on each pair); None otherwise (costs are then rebuilt per distinct value).
        """
        keys = self._fast["cost_keys"]
        p0, f0 = dict(self._params), dict(self._zone_fees)
        base_cost, base_caps = self._rebuilt_costs(p0, f0)

        def at(steps: dict[str, float]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
            p, f = dict(p0), dict(f0)
            for k, v in steps.items():
                _set_cost_value(k, p, f, _cost_value(k, p0, f0) + v)
            return self._rebuilt_costs(p, f)

        coeff: dict[str, Any] = {}
        step: dict[str, float] = {}
        for key in keys:
            if key.startswith("overrides.cost.") and key[15:] not in p0:
                return None
            v0 = _cost_value(key, p0, f0)
            step[key] = d = max(abs(v0), 1.0) * 0.25
            (c1, k1), (c2, k2) = at({key: d}), at({key: 2 * d})
            slope = (c1 - base_cost) / d
            if not (_close(k1, base_caps) and _close(k2, base_caps)
                    and _close(c2, base_cost + 2 * d * slope)):  # fmt: skip
                return None
            coeff[key] = (slope, v0)
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                c, _ = at({a: step[a], b: step[b]})
                both = base_cost + step[a] * coeff[a][0] + step[b] * coeff[b][0]
                if not _close(c, both):
                    return None
        return base_cost, base_caps, coeff

    def _volumes(self, resolved: Scenario) -> NDArray[np.float64]:
        spec = resolved.demand
        fast = self._fast
        factor = np.full(fast["q0"].size, float(spec.scale_all))  # type: ignore[arg-type]
        for key, value in spec.scale_by_category.items():
            factor[fast["cat"] == key] *= float(value)  # type: ignore[arg-type]
        for key, value in spec.scale_by_commodity.items():
            factor[fast["com"] == key] *= float(value)  # type: ignore[arg-type]
        volume = fast["q0"] * factor
        for i, a in fast["add_rows"]:
            volume[i] = float(spec.add[a].quantity)  # type: ignore[arg-type]
        return volume

    def _closed_edges(self, resolved: Scenario) -> NDArray[np.bool_]:
        links, facilities = _maybe_open(self.scenario)
        ov = resolved.overrides
        closed = np.zeros(len(self.graph.edges), dtype=bool)
        for x in sorted(links & set(ov.close_links)):
            closed |= self._fast["open"][f"uncertainty.open_links.{x}"]
        for x in sorted(facilities & set(ov.close_facilities)):
            closed |= self._fast["open"][f"uncertainty.open_facilities.{x}"]
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
        cost: NDArray[np.float64] | None,
    ) -> DrawOutcome:
        lp = self._lp
        assert lp is not None
        unmet = volume.copy()
        if not self.classes:
            return DrawOutcome(
                status="optimal", objective_usd=0.0, cost_usd=0.0, class_volume=volume,
                class_unmet=unmet, group_capacity=caps, group_flow=np.zeros(caps.size),
                group_shadow=np.zeros(caps.size), group_binding=caps <= 0.0,
                link_flow=np.zeros(len(self.link_ids)),
            )  # fmt: skip
        out = lp.solve(volume[self._solvable], caps, lp.pattern(closed_edges), cost)
        unmet[self._solvable] = out.class_unmet
        return DrawOutcome(
            status="optimal", objective_usd=out.objective_usd, cost_usd=out.cost_usd,
            class_volume=volume, class_unmet=unmet, group_capacity=caps,
            group_flow=out.group_flow, group_shadow=out.group_shadow,
            group_binding=out.group_binding, link_flow=out.link_flow,
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
        lp = self._lp
        assert lp is not None
        pattern = lp.pattern(closed_edges)
        classes = []
        for k, c in enumerate(self.classes):
            cost = replace(c.cost, allowed=pattern.allowed[k])
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


_COST_PREFIXES = ("overrides.cost.", "overrides.zone_fee_usd_per_t.")
_ADD_QUANTITY = re.compile(r"demand\.add\[(\d+)\]\.quantity")


def _cost_value(key: str, params: dict[str, float], fees: dict[str, float]) -> float:
    if key.startswith("overrides.cost."):
        return params[key[len("overrides.cost.") :]]
    return fees.get(key[len("overrides.zone_fee_usd_per_t.") :], 0.0)


def _set_cost_value(key: str, params: dict[str, float], fees: dict[str, float], v: float) -> None:
    if key.startswith("overrides.cost."):
        params[key[len("overrides.cost.") :]] = v
    else:
        fees[key[len("overrides.zone_fee_usd_per_t.") :]] = v


def _close(a: NDArray[np.float64], b: NDArray[np.float64]) -> bool:
    return bool(np.allclose(a, b, rtol=1e-9, atol=1e-9))


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
    compiled._build(base)
    compiled.solve(base)
    if compiled._lp is not None:
        compiled._lp.keep_basis()
    return compiled
