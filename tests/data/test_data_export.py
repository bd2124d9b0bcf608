"""Exports of the network on a date: GeoJSON, GeoParquet and GMNS, read back."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from typer.testing import CliRunner

import tumen.data as td
from tumen.cli import app


@pytest.fixture(scope="module")
def state_2021() -> td.NetworkState:
    return td.load().on("2021-06-01")


def no_temp_files(folder: Path) -> bool:
    kept = (".tumen-files", ".tumen-output")  # Tumen's record of what it wrote
    return not [p for p in folder.iterdir() if p.name.startswith(".") and p.name not in kept]


def test_geodataframe_shapes(state_2021: td.NetworkState) -> None:
    gdf = td.to_geodataframe(state_2021)
    assert gdf.crs.to_epsg() == 4326
    links = gdf[gdf["feature_type"] == "link"]
    assert len(links) == len(state_2021.links)
    assert set(links.geom_type) == {"LineString"}
    places = gdf[gdf["feature_type"] == "place"]
    assert set(places.geom_type) == {"Point"}
    # A link's line runs between its end places' coordinates.
    row = links.set_index("id").loc["rail_khasan_tumangang"]
    start, end = row.geometry.coords[0], row.geometry.coords[-1]
    kh, tg = state_2021.places.loc["khasan"], state_2021.places.loc["tumangang"]
    assert start == (kh["lon"], kh["lat"])
    assert end == (tg["lon"], tg["lat"])
    assert not row["is_open"]
    zones = gdf[gdf["feature_type"] == "zone"]
    assert "zone_golden_triangle" in set(zones["id"])
    assert zones.set_index("id").loc["zone_golden_triangle"].geometry.geom_type == "Polygon"


def test_geojson_reads_back(state_2021: td.NetworkState, tmp_path: Path) -> None:
    out = td.export_geojson(state_2021, tmp_path / "net.geojson")
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    back = gpd.read_file(out)
    assert len(back) == len(td.to_geodataframe(state_2021))
    link = back[back["id"] == "rail_khasan_tumangang"].iloc[0]
    assert link["status"] == "open"
    assert not link["is_open"]
    assert link["length_km"] == 5
    assert no_temp_files(tmp_path)


def test_geoparquet_reads_back(state_2021: td.NetworkState, tmp_path: Path) -> None:
    out = td.export_geoparquet(state_2021, tmp_path / "net.parquet")
    back = gpd.read_parquet(out)
    assert back.crs.to_epsg() == 4326
    links = back[back["feature_type"] == "link"].set_index("id")
    assert links.loc["rail_tumangang_sonbong", "capacity"] == 5
    assert links.loc["rail_tumangang_sonbong", "capacity_unit"] == "Mt/yr"
    assert (back["date"] == "2021-06-01").all()
    assert no_temp_files(tmp_path)


def test_gmns_node_and_link(state_2021: td.NetworkState, tmp_path: Path) -> None:
    folder = td.export_gmns(state_2021, tmp_path / "gmns")
    nodes = pd.read_csv(folder / "node.csv", keep_default_na=False)
    links = pd.read_csv(folder / "link.csv", keep_default_na=False)
    config = pd.read_csv(folder / "config.csv")
    for col in ("node_id", "name", "x_coord", "y_coord", "node_type", "zone_id"):
        assert col in nodes.columns
    for col in ("link_id", "from_node_id", "to_node_id", "directed", "geometry", "length",
                "free_speed", "allowed_uses"):  # fmt: skip
        assert col in links.columns
    assert nodes["node_id"].is_unique
    assert set(links["from_node_id"]) | set(links["to_node_id"]) <= set(nodes["node_id"])
    assert len(links) == len(state_2021.links)
    row = links.set_index("link_id").loc["rail_khasan_tumangang"]
    assert row["geometry"].startswith("LINESTRING (130.6449 42.4301")
    assert not bool(row["directed"])
    assert config.loc[0, "long_length"] == "km"
    assert no_temp_files(folder)


def test_export_command_writes_each_format(tmp_path: Path) -> None:
    runner = CliRunner()
    for fmt, name in (("geojson", "a.geojson"), ("geoparquet", "a.parquet"), ("gmns", "g")):
        out = tmp_path / name
        result = runner.invoke(
            app, ["export", "--on", "2023-06-01", "--format", fmt, "--out", str(out)]
        )
        assert result.exit_code == 0, result.stderr
        assert out.exists()
    result = runner.invoke(
        app, ["export", "--on", "2023-06-01", "--format", "shp", "--out", str(tmp_path / "x")]
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: --format: expected one of geojson, geoparquet, gmns, got 'shp'"
    )


def test_export_rejects_unknown_format(state_2021: td.NetworkState, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="format must be one of"):
        td.export(state_2021, "kml", tmp_path / "x.kml")
