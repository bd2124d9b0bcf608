"""Sea legs drawn over water: the raster, the paths and their lengths against the data."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import tumen.data
from tumen.report._network import network_json
from tumen.report._sea_paths import _clear, _sea_grid, sea_paths

#: Rajin and Vladivostok as the dataset places them, and the one sourced sea distance
#: between them: 90 nautical miles (RF-S62).
RAJIN_PORT = (130.305, 42.237)
VLADIVOSTOK = (131.8853, 43.1150)
RAJIN_VLADIVOSTOK_KM = 166.7


def test_land_and_sea_cells_are_where_the_map_says() -> None:
    grid = _sea_grid()

    def is_open(lon: float, lat: float) -> bool:
        j = round((lon - grid.lons[0]) / (grid.lons[1] - grid.lons[0]))
        i = round((lat - grid.lats[0]) / (grid.lats[1] - grid.lats[0]))
        return bool(grid.open_[i, j])

    assert is_open(134.0, 40.0)  # the middle of the Sea of Japan
    assert is_open(129.3, 34.6)  # the Korea Strait
    assert is_open(123.0, 35.0)  # the Yellow Sea
    assert not is_open(127.0, 40.0)  # the DPRK inland
    assert not is_open(126.53, 45.80)  # Harbin
    assert not is_open(138.5, 36.5)  # Honshu
    assert not is_open(131.0, 44.0)  # Primorye inland, west of Ussuriysk


def test_rajin_vladivostok_route_matches_the_sourced_distance() -> None:
    (route,) = sea_paths([(RAJIN_PORT, VLADIVOSTOK)])
    assert route is not None
    assert route.length_km == pytest.approx(RAJIN_VLADIVOSTOK_KM, rel=0.06)
    assert tuple(route.points[0]) == RAJIN_PORT and tuple(route.points[-1]) == VLADIVOSTOK


def test_paths_keep_to_water_and_are_deterministic() -> None:
    grid = _sea_grid()
    pairs = [(RAJIN_PORT, VLADIVOSTOK), ((131.0667, 42.6444), (129.100, 35.083))]
    first, second = sea_paths(pairs), sea_paths(pairs)
    for a, b in zip(first, second, strict=True):
        assert a is not None and b is not None
        np.testing.assert_array_equal(a.points, b.points)
        inner = a.points[1:-1]  # the ends join the sea by a short straight leg
        for p, q in itertools.pairwise(inner):
            assert _clear(grid, p, q)


def test_a_point_far_from_water_or_outside_the_box_gets_no_path() -> None:
    inland = (126.53, 45.80)  # Harbin
    beyond = (86.09, 55.35)  # Kuzbass
    assert sea_paths([(inland, VLADIVOSTOK), (beyond, VLADIVOSTOK)]) == [None, None]


def test_every_bundled_sea_leg_is_drawn_and_its_length_is_plausible() -> None:
    ds = tumen.data.load()
    links = {row["id"]: row for row in network_json(ds)["links"]}
    sea = ds.links[ds.links["mode"].isin(["sea", "ferry"])]
    assert len(sea) > 40
    for lid, row in sea.iterrows():
        drawn = links[str(lid)]
        assert len(drawn["path"]) >= 3, lid
        ratio = float(row["length_km"]) / drawn["water_km"]
        # The dataset's waypoint estimates (ASSUMPTION-SEA-WAYPOINTS) can't be much
        # shorter than the shortest route over water, nor far longer.
        assert 0.93 <= ratio <= 1.2, (lid, row["length_km"], drawn["water_km"])
