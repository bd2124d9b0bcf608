"""Read and check the scenario area's bundled tables: categories, demand, cost parameters.

Each loader reads one CSV from the dataset folder (a user's edited copy given by
``data_dir``, falling back to the bundled file where the copy lacks it), checks
every row and raises one :class:`~tumen.errors.DataError` listing every problem.
"""

from __future__ import annotations

import math
import re
from importlib import resources
from pathlib import Path

import pandas as pd

from tumen.errors import DataError, Problem

__all__ = [
    "CONFIDENCES",
    "DEMAND_BASES",
    "DEMAND_UNITS",
    "bundled_dir",
    "load_categories",
    "load_cost_parameters",
    "load_demand",
]

#: Confidence levels every bundled value carries.
CONFIDENCES = ("high", "medium", "low")
#: How a demand figure was obtained: ``observed`` (with a source), ``derived`` from sourced
#: figures by a stated computation, ``interpolated`` or ``projected`` (method named),
#: ``assumed`` (reason given) and ``scenario`` (an expert estimate or a scenario's own
#: number, used only where a scenario asks for it).
DEMAND_BASES = ("observed", "derived", "interpolated", "projected", "assumed", "scenario")
#: Bases that must state their method.
DEMAND_METHOD_BASES = ("derived", "interpolated", "projected", "assumed")
#: Units of demand: tonnes per year for goods, persons per year for people.
DEMAND_UNITS = ("t/yr", "persons/yr")

_CATEGORY_COLUMNS = ("category_id", "name", "description", "defined_by", "source", "confidence")
_DEMAND_COLUMNS = (
    "demand_id",
    "series",
    "category",
    "commodity",
    "origin",
    "destination",
    "year",
    "quantity",
    "unit",
    "basis",
    "period",
    "method",
    "observed_gateway",
    "source",
    "confidence",
)
_PERIOD = re.compile(r"\d{4}-(0[1-9]|1[0-2])/\d{4}-(0[1-9]|1[0-2])")
_COST_COLUMNS = ("parameter_id", "value", "unit", "low", "high", "source", "confidence")


def bundled_dir() -> Path:
    """Return the folder of the bundled dataset.

    Returns
    -------
    pathlib.Path
        ``tumen/data/bundled`` inside the installed package.
    """
    return Path(str(resources.files("tumen"))) / "data" / "bundled"


def _path(name: str, data_dir: Path | str | None) -> Path:
    """Return the file ``name`` in ``data_dir`` if there, else the bundled one."""
    if data_dir is not None:
        candidate = Path(data_dir) / name
        if candidate.is_file():
            return candidate
    return bundled_dir() / name


def _read(path: Path, required: tuple[str, ...]) -> pd.DataFrame:
    """Read a CSV as text columns and check its header."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        problem = Problem(path.name, None, None, "a readable UTF-8 CSV file", str(exc))
        raise DataError(problem) from None
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise DataError(
            [Problem(path.name, 0, c, "this column in the header", None) for c in missing]
        )
    return frame


def _number(
    problems: list[Problem], file: str, row: int, field: str, text: str, *, optional: bool = False
) -> float:
    """Parse a non-negative finite number, recording a problem if it is not one."""
    if text.strip() == "" and optional:
        return math.nan
    try:
        value = float(text)
    except ValueError:
        problems.append(Problem(file, row, field, "a non-negative number", text))
        return math.nan
    if not math.isfinite(value) or value < 0:
        problems.append(Problem(file, row, field, "a non-negative number", text))
        return math.nan
    return value


def _check_common(
    problems: list[Problem],
    file: str,
    row: int,
    record: dict[str, str],
    known_sources: set[str] | None,
) -> None:
    """Check the source and confidence columns every table shares."""
    if record["confidence"] not in CONFIDENCES:
        problems.append(
            Problem(file, row, "confidence", "one of high, medium, low", record["confidence"])
        )
    sources = [s for s in record["source"].split(";") if s]
    if not sources:
        problems.append(Problem(file, row, "source", "at least one source id", record["source"]))
    elif known_sources is not None:
        for source in sources:
            if source not in known_sources:
                problems.append(
                    Problem(file, row, "source", "a source id listed in sources.csv", source)
                )


def _known_sources(data_dir: Path | str | None) -> set[str] | None:
    """Return the source ids of sources.csv, or None where it cannot be read."""
    path = _path("sources.csv", data_dir)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, usecols=["source_id"])
    except (OSError, ValueError):
        return None
    return set(frame["source_id"])


def load_categories(
    data_dir: Path | str | None = None, *, check_sources: bool = True
) -> pd.DataFrame:
    """Load the cargo categories.

    Parameters
    ----------
    data_dir : path-like, optional
        Dataset folder holding ``categories.csv``; the bundled file by default.
    check_sources : bool, default True
        Check that every source id is listed in ``sources.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per category: ``category_id, name, description, defined_by``
        (``seed`` where SEED-004 names it, ``tumen`` where Tumen defined it),
        ``source, confidence, notes``.

    Raises
    ------
    DataError
        Listing every bad row.
    """
    path = _path("categories.csv", data_dir)
    frame = _read(path, _CATEGORY_COLUMNS)
    sources = _known_sources(data_dir) if check_sources else None
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, record in enumerate(frame.to_dict("records"), start=1):
        if not record["category_id"]:
            problems.append(Problem(path.name, i, "category_id", "a category id", ""))
        elif record["category_id"] in seen:
            problems.append(
                Problem(path.name, i, "category_id", "a unique category id", record["category_id"])
            )
        seen.add(record["category_id"])
        if record["defined_by"] not in ("seed", "tumen"):
            problems.append(
                Problem(path.name, i, "defined_by", "one of seed, tumen", record["defined_by"])
            )
        _check_common(problems, path.name, i, record, sources)
    if problems:
        raise DataError(problems)
    return frame


def load_demand(
    data_dir: Path | str | None = None,
    *,
    categories: set[str] | None = None,
    commodities: set[str] | None = None,
    places: set[str] | None = None,
    check_sources: bool = True,
) -> pd.DataFrame:
    """Load the base demand: origin–destination volumes by commodity and year.

    Parameters
    ----------
    data_dir : path-like, optional
        Dataset folder holding ``demand.csv``; the bundled file by default.
    categories, commodities, places : set of str, optional
        Ids the ``category``, ``commodity``, ``origin`` and ``destination`` columns
        must come from; not checked where None.
    check_sources : bool, default True
        Check that every source id is listed in ``sources.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns ``demand_id, series, category, commodity, origin, destination,
        year`` (int), ``quantity`` (float; tonnes per year, or persons per year where
        ``unit`` is ``persons/yr``), ``unit, basis`` (one of :data:`DEMAND_BASES`),
        ``period`` (``YYYY-MM/YYYY-MM`` for a part-year figure, else empty), ``method``
        (how a non-observed figure was obtained), ``observed_gateway`` (the place the
        reported flow used, where known), ``source, confidence, notes``.

    Raises
    ------
    DataError
        Listing every bad row.
    """
    path = _path("demand.csv", data_dir)
    frame = _read(path, _DEMAND_COLUMNS)
    sources = _known_sources(data_dir) if check_sources else None
    problems: list[Problem] = []
    years: list[int] = []
    quantities: list[float] = []
    seen: set[str] = set()
    for i, record in enumerate(frame.to_dict("records"), start=1):
        if not record["demand_id"] or record["demand_id"] in seen:
            problems.append(
                Problem(path.name, i, "demand_id", "a unique demand id", record["demand_id"])
            )
        seen.add(record["demand_id"])
        if not record["series"]:
            problems.append(Problem(path.name, i, "series", "a series id", ""))
        try:
            year = int(record["year"])
            if not 1990 <= year <= 2100:
                raise ValueError
        except ValueError:
            problems.append(Problem(path.name, i, "year", "a year 1990–2100", record["year"]))
            year = 0
        years.append(year)
        quantities.append(_number(problems, path.name, i, "quantity", record["quantity"]))
        if record["unit"] not in DEMAND_UNITS:
            problems.append(
                Problem(path.name, i, "unit", "one of t/yr, persons/yr", record["unit"])
            )
        if record["basis"] not in DEMAND_BASES:
            problems.append(
                Problem(path.name, i, "basis", "one of " + ", ".join(DEMAND_BASES), record["basis"])
            )
        elif record["basis"] in DEMAND_METHOD_BASES and not record["method"].strip():
            problems.append(
                Problem(path.name, i, "method", f"the method of a {record['basis']} figure", "")
            )
        period = record["period"].strip()
        if period and not _PERIOD.fullmatch(period):
            problems.append(Problem(path.name, i, "period", "YYYY-MM/YYYY-MM", period))
        checks = (
            ("category", categories, "a category id of categories.csv"),
            ("commodity", commodities, "a commodity id of commodities.csv"),
            ("origin", places, "a place id of places.csv"),
            ("destination", places, "a place id of places.csv"),
        )
        for field, known, expected in checks:
            if known is not None and record[field] not in known:
                problems.append(Problem(path.name, i, field, expected, record[field]))
        gateway = record["observed_gateway"]
        if places is not None and gateway and gateway not in places:
            problems.append(
                Problem(path.name, i, "observed_gateway", "a place id of places.csv", gateway)
            )
        if record["origin"] == record["destination"]:
            problems.append(
                Problem(
                    path.name,
                    i,
                    "destination",
                    "a place other than the origin",
                    record["destination"],
                )
            )
        _check_common(problems, path.name, i, record, sources)
    if problems:
        raise DataError(problems)
    out = frame.copy()
    out["year"] = pd.Series(years, index=frame.index, dtype="int64")
    out["quantity"] = pd.Series(quantities, index=frame.index, dtype="float64")
    return out


def load_cost_parameters(
    data_dir: Path | str | None = None, *, check_sources: bool = True
) -> pd.DataFrame:
    """Load the generalised-cost parameters.

    Parameters
    ----------
    data_dir : path-like, optional
        Dataset folder holding ``cost_parameters.csv``; the bundled file by default.
    check_sources : bool, default True
        Check that every source id is listed in ``sources.csv``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``parameter_id``; columns ``value`` (float, in ``unit``), ``unit``,
        ``low``, ``high`` (floats, NaN where not given: the range a sweep samples),
        ``source, confidence, notes``.

    Raises
    ------
    DataError
        Listing every bad row.
    """
    path = _path("cost_parameters.csv", data_dir)
    frame = _read(path, _COST_COLUMNS)
    sources = _known_sources(data_dir) if check_sources else None
    problems: list[Problem] = []
    values: dict[str, list[float]] = {"value": [], "low": [], "high": []}
    seen: set[str] = set()
    for i, record in enumerate(frame.to_dict("records"), start=1):
        if not record["parameter_id"] or record["parameter_id"] in seen:
            problems.append(
                Problem(
                    path.name, i, "parameter_id", "a unique parameter id", record["parameter_id"]
                )
            )
        seen.add(record["parameter_id"])
        value = _number(problems, path.name, i, "value", record["value"])
        low = _number(problems, path.name, i, "low", record["low"], optional=True)
        high = _number(problems, path.name, i, "high", record["high"], optional=True)
        if not (math.isnan(low) or math.isnan(high) or math.isnan(value)) and not (
            low <= value <= high
        ):
            problems.append(
                Problem(path.name, i, "value", "a value between low and high", record["value"])
            )
        values["value"].append(value)
        values["low"].append(low)
        values["high"].append(high)
        _check_common(problems, path.name, i, record, sources)
    if problems:
        raise DataError(problems)
    out = frame.copy()
    for column, numbers in values.items():
        out[column] = pd.Series(numbers, index=frame.index, dtype="float64")
    return out.set_index("parameter_id")
