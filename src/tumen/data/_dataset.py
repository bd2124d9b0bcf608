"""The dataset object: validated tables, the network on a date, and who cites what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from pathlib import Path

import pandas as pd

from tumen.data._schema import TABLES
from tumen.data._state import NetworkState, as_date, build_state
from tumen.data._validate import read_dataset

__all__ = ["Dataset", "bundled_dir", "load"]

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
    places, links, facilities, zones, events, sources, conflicts, aliases : pandas.DataFrame
        The tables (columns in ``docs/data.md``), indexed by their id column
        (``conflicts`` and ``aliases`` by row number; ``aliases`` is empty when the
        folder has no ``aliases.csv``). Empty text cells are ``""``, empty numbers NaN;
        ``events.date`` is a datetime column.
    data_dir : pathlib.Path
        Folder the dataset was read from.
    """

    places: pd.DataFrame
    links: pd.DataFrame
    facilities: pd.DataFrame
    zones: pd.DataFrame
    events: pd.DataFrame
    sources: pd.DataFrame
    conflicts: pd.DataFrame
    aliases: pd.DataFrame
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
        return {name: getattr(self, name) for name in TABLES}

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


def load(data_dir: str | Path | None = None) -> Dataset:
    """Read and validate a corridor dataset.

    Parameters
    ----------
    data_dir : str or pathlib.Path, optional
        A dataset folder (a user's edited copy of the bundled one). Default: the
        dataset shipped inside the package.

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
        folder, label = bundled_dir(), ""
    else:
        folder = Path(data_dir)
        label = str(folder)
    tables = read_dataset(folder, label=label)
    return Dataset(data_dir=folder, **tables)
