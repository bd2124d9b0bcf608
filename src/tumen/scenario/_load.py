"""Find a scenario by name in a dataset, or read a user's scenario file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tumen.data._scenario import Scenario
from tumen.data._scenario_file import NAME_PATTERN, read_scenario
from tumen.errors import ScenarioError

__all__ = ["bundled_scenario_dir", "list_scenarios", "load_scenario"]


def bundled_scenario_dir() -> Path:
    """Return the folder of the scenarios bundled with Tumen (``tumen/data/bundled/scenarios``)."""
    from tumen.data import SCENARIO_DIR, bundled_dir

    return bundled_dir() / SCENARIO_DIR


def list_scenarios(data_dir: Path | str | None = None) -> list[str]:
    """Return the names of a dataset's scenarios, sorted.

    Parameters
    ----------
    data_dir : path-like, optional
        Dataset folder; the bundled dataset when None.

    Returns
    -------
    list of str
        Scenario names (file stems of ``scenarios/*.yaml``).
    """
    import tumen.data

    return sorted(tumen.data.load(data_dir).scenarios)


def load_scenario(
    name_or_path: str | Path | Scenario, data_dir: Path | str | None = None, *, dataset: Any = None
) -> Scenario:
    """Return a dataset's scenario by name, or read and check a scenario file.

    Parameters
    ----------
    name_or_path : str or pathlib.Path or Scenario
        A scenario's name in the dataset (see :func:`list_scenarios`), a path to a YAML
        file, or an already loaded :class:`Scenario` (returned unchanged).
    data_dir : path-like, optional
        Dataset folder whose scenarios names refer to; the bundled dataset when None.
    dataset : tumen.data.Dataset, optional
        The dataset already loaded from ``data_dir``.

    Returns
    -------
    Scenario
        The validated scenario; its ``source`` holds the file it came from.

    Raises
    ------
    ScenarioError
        If the name is unknown, or the file cannot be read, is not YAML or breaks the
        schema (unknown key, bad date, bad distribution, negative value, unknown regime):
        one line naming the file, each key path and what was expected. Ids (links,
        places, commodities) are checked against the dataset by
        :func:`tumen.scenario.run_scenario`, in the same words as ``tumen check``.
    """
    if isinstance(name_or_path, Scenario):
        return name_or_path
    text = str(name_or_path)
    is_name = NAME_PATTERN.match(text) and not text.endswith((".yaml", ".yml"))
    if isinstance(name_or_path, str) and is_name:
        import tumen.data

        known = (dataset if dataset is not None else tumen.data.load(data_dir)).scenarios
        if text in known:
            return known[text]
        if not Path(text).exists():
            names = ", ".join(sorted(known)) or "none"
            raise ScenarioError(
                f"scenario '{text}': expected a bundled scenario name ({names}) or a path "
                "to a YAML file"
            )
    return read_scenario(Path(name_or_path))
