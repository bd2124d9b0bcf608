"""The bundled dataset loads, validates, is fully sourced, and gives the network on a date."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tumen
import tumen.data as td
from tumen.errors import DataError

TABLES = ("places", "links", "facilities", "zones", "events", "sources", "conflicts")


def test_public_names_are_exactly_these() -> None:
    assert sorted(td.__all__) == sorted(
        [
            "CAPACITY_UNITS",
            "CARGO_CLASSES",
            "DETOUR_FACTORS",
            "EVENT_KINDS",
            "EXPORT_FORMATS",
            "FACILITY_KINDS",
            "GAUGES",
            "MODES",
            "SCENARIO_DIR",
            "STATUSES",
            "TABLE_FILES",
            "Dataset",
            "NetworkState",
            "as_date",
            "bundled_dir",
            "check",
            "derived_length_km",
            "export",
            "export_geojson",
            "export_geoparquet",
            "export_gmns",
            "great_circle_km",
            "load",
            "read_shipments",
            "to_geodataframe",
        ]
    )
    assert all(hasattr(td, name) for name in td.__all__)


def test_bundled_dataset_loads_with_every_table(dataset: td.Dataset) -> None:
    assert tumen.load is td.load
    for name in TABLES:
        frame = getattr(dataset, name)
        assert isinstance(frame, pd.DataFrame)
        assert len(frame) > 0, name
    assert dataset.links.index.is_unique
    assert set(dataset.links["from_id"]) <= set(dataset.places.index)
    assert set(dataset.links["to_id"]) <= set(dataset.places.index)
    assert dataset.links["length_km"].gt(0).all()
    assert dataset.places["lat"].between(-90, 90).all()


def test_corridor_is_covered(dataset: td.Dataset) -> None:
    needed = {
        "vladivostok", "nakhodka", "vostochny", "ussuriysk", "baranovsky", "razdolnoye",
        "makhalino", "kamyshovaya", "kraskino", "posyet", "zarubino", "slavyanka", "khasan",
        "tumangang", "sonbong", "rajin", "rajin_port", "chongjin", "hunchun", "quanhe",
        "changlingzi", "tumen", "yanji", "mudanjiang", "suifenhe", "harbin", "grodekovo",
        "busan",
    }  # fmt: skip
    assert needed <= set(dataset.places.index)
    assert set(dataset.links["mode"]) == {"rail", "road", "sea", "ferry", "air"}
    kinds = set(dataset.facilities["kind"])
    assert kinds == {"port", "border_crossing", "transshipment", "sanitary_control"}
    assert {"sez", "border_zone", "industrial_park", "development_area"} == set(
        dataset.zones["kind"]
    )


def test_friendship_bridge_and_road_bridge_are_links(dataset: td.Dataset) -> None:
    rail = dataset.links.loc["rail_khasan_tumangang"]
    assert rail["mode"] == "rail"
    assert rail["gauge"] == "dual"
    assert rail["bridge_length_m"] == 623
    road = dataset.links.loc["road_khasan_tumangang"]
    assert road["mode"] == "road"
    assert road["bridge_length_m"] == 1000
    assert road["initial_status"] == "planned"


def test_khasan_tumangang_closed_2021_open_2023(dataset: td.Dataset) -> None:
    closed = dataset.on("2021-06-01")
    fac = closed.facilities.loc["fac_khasan_tumangang_rail_freight"]
    assert fac["status"] == "suspended"
    assert not fac["is_open"]
    link = closed.links.loc["rail_khasan_tumangang"]
    assert not link["is_open"]
    assert "fac_khasan_tumangang_rail_freight" in link["closed_by"]
    opened = dataset.on(date(2023, 6, 1))
    assert opened.facilities.loc["fac_khasan_tumangang_rail_freight", "is_open"]
    assert opened.links.loc["rail_khasan_tumangang", "is_open"]
    assert opened.links.loc["rail_khasan_tumangang", "closed_by"] == ""


@pytest.mark.parametrize(
    ("day", "freight_open", "people_open"),
    [
        ("2020-02-02", True, True),
        ("2020-02-03", False, False),
        ("2022-11-01", False, False),
        ("2022-11-02", True, False),
        ("2024-12-16", True, True),
    ],
)
def test_khasan_crossing_boundaries(
    dataset: td.Dataset, day: str, freight_open: bool, people_open: bool
) -> None:
    fac = dataset.on(day).facilities
    assert bool(fac.loc["fac_khasan_tumangang_rail_freight", "is_open"]) is freight_open
    assert bool(fac.loc["fac_khasan_tumangang_rail_people", "is_open"]) is people_open


def test_road_bridge_not_open_2025_open_after_planned_opening(dataset: td.Dataset) -> None:
    planned = dataset.events[dataset.events["kind"] == "planned_opening"]
    opening = planned[planned["target_id"] == "road_khasan_tumangang"]["date"].iloc[0].date()
    assert dataset.on("2024-01-01").links.loc["road_khasan_tumangang", "status"] == "planned"
    mid = dataset.on("2025-06-01").links.loc["road_khasan_tumangang"]
    assert mid["status"] == "under_construction"
    assert not mid["is_open"]
    day_before = dataset.on(opening.replace(day=opening.day - 1))
    assert not day_before.links.loc["road_khasan_tumangang", "is_open"]
    after = dataset.on(opening)
    assert after.links.loc["road_khasan_tumangang", "is_open"]
    assert after.facilities.loc["fac_khasan_road_checkpoint", "is_open"]


def test_friendship_bridge_history(dataset: td.Dataset) -> None:
    assert dataset.on("1950-01-01").links.loc["rail_khasan_tumangang", "status"] == "not_built"
    assert dataset.on("1960-01-01").links.loc["rail_khasan_tumangang", "is_open"]
    # Dual gauge and 5 Mt/yr on the rebuilt Tumangang–Rajin line from 2013-09-22.
    before = dataset.on("2013-09-21").links.loc["rail_tumangang_sonbong"]
    after = dataset.on("2013-09-22").links.loc["rail_tumangang_sonbong"]
    assert before["gauge"] == "1435"
    # Before the rebuild the line has an engineering estimate (every flow-carrying link
    # has a capacity, issue 21); the sourced 5 Mt/yr applies from the reopening.
    assert before["capacity_unit"] == "trains/day"
    assert before["capacity_source"] == "ASSUMPTION-CAPACITY-RAIL-SINGLE"
    assert after["gauge"] == "dual"
    assert after["capacity"] == 5
    assert after["capacity_unit"] == "Mt/yr"


@pytest.mark.parametrize(
    ("day", "status"),
    [
        ("1999-06-01", "not_built"),
        ("2001-06-01", "open"),
        ("2005-01-01", "suspended"),
        ("2013-08-02", "open"),
    ],
)
def test_makhalino_hunchun_history(dataset: td.Dataset, day: str, status: str) -> None:
    assert dataset.on(day).facilities.loc["fac_makhalino_rail_crossing", "status"] == status


def test_makhalino_capacity_stages(dataset: td.Dataset) -> None:
    cap = [
        dataset.on(d).links.loc["rail_makhalino_kamyshovaya", "capacity"]
        for d in ("2001-01-01", "2014-01-01", "2019-01-01")
    ]
    assert cap == [3, 2, 8]


def test_volume_events_do_not_change_values(dataset: td.Dataset) -> None:
    state = dataset.on("2030-01-01")
    assert "volume" not in state.facilities.columns
    assert state.facilities.loc["fac_rajin_pier3", "capacity"] == 4


def test_state_events_are_those_up_to_the_date(dataset: td.Dataset) -> None:
    state = dataset.on("2020-02-03")
    assert state.events["date"].max() <= pd.Timestamp("2020-02-03")
    assert "ev_2020_khasan_freight_suspended" in set(state.events["event_id"])
    assert "ev_2022_khasan_freight_resumed" not in set(state.events["event_id"])
    assert state.events["date"].is_monotonic_increasing


def test_diff_lists_what_changed(dataset: td.Dataset) -> None:
    a, b = dataset.on("2021-06-01"), dataset.on("2023-06-01")
    changes = a.diff(b)
    assert list(changes.columns) == ["table", "id", "field", "before", "after"]
    row = changes[
        (changes["id"] == "fac_khasan_tumangang_rail_freight") & (changes["field"] == "status")
    ]
    assert row[["before", "after"]].to_numpy().tolist() == [["suspended", "open"]]
    assert a.diff(a).empty
    back = b.diff(a)
    assert len(back) == len(changes)


def test_bad_date_is_a_data_error(dataset: td.Dataset) -> None:
    with pytest.raises(DataError, match="expected a date YYYY-MM-DD, got '2021-13-01'"):
        dataset.on("2021-13-01")
    with pytest.raises(DataError):
        dataset.on("yesterday")


def test_every_value_has_a_known_source(dataset: td.Dataset) -> None:
    known = set(dataset.sources.index)
    cites = dataset.citations()
    assert set(cites["source_id"]) <= known
    covered = set(zip(cites["table"], cites["id"], cites["field"], strict=True))
    meta = {"source", "confidence", "notes"}
    for name in ("places", "links", "facilities", "zones"):
        frame = getattr(dataset, name)
        cols = [c for c in frame.columns if c not in meta]
        cols = [c for c in cols if not c.endswith(("_source", "_confidence"))]
        id_column, value_cols = cols[0], cols[1:]
        assert id_column.endswith("_id")
        for rid, row in frame.iterrows():
            assert row["source"], (name, rid)
            assert row["confidence"] in ("high", "medium", "low"), (name, rid)
            for col in value_cols:
                value = row[col]
                empty = value == "" or (isinstance(value, float) and math.isnan(value))
                if not empty:
                    assert (name, rid, col) in covered, (name, rid, col)
    for event in dataset.events.itertuples():
        assert ("events", event.event_id, "*") in covered


def test_assumptions_are_marked_and_reasoned(dataset: td.Dataset) -> None:
    cites = dataset.citations()
    used = set(cites["source_id"])
    assumptions = dataset.sources[dataset.sources.index.str.startswith("ASSUMPTION-")]
    assert (assumptions["kind"] == "assumption").all()
    assert (assumptions["notes"].str.len() > 40).all()
    assert {"ASSUMPTION-DERIVED-LENGTH", "ASSUMPTION-ROAD-BRIDGE-OPENING"} <= used
    # Each seed document is cited.
    assert {f"SEED-00{i}" for i in range(5)} <= used


def test_override_source_wins_for_its_fields(dataset: td.Dataset) -> None:
    srcs, conf = dataset.value_source("links", "rail_ussuriysk_grodekovo", "length_km")
    assert srcs == ("ASSUMPTION-DERIVED-LENGTH",)
    assert conf == "low"
    srcs, _ = dataset.value_source("links", "rail_ussuriysk_grodekovo", "gauge")
    assert "ASSUMPTION-DERIVED-LENGTH" not in srcs


def test_derived_lengths_follow_the_stated_rule(dataset: td.Dataset) -> None:
    places = dataset.places
    derived = dataset.links[dataset.links["length_source"] == "ASSUMPTION-DERIVED-LENGTH"]
    assert len(derived) > 10
    for lid, row in derived.iterrows():
        a, b = places.loc[row["from_id"]], places.loc[row["to_id"]]
        expect = td.derived_length_km(row["mode"], a["lon"], a["lat"], b["lon"], b["lat"])
        assert row["length_km"] == pytest.approx(expect, abs=0.05), lid


def test_great_circle_known_distance() -> None:
    # One degree of latitude on the mean sphere is 111.195 km.
    assert float(td.great_circle_km(130.0, 42.0, 130.0, 43.0)) == pytest.approx(111.195, abs=1e-3)
    assert float(td.great_circle_km(0, 0, 0, 0)) == 0.0


def test_conflicts_record_the_known_disagreements(dataset: td.Dataset) -> None:
    c = dataset.conflicts

    def values(cid: str, field: str) -> set[str]:
        return set(c[(c["id"] == cid) & (c["field"] == field)]["value"])

    assert {"4", "5"} <= values("fac_rajin_pier3", "capacity")
    assert {"1000", "850"} <= values("road_khasan_tumangang", "bridge_length_m")
    assert {"four-rail", "three-rail"} <= values("rail_khasan_tumangang", "track_layout")
    assert {"623", "590"} <= values("rail_khasan_tumangang", "bridge_length_m")
    assert {"41", "43"} <= values("rail_makhalino_khasan", "length_km")
    assert values("fac_makhalino_rail_crossing", "volume_2018")
    # Each disputed value has exactly one chosen claim per (id, field) where values compete.
    chosen = c[c["chosen"]].groupby(["id", "field"]).size()
    assert chosen.loc[("fac_rajin_pier3", "capacity")] == 1
    assert chosen.loc[("road_khasan_tumangang", "bridge_length_m")] == 1
    assert c["chosen"].dtype == bool


def test_chosen_conflict_values_match_the_tables(dataset: td.Dataset) -> None:
    assert dataset.facilities.loc["fac_rajin_pier3", "capacity"] == 4
    assert dataset.links.loc["road_khasan_tumangang", "bridge_length_m"] == 1000
    assert dataset.links.loc["rail_khasan_tumangang", "bridge_length_m"] == 623


@settings(max_examples=40, deadline=None)
@given(
    a=st.dates(min_value=date(1941, 1, 1), max_value=date(2035, 12, 31)),
    b=st.dates(min_value=date(1941, 1, 1), max_value=date(2035, 12, 31)),
)
def test_state_invariants_on_any_date(dataset: td.Dataset, a: date, b: date) -> None:
    ds = dataset
    early, late = sorted([a, b])
    s1, s2 = ds.on(early), ds.on(late)
    for state in (s1, s2):
        for name in ("places", "links", "facilities", "zones"):
            frame = state.table(name)
            assert set(frame["status"]) <= set(td.STATUSES)
            assert not (frame["is_open"] & (frame["status"] != "open")).any()
        shut = state.links[state.links["closed_by"] != ""]
        assert not shut["is_open"].any()
    assert set(s1.events["event_id"]) <= set(s2.events["event_id"])
    # The diff is symmetric in size and empty only when nothing changed in between.
    assert len(s1.diff(s2)) == len(s2.diff(s1))
