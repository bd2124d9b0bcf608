"""Write result tables atomically as Parquet files and one DuckDB file, and read them back."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

import duckdb
import pandas as pd

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
    """
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


def write_dir_atomically(target: Path | str, fill: Callable[[Path], None]) -> Path:
    """Build a folder in a temporary sibling, then move it into place in one step.

    Parameters
    ----------
    target : path-like
        The folder to create or replace.
    fill : callable
        Called with the temporary folder; writes every file into it.

    Returns
    -------
    pathlib.Path
        ``target``. A reader never sees a half-written folder: the old one (if any)
        stays until the new one is complete.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    old: Path | None = None
    try:
        fill(tmp)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            os.replace(target, old / "previous")
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and (old / "previous").exists() and not target.exists():
            os.replace(old / "previous", target)
        raise
    finally:
        if old is not None:
            with contextlib.suppress(OSError):
                shutil.rmtree(old)
    return target


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
