"""Run a scenario: network on the date, demand, cost, assignment, screening, result tables."""

from __future__ import annotations

import math
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tumen.data._scenario import Scenario
from tumen.scenario._compiled import demand_ends
from tumen.scenario._cost import COMPONENTS, ClassCost, class_cost, route_breakdown
from tumen.scenario._graph import CorridorGraph, build_graph
from tumen.scenario._inputs import Inputs, prepare_inputs
from tumen.scenario._load import load_scenario
from tumen.scenario._resolve import resolve
from tumen.scenario._result import ScenarioResult
from tumen.scenario._screening import screen_routes
from tumen.scenario._solve import DemandClass, Solution, extra_hours, network_time, reachable, solve

__all__ = ["run_scenario"]


def run_scenario(
    scenario: str | Path | Scenario, data_dir: str | Path | None = None, *, dataset: Any = None
) -> ScenarioResult:
    """Run a scenario and return its result tables.

    Parameters
    ----------
    scenario : str or pathlib.Path or Scenario
        A scenario's name in the dataset, a path to a scenario YAML file, or a loaded
        :class:`Scenario`.
    data_dir : path-like, optional
        Dataset folder (a user's edited copy of the bundled data); bundled when None.
    dataset : tumen.data.Dataset, optional
        The dataset already loaded from ``data_dir``, to run several scenarios on one load.

    Returns
    -------
    ScenarioResult
        Link flows by commodity, facility use, routes with their cost breakdown,
        bottlenecks with shadow prices, unmet demand and screening findings. Nothing
        is written; use :meth:`ScenarioResult.to_dir`.

    Raises
    ------
    ScenarioError
        If the scenario file is bad or names an unknown id.
    DataError
        If a data table is bad.
    ConvergenceError
        If the solver cannot produce a result.

    Examples
    --------
    >>> import tumen
    >>> result = tumen.run_scenario("2021-closed")  # doctest: +SKIP
    >>> result.unmet[["origin", "destination", "commodity", "unmet"]]  # doctest: +SKIP
    """
    import tumen.data

    start = time.perf_counter()
    if dataset is None:
        dataset = tumen.data.load(data_dir)
    sc = resolve(load_scenario(scenario, dataset=dataset))  # plain numbers: base values
    inputs = prepare_inputs(sc, dataset=dataset)
    ends = demand_ends(inputs.demand)
    graph = build_graph(
        inputs.links,
        inputs.facilities,
        inputs.places,
        inputs.zone_fees,
        ends,
        inputs.params,
        inputs.crossing_links,
    )
    classes, rows, unreachable = _classes(graph, inputs, choice=sc.assignment.method == "logit")
    solvable = [c for c in classes if c.name not in unreachable]
    if solvable:
        solution = solve(
            graph,
            solvable,
            method=sc.assignment.method,
            gap=sc.assignment.gap,
            max_iterations=sc.assignment.max_iterations,
            unmet_penalty=sc.assignment.unmet_penalty_usd_per_t,
            params=inputs.params,
            choice=_choice_parameters(sc),
        )
    else:
        solution = Solution(
            flows={}, unmet={}, edge_time_h=network_time(graph, []), duals={},
            iterations=pd.DataFrame({"iteration": [], "objective": []}), status="no demand",
            objective=0.0, gap=0.0,
        )  # fmt: skip
    return _assemble(sc, inputs, graph, classes, rows, unreachable, solution, start)


def _choice_parameters(sc: Scenario) -> Any:
    """Read a logit scenario's parameters file, relative to the scenario file."""
    name = sc.assignment.choice_parameters
    if sc.assignment.method != "logit" or name is None:
        return None
    from tumen.choice import read_parameters

    path = Path(name)
    if not path.is_absolute() and sc.source:
        path = Path(sc.source).parent / path
    return read_parameters(path)


def _classes(
    graph: CorridorGraph, inputs: Inputs, *, choice: bool = False
) -> tuple[list[DemandClass], dict[str, dict[str, object]], set[str]]:
    """Build one class per demand row; find the rows with no open route.

    Russia–China flows keep off the edges :func:`_barred_to_russia_china` names while
    a route without them exists (with ``choice``, a logit run or calibration, only the
    DPRK–China land border).
    """
    people_pce = inputs.params["people_pce_t"]
    classes: list[DemandClass] = []
    rows: dict[str, dict[str, object]] = {}
    unreachable: set[str] = set()
    costs: dict[tuple[str, float, bool], ClassCost] = {}
    country = dict(zip(inputs.places["place_id"], inputs.places["country"], strict=True))
    barred = _barred_to_russia_china(graph, country, choice=choice)
    pin = inputs.scenario.demand.pin_observed_gateways
    place_kind = dict(zip(inputs.places["place_id"], inputs.places["kind"], strict=True))
    for row in inputs.demand.to_dict("records"):
        name = f"{row['demand_id']}:{row['commodity']}:{row['origin']}>{row['destination']}"
        ends = {country.get(str(row["origin"])), country.get(str(row["destination"]))}
        # Russia–China flows keep off ``barred`` edges while they have another route.
        ru_cn = ends == {"RU", "CN"}
        key = (str(row["handling_class"]), float(row["value_usd_per_t"]), False)
        if key not in costs:
            costs[key] = class_cost(graph, key[0], key[1], inputs.params)
        cost = costs[key]
        origin = graph.centroid(str(row["origin"]), origin=True, sea=bool(row["origin_sea"]))
        dest = graph.centroid(
            str(row["destination"]), origin=False, sea=bool(row["destination_sea"])
        )
        people = row["handling_class"] == "people"
        rows[name] = row
        if origin is None or dest is None:
            unreachable.add(name)
            continue
        gateway = str(row.get("observed_gateway", "") or "")
        if pin and gateway:
            mask = _gateway_mask(graph, gateway, place_kind.get(gateway, ""))
            cost = replace(cost, allowed=cost.allowed & mask)
            rows[name] = {**row, "_pinned": gateway}
        elif ru_cn:
            no_kp = replace(cost, allowed=cost.allowed & ~barred)
            if dest in reachable(graph, no_kp.allowed, origin):
                cost = costs.setdefault((key[0], key[1], True), no_kp)
        dc = DemandClass(
            name, origin, dest, float(row["quantity"]), people_pce if people else 1.0, cost
        )
        classes.append(dc)
        if dest not in reachable(graph, dc.cost.allowed, origin):
            unreachable.add(name)
    return classes, rows, unreachable


def _barred_to_russia_china(
    graph: CorridorGraph, country: dict[str, str], *, choice: bool
) -> np.ndarray:
    """Edges a Russia–China flow avoids while it has a route without them.

    The least-cost methods keep such flows out of the DPRK altogether: an
    all-or-nothing solution would otherwise send Russian coal through Rajin whenever
    that is a dollar cheaper, which is not what shippers do. A choice model needs less:
    the constant of Rajin says how much shippers avoid the DPRK's port. What no
    constant can express is a route that enters the DPRK from Russia (by rail, or by
    sea from a Primorye port) and leaves it for China over the Quanhe–Wonjong or
    Tumen–Namyang bridges: those routes also collect the constant of the Russian port
    they start from, so a large Vostochny constant gave them a fifth of the Kuzbass
    coal for Hunchun. Neither the dataset nor the fact sheet it was built from records
    Russian cargo over the DPRK–China land border (its trade there is China's and the
    DPRK's own), so that is an assumption, stated in ``docs/calibration.md``. With
    ``choice`` only those border links are barred, and Rajin's sea routes stay open to
    Russia–China flows (Russian coal shipped from Rajin to Chinese ports, 2014–2017).

    Parameters
    ----------
    graph : CorridorGraph
    country : dict of str to str
        Place id -> ISO country code.
    choice : bool
        A choice model's classes (else the least-cost methods').

    Returns
    -------
    ndarray of bool
        One per edge of ``graph``.
    """
    e = graph.edges
    if not choice:
        barred = np.zeros(len(e), dtype=bool)
        for col in ("place_id", "from_place", "to_place"):
            barred |= e[col].map(country).eq("KP").to_numpy()
        return barred
    ends = zip(e["from_place"].map(country), e["to_place"].map(country), strict=True)
    kp_cn = np.array([{a, b} == {"KP", "CN"} for a, b in ends], dtype=bool)
    line = e["kind"].to_numpy(dtype=object) == "line"
    land = e["mode"].isin(["rail", "road"]).to_numpy()
    return kp_cn & line & land & e["border"].to_numpy(dtype=bool)


def _gateway_mask(graph: CorridorGraph, gateway: str, kind: str) -> np.ndarray:
    """Edges a flow pinned to ``gateway`` may use.

    Through a port: the flow loads onto (or transships between) ships only there.
    Through a land crossing: it crosses a border only on a link that touches it.
    """
    e = graph.edges
    kinds = e["kind"].to_numpy(dtype=object)
    layer = e["layer"].to_numpy(dtype=object).astype(str)
    place = e["place_id"].to_numpy(dtype=object)
    allowed = np.ones(len(e), dtype=bool)
    if kind == "port":
        loading = (kinds == "port") & np.char.endswith(layer, ">water")
        allowed &= ~(loading & (place != gateway))
    else:
        border = (kinds == "line") & e["border"].to_numpy(dtype=bool)
        touches = (e["from_place"].to_numpy(dtype=object) == gateway) | (
            e["to_place"].to_numpy(dtype=object) == gateway
        )
        allowed &= ~(border & ~touches)
    return allowed


def _place_path(columns: dict[str, np.ndarray], edges: list[int]) -> tuple[str, str, str]:
    """Return a path's places (joined by ``>``), its modes and its corridor links."""
    places: list[str] = []
    modes: list[str] = []
    links: list[str] = []
    for i in edges:
        for p in (columns["from_place"][i], columns["to_place"][i]):
            if p and (not places or places[-1] != p):
                places.append(str(p))
        if columns["kind"][i] == "line":
            links.append(str(columns["link_id"][i]))
            mode = str(columns["mode"][i])
            if not modes or modes[-1] != mode:
                modes.append(mode)
    return ">".join(places), ">".join(modes), ";".join(links)


def _assemble(
    sc: Scenario,
    inputs: Inputs,
    graph: CorridorGraph,
    classes: list[DemandClass],
    rows: dict[str, dict[str, object]],
    unreachable: set[str],
    solution: Solution,
    start: float,
) -> ScenarioResult:
    """Turn the solution into the result tables."""
    from tumen.assign import Network

    e = graph.edges
    tail = e["from_node"].to_numpy(dtype=np.int64)
    head = e["to_node"].to_numpy(dtype=np.int64)
    network = solution.network  # the engine network solve() built: not built twice
    if network is None:
        network = Network.from_arrays(
            tail, head, np.zeros(len(e)), np.ones(len(e)), num_nodes=len(graph.nodes)
        )
    shared = network_time(graph, classes)
    edge_time = solution.edge_time_h
    n_edges = len(e)
    by_class = {c.name: c for c in classes}
    columns = {
        c: e[c].to_numpy(dtype=object)
        for c in ("from_place", "to_place", "kind", "link_id", "mode")
    }

    route_rows: list[dict[str, object]] = []
    unmet_rows: list[dict[str, object]] = []
    tonne_eq = np.zeros(n_edges)
    flow_rows: list[pd.DataFrame] = []
    for name, row in rows.items():
        demand = float(row["quantity"])
        base = {
            "origin": row["origin"],
            "destination": row["destination"],
            "commodity": row["commodity"],
            "category": row["category"],
            "unit": row["unit"],
        }
        if name in unreachable:
            people = row.get("handling_class") == "people"
            reason = (
                "no open passenger service on the scenario date"
                if people
                else "no open route on the scenario date"
            )
            if row.get("_pinned"):
                reason = f"no open route through its observed gateway ({row['_pinned']})"
            unmet_rows.append({**base, "demand": demand, "unmet": demand, "reason": reason})
            continue
        dc = by_class[name]
        flow = solution.flows.get(name, np.zeros(n_edges))
        unmet = float(solution.unmet.get(name, 0.0))
        if unmet > 1e-6 * max(demand, 1.0):
            unmet_rows.append(
                {
                    **base,
                    "demand": demand,
                    "unmet": unmet,
                    "reason": "capacity of the open routes is exhausted",
                }
            )
        tonne_eq += flow * dc.pce
        hours = edge_time + extra_hours(dc, shared)
        for edges, amount in _class_paths(solution, network, name, flow, dc):
            path, modes, links = _place_path(columns, edges)
            parts = route_breakdown(dc.cost, edges, hours)
            route_rows.append({
                **base, "flow": amount, "share": amount / demand if demand else math.nan,
                "path": path, "modes": modes, "links": links, **parts,
                "time_days": parts["time_h"] / 24.0,
            })  # fmt: skip
        line = (e["kind"] == "line").to_numpy() & (flow > 1e-9)
        if line.any():
            part = e.loc[line, ["link_id", "from_place", "to_place", "mode", "layer"]].copy()
            part["commodity"] = row["commodity"]
            part["flow"] = flow[line]
            part["unit"] = row["unit"]
            flow_rows.append(part)

    link_flows = _link_flows(flow_rows, inputs, tonne_eq, e)
    facility_use = _facility_use(graph, inputs, tonne_eq)
    bottlenecks = _bottlenecks(graph, tonne_eq, solution, _capacity_basis(inputs, sc))
    routes = pd.DataFrame(route_rows, columns=[
        "origin", "destination", "commodity", "category", "unit", "flow", "share", "path",
        "modes", "links", "time_h", "time_days", "time_usd", *COMPONENTS, "total_usd",
    ])  # fmt: skip
    unmet = pd.DataFrame(unmet_rows, columns=[
        "origin", "destination", "commodity", "category", "unit", "demand", "unmet", "reason",
    ])  # fmt: skip
    unmet = unmet.astype({"demand": "float64", "unmet": "float64"})
    numeric = ["flow", "share", "time_h", "time_days", "time_usd", *COMPONENTS, "total_usd"]
    routes = routes.astype(dict.fromkeys(numeric, "float64"))
    findings = screen_routes(sc, routes, inputs)
    demand = inputs.demand.copy()
    people = demand["unit"] == "persons/yr"
    unmet_people = unmet["unit"] == "persons/yr"
    meta = pd.DataFrame([{
        "title": sc.label,
        "date": sc.date.isoformat(),
        "regime": sc.sanctions.regime,
        "method": sc.assignment.method,
        "status": solution.status,
        "objective_usd": solution.objective,
        "iterations": len(solution.iterations),
        "gap": solution.gap,
        "seconds": time.perf_counter() - start,
        "demand_t": float(demand.loc[~people, "quantity"].sum()),
        "served_t": float(demand.loc[~people, "quantity"].sum()
                          - unmet.loc[~unmet_people, "unmet"].sum()),
        "unmet_t": float(unmet.loc[~unmet_people, "unmet"].sum()),
        "demand_persons": float(demand.loc[people, "quantity"].sum()),
        "unmet_persons": float(unmet.loc[unmet_people, "unmet"].sum()),
        "findings": len(findings),
        "description": sc.description.strip(),
    }])  # fmt: skip
    tables = {
        "meta": meta, "demand": demand, "link_flows": link_flows,
        "facility_use": facility_use, "routes": routes, "bottlenecks": bottlenecks,
        "unmet": unmet, "findings": findings, "iterations": solution.iterations.copy(),
    }  # fmt: skip
    labelled = {name: _label(t, sc) for name, t in tables.items()}
    return ScenarioResult(scenario=sc, **labelled)


def _class_paths(
    solution: Solution, network: Any, name: str, flow: np.ndarray, dc: DemandClass
) -> list[tuple[list[int], float]]:
    """Return a class's paths to its destination (edges, flow), asked of the engine result."""
    if solution.paths is not None:
        table = solution.paths(name)
        dest = int(network.node_ids[dc.destination])
        table = table[table["destination"] == dest]
        return [(list(links), float(f)) for links, f in
                zip(table["links"], table["flow"], strict=True)]  # fmt: skip
    from tumen.assign import decompose_flow

    return [(list(p.links), float(p.flow))
            for p in decompose_flow(network, flow, dc.origin, tolerance=1e-9)
            if p.destination == dc.destination]  # fmt: skip


def _label(table: pd.DataFrame, sc: Scenario) -> pd.DataFrame:
    """Put the scenario's name and its counterfactual flag first in every table."""
    out = table.reset_index(drop=True).copy()
    for col in ("scenario", "counterfactual"):
        if col in out.columns:
            out = out.drop(columns=col)
    out.insert(0, "counterfactual", sc.counterfactual)
    out.insert(0, "scenario", sc.name)
    return out


def _link_flows(
    parts: list[pd.DataFrame], inputs: Inputs, tonne_eq: np.ndarray, edges: pd.DataFrame
) -> pd.DataFrame:
    """Flow per corridor link, direction, layer and commodity, with utilisation."""
    columns = ["link_id", "from_id", "to_id", "mode", "layer", "commodity", "flow", "unit",
               "capacity_t_yr", "utilisation"]  # fmt: skip
    if not parts:
        return pd.DataFrame(columns=columns)
    frame = pd.concat(parts, ignore_index=True).rename(
        columns={"from_place": "from_id", "to_place": "to_id"}
    )
    grouped = (
        frame.groupby(
            ["link_id", "from_id", "to_id", "mode", "layer", "commodity", "unit"], sort=True
        )["flow"]
        .sum()
        .reset_index()
    )
    line = edges["kind"] == "line"
    total = (
        pd.DataFrame({
            "link_id": edges.loc[line, "link_id"], "from_id": edges.loc[line, "from_place"],
            "to_id": edges.loc[line, "to_place"], "t": tonne_eq[line.to_numpy()],
        })
        .groupby(["link_id", "from_id", "to_id"], sort=True)["t"].sum()
        .reset_index()
    )  # fmt: skip
    cap = dict(zip(inputs.links["link_id"], inputs.links["capacity_t_yr"], strict=True))
    grouped = grouped.merge(total, on=["link_id", "from_id", "to_id"], how="left")
    grouped["capacity_t_yr"] = grouped["link_id"].map(cap).astype("float64")
    grouped["utilisation"] = grouped["t"] / grouped["capacity_t_yr"]
    return grouped[columns]


def _facility_use(graph: CorridorGraph, inputs: Inputs, tonne_eq: np.ndarray) -> pd.DataFrame:
    """Throughput and utilisation of every open facility."""
    e = graph.edges
    fac = inputs.facilities
    rows = []
    through = e["facility_id"].to_numpy(dtype=object)
    for rec in fac.to_dict("records"):
        fid = str(rec["facility_id"])
        # Each tonne crosses one of the facility's edges once (loading, unloading,
        # a gauge change or a border crossing), so the edges' flows add up.
        total = float(tonne_eq[through == fid].sum())
        cap = rec["capacity_t_yr"]
        rows.append({
            "facility_id": fid, "place_id": rec["place_id"], "kind": rec["kind"],
            "cargo_class": rec["cargo_class"], "throughput_t_yr": total,
            "capacity_t_yr": cap,
            "utilisation": total / cap if cap and not pd.isna(cap) and cap > 0 else math.nan,
        })  # fmt: skip
    return pd.DataFrame(rows, columns=[
        "facility_id", "place_id", "kind", "cargo_class", "throughput_t_yr", "capacity_t_yr",
        "utilisation",
    ])  # fmt: skip


def _capacity_basis(inputs: Inputs, sc: Scenario) -> dict[tuple[str, str], str]:
    """Say for every link and facility whether its capacity is sourced, an estimate or set.

    ``estimate``: an engineering estimate (its capacity source is an
    ``ASSUMPTION-CAPACITY-…`` row); ``scenario``: set or added by the scenario file;
    ``sourced``: anything else.
    """
    out: dict[tuple[str, str], str] = {}
    ov = sc.overrides
    set_links = set(ov.link_capacity) | {a.link_id for a in ov.add_links}
    set_facs = set(ov.facility_capacity) | {f.facility_id for f in ov.add_facilities}
    for kind, frame, id_col, chosen in (
        ("link", inputs.all_links, "link_id", set_links),
        ("facility", inputs.facilities, "facility_id", set_facs),
    ):
        cap_src = frame.get("capacity_source", pd.Series("", index=frame.index))
        src = frame.get("source", pd.Series("", index=frame.index))
        for ident, a, b in zip(frame[id_col].astype(str), cap_src, src, strict=True):
            text = str(a) if isinstance(a, str) and a else str(b)
            text = inputs.capacity_event_sources.get((kind, ident), text)
            if ident in chosen:
                out[(kind, ident)] = "scenario"
            elif "ASSUMPTION-CAPACITY" in text:
                out[(kind, ident)] = "estimate"
            else:
                out[(kind, ident)] = "sourced"
    return out


def _bottlenecks(
    graph: CorridorGraph,
    tonne_eq: np.ndarray,
    solution: Solution,
    basis: dict[tuple[str, str], str] | None = None,
) -> pd.DataFrame:
    """Each capacity group with its use, shadow price and capacity basis, most used first."""
    basis = basis or {}
    rows = []
    for g in graph.groups:
        flow = float(tonne_eq[list(g.edges)].sum())
        rows.append({
            "constraint": g.name, "kind": g.kind, "element_id": g.element_id,
            "capacity_t_yr": g.capacity, "flow_t_yr": flow,
            "utilisation": flow / g.capacity if g.capacity > 0 else math.nan,
            "shadow_price_usd_per_t": solution.duals.get(g.name, math.nan),
            "capacity_basis": basis.get((g.kind, g.element_id), "sourced"),
        })  # fmt: skip
    frame = pd.DataFrame(rows, columns=[
        "constraint", "kind", "element_id", "capacity_t_yr", "flow_t_yr", "utilisation",
        "shadow_price_usd_per_t", "capacity_basis",
    ])  # fmt: skip
    return frame.sort_values(["utilisation", "constraint"], ascending=[False, True],
                             kind="stable").reset_index(drop=True)  # fmt: skip
