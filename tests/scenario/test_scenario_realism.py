"""Realism of the bundled scenarios (issue 21): capacities, detours, DPRK transit, sea legs.

Also the table of known real routings: which gateway the model picks for which market
when it chooses freely (``2026-road-bridge-trade-park`` does not pin the observed
gateways), and the documented cases it does not pick.
"""

from __future__ import annotations

import pandas as pd
import pytest

import tumen.data
from tumen.data import great_circle_km
from tumen.scenario import ScenarioResult, list_scenarios, run_scenario


@pytest.fixture(scope="module")
def results() -> dict[str, ScenarioResult]:
    dataset = tumen.data.load()
    return {name: run_scenario(name, dataset=dataset) for name in list_scenarios()}


@pytest.fixture(scope="module")
def places() -> pd.DataFrame:
    return tumen.data.load().places


def test_every_flow_carrying_link_and_facility_has_a_capacity(
    results: dict[str, ScenarioResult],
) -> None:
    for name, result in results.items():
        flows = result.link_flows[result.link_flows["flow"] > 1e-6]
        assert flows["capacity_t_yr"].notna().all(), (name, set(flows["link_id"]))
        used = result.facility_use[result.facility_use["throughput_t_yr"] > 1e-6]
        missing = used[used["capacity_t_yr"].isna()]
        assert missing.empty, (name, list(missing["facility_id"]))


def test_binding_capacities_say_whether_they_are_estimates(
    results: dict[str, ScenarioResult],
) -> None:
    for result in results.values():
        assert set(result.bottlenecks["capacity_basis"]) <= {"sourced", "estimate", "scenario"}
    bases = pd.concat([r.bottlenecks["capacity_basis"] for r in results.values()])
    assert {"sourced", "estimate"} <= set(bases)


def _countries(path: str, country: dict[str, str]) -> set[str]:
    return {country[p] for p in path.split(">")}


def test_russia_china_flows_do_not_transit_the_dprk(
    results: dict[str, ScenarioResult], places: pd.DataFrame
) -> None:
    country = places["country"].to_dict()
    for name, result in results.items():
        routes = result.routes
        ends = routes["origin"].map(country) + routes["destination"].map(country)
        ru_cn = routes[ends.isin(["RUCN", "CNRU"])]
        if result.scenario.demand.pin_observed_gateways:
            # A historical scenario reproduces a reported routing through a DPRK gateway
            # (Russian coal shipped from Rajin to Chinese ports): not a detour.
            d = result.demand
            reported = d[d["observed_gateway"].map(country).eq("KP")]
            cols = ["origin", "destination", "commodity"]
            keys = set(reported[cols].itertuples(index=False, name=None))
            own = [k not in keys for k in ru_cn[cols].itertuples(index=False, name=None)]
            ru_cn = ru_cn[own]
        assert len(ru_cn) > 0, name
        crossing = ru_cn[[("KP" in _countries(p, country)) for p in ru_cn["path"]]]
        assert crossing.empty, (name, list(crossing["path"]))


def test_almost_all_tonnage_moves_on_routes_near_the_great_circle(
    results: dict[str, ScenarioResult], places: pd.DataFrame
) -> None:
    lengths = tumen.data.load().links["length_km"].to_dict()
    for name, result in results.items():
        goods = result.routes[result.routes["unit"] == "t/yr"]
        a, b = places.loc[goods["origin"]], places.loc[goods["destination"]]
        crow = great_circle_km(
            a["lon"].to_numpy(), a["lat"].to_numpy(), b["lon"].to_numpy(), b["lat"].to_numpy()
        )
        route = [sum(lengths[x] for x in links.split(";") if x) for links in goods["links"]]
        ratio = pd.Series(route, index=goods.index) / pd.Series(crow, index=goods.index)
        near = goods.loc[ratio <= 2.5, "flow"].sum()
        assert near >= 0.95 * goods["flow"].sum(), name


def test_sea_legs_carry_flow_from_2023_on(results: dict[str, ScenarioResult]) -> None:
    for result in results.values():
        if result.scenario.date.year < 2023:
            continue
        sea = result.link_flows[result.link_flows["mode"] == "sea"]
        assert sea["flow"].sum() > 1e6, result.name


def _gateway_tonnes(result: ScenarioResult, origin: str, destination: str, commodity: str):
    routes = result.routes
    r = routes[
        (routes["origin"] == origin)
        & (routes["destination"] == destination)
        & (routes["commodity"] == commodity)
    ]
    return r, float(r["flow"].sum())


#: Known real routings: (origin, destination, commodity, a place the real flow passes,
#: whether the freely choosing model picks it). Where it does not, docs/scenarios.md
#: ("Which gateway for which market") says why.
KNOWN_ROUTINGS = [
    ("kuzbass", "harbin", "coal", "grodekovo", True),  # Russian coal to China via Suifenhe
    ("kuzbass", "hunchun", "coal", "kamyshovaya", True),  # via Makhalino–Hunchun
    ("hunchun", "busan", "containers", "zarubino", True),  # Chinese containers via Zarubino
    ("kuzbass", "qingdao", "coal", "nakhodka", True),  # coal by sea from the eastern ports
    ("kuzbass", "shanghai", "coal", "rajin_port", False),  # coal via Rajin to Chinese ports
]


@pytest.mark.parametrize(("origin", "destination", "commodity", "via", "picked"), KNOWN_ROUTINGS)
def test_known_routings(
    results: dict[str, ScenarioResult],
    origin: str,
    destination: str,
    commodity: str,
    via: str,
    picked: bool,
) -> None:
    free = results["2026-road-bridge-trade-park"]
    assert not free.scenario.demand.pin_observed_gateways
    routes, total = _gateway_tonnes(free, origin, destination, commodity)
    assert total > 0
    through = routes.loc[[via in p.split(">") for p in routes["path"]], "flow"].sum()
    if picked:
        assert through >= 0.5 * total
    else:
        assert through < 0.5 * total
        # A historical scenario pinned to the observed gateway reproduces it.
        pinned = results["2024-reported-flows"]
        assert pinned.scenario.demand.pin_observed_gateways
        routes, total = _gateway_tonnes(pinned, origin, destination, commodity)
        assert total > 0
        assert all(via in p.split(">") for p in routes["path"])


def test_passengers_wait_when_the_passenger_service_is_closed(
    results: dict[str, ScenarioResult],
) -> None:
    closed = results["2021-closed"].unmet
    people = closed[closed["unit"] == "persons/yr"]
    assert len(people) > 0
    assert people["reason"].str.contains("passenger service").all()


def test_routes_report_days(results: dict[str, ScenarioResult]) -> None:
    routes = results["2023-reopened"].routes
    assert routes["time_days"].to_numpy() == pytest.approx(routes["time_h"].to_numpy() / 24)
    coal = routes[(routes["origin"] == "kuzbass") & (routes["destination"] == "qingdao")]
    # About 5,900 km of rail and sea plus dwell: more than a week, less than two months.
    assert ((coal["time_days"] > 7) & (coal["time_days"] < 60)).all()
