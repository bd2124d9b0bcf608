"""Export the network on a date: GeoJSON, GeoParquet and GMNS node/link CSV.

Every file is written atomically: to a temporary file in the same folder, then moved
over the target with :func:`os.replace`, so a reader never sees half a file; the GMNS
folder is swapped in whole. Tumen replaces only a file or folder it wrote itself
(:mod:`tumen._atomic`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from tumen._atomic import write_dir_atomically, write_file_atomically
from tumen.data._state import NetworkState

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

__all__ = [
    "EXPORT_FORMATS",
    "export",
    "export_geojson",
    "export_geoparquet",
    "export_gmns",
    "to_geodataframe",
]

#: Formats :func:`export` writes.
EXPORT_FORMATS = ("geojson", "geoparquet", "gmns")

_PLACE_COLS = ("name_en", "name_ru", "name_ko", "name_zh", "kind", "country")
_LINK_COLS = (
    "name",
    "from_id",
    "to_id",
    "mode",
    "gauge",
    "length_km",
    "bridge_length_m",
    "speed_kmh",
    "capacity",
    "capacity_unit",
    "bidirectional",
    "countries",
    "closed_by",
)
_FAC_COLS = (
    "name",
    "place_id",
    "kind",
    "cargo_class",
    "capacity",
    "capacity_unit",
    "handling_time_h",
    "handling_cost_usd_per_t",
    "link_ids",
)
_ZONE_COLS = ("name_en", "kind", "countries", "place_ids")
_STATE_COLS = ("status", "status_since", "is_open", "source", "confidence")


def _iso(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy with datetime columns as ISO date text ('' where missing)."""
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d").fillna("").astype("str")
    return out


def to_geodataframe(state: NetworkState) -> gpd.GeoDataFrame:
    """Return the network on a date as one GeoDataFrame (WGS84).

    Parameters
    ----------
    state : NetworkState
        The network on a date (from :meth:`Dataset.on`).

    Returns
    -------
    geopandas.GeoDataFrame
        One feature per place (Point), link (LineString between its end places),
        facility (Point at its place) and zone (hull of its member places; zones without
        places are left out). Columns ``feature_type``, ``id``, ``date`` and the
        tables' columns; lengths in km, speeds in km/h, capacities in ``capacity_unit``.
    """
    import geopandas as gpd
    import shapely

    places = _iso(state.places)
    lon, lat = places["lon"], places["lat"]
    parts: list[pd.DataFrame] = []
    geoms: list[Any] = []

    def add(kind: str, frame: pd.DataFrame, cols: tuple[str, ...], shapes: list[Any]) -> None:
        part = frame[[c for c in (*cols, *_STATE_COLS) if c in frame.columns]].copy()
        part.insert(0, "id", frame.index.astype("str"))
        part.insert(0, "feature_type", kind)
        parts.append(part.reset_index(drop=True))
        geoms.extend(shapes)

    add("place", places, _PLACE_COLS, list(shapely.points(lon.to_numpy(), lat.to_numpy())))
    links = _iso(state.links)
    add(
        "link",
        links,
        _LINK_COLS,
        [
            shapely.linestrings([[lon[a], lat[a]], [lon[b], lat[b]]])
            for a, b in zip(links["from_id"], links["to_id"], strict=True)
        ],
    )
    facilities = _iso(state.facilities)
    add(
        "facility",
        facilities,
        _FAC_COLS,
        [shapely.Point(lon[p], lat[p]) for p in facilities["place_id"]],
    )
    zones = _iso(state.zones)
    zones = zones[zones["place_ids"] != ""]
    add(
        "zone",
        zones,
        _ZONE_COLS,
        [
            shapely.MultiPoint([(lon[p], lat[p]) for p in ids.split(";")]).convex_hull
            for ids in zones["place_ids"]
        ],
    )
    table = pd.concat(parts, ignore_index=True)
    for col in table.columns:
        if table[col].dtype == object:
            table[col] = table[col].astype("str")
    table.insert(2, "date", state.date.isoformat())
    return gpd.GeoDataFrame(table, geometry=geoms, crs="EPSG:4326")


def export_geojson(state: NetworkState, path: str | Path) -> Path:
    """Write the network on a date as a GeoJSON FeatureCollection.

    Parameters
    ----------
    state : NetworkState
        The network on a date.
    path : str or pathlib.Path
        File to write (replaced atomically).

    Returns
    -------
    pathlib.Path
        The file written.
    """
    target = Path(path)
    text = to_geodataframe(state).to_json(na="null", drop_id=True)
    write_file_atomically(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return target


def export_geoparquet(state: NetworkState, path: str | Path) -> Path:
    """Write the network on a date as a GeoParquet file.

    Parameters
    ----------
    state : NetworkState
        The network on a date.
    path : str or pathlib.Path
        File to write (replaced atomically).

    Returns
    -------
    pathlib.Path
        The file written.
    """
    target = Path(path)
    gdf = to_geodataframe(state)
    write_file_atomically(target, lambda tmp: gdf.to_parquet(tmp, index=False))
    return target


def _gmns_tables(state: NetworkState) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    places = _iso(state.places)
    nodes = pd.DataFrame(
        {
            "node_id": places.index.astype("str"),
            "name": places["name_en"],
            "x_coord": places["lon"],
            "y_coord": places["lat"],
            "node_type": places["kind"],
            "zone_id": "",
            "country": places["country"],
            "status": places["status"],
            "source": places["source"],
            "confidence": places["confidence"],
        }
    )
    links = _iso(state.links)
    lon, lat = places["lon"], places["lat"]
    geometry = [
        f"LINESTRING ({float(lon[a])!r} {float(lat[a])!r}, {float(lon[b])!r} {float(lat[b])!r})"
        for a, b in zip(links["from_id"], links["to_id"], strict=True)
    ]
    link_table = pd.DataFrame(
        {
            "link_id": links.index.astype("str"),
            "name": links["name"],
            "from_node_id": links["from_id"],
            "to_node_id": links["to_id"],
            "directed": ~links["bidirectional"],
            "geometry": geometry,
            "dir_flag": 1,
            "length": links["length_km"],
            "facility_type": links["mode"],
            "free_speed": links["speed_kmh"],
            "allowed_uses": links["mode"],
            "gauge": links["gauge"],
            "tumen_capacity": links["capacity"],
            "tumen_capacity_unit": links["capacity_unit"],
            "status": links["status"],
            "is_open": links["is_open"],
            "closed_by": links["closed_by"],
            "source": links["source"],
            "confidence": links["confidence"],
        }
    )
    config = pd.DataFrame(
        [
            {
                "dataset_name": f"Tumen corridor network on {state.date.isoformat()}",
                "short_length": "m",
                "long_length": "km",
                "speed": "kph",
                "crs": "EPSG:4326",
                "geometry_field_format": "WKT",
                "currency": "USD",
                "version_number": 0.96,
            }
        ]
    )
    return nodes, link_table, config


def export_gmns(state: NetworkState, folder: str | Path) -> Path:
    """Write the network on a date as GMNS ``node.csv``, ``link.csv`` and ``config.csv``.

    Parameters
    ----------
    state : NetworkState
        The network on a date.
    folder : str or pathlib.Path
        Folder to create, or to replace whole if Tumen wrote it (atomically; see
        :func:`tumen._atomic.write_dir_atomically`). A folder Tumen did not write, or a
        file, is refused with an :class:`~tumen.errors.OutputError`.

    Returns
    -------
    pathlib.Path
        The folder.

    Notes
    -----
    Ids are Tumen's text ids (GMNS allows any primary-key type). ``length`` is in km
    and ``free_speed`` in km/h (see ``config.csv``). GMNS ``capacity`` means vehicles per
    hour per lane, which Tumen does not hold; the corridor capacity is in the ad hoc
    fields ``tumen_capacity`` and ``tumen_capacity_unit``. Links closed on the date are
    kept with ``is_open`` false so a user can see and filter them.
    """
    tables = dict(zip(("node.csv", "link.csv", "config.csv"), _gmns_tables(state), strict=True))

    def fill(tmp: Path) -> None:
        for name, frame in tables.items():
            frame.to_csv(tmp / name, index=False, lineterminator="\n")

    return write_dir_atomically(folder, fill)


def export(state: NetworkState, fmt: str, out: str | Path) -> Path:
    """Write the network on a date in one of :data:`EXPORT_FORMATS`.

    Parameters
    ----------
    state : NetworkState
        The network on a date.
    fmt : str
        ``geojson``, ``geoparquet`` or ``gmns``.
    out : str or pathlib.Path
        File (GeoJSON, GeoParquet) or folder (GMNS).

    Returns
    -------
    pathlib.Path
        What was written.

    Raises
    ------
    ValueError
        If ``fmt`` is not a known format.
    """
    writers = {"geojson": export_geojson, "geoparquet": export_geoparquet, "gmns": export_gmns}
    if fmt not in writers:
        raise ValueError(f"format must be one of {', '.join(EXPORT_FORMATS)}, got {fmt!r}")
    return writers[fmt](state, out)
