"""What each table of a dataset must hold: columns, types, units, ranges, keys, references.

One declaration per table, one line per column; :mod:`tumen.data._validate` reads it
and words every problem the same way. Adding a column to a table is adding one
:class:`Column` line here. Rules that tie several cells of a row together (a cap needs a
unit, a rail link a gauge) are in :mod:`tumen.data._checks`; the scenario files are
declared in :mod:`tumen.data._scenario`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tumen.data._units import CAPACITY_UNITS, DEMAND_UNITS, UNITS

__all__ = [
    "ALIAS_SCRIPTS",
    "ALIAS_TABLES",
    "CAPACITY_UNITS",
    "CARGO_CLASSES",
    "CONFIDENCES",
    "COUNTRIES",
    "DEMAND_BASES",
    "DEMAND_METHOD_BASES",
    "DEMAND_PERIOD",
    "EVENT_KINDS",
    "EVENT_STATUS",
    "FACILITY_KINDS",
    "FLOWS",
    "GAUGES",
    "HS_CODE",
    "LUXURY_GOODS",
    "MODES",
    "PLACE_KINDS",
    "SHIPMENTS",
    "STATUSES",
    "TABLES",
    "TRANSFERS",
    "ZONE_KINDS",
    "Column",
    "Table",
]

CONFIDENCES = ("high", "medium", "low")
COUNTRIES = ("RU", "KP", "CN", "KR", "JP", "MN")
PLACE_KINDS = ("city", "station", "port", "terminal", "border_post", "junction", "zone_centre")
MODES = ("rail", "road", "sea", "ferry", "air")
GAUGES = ("1520", "1435", "dual")
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
        ``text``, ``float``, ``int``, ``bool``, ``date``, ``enum``, ``ref`` (an id in
        ``ref``'s table), ``refs`` (``;``-separated ids), ``sources`` (``;``-separated
        source ids), ``enums`` (``;``-separated members of ``choices``) or ``list``
        (``;``-separated items, each matching ``pattern`` where given).
    required : bool
        Whether an empty cell is a problem.
    choices : tuple of str
        Allowed values for ``enum``/``enums``.
    ref : str
        Table name for ``ref``/``refs``.
    low, high : float or None
        Inclusive range for ``float`` and ``int``.
    positive : bool
        For ``float``: must be strictly greater than zero.
    pattern : str
        A regular expression the whole cell (``text``) or each item (``list``) matches.
    unit : str
        Unit of a number, for documents and messages (``km``, ``USD/t``); empty if none.
    """

    name: str
    kind: str = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    ref: str = ""
    low: float | None = None
    high: float | None = None
    positive: bool = False
    pattern: str = ""
    unit: str = ""


@dataclass(frozen=True)
class Table:
    """A table of a dataset: its file, key, columns and source override groups.

    ``optional`` tables may be absent from a dataset folder (read as empty).
    ``overrides`` maps a group stem to the fields it covers: a filled ``<stem>_source``
    (and ``<stem>_confidence``) replaces the row's ``source``/``confidence`` for them.
    ``key`` lists the columns whose values together must be unique (the id column by
    default). ``required_ids`` lists ids the model reads, which must be present.
    ``min_rows`` is the fewest data rows the table may hold.
    """

    name: str
    file: str
    id_column: str | None
    columns: tuple[Column, ...]
    overrides: dict[str, tuple[str, ...]] = field(default_factory=dict)
    key: tuple[str, ...] = ()
    required_ids: tuple[str, ...] = ()
    min_rows: int = 1
    #: A dataset folder may lack an optional table's file; it then reads as no rows.
    optional: bool = False

    @property
    def column_names(self) -> tuple[str, ...]:
        """Return the column names in file order."""
        return tuple(c.name for c in self.columns)

    @property
    def key_columns(self) -> tuple[str, ...]:
        """Return the columns that identify a row (empty if none)."""
        if self.key:
            return self.key
        return (self.id_column,) if self.id_column else ()

    def column(self, name: str) -> Column:
        """Return the column called ``name``."""
        return next(c for c in self.columns if c.name == name)


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
        Column("lon", "float", required=True, low=-180.0, high=180.0, unit="degrees"),
        Column("lat", "float", required=True, low=-90.0, high=90.0, unit="degrees"),
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
        Column("length_km", "float", required=True, positive=True, unit="km"),
        Column("bridge_length_m", "float", positive=True, unit="m"),
        Column("speed_kmh", "float", required=True, positive=True, unit="km/h"),
        Column("capacity", "float", positive=True, unit="capacity_unit column"),
        Column("capacity_unit", "enum", choices=CAPACITY_UNITS),
        Column("capacity_low", "float", positive=True, unit="capacity_unit column"),
        Column("capacity_high", "float", positive=True, unit="capacity_unit column"),
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
        Column("capacity", "float", positive=True, unit="capacity_unit column"),
        Column("capacity_unit", "enum", choices=CAPACITY_UNITS),
        Column("capacity_low", "float", positive=True, unit="capacity_unit column"),
        Column("capacity_high", "float", positive=True, unit="capacity_unit column"),
        Column("handling_time_h", "float", low=0.0, unit="h"),
        Column("handling_cost_usd_per_t", "float", low=0.0, unit="USD/t"),
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
    key=("table", "id", "field", "value", "source"),
    columns=(
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

#: How a demand figure was obtained: ``observed`` (with a source), ``derived`` from sourced
#: figures by a stated computation, ``interpolated`` or ``projected`` (method named),
#: ``assumed`` (reason given) and ``scenario`` (an expert estimate or a scenario's own
#: number, used only where a scenario asks for it).
DEMAND_BASES = ("observed", "derived", "interpolated", "projected", "assumed", "scenario")
#: Bases that must state their method.
DEMAND_METHOD_BASES = ("derived", "interpolated", "projected", "assumed")
#: A part-year figure's months: ``YYYY-MM/YYYY-MM``.
DEMAND_PERIOD = r"\d{4}-(0[1-9]|1[0-2])/\d{4}-(0[1-9]|1[0-2])"
#: An HS chapter, heading or subheading: 2, 4 or 6 digits.
HS_CODE = r"\d{2}(\d{2}){0,2}"
_SOURCED = _sourced({})

CATEGORIES = Table(
    "categories",
    "categories.csv",
    "category_id",
    (
        Column("category_id", required=True),
        Column("name", required=True),
        Column("description", required=True),
        Column("defined_by", "enum", required=True, choices=("seed", "tumen")),
        Column("sea_beyond_port", "bool", required=True),
        Column("onward_country", "enum", choices=COUNTRIES),
        *_SOURCED,
        *_NOTES,
    ),
)

DEMAND = Table(
    "demand",
    "demand.csv",
    "demand_id",
    (
        Column("demand_id", required=True),
        Column("series", required=True),
        Column("category", "ref", required=True, ref="categories"),
        Column("commodity", "ref", required=True, ref="commodities"),
        Column("origin", "ref", required=True, ref="places"),
        Column("destination", "ref", required=True, ref="places"),
        Column("year", "int", required=True, low=1990, high=2100),
        Column("quantity", "float", required=True, low=0.0, unit="unit column"),
        Column("unit", "enum", required=True, choices=DEMAND_UNITS),
        Column("basis", "enum", required=True, choices=DEMAND_BASES),
        Column("period", pattern=DEMAND_PERIOD),
        Column("method"),
        Column("observed_gateway", "ref", ref="places"),
        *_SOURCED,
        *_NOTES,
    ),
)

#: Cost parameters the scenario model reads; a dataset must define each of them.
COST_PARAMETER_IDS = (
    *(f"line_haul_{m}_usd_per_tkm" for m in MODES if m != "air"),  # air carries people only
    *(f"line_haul_{m}_usd_per_pkm" for m in MODES),
    "time_value_rate_per_yr", "person_value_of_time_usd_per_h",
    *(f"default_speed_{m}_kmh" for m in MODES),
    "port_handling_usd_per_t", "port_handling_h", "gauge_transshipment_usd_per_t",
    "gauge_transshipment_h", "border_fee_usd_per_t", "border_fee_usd_per_person",
    "border_delay_rail_h", "border_delay_road_h", "border_delay_person_h", "border_queue_j",
    "border_queue_period_h", "zone_fee_special_usd_per_t", "zone_fee_trade_park_usd_per_t",
    "unmet_penalty_usd_per_t", "net_t_per_train", "net_t_per_truck", "t_per_teu",
    "people_pce_t", "rail_terminal_usd_per_t",
)  # fmt: skip

COST_PARAMETERS = Table(
    "cost_parameters",
    "cost_parameters.csv",
    "parameter_id",
    (
        Column("parameter_id", required=True),
        Column("value", "float", required=True, low=0.0, unit="unit column"),
        Column("unit", required=True),
        Column("low", "float", low=0.0, unit="unit column"),
        Column("high", "float", low=0.0, unit="unit column"),
        *_SOURCED,
        *_NOTES,
    ),
    required_ids=COST_PARAMETER_IDS,
)

HANDLING_CLASSES = ("bulk", "liquid", "container", "live", "people", "general")

COMMODITIES = Table(
    "commodities",
    "commodities.csv",
    "commodity_id",
    (
        Column("commodity_id", required=True, pattern=r"[a-z][a-z0-9_]*"),
        Column("name", required=True),
        Column("handling_class", "enum", required=True, choices=HANDLING_CLASSES),
        Column("hs_codes", "list", pattern=HS_CODE),
        Column("value_usd_per_t", "float", low=0.0, unit="USD/t"),
        Column("default_unit", "enum", required=True, choices=tuple(UNITS)),
        Column("t_per_bbl", "float", low=0.0, unit="t/bbl"),
        Column("synonyms", "list", required=True),
        *_SOURCED,
        *_NOTES,
    ),
)

#: Directions a measure can cover.
DIRECTIONS = ("export_from_kp", "supply_to_kp", "labour", "transit", "to_or_from_kp")
#: Kinds of measure: a ban, an aggregate cap, a paragraph that always needs a person's
#: review, a carve-out that disapplies its resolution's other paragraphs, a paragraph whose
#: goods are the items of a luxury-goods annex (``luxury_goods.csv``), and the ban on
#: ship-to-ship transfers (any goods; it turns on a row's ``transfer`` and ``vessel_flag``).
MEASURE_KINDS = ("ban", "cap", "review", "carve_out", "luxury_list", "ship_to_ship")
#: Exemption and allowance condition ids known to the screening engine.
EXEMPTIONS = (
    "rajin_transit_coal", "rajin_transit_coal_ru", "livelihood", "origin_kp",
    "notified_1718", "contract_30d", "contract_90d", "aircraft_spare_parts",
    "civil_flight_fuel", "committee_approval", "committee_exemption",
    "work_authorised_before_adoption",
)  # fmt: skip
CAP_PERIODS = ("calendar_year", "rolling_12_months", "fixed")
CAP_ALT_RULES = ("whichever_lower", "equivalent")

MEASURES = Table(
    "measures",
    "measures.csv",
    "measure_id",
    (
        Column("measure_id", required=True),
        Column("resolution", "int", required=True, low=1, high=9999),
        Column("paragraph", required=True),
        Column("adopted", "date", required=True),
        Column("applies_from", "date", required=True),
        Column("applies_until", "date"),
        Column("replaced_by", "ref", ref="measures"),
        Column("direction", "enum", required=True, choices=DIRECTIONS),
        Column("goods_hs", "list", pattern=HS_CODE),
        Column("goods_commodities", "refs", ref="commodities"),
        Column("goods_words", "list"),
        Column("kind", "enum", required=True, choices=MEASURE_KINDS),
        Column("review_note"),
        Column("cap_quantity", "float", low=0.0, unit="cap_unit"),
        Column("cap_unit", "enum", choices=tuple(UNITS)),
        Column("cap_alt_quantity", "float", low=0.0, unit="cap_alt_unit"),
        Column("cap_alt_unit", "enum", choices=tuple(UNITS)),
        Column("cap_alt_rule", "enum", choices=CAP_ALT_RULES),
        Column("cap_period", "enum", choices=CAP_PERIODS),
        Column("cap_period_start", "date"),
        Column("cap_period_end", "date"),
        Column("cap_conditions", "enums", choices=EXEMPTIONS),
        Column("exemptions", "enums", choices=EXEMPTIONS),
        Column("citation", required=True),
        *_SOURCED,
        Column("check", "enum", required=True, choices=("V", "I", "U")),
        *_NOTES,
    ),
)

#: Items of the UN's illustrative luxury-goods annexes (2094 annex IV, 2270 annex V,
#: 2321 annex IV), each with Tumen's HS mapping and the annex's value threshold if any.
LUXURY_GOODS = Table(
    "luxury_goods",
    "luxury_goods.csv",
    "item_id",
    (
        Column("item_id", required=True),
        Column("item", required=True),
        Column("annex_item", required=True),
        Column("words", "list", required=True),
        Column("hs_codes", "list", required=True, pattern=HS_CODE),
        Column("threshold_usd", "float", low=0.0, unit="USD"),
        Column("resolution", "int", required=True, low=1, high=9999),
        Column("paragraph", required=True),
        Column("annex", required=True),
        Column("citation", required=True),
        Column("adopted", "date", required=True),
        *_SOURCED,
        Column("check", "enum", required=True, choices=("V", "I", "U")),
        *_NOTES,
    ),
)

#: ``flow`` words of a trade-statistics row (reporter exports to / imports from partner).
FLOWS = ("import", "export", "re-import", "re-export", "M", "X")
#: ``transfer`` values: how the goods changed hands (``sts``, ``ship-to-ship`` and
#: ``ship to ship`` are read as ``ship_to_ship``).
TRANSFERS = ("ship_to_ship", "port", "rail", "road", "pipeline", "air")
#: A shipment table (a user's, or the bundled sample): one row per flow. It is checked by
#: :func:`tumen.data._shipments.prepare`, which also accepts other spellings of units,
#: booleans and thousands separators. Trade statistics fill the required columns from
#: others first (``tumen.data._periods``): ``date`` from ``period`` or ``year``/``month``
#: (or a default date), ``origin``/``destination`` from ``reporter``/``partner``/``flow``,
#: and an empty ``quantity`` from ``value_usd`` (counted in USD).
SHIPMENTS = Table(
    "shipments",
    "samples/shipments.csv",
    None,
    (
        Column("date", "date"),
        Column("origin", "enum", required=True),
        Column("destination", "enum", required=True),
        Column("transit", "enums"),
        Column("via", "list"),
        Column("commodity"),
        Column("hs", "list", pattern=HS_CODE),
        Column("quantity", "float", required=True, low=0.0, unit="unit column"),
        Column("unit", "enum", required=True, choices=tuple(UNITS)),
        Column("value_usd", "float", low=0.0, unit="USD"),
        Column("purpose", "list"),
        Column("origin_confirmed_non_kp", "bool"),
        Column("notified_1718", "bool"),
        Column("committee_approved", "bool"),
        Column("authorised_on", "date"),
        Column("contract_on", "date"),
        # Trade statistics: a period instead of a day, reporter/partner/flow instead of
        # origin/destination (tumen.data._periods).
        Column("period"),
        Column("year", "int", low=1900, high=2999),
        Column("month", "int", low=1, high=12),
        Column("reporter", "enum"),
        Column("partner", "enum"),
        Column("flow", "enum", choices=FLOWS),
        Column("transfer", "enum", choices=TRANSFERS),
        Column("vessel_flag", "enums"),
    ),
)

#: Tables an alias may name. ``regions`` are administrative areas the network has no row
#: for (``region_primorye``); their ids are declared by the aliases themselves.
ALIAS_TABLES = ("places", "zones", "regions")
#: Writing systems of an alias (a transliteration into Latin letters is ``latin``).
ALIAS_SCRIPTS = ("latin", "cyrillic", "hangul", "han")

ALIASES = Table(
    "aliases",
    "aliases.csv",
    None,
    (
        Column("table", "enum", required=True, choices=ALIAS_TABLES),
        Column("id", required=True),
        Column("alias", required=True),
        Column("script", "enum", required=True, choices=ALIAS_SCRIPTS),
        *_SOURCED,
        *_NOTES,
    ),
    optional=True,
)

#: Every table of a dataset, in the order they are read (sources first: others cite it).
TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        SOURCES,
        PLACES,
        LINKS,
        FACILITIES,
        ZONES,
        EVENTS,
        CONFLICTS,
        CATEGORIES,
        COMMODITIES,
        DEMAND,
        COST_PARAMETERS,
        MEASURES,
        LUXURY_GOODS,
        ALIASES,
    )
}
#: The tables of the network on a date (what :meth:`Dataset.on` reads).
NETWORK_TABLES = ("places", "links", "facilities", "zones", "events", "sources", "conflicts")
