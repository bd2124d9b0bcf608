"""The corridor dataset: load, validate, the network on a date, export.

Importing this package reads no files; :func:`load` reads and validates a dataset
folder once and returns a :class:`Dataset`.
"""

from __future__ import annotations

from tumen.data._dataset import Dataset, bundled_dir, load
from tumen.data._export import (
    EXPORT_FORMATS,
    export,
    export_geojson,
    export_geoparquet,
    export_gmns,
    to_geodataframe,
)
from tumen.data._geo import DETOUR_FACTORS, derived_length_km, great_circle_km
from tumen.data._schema import (
    CAPACITY_UNITS,
    CARGO_CLASSES,
    EVENT_KINDS,
    FACILITY_KINDS,
    GAUGES,
    MODES,
    STATUSES,
    TABLES,
)
from tumen.data._state import NetworkState, as_date

#: The files a dataset folder holds.
TABLE_FILES: tuple[str, ...] = tuple(t.file for t in TABLES.values())

__all__ = [
    "CAPACITY_UNITS",
    "CARGO_CLASSES",
    "DETOUR_FACTORS",
    "EVENT_KINDS",
    "EXPORT_FORMATS",
    "FACILITY_KINDS",
    "GAUGES",
    "MODES",
    "STATUSES",
    "TABLE_FILES",
    "Dataset",
    "NetworkState",
    "as_date",
    "bundled_dir",
    "derived_length_km",
    "export",
    "export_geojson",
    "export_geoparquet",
    "export_gmns",
    "great_circle_km",
    "load",
    "to_geodataframe",
]
