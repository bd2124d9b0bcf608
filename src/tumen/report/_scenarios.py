"""A scenario result's side of a report: flows, use, bottlenecks, unmet, costs, findings."""

from __future__ import annotations

from typing import Any

import pandas as pd

from tumen.data import Dataset
from tumen.report._distance import route_profile
from tumen.report._escape import plain
from tumen.scenario import ScenarioResult

__all__ = ["MAIN_ROUTES", "observed_vs_modelled", "scenario_json"]

#: How many routes (largest flow first) get a cost breakdown and a time/cost–distance
#: profile per scenario.
MAIN_ROUTES = 8

_COST_PARTS = ("line_haul_usd", "time_usd", "handling_usd", "transshipment_usd",
               "border_usd", "zone_fee_usd")  # fmt: skip

#: Columns the page uses from each result table (others are ignored; missing ones left out).
_COLUMNS: dict[str, tuple[str, ...]] = {
    "facility_use": ("facility_id", "place_id", "kind", "cargo_class", "throughput_t_yr",
                     "capacity_t_yr", "utilisation"),
    "bottlenecks": ("constraint", "kind", "element_id", "capacity_t_yr", "flow_t_yr",
                    "utilisation", "shadow_price_usd_per_t"),
    "unmet": ("origin", "destination", "commodity", "category", "demand", "unmet", "unit",
              "reason"),
    "demand": ("demand_id", "series", "category", "commodity", "origin", "destination", "year",
               "quantity", "unit", "basis", "source", "confidence"),
    "routes": ("origin", "destination", "commodity", "category", "flow", "unit", "share", "path",
               "modes", "time_h", *_COST_PARTS, "total_usd"),
    "findings": ("screening", "origin_place", "destination_place", "path", "commodity",
                 "quantity", "unit", "date", "origin", "destination", "transit", "verdict",
                 "measures", "reason", "conditions", "regime", "screened_on"),
}  # fmt: skip


def _records(frame: pd.DataFrame, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    cols = [c for c in columns if c in frame.columns]
    return plain(frame[cols].to_dict("records"))


def _link_flows(result: ScenarioResult) -> dict[str, dict[str, Any]]:
    """Per link: total flow (t/yr and persons/yr apart), by commodity and direction."""
    out: dict[str, dict[str, Any]] = {}
    lf = result.link_flows
    for row in lf.to_dict("records"):
        lid = str(row["link_id"])
        rec = out.setdefault(lid, {
            "from": row.get("from_id"), "to": row.get("to_id"), "mode": row.get("mode"),
            "t": 0.0, "persons": 0.0, "by": {}, "dirs": {}, "layers": [],
            "capacity_t_yr": None, "utilisation": None,
        })  # fmt: skip
        flow = float(row.get("flow") or 0.0)
        persons = str(row.get("unit", "")).startswith("person")
        rec["persons" if persons else "t"] += flow
        key = str(row.get("commodity"))
        rec["by"][key] = rec["by"].get(key, 0.0) + flow
        d = f"{row.get('from_id')}>{row.get('to_id')}"
        rec["dirs"][d] = rec["dirs"].get(d, 0.0) + flow
        if row.get("layer") and row["layer"] not in rec["layers"]:
            rec["layers"].append(row["layer"])
        util = plain(row.get("utilisation"))
        if util is not None and (rec["utilisation"] is None or util > rec["utilisation"]):
            rec["utilisation"] = util
            rec["capacity_t_yr"] = plain(row.get("capacity_t_yr"))
    return plain(out)


def _demand_sources(result: ScenarioResult) -> dict[str, Any]:
    """Per commodity and per category: the demand rows' sources, confidence and basis."""
    by_commodity: dict[str, dict[str, set[str]]] = {}
    basis: dict[str, list[str]] = {}
    for row in result.demand.to_dict("records"):
        com = str(row.get("commodity"))
        rec = by_commodity.setdefault(com, {"source": set(), "confidence": set()})
        rec["source"] |= {s for s in str(row.get("source", "")).split(";") if s}
        rec["confidence"].add(str(row.get("confidence", "")))
        cat = str(row.get("category"))
        b = str(row.get("basis", ""))
        if b and b not in basis.setdefault(cat, []):
            basis[cat].append(b)
    commodities = {
        k: {"source": sorted(v["source"]), "confidence": sorted(v["confidence"])}
        for k, v in by_commodity.items()
    }
    return {
        "by_commodity": commodities,
        "basis_by_category": {k: sorted(v) for k, v in basis.items()},
    }


def observed_vs_modelled(
    result: ScenarioResult, ds: Dataset, observed: pd.DataFrame | None = None
) -> list[dict[str, Any]]:
    """Return the observed throughputs of the scenario's year beside the modelled ones.

    Parameters
    ----------
    result : ScenarioResult
        A scenario result.
    ds : Dataset
        The dataset (its observations, :func:`tumen.choice.observations`).
    observed : pandas.DataFrame, optional
        ``observations(ds)`` computed once for several scenarios; computed here if None.

    Returns
    -------
    list of dict
        ``facility`` (a gateway place), ``year``, ``observed`` and ``modelled`` (t/yr:
        the throughput of the place's ports and border crossings), ``source``; only the
        whole-place observations a calibration uses, of the scenario's year.
    """
    from tumen.choice import observations

    year = result.scenario.date.year
    obs = observations(ds) if observed is None else observed
    obs = obs[obs["used"] & (obs["scope"] == "all") & (obs["year"] == year)]
    if obs.empty:
        return []
    use = result.facility_use
    gate = use[use["kind"].isin(["port", "border_crossing"])]
    by_place = gate.groupby("place_id")["throughput_t_yr"].sum()
    return plain([
        {"facility": r["facility"], "year": int(r["year"]), "observed": float(r["observed"]),
         "modelled": float(by_place.get(r["facility"], 0.0)), "source": r["source"]}
        for r in obs.to_dict("records")
    ])  # fmt: skip


def scenario_json(
    result: ScenarioResult, ds: Dataset, observed: pd.DataFrame | None = None
) -> dict[str, Any]:
    """Return one scenario's results for the report page.

    Parameters
    ----------
    result : ScenarioResult
        A scenario result (extra columns in its tables are tolerated).
    ds : Dataset
        The dataset it was computed on (names, lengths, zones).
    observed : pandas.DataFrame, optional
        The dataset's observations (:func:`observed_vs_modelled`), shared by scenarios.

    Returns
    -------
    dict
        ``name, title, counterfactual, date, meta, links, facilities, bottlenecks,
        unmet, demand, routes, profiles, findings, observed_vs_modelled``.
    """
    meta = plain(result.meta.iloc[0].to_dict()) if len(result.meta) else {}
    routes = result.routes.copy()
    if "flow" in routes.columns:
        routes = routes.sort_values("flow", ascending=False, kind="stable")
    layers = {
        (str(r["link_id"]), str(r["commodity"])): str(r.get("layer", ""))
        for r in result.link_flows.to_dict("records")
    }
    main = routes.head(MAIN_ROUTES)
    profiles = [route_profile(ds, row, layers) for _, row in main.iterrows()]
    bottlenecks = result.bottlenecks.copy()
    if len(bottlenecks):
        bottlenecks["_price"] = bottlenecks["shadow_price_usd_per_t"].fillna(-1.0)
        bottlenecks = bottlenecks.sort_values(["_price", "utilisation"], ascending=False,
                                              kind="stable")  # fmt: skip
    return plain(
        {
            "name": result.name,
            "title": meta.get("title", result.name),
            "counterfactual": bool(result.counterfactual),
            "date": meta.get("date") or result.scenario.date,
            "description": meta.get("description", ""),
            "meta": meta,
            "links": _link_flows(result),
            "facilities": _records(result.facility_use, _COLUMNS["facility_use"]),
            "bottlenecks": _records(bottlenecks, _COLUMNS["bottlenecks"]),
            "unmet": _records(result.unmet, _COLUMNS["unmet"]),
            "demand": _records(result.demand, _COLUMNS["demand"]),
            "demand_sources": _demand_sources(result),
            "routes": _records(main, _COLUMNS["routes"]),
            "profiles": profiles,
            "findings": _records(result.findings, _COLUMNS["findings"]),
            "observed_vs_modelled": observed_vs_modelled(result, ds, observed),
        }
    )
