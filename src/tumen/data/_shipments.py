"""Read a shipment table and check every row at once.

A shipment table (a user's, or the bundled sample) has one row per flow; its columns are
declared in :data:`tumen.data._schema.SHIPMENTS`. Required: ``date`` (unless a default
date, a ``period`` or a ``year`` is given), ``origin`` and ``destination`` (or
``reporter``, ``partner`` and ``flow``), ``quantity`` (or ``value_usd``), ``unit`` and
``commodity`` and/or ``hs``. Optional ``transfer`` and ``vessel_flag`` declare ships.
Any other column passes through unchanged. :func:`prepare` checks all of it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from tumen._user_tables import read_user_table
from tumen.data._hs import hs_text
from tumen.data._periods import adapt
from tumen.data._schema import HS_CODE, SHIPMENTS
from tumen.data._units import UNITS, canonical_unit
from tumen.data._vessels import parse_vessels
from tumen.errors import DataError, Problem

__all__ = [
    "BOOLEAN_COLUMNS",
    "DATE_COLUMNS",
    "check_shipment_file",
    "country_codes",
    "normalise",
    "prepare",
    "read_shipments",
]

BOOLEAN_COLUMNS = tuple(c.name for c in SHIPMENTS.columns if c.kind == "bool")
DATE_COLUMNS = tuple(c.name for c in SHIPMENTS.columns if c.kind == "date" and c.name != "date")
_REQUIRED = [c.name for c in SHIPMENTS.columns if c.required]
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}
_HS = re.compile(HS_CODE)
#: Attribute of a DataFrame read by :func:`read_shipments` naming its file.
FILE_ATTR = "tumen_file"


@cache
def country_codes() -> frozenset[str]:
    """Return the ISO 3166 alpha-2 codes (bundled from the IANA tz ``iso3166.tab``)."""
    path = Path(__file__).resolve().parent / "iso3166.csv"
    return frozenset(pd.read_csv(path, dtype=str, keep_default_na=False)["code"])


def read_shipments(
    path: str | Path, on: str | None = None, encoding: str | None = None
) -> pd.DataFrame:
    """Read a shipment table (CSV or Parquet) and check every row.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` file (UTF-8, header row) or a ``.parquet`` file.
    on : str, optional
        Date ``YYYY-MM-DD`` that fills rows with no ``date`` (and a missing column).
    encoding : {'utf-8', 'cp1251', 'latin-1'}, optional
        Encoding of a CSV file; UTF-8 (BOM allowed) when None. Separators ``,`` ``;``
        and tab are recognised (:func:`tumen._user_tables.read_user_table`).

    Returns
    -------
    pandas.DataFrame
        The table as read (CSV cells as strings), with ``attrs['tumen_file']`` naming
        the file so that later messages can point at it.

    Raises
    ------
    DataError
        With every problem in every row: missing required column, bad date, unknown
        country code, negative or non-numeric quantity, unknown unit, bad HS code.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(
            Problem(str(path), None, None, "a CSV or Parquet shipment table", "no such file")
        )
    return check_shipment_file(path, str(path), on=on, encoding=encoding)


def check_shipment_file(
    path: Path, name: str, on: str | None = None, encoding: str | None = None
) -> pd.DataFrame:
    """Read a shipment table file and check it; ``name`` names it in messages."""
    frame = _read_frame(path, name, encoding)
    frame.attrs[FILE_ATTR] = name
    prepare(frame, on=on, file=name)
    if len(frame) < SHIPMENTS.min_rows:
        raise DataError(Problem(name, None, None, "at least 1 data row under the header", "none"))
    return frame


def _read_frame(path: Path, name: str, encoding: str | None = None) -> pd.DataFrame:
    """Read a user's table file into a frame (CSV cells as strings).

    The one place a shipment file's bytes are read: Parquet as it is, text through
    :func:`tumen._user_tables.read_user_table` (separators, byte-order mark, encodings;
    a row with more or fewer cells than the header is a problem, never padded or cut).
    """
    if path.suffix.lower() != ".parquet":
        return read_user_table(path, encoding=encoding)
    try:
        return pd.read_parquet(path)
    except (ValueError, OSError) as exc:
        got = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataError(Problem(name, None, None, "a readable Parquet file", got)) from None


def _text(frame: pd.DataFrame, col: str) -> pd.Series:
    if col not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    cells = ["" if _missing(v) else str(v).strip() for v in frame[col].tolist()]
    return pd.Series(cells, index=frame.index, dtype=object)


def _missing(value: object) -> bool:
    """Return True for None, NaN, NA and NaT (an empty cell, however the frame was made)."""
    return value is None or value is pd.NA or value is pd.NaT or value != value


def _drop_thousands(text: pd.Series) -> pd.Series:
    """Remove thousands separators (``1,000,000.5``) but leave ``1,5`` to be refused."""
    grouped = text.str.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?")
    return text.where(~grouped, text.str.replace(",", "", regex=False))


def _dates(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse YYYY-MM-DD (a time part is refused); return (timestamps, bad mask)."""
    ok_shape = text.str.fullmatch(r"\d{4}-\d{2}-\d{2}")
    parsed = pd.to_datetime(text.where(ok_shape, None), format="%Y-%m-%d", errors="coerce")
    bad = text.ne("") & parsed.isna()
    return parsed, bad


def normalise(frame: pd.DataFrame, on: str | None = None, file: str | None = None) -> pd.DataFrame:
    """Check a shipment table and return the typed columns the engine works on.

    Parameters
    ----------
    frame : pandas.DataFrame
        The shipment table (strings, or already typed values).
    on : str, optional
        Default date ``YYYY-MM-DD`` for rows with none.
    file : str, optional
        Name used in messages; ``frame.attrs['tumen_file']`` or ``<table>`` by default.

    Returns
    -------
    pandas.DataFrame
        Same index as ``frame``; columns ``date`` (datetime64), ``origin``,
        ``destination`` (alpha-2), ``transit`` (``;KP;RU;`` form, empty string if none),
        ``via`` (lower case), ``commodity`` (text), ``hs`` (tuple of codes), ``quantity``
        (float), ``unit`` (canonical), ``value_usd`` (float, NaN if none), ``purpose``
        (``;word;`` form, lower case), the boolean declarations (nullable boolean: NA =
        not declared) and ``authorised_on``/``contract_on`` (datetime64, NaT if none).

    Raises
    ------
    DataError
        With every problem found.
    """
    name = file or frame.attrs.get(FILE_ATTR, "<table>")
    problems: list[Problem] = []
    n = len(frame)
    rows = np.arange(1, n + 1)
    index = frame.index

    def report(mask: pd.Series, field: str, expected: str, got: pd.Series | None) -> None:
        for pos in np.flatnonzero(mask.to_numpy()):
            problems.append(
                Problem(
                    name,
                    int(rows[pos]),
                    field,
                    expected,
                    None if got is None else str(got.iloc[pos]),
                )
            )

    on_date = None
    if on is not None:
        on_date = pd.to_datetime(str(on), format="%Y-%m-%d", errors="coerce")
        if pd.isna(on_date) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(on)):
            raise DataError(Problem("--on", None, "on", "a date YYYY-MM-DD", str(on)))
    required = list(_REQUIRED)
    if on_date is None:
        required.insert(0, "date")
    missing = [c for c in required if c not in frame.columns]
    if "commodity" not in frame.columns and "hs" not in frame.columns:
        missing.append("commodity")
    if missing:
        raise DataError(
            [
                Problem(
                    name,
                    0,
                    c,
                    "a column of that name" + (" (or an 'hs' column)" if c == "commodity" else ""),
                    None,
                )
                for c in missing
            ]
        )

    out: dict[str, object] = {}
    if "date" in frame.columns and pd.api.types.is_datetime64_any_dtype(frame["date"]):
        date = pd.to_datetime(frame["date"]).dt.normalize()
        bad_date = pd.Series(False, index=index)
        raw_date = frame["date"].astype(str)
    else:
        raw_date = _text(frame, "date")
        date, bad_date = _dates(raw_date)
    if on_date is not None:
        date = date.where(date.notna() | bad_date, on_date)
    report(bad_date, "date", "a date YYYY-MM-DD", raw_date)
    report(
        date.isna() & ~bad_date,
        "date",
        "a date YYYY-MM-DD (or --on for rows without one)",
        raw_date,
    )
    out["date"] = date.astype("datetime64[ns]")

    codes = country_codes()
    for col in ("origin", "destination"):
        text = _text(frame, col).str.upper()
        report(
            ~text.isin(codes),
            col,
            "an ISO 3166 alpha-2 country code (e.g. RU, KP, CN)",
            _text(frame, col),
        )
        out[col] = text
    transit_raw = _text(frame, "transit")
    transit_items = transit_raw.str.upper().str.replace(r"\s+", "", regex=True)
    unique_transit = transit_items.unique()
    bad_transit_values = {
        v for v in unique_transit if v and not all(t in codes for t in v.split(";") if t)
    }
    report(
        transit_items.isin(bad_transit_values),
        "transit",
        "ISO 3166 alpha-2 codes separated by ';' (e.g. KP)",
        transit_raw,
    )
    out["transit"] = transit_items.map(
        lambda v: ";" + ";".join(t for t in v.split(";") if t) + ";" if v else ""
    )
    out["via"] = _text(frame, "via").str.lower()

    commodity = _text(frame, "commodity")
    hs_raw = hs_text(frame)  # numbers from pd.read_csv and lost leading zeros: see _hs
    hs_clean = hs_raw.str.replace(r"[.\s]", "", regex=True)
    bad_hs_values = {
        v for v in hs_clean.unique() if v and not all(_HS.fullmatch(c) for c in v.split(";") if c)
    }
    report(
        hs_clean.isin(bad_hs_values),
        "hs",
        "HS codes of 2, 4 or 6 digits, ';'-separated (e.g. 2701)",
        hs_raw,
    )
    report(
        commodity.eq("") & hs_clean.eq(""),
        "commodity",
        "a commodity (Tumen id or words) or an HS code",
        commodity,
    )
    out["commodity"] = commodity
    out["hs"] = hs_clean.map(lambda v: tuple(c for c in v.split(";") if c))

    if "quantity" in frame.columns and pd.api.types.is_numeric_dtype(frame["quantity"]):
        qty = frame["quantity"].astype(float)
        qty_raw = frame["quantity"].astype(str)
    else:
        qty_raw = _text(frame, "quantity")
        qty = pd.to_numeric(_drop_thousands(qty_raw), errors="coerce")
    report(
        qty.isna() | qty.lt(0) | ~np.isfinite(qty.fillna(0)),
        "quantity",
        "a non-negative number",
        qty_raw,
    )
    out["quantity"] = qty.astype(float)

    unit_raw = _text(frame, "unit")
    canon = {u: canonical_unit(u) for u in unit_raw.unique()}
    unit = unit_raw.map(canon)
    report(unit.isna(), "unit", "a known unit (" + ", ".join(UNITS) + ")", unit_raw)
    out["unit"] = unit.fillna("t")

    if "value_usd" in frame.columns:
        if pd.api.types.is_numeric_dtype(frame["value_usd"]):
            val = frame["value_usd"].astype(float)
            val_raw = frame["value_usd"].astype(str)
            bad_val = val.lt(0)
        else:
            val_raw = _text(frame, "value_usd")
            val = pd.to_numeric(_drop_thousands(val_raw), errors="coerce")
            bad_val = (val_raw.ne("") & val.isna()) | val.lt(0)
        report(bad_val, "value_usd", "a non-negative number of US dollars (or empty)", val_raw)
        out["value_usd"] = val.astype(float)
    else:
        out["value_usd"] = pd.Series(np.nan, index=index, dtype=float)

    purpose = _text(frame, "purpose").str.lower().str.replace(r"\s*;\s*", ";", regex=True)
    out["purpose"] = purpose.map(lambda v: ";" + v + ";" if v else "")

    for col in BOOLEAN_COLUMNS:
        if col in frame.columns and pd.api.types.is_bool_dtype(frame[col]):
            out[col] = frame[col].astype("boolean")
            continue
        raw = _text(frame, col)
        low = raw.str.lower()
        value = pd.Series(pd.NA, index=index, dtype="boolean")
        value[low.isin(_TRUE)] = True
        value[low.isin(_FALSE)] = False
        report(low.ne("") & ~low.isin(_TRUE | _FALSE), col, "true or false (or empty)", raw)
        out[col] = value
    for col in DATE_COLUMNS:
        if col in frame.columns and pd.api.types.is_datetime64_any_dtype(frame[col]):
            out[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
            continue
        raw = _text(frame, col)
        parsed, bad = _dates(raw)
        report(bad, col, "a date YYYY-MM-DD (or empty)", raw)
        out[col] = parsed.astype("datetime64[ns]")
    if problems:
        problems.sort(key=lambda p: p.row or 0)
        raise DataError(problems)
    return pd.DataFrame(out, index=index)


def prepare(frame: pd.DataFrame, on: str | None = None, file: str | None = None) -> pd.DataFrame:
    """Check a shipment or trade-statistics table; return the engine's columns.

    Trade-statistics columns fill the required ones first (``tumen.data._periods``):
    ``period`` or ``year``/``month`` give the first and last day, ``reporter``,
    ``partner`` and ``flow`` the origin and destination, ``value_usd`` an empty
    ``quantity`` (in USD); ``transfer`` and ``vessel_flag`` are read as declared
    (``tumen.data._vessels``). Then :func:`normalise` checks every row.

    Parameters
    ----------
    frame : pandas.DataFrame
        A shipment or trade-statistics table.
    on : str, optional
        Date ``YYYY-MM-DD`` for rows without a date or period.
    file : str, optional
        Name used in messages; ``frame.attrs['tumen_file']`` or ``<table>`` by default.

    Returns
    -------
    pandas.DataFrame
        On a 0..n-1 index: the columns of :func:`normalise` plus ``date_end`` (last day
        of the row's period, NaT for a single day), ``period`` (its label, or empty),
        ``transfer`` (canonical word or empty) and ``vessel_flag`` (``;KP;PA;`` form).

    Raises
    ------
    DataError
        With every problem found.
    """
    name = file or frame.attrs.get(FILE_ATTR, "<table>")
    frame = frame.reset_index(drop=True)
    adapted = adapt(frame, name)
    transfer, flags, problems = parse_vessels(frame, name)
    try:
        f = normalise(adapted.frame, on=on, file=name)
    except DataError as err:
        raise DataError(sorted([*err.problems, *problems], key=lambda p: p.row or 0)) from None
    if problems:
        raise DataError(problems)
    f = f.reset_index(drop=True)
    f["date_end"] = adapted.date_end.to_numpy()
    f["period"] = adapted.period.to_numpy(dtype=object)
    f["transfer"] = transfer.to_numpy(dtype=object)
    f["vessel_flag"] = flags.to_numpy(dtype=object)
    return f
