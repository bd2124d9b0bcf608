"""The network on a date: base rows plus every event up to that date, applied in order."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from tumen.data._schema import EVENT_STATUS, TABLES
from tumen.errors import DataError, Problem

__all__ = [
    "HORIZON_YEAR",
    "OPENING_KINDS",
    "NetworkState",
    "as_date",
    "build_state",
    "changes_the_network",
    "ledger_span",
]

#: The last year Tumen models: the ledger's planned events and the scenarios (to 2030) lie
#: before it; a date after its end is refused, as is one before the ledger's first event.
HORIZON_YEAR = 2040
#: Event kinds that open a link or facility for the first time. Before the first of them a
#: link or facility is ``not_built``, whatever its ``initial_status`` says.
OPENING_KINDS = ("opened", "link_added", "planned_opening")

_TARGET_TABLES = {"link": "links", "facility": "facilities", "zone": "zones", "place": "places"}
#: Columns compared by :meth:`NetworkState.diff`, besides status and openness.
_DIFF_FIELDS = (
    "status",
    "is_open",
    "closed_by",
    "gauge",
    "length_km",
    "bridge_length_m",
    "speed_kmh",
    "capacity",
    "capacity_unit",
    "bidirectional",
    "handling_time_h",
    "handling_cost_usd_per_t",
    "cargo_class",
    "link_ids",
    "place_ids",
)


def as_date(when: date | datetime | str, what: str = "date") -> date:
    """Return ``when`` as a :class:`datetime.date`.

    Parameters
    ----------
    when : datetime.date, datetime.datetime or str
        A date, or an ISO date string ``YYYY-MM-DD``.
    what : str
        How to name the value in an error message (e.g. ``--on``).

    Returns
    -------
    datetime.date

    Raises
    ------
    DataError
        If ``when`` is a string that is not an ISO date.
    """
    if isinstance(when, datetime):
        return when.date()
    if isinstance(when, date):
        return when
    text = str(when).strip()
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise DataError(Problem(what, None, None, "a date YYYY-MM-DD", text)) from None


@dataclass(frozen=True, eq=False)
class NetworkState:
    """The corridor network as it stood on one date.

    Attributes
    ----------
    date : datetime.date
        The date.
    places, links, facilities, zones : pandas.DataFrame
        The dataset's tables with every event dated on or before ``date`` applied, plus
        ``status`` (``open``, ``closed``, ``suspended``, ``planned``, ``proposed``,
        ``under_construction``, ``not_built``), ``status_since`` (date of the last event
        that set it; NaT if none) and ``is_open`` (bool). Links also carry ``closed_by``:
        the border crossings (``;``-separated facility ids) that close an otherwise open
        link because none of the crossings on it is open.
    events : pandas.DataFrame
        The ledger up to and including ``date``, in the order applied.
    """

    date: date
    places: pd.DataFrame
    links: pd.DataFrame
    facilities: pd.DataFrame
    zones: pd.DataFrame
    events: pd.DataFrame

    def table(self, name: str) -> pd.DataFrame:
        """Return one of ``places``, ``links``, ``facilities``, ``zones`` by name."""
        if name not in ("places", "links", "facilities", "zones"):
            raise KeyError(name)
        frame: pd.DataFrame = getattr(self, name)
        return frame

    def diff(self, other: NetworkState) -> pd.DataFrame:
        """Return what differs between this state and another.

        Parameters
        ----------
        other : NetworkState
            The state to compare with (usually the same dataset on another date).

        Returns
        -------
        pandas.DataFrame
            One row per changed value: ``table``, ``id``, ``field``, ``before`` (the
            value in this state, as text) and ``after`` (the value in ``other``). Rows
            present in only one state are reported with field ``row``.
        """
        records: list[dict[str, str]] = []
        for name in ("places", "links", "facilities", "zones"):
            mine, theirs = self.table(name), other.table(name)
            for rid in mine.index.difference(theirs.index):
                records.append(_change(name, rid, "row", "present", ""))
            for rid in theirs.index.difference(mine.index):
                records.append(_change(name, rid, "row", "", "present"))
            common = mine.index.intersection(theirs.index, sort=False)
            fields = [f for f in _DIFF_FIELDS if f in mine.columns and f in theirs.columns]
            for rid in common:
                for f in fields:
                    a, b = _text(mine.loc[rid, f]), _text(theirs.loc[rid, f])
                    if a != b:
                        records.append(_change(name, rid, f, a, b))
        return pd.DataFrame(records, columns=["table", "id", "field", "before", "after"])


def _change(table: str, rid: Any, field: str, before: str, after: str) -> dict[str, str]:
    return {"table": table, "id": str(rid), "field": field, "before": before, "after": after}


def _text(value: Any) -> str:
    """Return a cell as comparable text ('' for missing; 5.0 -> '5')."""
    if value is None or value is pd.NaT:
        return ""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, float | np.floating):
        return "" if math.isnan(value) else f"{value:g}"
    return str(value)


def _typed(table: str, field: str, value: str) -> Any:
    """Convert an event's text value to the type of the column it sets."""
    col = next(c for c in TABLES[table].columns if c.name == field)
    if col.kind == "float":
        return float(value) if value else math.nan
    if col.kind == "bool":
        return value.lower() == "true"
    return value


def ledger_span(events: pd.DataFrame) -> tuple[date, date]:
    """Return the span of dates a network state can be asked for.

    It runs from the ledger's first event to the end of the horizon year
    (:data:`HORIZON_YEAR`, or the year of a later event).

    Parameters
    ----------
    events : pandas.DataFrame
        The event ledger (column ``date``, datetime64).

    Returns
    -------
    first, last : datetime.date
    """
    dates = pd.to_datetime(events["date"]).dropna()
    if dates.empty:
        return date(1, 1, 1), date(HORIZON_YEAR, 12, 31)
    last_year = max(HORIZON_YEAR, int(dates.max().year))
    return dates.min().date(), date(last_year, 12, 31)


def check_in_span(when: date, events: pd.DataFrame, what: str = "date") -> date:
    """Return ``when`` if it lies within :func:`ledger_span`, else raise naming the span.

    Parameters
    ----------
    when : datetime.date
        The date asked for.
    events : pandas.DataFrame
        The event ledger.
    what : str
        How to name the value in the message (e.g. ``--on``).

    Returns
    -------
    datetime.date

    Raises
    ------
    DataError
        If ``when`` is before the ledger's first event or after the horizon year.
    """
    first, last = ledger_span(events)
    if not first <= when <= last:
        expected = (
            f"a date from {first.isoformat()} to {last.isoformat()} (the event ledger's first "
            f"event to the end of the horizon year {last.year})"
        )
        raise DataError(Problem(what, None, None, expected, when.isoformat()))
    return when


def changes_the_network(kind: str, field: object) -> bool:
    """Say whether :func:`build_state` changes anything for an event of ``kind``.

    An event sets a status (its kind has one in ``EVENT_STATUS``) or a value (it names a
    ``field``); a reported volume does neither.

    Parameters
    ----------
    kind : str
        The event's kind.
    field : object
        The event's ``field`` cell (empty or missing when it sets no value).

    Returns
    -------
    bool
    """
    if kind == "volume_reported":
        return False
    return EVENT_STATUS.get(kind) is not None or (isinstance(field, str) and field != "")


def build_state(tables: dict[str, pd.DataFrame], when: date) -> NetworkState:
    """Apply the event ledger up to ``when`` to the base tables.

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        Validated tables as returned by :func:`tumen.data._validate.read_dataset`.
    when : datetime.date
        The date; events dated on or before it apply.

    Returns
    -------
    NetworkState

    Raises
    ------
    DataError
        If ``when`` lies outside the ledger's span (:func:`ledger_span`).

    Notes
    -----
    A link or facility is ``not_built`` (never open) before its first opening event
    (:data:`OPENING_KINDS`), and so is a border crossing all of whose links are
    ``not_built`` on the date.
    """
    stamp = pd.Timestamp(when)
    events = tables["events"]
    check_in_span(when, events)
    applied = events[events["date"] <= stamp].sort_values("date", kind="stable")
    frames: dict[str, pd.DataFrame] = {}
    for name in ("places", "links", "facilities", "zones"):
        frame = tables[name].copy()
        frame["status"] = frame.get("initial_status", "open")
        frame["status"] = frame["status"].astype("str")
        frame["status_since"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us]")
        frames[name] = frame
    # Each column's changes are gathered first (a later event overwrites an earlier one)
    # and written once per column, not once per event.
    changes: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in frames}
    for ev in applied.itertuples(index=False):
        table = _TARGET_TABLES.get(ev.target_type)
        if table is None:
            continue
        column = changes[table]
        status = EVENT_STATUS[ev.kind]
        if status is not None:
            column.setdefault("status", {})[ev.target_id] = status
            column.setdefault("status_since", {})[ev.target_id] = ev.date
        if ev.field and ev.kind != "volume_reported":
            column.setdefault(ev.field, {})[ev.target_id] = _typed(table, ev.field, ev.value)
            if ev.field == "capacity" and ev.unit:
                column.setdefault("capacity_unit", {})[ev.target_id] = ev.unit
    for table, columns in changes.items():
        for name, values in columns.items():
            _overwrite(frames[table], name, values)
    _not_built_before_opening(frames, events, stamp)
    for frame in frames.values():
        frame["is_open"] = (frame["status"] == "open").astype("bool")
    _close_links_at_crossings(frames["links"], frames["facilities"])
    return NetworkState(
        date=when,
        places=frames["places"],
        links=frames["links"],
        facilities=frames["facilities"],
        zones=frames["zones"],
        events=applied.reset_index(drop=True),
    )


def _overwrite(frame: pd.DataFrame, column: str, values: dict[str, Any]) -> None:
    """Set ``column`` of the rows named in ``values``, rebuilding it once in its own dtype.

    Writing cells one by one into a pyarrow-backed column copies it each time; a new
    column built from a list costs one copy.
    """
    if column not in frame.columns:
        frame.loc[list(values), column] = list(values.values())
        return
    cells = frame[column].tolist()
    for pos, value in zip(frame.index.get_indexer(list(values)), values.values(), strict=True):
        cells[pos] = value
    frame[column] = pd.Series(cells, index=frame.index, dtype=frame[column].dtype)


def _not_built_before_opening(
    frames: dict[str, pd.DataFrame], events: pd.DataFrame, stamp: pd.Timestamp
) -> None:
    """Mark ``not_built`` what would be open before its first opening event.

    A border crossing whose every link is ``not_built`` is ``not_built`` too.
    """
    opening = events[events["kind"].isin(OPENING_KINDS)]
    first = opening.groupby(["target_type", "target_id"], sort=False)["date"].min()
    later = first[first > stamp]
    for target_type, table in (("link", "links"), ("facility", "facilities")):
        frame = frames[table]
        ids = later[later.index.get_level_values("target_type") == target_type]
        unopened = frame.index.isin(ids.index.get_level_values("target_id"))
        frame.loc[unopened & (frame["status"] == "open"), "status"] = "not_built"
    links, facilities = frames["links"], frames["facilities"]
    known = set(links.index)
    not_built = set(links.index[links["status"] == "not_built"])
    crossings = facilities[
        (facilities["kind"] == "border_crossing") & (facilities["status"] == "open")
    ]
    unbuilt_crossings = []
    for fid, link_ids in zip(crossings.index, crossings["link_ids"], strict=True):
        ids = [p for p in str(link_ids).split(";") if p in known]
        if ids and not_built.issuperset(ids):
            unbuilt_crossings.append(fid)
    facilities.loc[unbuilt_crossings, "status"] = "not_built"


def _close_links_at_crossings(links: pd.DataFrame, facilities: pd.DataFrame) -> None:
    """Close a link whose border crossings are all shut; name them in ``closed_by``."""
    crossings: dict[str, list[tuple[str, bool]]] = {}
    border = facilities[facilities["kind"] == "border_crossing"]
    for fid, link_ids, is_open in zip(
        border["facility_id"], border["link_ids"], border["is_open"], strict=True
    ):
        for lid in (p for p in link_ids.split(";") if p):
            crossings.setdefault(lid, []).append((fid, bool(is_open)))
    status = dict(zip(links.index, links["status"], strict=True))
    shut = {
        lid: ";".join(f for f, _ in entries)
        for lid, entries in crossings.items()
        if status.get(lid) == "open" and not any(o for _, o in entries)
    }
    closed_by = pd.Series("", index=links.index, dtype="str")
    closed_by[list(shut)] = list(shut.values())
    links["closed_by"] = closed_by
    links["is_open"] = links["is_open"] & (closed_by == "")
