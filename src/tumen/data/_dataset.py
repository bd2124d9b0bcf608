"""The dataset object: every table and scenario, validated once; the network on a date.

A dataset is a folder: the bundled one, or a user's full copy of it (the ``--data``
rule, ``docs/data.md``). :func:`load` reads and checks all of it and returns a
:class:`Dataset`; :func:`check` returns every problem instead of raising.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from pathlib import Path

import pandas as pd

from tumen.data._scenario import Scenario
from tumen.data._scenario_file import NAME_PATTERN, parse_scenario, scenario_problems
from tumen.data._schema import NETWORK_TABLES, SHIPMENTS, TABLES
from tumen.data._shipments import check_shipment_file
from tumen.data._state import NetworkState, as_date, build_state
from tumen.data._validate import validate_tables
from tumen.errors import DataError, Problem

__all__ = ["DATASET_FILES", "SCENARIO_DIR", "Dataset", "bundled_dir", "check", "load"]

#: The files a dataset folder holds (paths relative to it), besides its scenarios.
DATASET_FILES: tuple[str, ...] = (*(t.file for t in TABLES.values()), SHIPMENTS.file)
#: The folder of a dataset holding its scenario files (``NAME.yaml``).
SCENARIO_DIR = "scenarios"

#: Tables whose values carry sources, in display order.
_CITING = ("places", "links", "facilities", "zones", "events", "conflicts")


def bundled_dir() -> Path:
    """Return the folder of the dataset shipped inside the package.

    Returns
    -------
    pathlib.Path
        ``.../tumen/data/bundled``; copy it to make an editable dataset.
    """
    return Path(str(resources.files("tumen.data").joinpath("bundled")))


@dataclass(frozen=True, eq=False)
class Dataset:
    """A validated corridor dataset.

    Attributes
    ----------
    places, links, facilities, zones, events, sources, conflicts : pandas.DataFrame
        The network tables (columns in ``docs/data.md``).
    categories, demand, cost_parameters : pandas.DataFrame
        What the scenario model reads (``docs/scenarios.md``).
    commodities, measures, luxury_goods : pandas.DataFrame
        What screening reads (``docs/screening.md``).
    aliases : pandas.DataFrame
        Other names and spellings of places, zones and regions (``docs/ingest.md``),
        by row number; empty when the folder has no ``aliases.csv``.
    shipments : pandas.DataFrame
        The sample shipment table, as read (text cells).
    scenarios : dict of str to Scenario
        The dataset's scenarios by name.
    data_dir : pathlib.Path
        Folder the dataset was read from.

    Notes
    -----
    Tables are indexed by their id column (``conflicts`` by row number). Empty text
    cells are ``""``, empty numbers NaN, empty dates NaT; whole numbers (``demand.year``,
    ``measures.resolution``) are integers, dates (``events.date``, the dates of
    ``measures``) datetimes, booleans bools. Columns a file adds beyond its declared
    ones are kept as text.
    """

    places: pd.DataFrame
    links: pd.DataFrame
    facilities: pd.DataFrame
    zones: pd.DataFrame
    events: pd.DataFrame
    sources: pd.DataFrame
    conflicts: pd.DataFrame
    categories: pd.DataFrame
    commodities: pd.DataFrame
    demand: pd.DataFrame
    cost_parameters: pd.DataFrame
    measures: pd.DataFrame
    luxury_goods: pd.DataFrame
    aliases: pd.DataFrame
    shipments: pd.DataFrame
    scenarios: dict[str, Scenario]
    data_dir: Path

    def on(self, when: date | datetime | str) -> NetworkState:
        """Return the network as it stood on a date.

        Parameters
        ----------
        when : datetime.date, datetime.datetime or str
            The date (ISO ``YYYY-MM-DD`` if a string). Events dated on or before it apply.

        Returns
        -------
        NetworkState

        Raises
        ------
        DataError
            If ``when`` is not a valid date.
        """
        return build_state(self._tables(), as_date(when))

    def _tables(self) -> dict[str, pd.DataFrame]:
        return {name: getattr(self, name) for name in NETWORK_TABLES}

    def copy(self) -> Dataset:
        """Return a dataset whose tables are copies (scenarios are immutable and shared)."""
        frames = {name: getattr(self, name).copy() for name in (*TABLES, "shipments")}
        return dataclasses.replace(self, scenarios=dict(self.scenarios), **frames)

    def value_source(self, table: str, row_id: str, field: str) -> tuple[tuple[str, ...], str]:
        """Return the sources and confidence that cover one value.

        Parameters
        ----------
        table : str
            ``places``, ``links``, ``facilities``, ``zones`` or ``events``.
        row_id : str
            The row's id.
        field : str
            The column.

        Returns
        -------
        tuple
            (source ids, confidence): the field's override group where filled, else the
            row's ``source`` and ``confidence``.
        """
        spec = TABLES[table]
        row = getattr(self, table).loc[row_id]
        for stem, fields in spec.overrides.items():
            if field in fields and row[f"{stem}_source"]:
                confidence = row[f"{stem}_confidence"] or row["confidence"]
                return tuple(row[f"{stem}_source"].split(";")), str(confidence)
        return tuple(row["source"].split(";")), str(row["confidence"])

    def citations(self) -> pd.DataFrame:
        """Return every (source, value) pair: which source covers which non-empty value.

        Returns
        -------
        pandas.DataFrame
            Columns ``source_id``, ``table``, ``id``, ``field``, ``confidence``. An event
            or conflict row is cited as a whole (field ``*``); conflicts are identified
            as ``<table>:<id>:<field>``.
        """
        records: list[tuple[str, str, str, str, str]] = []
        for name in _CITING:
            spec = TABLES[name]
            frame: pd.DataFrame = getattr(self, name)
            meta = {"source", "confidence", "notes"}
            for stem in spec.overrides:
                meta |= {f"{stem}_source", f"{stem}_confidence"}
            for pos, row in enumerate(frame.itertuples(index=False)):
                rec = row._asdict()
                if name == "conflicts":
                    rid = f"{rec['table']}:{rec['id']}:{rec['field']}"
                    groups = [("*", rec["source"], "")]
                elif name == "events":
                    rid = rec["event_id"]
                    groups = [("*", rec["source"], rec["confidence"])]
                else:
                    rid = rec[spec.id_column] if spec.id_column else str(pos)
                    groups = []
                    for col in spec.column_names:
                        if col in meta or col == spec.id_column or _empty(rec[col]):
                            continue
                        srcs, conf = self.value_source(name, rid, col)
                        groups.append((col, ";".join(srcs), conf))
                for field, srcs, conf in groups:
                    for sid in srcs.split(";"):
                        if sid:
                            records.append((sid, name, rid, field, conf))
        return pd.DataFrame(records, columns=["source_id", "table", "id", "field", "confidence"])


def _empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return value != value
    return value == ""


def _read(folder: Path, label: str) -> tuple[dict[str, object], list[Problem]]:
    """Read and check every file of a dataset folder; return what was read and the problems."""
    problems: list[Problem] = []

    def shown(rel: str) -> str:
        return f"{label}/{rel}" if label else rel

    def read(rel: str) -> bytes | None:
        path = folder / rel
        if not path.is_file():
            return None
        try:
            return path.read_bytes()
        except OSError as exc:
            problems.append(Problem(shown(rel), None, None, "a readable file", exc.strerror))
            return b""

    files = {name: read(table.file) for name, table in TABLES.items()}
    tables, found = validate_tables(files, label)
    problems += found
    read_ok = {name for name, data in files.items() if data is not None or TABLES[name].optional}
    parts: dict[str, object] = {name: tables[name] for name in tables if name in read_ok}
    sample = folder / SHIPMENTS.file
    if sample.is_file():
        try:
            parts["shipments"] = check_shipment_file(sample, shown(SHIPMENTS.file))
        except DataError as exc:
            problems += exc.problems
    else:
        problems.append(Problem(shown(SHIPMENTS.file), None, None, "the sample shipment table"))
    scenarios: dict[str, Scenario] = {}
    if not (folder / SCENARIO_DIR).is_dir():
        problems.append(Problem(shown(SCENARIO_DIR), None, None, "a folder of scenario files"))
    else:
        for path in sorted((folder / SCENARIO_DIR).glob("*.y*ml")):
            rel = shown(f"{SCENARIO_DIR}/{path.name}")
            scenario, found = parse_scenario(read(f"{SCENARIO_DIR}/{path.name}") or b"", path, rel)
            problems += found
            if scenario is None:
                continue
            if scenario.name != path.stem or not NAME_PATTERN.match(path.stem):
                what = "the file's name without .yaml (letters, digits, '-', '_', '.')"
                problems.append(Problem(rel, None, "name", what, scenario.name))
            problems += scenario_problems(scenario, rel, tables)
            scenarios[path.stem] = scenario
    parts["scenarios"] = scenarios
    return parts, problems


def check(data_dir: str | Path | None = None, *, label: str | None = None) -> list[Problem]:
    """Check a dataset folder and return every problem in every file.

    Parameters
    ----------
    data_dir : str or pathlib.Path, optional
        A dataset folder (a full copy of the bundled one); the bundled dataset if None.
    label : str, optional
        How to name the folder in messages (default: ``data_dir`` as given); used when a
        scratch copy is checked on behalf of the user's folder.

    Returns
    -------
    list of Problem
        Empty when the dataset is sound. Nothing is written.
    """
    folder, shown = _folder(data_dir)
    if not folder.is_dir():
        return [_not_a_folder(folder)]
    return _read(folder, shown if label is None else label)[1]


def _folder(data_dir: str | Path | None) -> tuple[Path, str]:
    if data_dir is None:
        return bundled_dir(), ""
    return Path(data_dir), str(data_dir)


def _not_a_folder(folder: Path) -> Problem:
    what = "an existing dataset folder (a full copy of the bundled one, see docs/data.md)"
    return Problem(str(folder), None, None, what)


@functools.cache
def _bundled() -> Dataset:
    return _load(bundled_dir(), "")


def _load(folder: Path, label: str) -> Dataset:
    if not folder.is_dir():
        raise DataError(_not_a_folder(folder))
    parts, problems = _read(folder, label)
    if problems:
        raise DataError(problems)
    return Dataset(data_dir=folder, **parts)  # type: ignore[arg-type]


def load(data_dir: str | Path | None = None) -> Dataset:
    """Read and validate a corridor dataset: every table, the sample shipments, the scenarios.

    Parameters
    ----------
    data_dir : str or pathlib.Path, optional
        A dataset folder: a full copy of the bundled one, edited (``docs/data.md``).
        Default: the dataset shipped inside the package (read once per process).

    Returns
    -------
    Dataset

    Raises
    ------
    DataError
        Listing every problem in every file (file, row, field, what was expected).

    Examples
    --------
    >>> import tumen
    >>> ds = tumen.load()
    >>> state = ds.on("2021-06-01")
    >>> bool(state.facilities.loc["fac_khasan_tumangang_rail_freight", "is_open"])
    False
    """
    if data_dir is None:
        return _bundled().copy()
    folder, label = _folder(data_dir)
    return _load(folder, label)
