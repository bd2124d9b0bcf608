"""The corridor dataset: load, validate, the network on a date, export.

One schema declares every table of a dataset (the network, demand and costs, the
screening tables, the sample shipments) and its scenario files. Importing this package
reads no files; :func:`load` reads and validates a dataset folder once and returns a
:class:`Dataset`; :func:`check` returns every problem of every file instead.
"""

from __future__ import annotations

from tumen.data._dataset import DATASET_FILES, SCENARIO_DIR, Dataset, bundled_dir, check, load
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
)
from tumen.data._shipments import read_shipments
from tumen.data._state import NetworkState, as_date

#: The files a dataset folder holds besides its ``scenarios/`` (paths relative to it).
TABLE_FILES: tuple[str, ...] = DATASET_FILES

__all__ = [
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
