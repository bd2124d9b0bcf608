"""Find and read the scenario result folders a report is built from."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tumen.errors import ScenarioError
from tumen.scenario import ScenarioResult

__all__ = ["find_result_dirs", "read_results"]

#: The file that marks a folder as one scenario's results.
_MARKER = "scenario.yaml"


def find_result_dirs(folder: Path | str) -> list[Path]:
    """Return the scenario result folders in ``folder``.

    Parameters
    ----------
    folder : path-like
        A result folder (``tumen run``) or a folder of them (``tumen demo``).

    Returns
    -------
    list of pathlib.Path
        ``[folder]`` itself, or its sub-folders holding results, in the order of the
        demo's ``summary.parquet`` where there is one, else by name.

    Raises
    ------
    ScenarioError
        If ``folder`` does not exist or holds no results.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ScenarioError(f"{folder}: no such results folder")
    if (folder / _MARKER).is_file():
        return [folder]
    found = {p.name: p for p in sorted(folder.iterdir()) if (p / _MARKER).is_file()}
    if not found:
        raise ScenarioError(
            f"{folder}: expected a scenario result folder or a folder of them "
            "(from `tumen run` or `tumen demo`)"
        )
    order: list[str] = []
    summary = folder / "summary.parquet"
    if summary.is_file():
        try:
            names = pd.read_parquet(summary, columns=["scenario"])["scenario"].astype(str)
            order = [n for n in names if n in found]
        except (OSError, ValueError, KeyError):
            order = []
    order += [n for n in found if n not in order]
    return [found[n] for n in order]


def read_results(folder: Path | str) -> list[ScenarioResult]:
    """Read every scenario result under ``folder``.

    Parameters
    ----------
    folder : path-like
        As for :func:`find_result_dirs`.

    Returns
    -------
    list of ScenarioResult

    Raises
    ------
    ScenarioError
        If a folder is missing or incomplete.
    """
    return [ScenarioResult.read_dir(p) for p in find_result_dirs(folder)]
