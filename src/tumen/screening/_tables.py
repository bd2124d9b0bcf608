"""Load and check the two bundled tables screening rests on: measures and commodities."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from tumen.errors import DataError, Problem
from tumen.screening._units import UNITS

__all__ = [
    "DIRECTIONS",
    "EXEMPTIONS",
    "KINDS",
    "Commodity",
    "Measure",
    "bundled_dir",
    "commodity_objects",
    "load_commodities",
    "load_measures",
    "measure_objects",
]

#: Directions a measure can cover.
DIRECTIONS = ("export_from_kp", "supply_to_kp", "labour", "transit", "to_or_from_kp")
#: Kinds of measure: a ban, an aggregate cap, a paragraph that always needs a person's
#: review, and a carve-out that disapplies its resolution's other paragraphs.
KINDS = ("ban", "cap", "review", "carve_out", "luxury_list", "ship_to_ship")
#: Exemption and allowance condition ids known to the engine (see ``_exemptions.py``).
EXEMPTIONS = (
    "rajin_transit_coal",
    "rajin_transit_coal_ru",
    "livelihood",
    "origin_kp",
    "notified_1718",
    "contract_30d",
    "contract_90d",
    "aircraft_spare_parts",
    "civil_flight_fuel",
    "committee_approval",
    "committee_exemption",
    "work_authorised_before_adoption",
)
CAP_PERIODS = ("calendar_year", "rolling_12_months", "fixed")
CAP_ALT_RULES = ("whichever_lower", "equivalent")
HANDLING_CLASSES = ("bulk", "liquid", "container", "live", "people", "general")
CONFIDENCES = ("high", "medium", "low")
CHECKS = ("V", "I", "U")

MEASURE_COLUMNS = (
    "measure_id", "resolution", "paragraph", "adopted", "applies_from", "applies_until",
    "replaced_by", "direction", "goods_hs", "goods_commodities", "goods_words", "kind",
    "review_note", "cap_quantity", "cap_unit", "cap_alt_quantity", "cap_alt_unit",
    "cap_alt_rule", "cap_period", "cap_period_start", "cap_period_end", "cap_conditions",
    "exemptions", "citation", "source", "confidence", "check", "notes",
)  # fmt: skip
COMMODITY_COLUMNS = (
    "commodity_id", "name", "handling_class", "hs_codes", "value_usd_per_t", "default_unit",
    "t_per_bbl", "synonyms", "source", "confidence", "notes",
)  # fmt: skip

_HS = re.compile(r"^\d{2}(\d{2}){0,2}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Measure:
    """One measure row, typed: dates as timestamps, lists as tuples, caps as floats."""

    measure_id: str
    resolution: int
    paragraph: str
    adopted: pd.Timestamp
    applies_from: pd.Timestamp
    applies_until: pd.Timestamp | None
    direction: str
    goods_hs: tuple[str, ...]
    goods_commodities: tuple[str, ...]
    goods_words: tuple[str, ...]
    kind: str
    review_note: str
    cap_quantity: float | None
    cap_unit: str
    cap_alt_quantity: float | None
    cap_alt_unit: str
    cap_alt_rule: str
    cap_period: str
    cap_period_start: pd.Timestamp | None
    cap_period_end: pd.Timestamp | None
    cap_conditions: tuple[str, ...]
    exemptions: tuple[str, ...]
    citation: str


@dataclass(frozen=True)
class Commodity:
    """One commodity row, typed."""

    commodity_id: str
    name: str
    handling_class: str
    hs_codes: tuple[str, ...]
    value_usd_per_t: float | None
    default_unit: str
    t_per_bbl: float | None
    synonyms: tuple[str, ...]


def bundled_dir() -> Path:
    """Return the folder of the bundled dataset (``tumen/data/bundled``)."""
    return Path(__file__).resolve().parent.parent / "data" / "bundled"


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in str(text).split(";") if part.strip())


def _read(path: Path, columns: tuple[str, ...]) -> tuple[pd.DataFrame, list[Problem]]:
    if not path.is_file():
        raise DataError(Problem(str(path), None, None, "a CSV file with the columns "
                                + ", ".join(columns), "no such file"))
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError([Problem(path.name, 0, c, "a column of that name", None) for c in missing])
    return frame, []


def _source_ids(data_dir: Path) -> set[str]:
    path = data_dir / "sources.csv"
    if not path.is_file():
        path = bundled_dir() / "sources.csv"
    return set(pd.read_csv(path, dtype=str, keep_default_na=False)["source_id"])


def _check_date(problems: list[Problem], name: str, row: int, field: str, text: str,
                required: bool) -> None:
    if not text:
        if required:
            problems.append(Problem(name, row, field, "a date YYYY-MM-DD", text))
        return
    if not _DATE.match(text) or pd.isna(pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")):
        problems.append(Problem(name, row, field, "a date YYYY-MM-DD", text))


def _check_number(problems: list[Problem], name: str, row: int, field: str, text: str,
                  required: bool) -> None:
    if not text:
        if required:
            problems.append(Problem(name, row, field, "a non-negative number", text))
        return
    try:
        value = float(text)
    except ValueError:
        problems.append(Problem(name, row, field, "a non-negative number", text))
        return
    if value < 0 or value != value:
        problems.append(Problem(name, row, field, "a non-negative number", text))


def _check_common(problems: list[Problem], name: str, row: int, rec: dict[str, str],
                  sources: set[str]) -> None:
    ids = _split(rec["source"])
    if not ids:
        problems.append(Problem(name, row, "source", "one or more source ids", rec["source"]))
    for sid in ids:
        if sid not in sources:
            problems.append(Problem(name, row, "source", "a source id listed in sources.csv", sid))
    if rec["confidence"] not in CONFIDENCES:
        problems.append(Problem(name, row, "confidence", "one of high, medium, low",
                                rec["confidence"]))


def _stamp(path: Path) -> int:
    return path.stat().st_mtime_ns if path.is_file() else -1


def load_measures(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load and check the UN Security Council measures table (``measures.csv``).

    Parameters
    ----------
    data_dir : str or Path, optional
        Dataset folder holding ``measures.csv`` (and ``sources.csv``, whose ids every
        row must cite); the bundled dataset when None.

    Returns
    -------
    pandas.DataFrame
        One row per measure-paragraph (or commodity group), as strings exactly as in
        the file; dates are ``YYYY-MM-DD``, lists are ``;``-separated, caps are in
        ``cap_unit`` (tonnes ``t``, barrels ``bbl`` or US dollars ``USD``).

    Raises
    ------
    DataError
        With every problem found (file, row, field, what was expected).
    """
    folder = Path(data_dir) if data_dir is not None else bundled_dir()
    return _load_measures(folder, _stamp(folder / "measures.csv"),
                          _stamp(folder / "sources.csv")).copy()


@lru_cache(maxsize=8)
def _load_measures(folder: Path, stamp: int, sources_stamp: int) -> pd.DataFrame:
    path = folder / "measures.csv"
    frame, problems = _read(path, MEASURE_COLUMNS)
    sources = _source_ids(folder)
    seen: set[str] = set()
    name = path.name
    for i, rec in enumerate(frame.to_dict("records"), start=1):
        mid = rec["measure_id"]
        if not mid or mid in seen:
            problems.append(Problem(name, i, "measure_id", "a unique, non-empty id", mid))
        seen.add(mid)
        if not rec["resolution"].isdigit():
            problems.append(Problem(name, i, "resolution", "a resolution number",
                                    rec["resolution"]))
        if not rec["paragraph"]:
            problems.append(Problem(name, i, "paragraph", "the paragraph number", ""))
        for field, required in (("adopted", True), ("applies_from", True),
                                ("applies_until", False), ("cap_period_start", False),
                                ("cap_period_end", False)):
            _check_date(problems, name, i, field, rec[field], required)
        if rec["direction"] not in DIRECTIONS:
            problems.append(Problem(name, i, "direction", "one of " + ", ".join(DIRECTIONS),
                                    rec["direction"]))
        if rec["kind"] not in KINDS:
            problems.append(Problem(name, i, "kind", "one of " + ", ".join(KINDS), rec["kind"]))
        if not rec["goods_hs"] and not rec["goods_commodities"] and rec["kind"] != "ship_to_ship":
            problems.append(Problem(name, i, "goods_hs", "HS codes or goods_commodities", ""))
        for code in _split(rec["goods_hs"]):
            if not _HS.match(code):
                problems.append(Problem(name, i, "goods_hs",
                                        "HS codes of 2, 4 or 6 digits, ';'-separated", code))
        for field in ("exemptions", "cap_conditions"):
            for ex in _split(rec[field]):
                if ex not in EXEMPTIONS:
                    problems.append(Problem(name, i, field, "a known exemption id ("
                                            + ", ".join(EXEMPTIONS) + ")", ex))
        if rec["kind"] == "review" and not rec["review_note"]:
            problems.append(Problem(name, i, "review_note", "a sentence saying what needs review",
                                    ""))
        if rec["kind"] == "cap":
            _check_number(problems, name, i, "cap_quantity", rec["cap_quantity"], True)
            if rec["cap_unit"] not in UNITS:
                problems.append(Problem(name, i, "cap_unit", "a known unit", rec["cap_unit"]))
            if rec["cap_period"] not in CAP_PERIODS:
                problems.append(Problem(name, i, "cap_period", "one of "
                                        + ", ".join(CAP_PERIODS), rec["cap_period"]))
            if rec["cap_period"] in ("fixed", "rolling_12_months") and not rec["cap_period_start"]:
                problems.append(Problem(name, i, "cap_period_start", "a date YYYY-MM-DD", ""))
            if rec["cap_period"] == "fixed" and not rec["cap_period_end"]:
                problems.append(Problem(name, i, "cap_period_end", "a date YYYY-MM-DD", ""))
            if rec["cap_alt_quantity"]:
                _check_number(problems, name, i, "cap_alt_quantity", rec["cap_alt_quantity"], True)
                if rec["cap_alt_unit"] not in UNITS:
                    problems.append(Problem(name, i, "cap_alt_unit", "a known unit",
                                            rec["cap_alt_unit"]))
                if rec["cap_alt_rule"] not in CAP_ALT_RULES:
                    problems.append(Problem(name, i, "cap_alt_rule", "one of "
                                            + ", ".join(CAP_ALT_RULES), rec["cap_alt_rule"]))
        cite = rec["citation"]
        if not cite.startswith(f"UNSCR {rec['resolution']} para ") or rec["paragraph"] not in cite:
            problems.append(Problem(name, i, "citation",
                                    "'UNSCR <resolution> para <paragraph>'", cite))
        _check_common(problems, name, i, rec, sources)
        if rec["check"] not in CHECKS:
            problems.append(Problem(name, i, "check", "one of V, I, U", rec["check"]))
    for i, rec in enumerate(frame.to_dict("records"), start=1):
        if rec["replaced_by"] and rec["replaced_by"] not in seen:
            problems.append(Problem(name, i, "replaced_by", "the id of another measure row",
                                    rec["replaced_by"]))
    if problems:
        raise DataError(problems)
    return frame


def load_commodities(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load and check the commodity table (``commodities.csv``).

    Parameters
    ----------
    data_dir : str or Path, optional
        Dataset folder holding ``commodities.csv``; the bundled dataset when None.

    Returns
    -------
    pandas.DataFrame
        One row per commodity: ``commodity_id``, ``name``, ``handling_class`` (bulk,
        liquid, container, live, people, general), ``hs_codes`` (``;``-separated),
        ``value_usd_per_t`` (US dollars per tonne, float, NaN where none),
        ``default_unit``, ``t_per_bbl`` (tonnes per barrel, float, NaN where none),
        ``synonyms`` (``;``-separated words for free-text matching), ``source``,
        ``confidence``, ``notes``.

    Raises
    ------
    DataError
        With every problem found (file, row, field, what was expected).
    """
    folder = Path(data_dir) if data_dir is not None else bundled_dir()
    return _load_commodities(folder, _stamp(folder / "commodities.csv"),
                             _stamp(folder / "sources.csv")).copy()


@lru_cache(maxsize=8)
def _load_commodities(folder: Path, stamp: int, sources_stamp: int) -> pd.DataFrame:
    path = folder / "commodities.csv"
    frame, problems = _read(path, COMMODITY_COLUMNS)
    sources = _source_ids(folder)
    name = path.name
    seen: set[str] = set()
    for i, rec in enumerate(frame.to_dict("records"), start=1):
        cid = rec["commodity_id"]
        if not re.match(r"^[a-z][a-z0-9_]*$", cid) or cid in seen:
            problems.append(Problem(name, i, "commodity_id",
                                    "a unique lower-case id (letters, digits, _)", cid))
        seen.add(cid)
        if rec["handling_class"] not in HANDLING_CLASSES:
            problems.append(Problem(name, i, "handling_class", "one of "
                                    + ", ".join(HANDLING_CLASSES), rec["handling_class"]))
        for code in _split(rec["hs_codes"]):
            if not _HS.match(code):
                problems.append(Problem(name, i, "hs_codes",
                                        "HS codes of 2, 4 or 6 digits, ';'-separated", code))
        _check_number(problems, name, i, "value_usd_per_t", rec["value_usd_per_t"], False)
        _check_number(problems, name, i, "t_per_bbl", rec["t_per_bbl"], False)
        if rec["default_unit"] not in UNITS:
            problems.append(Problem(name, i, "default_unit", "a known unit", rec["default_unit"]))
        if not _split(rec["synonyms"]):
            problems.append(Problem(name, i, "synonyms", "one or more words, ';'-separated", ""))
        _check_common(problems, name, i, rec, sources)
    if problems:
        raise DataError(problems)
    frame = frame.copy()
    for col in ("value_usd_per_t", "t_per_bbl"):
        frame[col] = pd.to_numeric(frame[col].replace("", None), errors="coerce").astype(float)
    return frame


def _date(text: str) -> pd.Timestamp | None:
    return pd.Timestamp(text) if text else None


def _num(text: str) -> float | None:
    return float(text) if text else None


def measure_objects(frame: pd.DataFrame) -> tuple[Measure, ...]:
    """Turn a checked measures table into typed :class:`Measure` records."""
    out = []
    for rec in frame.astype(str).to_dict("records"):
        out.append(Measure(
            measure_id=rec["measure_id"], resolution=int(rec["resolution"]),
            paragraph=rec["paragraph"], adopted=pd.Timestamp(rec["adopted"]),
            applies_from=pd.Timestamp(rec["applies_from"]),
            applies_until=_date(rec["applies_until"]), direction=rec["direction"],
            goods_hs=_split(rec["goods_hs"]), goods_commodities=_split(rec["goods_commodities"]),
            goods_words=_split(rec["goods_words"]), kind=rec["kind"],
            review_note=rec["review_note"], cap_quantity=_num(rec["cap_quantity"]),
            cap_unit=rec["cap_unit"], cap_alt_quantity=_num(rec["cap_alt_quantity"]),
            cap_alt_unit=rec["cap_alt_unit"], cap_alt_rule=rec["cap_alt_rule"],
            cap_period=rec["cap_period"], cap_period_start=_date(rec["cap_period_start"]),
            cap_period_end=_date(rec["cap_period_end"]),
            cap_conditions=_split(rec["cap_conditions"]), exemptions=_split(rec["exemptions"]),
            citation=rec["citation"],
        ))
    return tuple(out)


def commodity_objects(frame: pd.DataFrame) -> dict[str, Commodity]:
    """Turn a checked commodity table into typed :class:`Commodity` records by id."""
    out = {}
    for rec in frame.to_dict("records"):
        value = rec["value_usd_per_t"]
        tpb = rec["t_per_bbl"]
        out[rec["commodity_id"]] = Commodity(
            commodity_id=rec["commodity_id"], name=rec["name"],
            handling_class=rec["handling_class"], hs_codes=_split(rec["hs_codes"]),
            value_usd_per_t=None if pd.isna(value) else float(value),
            default_unit=rec["default_unit"], t_per_bbl=None if pd.isna(tpb) else float(tpb),
            synonyms=_split(rec["synonyms"]),
        )
    return out
