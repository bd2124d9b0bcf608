"""Write result tables atomically as Parquet files and one DuckDB file, and read them back."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import duckdb
import pandas as pd

from tumen._atomic import write_dir_atomically

__all__ = ["DUCKDB_NAME", "read_tables", "write_dir_atomically", "write_tables"]

#: Name of the DuckDB file written beside the Parquet files.
DUCKDB_NAME = "results.duckdb"


def write_tables(folder: Path, tables: Mapping[str, pd.DataFrame]) -> None:
    """Write each table as ``<name>.parquet`` and into ``results.duckdb`` (same names).

    Parameters
    ----------
    folder : pathlib.Path
        An existing, empty folder (the caller renames it into place).
    tables : mapping of str to pandas.DataFrame
        Table name -> table.

    Raises
    ------
    KeyboardInterrupt
        If DuckDB stops on Ctrl-C or SIGTERM ("Query interrupted").
    OSError
        If DuckDB cannot write its file.
    """
    try:
        con = duckdb.connect(str(folder / DUCKDB_NAME))
        try:
            for name, frame in tables.items():
                frame.to_parquet(folder / f"{name}.parquet", index=False)
                con.execute(
                    f'CREATE TABLE "{name}" AS SELECT * FROM read_parquet(?)',
                    [str(folder / f"{name}.parquet")],
                )
        finally:
            con.close()
    except duckdb.InterruptException:
        raise KeyboardInterrupt from None  # DuckDB's "Query interrupted" is Ctrl-C or SIGTERM
    except RuntimeError as exc:
        if str(exc) == "Query interrupted":
            raise KeyboardInterrupt from None
        raise
    except duckdb.IOException as exc:
        raise OSError(str(exc).removeprefix("IO Error: ")) from None


def read_tables(folder: Path | str, names: list[str]) -> dict[str, pd.DataFrame]:
    """Read the named Parquet tables of a results folder.

    Parameters
    ----------
    folder : path-like
        A folder written by :func:`write_tables`.
    names : list of str
        Tables to read.

    Returns
    -------
    dict of str to pandas.DataFrame
    """
    folder = Path(folder)
    return {name: pd.read_parquet(folder / f"{name}.parquet") for name in names}
