"""What each bundled table must hold: columns, types, enumerations and ranges.

One declaration per table; :mod:`tumen.data._validate` reads it and words every
problem the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "CAPACITY_UNITS",
    "CARGO_CLASSES",
    "CONFIDENCES",
    "COUNTRIES",
    "EVENT_KINDS",
    "EVENT_STATUS",
    "FACILITY_KINDS",
    "GAUGES",
    "MODES",
    "PLACE_KINDS",
    "STATUSES",
    "TABLES",
    "ZONE_KINDS",
    "Column",
    "Table",
]

CONFIDENCES = ("high", "medium", "low")
COUNTRIES = ("RU", "KP", "CN", "KR", "JP", "MN")
PLACE_KINDS = ("city", "station", "port", "terminal", "border_post", "junction", "zone_centre")
MODES = ("rail", "road", "sea", "ferry", "air")
GAUGES = ("1520", "1435", "dual")
#: Units a capacity may be given in: million tonnes a year, vehicles a day or a year,
#: passengers a day, trains a day, twenty-foot equivalent units a year.
CAPACITY_UNITS = ("Mt/yr", "veh/day", "veh/yr", "pax/day", "trains/day", "TEU/yr")
STATUSES = (
    "open",
    "closed",
    "suspended",
    "planned",
    "proposed",
    "under_construction",
    "not_built",
)
FACILITY_KINDS = ("port", "border_crossing", "transshipment", "sanitary_control")
CARGO_CLASSES = ("bulk", "liquid", "container", "live", "people", "general", "all")
ZONE_KINDS = ("sez", "border_zone", "industrial_park", "development_area")
DATE_PRECISIONS = ("day", "month", "year")
TARGET_TYPES = ("link", "facility", "zone", "place", "network")

#: Event kind -> the status its target has afterwards (None: status unchanged).
EVENT_STATUS: dict[str, str | None] = {
    "opened": "open",
    "resumed": "open",
    "link_added": "open",
    "planned_opening": "open",
    "closed": "closed",
    "suspended": "suspended",
    "construction_started": "under_construction",
    "proposed": "proposed",
    "capacity_changed": None,
    "value_changed": None,
    "agreement_signed": None,
    "reconstruction_started": None,
    "milestone": None,
    "volume_reported": None,
}
EVENT_KINDS = tuple(EVENT_STATUS)


@dataclass(frozen=True)
class Column:
    """One column of a table and what its cells may hold.

    Parameters
    ----------
    name : str
        Column header.
    kind : str
        ``text``, ``float``, ``bool``, ``date``, ``enum``, ``ref`` (an id in ``ref``'s
        table), ``refs`` (``;``-separated ids), ``sources`` (``;``-separated source ids)
        or ``enums`` (``;``-separated members of ``choices``).
    required : bool
        Whether an empty cell is a problem.
    choices : tuple of str
        Allowed values for ``enum``/``enums``.
    ref : str
        Table name for ``ref``/``refs``.
    low, high : float or None
        Inclusive range for ``float``.
    positive : bool
        For ``float``: must be strictly greater than zero.
    """

    name: str
    kind: str = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    ref: str = ""
    low: float | None = None
    high: float | None = None
    positive: bool = False


@dataclass(frozen=True)
class Table:
    """A bundled table: its file, id column, columns and source override groups.

    ``overrides`` maps a group stem to the fields it covers: a filled ``<stem>_source``
    (and ``<stem>_confidence``) replaces the row's ``source``/``confidence`` for them.
    """

    name: str
    file: str
    id_column: str | None
    columns: tuple[Column, ...]
    overrides: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def column_names(self) -> tuple[str, ...]:
        """Return the column names in file order."""
        return tuple(c.name for c in self.columns)


def _sourced(overrides: dict[str, tuple[str, ...]]) -> tuple[Column, ...]:
    cols = [
        Column("source", "sources", required=True),
        Column("confidence", "enum", required=True, choices=CONFIDENCES),
    ]
    for stem in overrides:
        cols.append(Column(f"{stem}_source", "sources"))
        cols.append(Column(f"{stem}_confidence", "enum", choices=CONFIDENCES))
    return tuple(cols)


_NAMES = ("name_en", "name_ru", "name_ko", "name_zh")
_PLACE_OVR = {"name": _NAMES, "coord": ("lon", "lat")}
_LINK_OVR = {
    "length": ("length_km", "bridge_length_m"),
    "speed": ("speed_kmh",),
    "capacity": ("capacity", "capacity_unit", "capacity_low", "capacity_high"),
}
_FAC_OVR = {
    "capacity": ("capacity", "capacity_unit", "capacity_low", "capacity_high"),
    "handling": ("handling_time_h", "handling_cost_usd_per_t"),
}
_ZONE_OVR = {"name": _NAMES}
_NOTES = (Column("notes"),)

PLACES = Table(
    "places",
    "places.csv",
    "place_id",
    (
        Column("place_id", required=True),
        Column("name_en", required=True),
        Column("name_ru"),
        Column("name_ko"),
        Column("name_zh"),
        Column("kind", "enum", required=True, choices=PLACE_KINDS),
        Column("country", "enum", required=True, choices=COUNTRIES),
        Column("lon", "float", required=True, low=-180.0, high=180.0),
        Column("lat", "float", required=True, low=-90.0, high=90.0),
        *_sourced(_PLACE_OVR),
        *_NOTES,
    ),
    _PLACE_OVR,
)

LINKS = Table(
    "links",
    "links.csv",
    "link_id",
    (
        Column("link_id", required=True),
        Column("name", required=True),
        Column("from_id", "ref", required=True, ref="places"),
        Column("to_id", "ref", required=True, ref="places"),
        Column("mode", "enum", required=True, choices=MODES),
        Column("gauge", "enum", choices=GAUGES),
        Column("length_km", "float", required=True, positive=True),
        Column("bridge_length_m", "float", positive=True),
        Column("speed_kmh", "float", required=True, positive=True),
        Column("capacity", "float", positive=True),
        Column("capacity_unit", "enum", choices=CAPACITY_UNITS),
        Column("capacity_low", "float", positive=True),
        Column("capacity_high", "float", positive=True),
        Column("bidirectional", "bool", required=True),
        Column("countries", "enums", required=True, choices=COUNTRIES),
        Column("initial_status", "enum", required=True, choices=STATUSES),
        *_sourced(_LINK_OVR),
        *_NOTES,
    ),
    _LINK_OVR,
)

FACILITIES = Table(
    "facilities",
    "facilities.csv",
    "facility_id",
    (
        Column("facility_id", required=True),
        Column("name", required=True),
        Column("place_id", "ref", required=True, ref="places"),
        Column("kind", "enum", required=True, choices=FACILITY_KINDS),
        Column("cargo_class", "enum", required=True, choices=CARGO_CLASSES),
        Column("capacity", "float", positive=True),
        Column("capacity_unit", "enum", choices=CAPACITY_UNITS),
        Column("capacity_low", "float", positive=True),
        Column("capacity_high", "float", positive=True),
        Column("handling_time_h", "float", low=0.0),
        Column("handling_cost_usd_per_t", "float", low=0.0),
        Column("link_ids", "refs", ref="links"),
        Column("initial_status", "enum", required=True, choices=STATUSES),
        *_sourced(_FAC_OVR),
        *_NOTES,
    ),
    _FAC_OVR,
)

ZONES = Table(
    "zones",
    "zones.csv",
    "zone_id",
    (
        Column("zone_id", required=True),
        Column("name_en", required=True),
        Column("name_ru"),
        Column("name_ko"),
        Column("name_zh"),
        Column("kind", "enum", required=True, choices=ZONE_KINDS),
        Column("countries", "enums", required=True, choices=COUNTRIES),
        Column("place_ids", "refs", ref="places"),
        Column("initial_status", "enum", required=True, choices=STATUSES),
        *_sourced(_ZONE_OVR),
        *_NOTES,
    ),
    _ZONE_OVR,
)

EVENTS = Table(
    "events",
    "events.csv",
    "event_id",
    (
        Column("event_id", required=True),
        Column("date", "date", required=True),
        Column("date_precision", "enum", required=True, choices=DATE_PRECISIONS),
        Column("kind", "enum", required=True, choices=EVENT_KINDS),
        Column("target_type", "enum", required=True, choices=TARGET_TYPES),
        Column("target_id"),
        Column("field"),
        Column("value"),
        Column("unit"),
        Column("description", required=True),
        *_sourced({}),
    ),
)

CONFLICTS = Table(
    "conflicts",
    "conflicts.csv",
    None,
    (
        Column(
            "table",
            "enum",
            required=True,
            choices=("places", "links", "facilities", "zones", "demand"),
        ),
        Column("id", required=True),
        Column("field", required=True),
        Column("value", required=True),
        Column("source", "sources", required=True),
        Column("chosen", "bool", required=True),
        Column("reason", required=True),
    ),
)

SOURCES = Table(
    "sources",
    "sources.csv",
    "source_id",
    (
        Column("source_id", required=True),
        Column("kind", required=True),
        Column("title", required=True),
        Column("publisher"),
        Column("published"),
        Column("url"),
        Column("file"),
        Column("notes"),
    ),
)

#: Every table of a dataset, in the order they are read (sources first: others cite it).
TABLES: dict[str, Table] = {
    t.name: t for t in (SOURCES, PLACES, LINKS, FACILITIES, ZONES, EVENTS, CONFLICTS)
}
