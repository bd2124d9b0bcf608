"""Everything a scenario run needs, taken from the dataset: network on the date, demand, costs.

Ids a scenario names (links, facilities, places, commodities, categories, cost
parameters, zones, sources) are checked against the dataset by the same function that
``tumen check`` uses; every unknown id is reported in one
:class:`~tumen.errors.ScenarioError` line naming the file and key path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from tumen.data._scenario import Scenario, base_value
from tumen.data._scenario_file import scenario_problems
from tumen.errors import ScenarioError
from tumen.scenario._demand import scenario_demand
from tumen.scenario._graph import capacity_t_per_yr

__all__ = ["Inputs", "prepare_inputs"]

_ZONE_FEE_PARAM = {
    "sez": "zone_fee_special_usd_per_t",
    "industrial_park": "zone_fee_trade_park_usd_per_t",
}


@dataclass(frozen=True, eq=False)
class Inputs:
    """The checked inputs of one scenario run.

    Attributes
    ----------
    scenario : Scenario
    places : pandas.DataFrame
        ``place_id, name_en, kind, country, lon, lat``.
    links : pandas.DataFrame
        Open links after overrides, with ``capacity_t_yr`` (tonne-equivalents a year).
    facilities : pandas.DataFrame
        Open facilities after overrides, with ``capacity_t_yr``.
    all_links : pandas.DataFrame
        Every link of the dataset (and added ones) with ``is_open``, for reporting.
    zone_fees : dict of str to float
        Place id -> zone fee, USD per tonne.
    params : dict of str to float
        Cost parameters after the scenario's overrides.
    demand : pandas.DataFrame
        The scenario's demand with ``unit``, ``handling_class``, ``value_usd_per_t``,
        ``origin_sea``, ``destination_sea`` and ``onward_country``.
    commodities, measures : pandas.DataFrame
        The dataset's commodity and measures tables, which screening reads.
    crossing_links : frozenset of str
        Links that a border-crossing facility guards (open or not): a link whose
        crossing facilities are all closed on the date carries nothing.
    capacity_event_sources : dict of (str, str) to str
        ``(kind, id)`` -> the sources of the last event on or before the date that set
        the link's or facility's capacity (its capacity's provenance from then on).
    """

    scenario: Scenario
    places: pd.DataFrame
    links: pd.DataFrame
    facilities: pd.DataFrame
    all_links: pd.DataFrame
    zone_fees: dict[str, float]
    params: dict[str, float]
    demand: pd.DataFrame
    commodities: pd.DataFrame
    measures: pd.DataFrame
    crossing_links: frozenset[str] = frozenset()
    capacity_event_sources: dict[tuple[str, str], str] = field(default_factory=dict)


def _number(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce").astype("float64")


def _bool(series: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(series):
        return series.astype(bool)
    return series.astype(str).str.lower().isin(["true", "1", "yes"])


def prepare_inputs(
    scenario: Scenario, data_dir: Path | str | None = None, dataset: Any = None
) -> Inputs:
    """Take the dataset's tables, check every id the scenario names, apply the scenario.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    data_dir : path-like, optional
        Dataset folder (a user's edited copy); the bundled dataset when None.
    dataset : tumen.data.Dataset, optional
        The dataset already loaded from ``data_dir`` (saves reading it again).

    Returns
    -------
    Inputs

    Raises
    ------
    ScenarioError
        Naming the scenario file, each key path holding an unknown id and what was
        expected.
    tumen.errors.DataError
        If a data table is bad.
    """
    import tumen.data

    if dataset is None:
        dataset = tumen.data.load(data_dir)
    problems = scenario_problems(scenario, scenario.source or scenario.name, vars(dataset))
    if problems:
        raise ScenarioError(problems)
    state = dataset.on(scenario.date.isoformat())
    places = state.places.copy()
    links = state.links.copy()
    facilities = state.facilities.copy()
    zones = state.zones.copy()
    costs = dataset.cost_parameters
    ov = scenario.overrides
    params = {str(k): float(v) for k, v in costs["value"].items()}
    for key, value in ov.cost.items():
        params[key] = base_value(value)

    links = _apply_links(links, scenario, params)
    facilities = _apply_facilities(facilities, scenario, params)

    zone_fees: dict[str, float] = {}
    for zone in zones.to_dict("records"):
        zid = str(zone["zone_id"])
        if zid in ov.zone_fee_usd_per_t:
            fee = base_value(ov.zone_fee_usd_per_t[zid])
        elif bool(zone.get("is_open", False)) and str(zone["kind"]) in _ZONE_FEE_PARAM:
            fee = params[_ZONE_FEE_PARAM[str(zone["kind"])]]
        else:
            continue
        for pid in str(zone.get("place_ids", "") or "").split(";"):
            if pid:
                zone_fees[pid] = zone_fees.get(pid, 0.0) + fee

    demand = _enrich_demand(
        scenario_demand(scenario, dataset.demand), places, dataset.categories, dataset.commodities
    )
    return Inputs(
        scenario=scenario,
        places=places,
        links=links[links["is_open"]].reset_index(drop=True),
        facilities=facilities[facilities["is_open"]].reset_index(drop=True),
        all_links=links,
        zone_fees=zone_fees,
        params=params,
        demand=demand,
        commodities=dataset.commodities,
        measures=dataset.measures,
        capacity_event_sources=_capacity_events(state.events),
        crossing_links=frozenset(
            lid
            for ids in facilities.loc[facilities["kind"] == "border_crossing", "link_ids"]
            for lid in str(ids).split(";")
            if lid
        ),
    )


def _capacity_events(events: pd.DataFrame) -> dict[tuple[str, str], str]:
    """Return the sources of the last applied capacity event of each link and facility."""
    out: dict[tuple[str, str], str] = {}
    if events is None or events.empty or "field" not in events.columns:
        return out
    capacity = events[(events["field"] == "capacity") & events["target_type"].isin(
        ["link", "facility"])]  # fmt: skip
    for ev in capacity.sort_values("date", kind="stable").itertuples(index=False):
        out[(str(ev.target_type), str(ev.target_id))] = str(ev.source)
    return out


def _apply_links(links: pd.DataFrame, scenario: Scenario, params: dict[str, float]) -> pd.DataFrame:
    """Apply the scenario's link overrides and convert capacities to t/yr."""
    ov = scenario.overrides
    links = links.copy()
    links["is_open"] = _bool(links["is_open"])
    links["bidirectional"] = _bool(links["bidirectional"])
    links["gauge"] = links["gauge"].fillna("").astype(str)
    links["countries"] = links.get("countries", pd.Series("", index=links.index)).fillna("")
    links["length_km"] = _number(links["length_km"])
    links["speed_kmh"] = _number(links["speed_kmh"])
    if ov.add_links:
        added = pd.DataFrame(
            [
                {
                    "link_id": a.link_id,
                    "name": a.link_id,
                    "from_id": a.from_id,
                    "to_id": a.to_id,
                    "mode": a.mode,
                    "gauge": a.gauge,
                    "length_km": a.length_km,
                    "speed_kmh": a.speed_kmh,
                    "capacity": a.capacity,
                    "capacity_unit": "t/yr" if a.capacity is not None else "",
                    "bidirectional": a.bidirectional,
                    "countries": "",
                    "is_open": True,
                    "status": "open",
                }
                for a in ov.add_links
            ]
        )
        links = pd.concat([links, added], ignore_index=True)
    capacity = _number(links["capacity"])
    units = links["capacity_unit"].fillna("").astype(str)
    links["capacity_t_yr"] = [
        capacity_t_per_yr(c, u, params) for c, u in zip(capacity, units, strict=True)
    ]
    for key, value in ov.link_capacity.items():
        links.loc[links["link_id"] == key, "capacity_t_yr"] = base_value(value)
    links.loc[links["link_id"].isin(ov.close_links), "is_open"] = False
    links.loc[links["link_id"].isin(ov.open_links), "is_open"] = True
    return links


def _apply_facilities(
    facilities: pd.DataFrame, scenario: Scenario, params: dict[str, float]
) -> pd.DataFrame:
    """Apply the scenario's facility overrides and convert capacities to t/yr."""
    ov = scenario.overrides
    facilities = facilities.copy()
    facilities["is_open"] = _bool(facilities["is_open"])
    if ov.add_facilities:
        added = pd.DataFrame(
            [
                {
                    "facility_id": f.facility_id,
                    "name": f.facility_id,
                    "place_id": f.place_id,
                    "kind": f.kind,
                    "cargo_class": f.cargo_class,
                    "capacity": None if f.capacity is None else base_value(f.capacity),
                    "capacity_unit": "t/yr",
                    "handling_time_h": f.handling_time_h,
                    "handling_cost_usd_per_t": f.handling_cost_usd_per_t,
                    "link_ids": ";".join(f.link_ids),
                    "is_open": True,
                    "status": "open",
                }
                for f in ov.add_facilities
            ]
        )
        facilities = pd.concat([facilities, added], ignore_index=True)
    capacity = _number(facilities["capacity"])
    units = facilities["capacity_unit"].fillna("").astype(str)
    facilities["capacity_t_yr"] = [
        capacity_t_per_yr(c, u, params) for c, u in zip(capacity, units, strict=True)
    ]
    for col in ("handling_time_h", "handling_cost_usd_per_t"):
        facilities[col] = _number(facilities[col])
    facilities["link_ids"] = facilities["link_ids"].fillna("").astype(str)
    for key, value in ov.facility_capacity.items():
        facilities.loc[facilities["facility_id"] == key, "capacity_t_yr"] = base_value(value)
    facilities.loc[facilities["facility_id"].isin(ov.close_facilities), "is_open"] = False
    facilities.loc[facilities["facility_id"].isin(ov.open_facilities), "is_open"] = True
    return facilities


def _enrich_demand(
    demand: pd.DataFrame,
    places: pd.DataFrame,
    categories: pd.DataFrame,
    commodities: pd.DataFrame,
) -> pd.DataFrame:
    """Add handling class, value, unit and the sea-end flags to the demand."""
    hclass = dict(zip(commodities["commodity_id"], commodities["handling_class"], strict=True))
    value = dict(zip(commodities["commodity_id"], commodities["value_usd_per_t"], strict=True))
    kind = dict(zip(places["place_id"], places["kind"], strict=True))
    sea = {
        str(c): str(s).lower() == "true"
        for c, s in zip(categories["category_id"], categories["sea_beyond_port"], strict=True)
    }
    onward = dict(zip(categories["category_id"], categories["onward_country"], strict=True))
    out = demand.copy()
    out["handling_class"] = out["commodity"].map(hclass).astype(str)
    values = pd.to_numeric(out["commodity"].map(value), errors="coerce")
    out["value_usd_per_t"] = values.fillna(0.0).astype("float64")
    people = out["handling_class"] == "people"
    out["unit"] = out["unit"].where(out["unit"] != "", "t/yr")
    out.loc[people, "unit"] = "persons/yr"
    sea_cat = out["category"].map(sea).fillna(False).astype(bool)
    out["origin_sea"] = sea_cat & out["origin"].map(kind).eq("port") & ~people
    out["destination_sea"] = sea_cat & out["destination"].map(kind).eq("port") & ~people
    out["onward_country"] = out["category"].map(onward).fillna("").astype(str)
    return out
