"""Each place's point is its subject's point, names its source, and agrees with the fact sheet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import tumen.data as td

#: Greatest distance, km, between a place's point and the fact sheet's point for its node.
TOLERANCE_KM = 1.0

#: Fact-sheet node (section 1 of reference/region-facts.md) -> the places standing on it.
NODE_PLACES: dict[str, tuple[str, ...]] = {
    "Vladivostok": ("vladivostok",),
    "Ussuriysk": ("ussuriysk",),
    "Nakhodka": ("nakhodka",),
    "Posyet": ("posyet",),
    "Zarubino": ("zarubino",),
    "Slavyanka": ("slavyanka",),
    "Baranovsky station": ("baranovsky",),
    "Kraskino": ("kraskino",),
    "Khasan station": ("khasan",),
    "Tumangang station": ("tumangang",),
    "Sonbong station (Rason)": ("sonbong",),
    "Rajin station": ("rajin",),
    "Chongjin": ("chongjin",),
    "Namyang–Tumen crossing": ("namyang",),
    "Quanhe–Wonjong crossing": ("quanhe", "wonjong"),
    "Hunchun": ("hunchun",),
    "Pogranichny / Grodekovo station": ("grodekovo",),
    "Suifenhe": ("suifenhe",),
    "Yanji": ("yanji",),
    "Tumen (China)": ("tumen",),
    "Mudanjiang": ("mudanjiang",),
    "Harbin": ("harbin",),
    "Dalian port": ("dalian",),
    "Pyongyang": ("pyongyang",),
    "Busan port": ("busan",),
}
#: Fact-sheet nodes with a point that are not places of the network.
NOT_PLACES = {"Friendship Bridge", "Shenyang"}

_ROW = re.compile(
    r"^\| (?P<node>[^|]+?) \| (?P<lat>-?\d+\.\d+), (?P<lon>-?\d+\.\d+)\D[^|]*\| (?P<src>\w+) \|"
)


def fact_sheet_points(shared: Path) -> dict[str, tuple[float, float, str]]:
    """Return node -> (lat, lon, RF source id) from section 1 of the fact sheet."""
    text = (shared / "reference" / "region-facts.md").read_text(encoding="utf-8")
    section = text.split("## 1.", 1)[1].split("\n## ", 1)[0]
    points = {}
    for line in section.splitlines():
        m = _ROW.match(line)
        if m is not None:
            points[m["node"]] = (float(m["lat"]), float(m["lon"]), f"RF-{m['src']}")
    return points


def _chosen_otherwise(dataset: td.Dataset, place: str, source: str) -> bool:
    c = dataset.conflicts
    rows = c[(c["table"] == "places") & (c["id"] == place)]
    rejected = rows[~rows["chosen"] & rows["source"].map(lambda s: source in str(s).split(";"))]
    return len(rejected) > 0 and bool(rows["chosen"].any())


def test_every_place_names_the_source_of_its_point(dataset: td.Dataset) -> None:
    places = dataset.places
    assert (places["coord_source"].map(bool)).all()
    assert places["coord_confidence"].isin(["high", "medium", "low"]).all()
    # A point placed by a stated method is never more than low-to-medium confidence.
    for pid, row in places.iterrows():
        if any(s.startswith("ASSUMPTION-COORD-") for s in row["coord_source"].split(";")):
            assert row["coord_confidence"] in ("low", "medium"), pid


def test_the_two_sides_of_a_crossing_are_apart(dataset: td.Dataset) -> None:
    p = dataset.places
    km = float(
        td.great_circle_km(*p.loc["quanhe", ["lon", "lat"]], *p.loc["wonjong", ["lon", "lat"]])
    )
    assert km == pytest.approx(0.638, abs=0.01)  # the new bridge's length (RF-S68)
    assert p.loc["quanhe", "lat"] > p.loc["wonjong", "lat"]  # China lies to the north-east


def test_places_agree_with_the_fact_sheet(dataset: td.Dataset, shared_dir: Path) -> None:
    points = fact_sheet_points(shared_dir)
    assert set(points) - NOT_PLACES == set(NODE_PLACES)
    places = dataset.places
    for node, (lat, lon, source) in points.items():
        for pid in NODE_PLACES.get(node, ()):
            row = places.loc[pid]
            km = float(td.great_circle_km(row["lon"], row["lat"], lon, lat))
            if km <= TOLERANCE_KM:
                continue
            assert _chosen_otherwise(dataset, pid, source), (
                f"{pid} is {km:.1f} km from the fact sheet's {node} ({source}) "
                "with no chosen conflict recorded"
            )
