"""Tables as analysts hold them: periods, reporter/partner flows and value-only rows.

Trade statistics (customs tables, UN Comtrade-style exports) give a period instead of a
day, a reporter and a partner instead of an origin and a destination, and often a value
without a quantity. :func:`adapt` turns such rows into the engine's shape before they are
checked:

* ``period`` (``YYYY``, ``YYYY-MM`` or ``YYYY-Qn``), or ``year`` with an optional
  ``month``, gives the row a first day (``date``) and a last day (``date_end``);
  a row with a ``date`` keeps it (``date_end`` = ``date``);
* ``reporter``, ``partner`` and ``flow`` (``import`` or ``export``; also ``re-import``,
  ``re-export``) give ``origin`` and ``destination`` where the row has none: an import
  goes from the partner to the reporter, an export from the reporter to the partner;
* a row with ``value_usd`` and no ``quantity`` is counted in US dollars
  (``quantity`` = ``value_usd``, ``unit`` = ``USD``).

Everything is computed once per distinct value, so a million rows cost little.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tumen.errors import DataError, Problem

__all__ = ["FLOWS", "Adapted", "adapt", "parse_period"]

#: Accepted ``flow`` words and whether the reporter is the origin (export) or not.
FLOWS = {
    "export": True, "exports": True, "x": True, "re-export": True, "re-exports": True,
    "import": False, "imports": False, "m": False, "re-import": False, "re-imports": False,
}  # fmt: skip
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})|-[Qq]([1-4]))?$")


@dataclass(frozen=True)
class Adapted:
    """A table in the engine's shape.

    ``frame`` has ``date`` (first day, text), ``origin``, ``destination``, ``quantity``
    and ``unit`` filled where the analyst's columns allowed; ``date_end`` is each row's
    last day (NaT where the row has no period, i.e. a single day); ``period`` is the
    period's label (empty for single days).
    """

    frame: pd.DataFrame
    date_end: pd.Series
    period: pd.Series


def parse_period(text: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """Return the first and last day of ``YYYY``, ``YYYY-MM`` or ``YYYY-Qn``, or None.

    Examples
    --------
    >>> [str(d.date()) for d in parse_period("2018-Q2")]
    ['2018-04-01', '2018-06-30']
    """
    m = _PERIOD.match(text.strip())
    if m is None:
        return None
    year = int(m.group(1))
    if m.group(2):
        month = int(m.group(2))
        if not 1 <= month <= 12:
            return None
        start = pd.Timestamp(year=year, month=month, day=1)
        return start, start + pd.offsets.MonthEnd(0)
    if m.group(3):
        q = int(m.group(3))
        start = pd.Timestamp(year=year, month=3 * q - 2, day=1)
        return start, start + pd.offsets.QuarterEnd(0)
    return pd.Timestamp(year=year, month=1, day=1), pd.Timestamp(year=year, month=12, day=31)


def _text(frame: pd.DataFrame, col: str) -> pd.Series:
    if col not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    s = frame[col]
    if pd.api.types.is_numeric_dtype(s):
        s = s.map(
            lambda v: "" if pd.isna(v) else (str(int(v)) if float(v).is_integer() else str(v))
        )
    return s.astype(object).where(s.notna(), "").astype(str).str.strip()


def _map_unique(s: pd.Series, fn: object) -> pd.Series:
    """Apply ``fn`` to each distinct value of ``s`` once."""
    codes, uniques = pd.factorize(s)
    values = np.empty(len(uniques), dtype=object)
    for i, u in enumerate(uniques):
        values[i] = fn(u)  # type: ignore[operator]
    out = values[codes] if len(uniques) else np.array([], dtype=object)
    return pd.Series(out, index=s.index, dtype=object)


def adapt(frame: pd.DataFrame, file: str = "<table>") -> Adapted:
    """Fill the engine's columns from period, reporter/partner/flow and value columns.

    Parameters
    ----------
    frame : pandas.DataFrame
        A shipment table or a trade-statistics table.
    file : str
        Name used in messages.

    Returns
    -------
    Adapted

    Raises
    ------
    DataError
        With every problem found in these columns (bad period, year or month, unknown
        flow word, reporter or partner not an alpha-2 code).
    """
    cols = set(frame.columns)
    trade = {"period", "year", "reporter", "partner", "flow"} & cols
    value_only = "value_usd" in cols and (
        "quantity" not in cols or bool(_text(frame, "quantity").eq("").any())
    )
    if not trade and not value_only:
        empty = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
        return Adapted(frame, empty, pd.Series("", index=frame.index, dtype=object))
    out = frame.copy()
    problems: list[Problem] = []

    def report(mask: pd.Series, field: str, expected: str, got: pd.Series) -> None:
        for pos in np.flatnonzero(mask.to_numpy()):
            problems.append(Problem(file, int(pos) + 1, field, expected, str(got.iloc[pos])))

    date_text = _text(frame, "date")
    label = pd.Series("", index=frame.index, dtype=object)
    if "period" in cols:
        label = _text(frame, "period").str.upper().str.replace("-Q", "-Q", regex=False)
    if "year" in cols:
        year = _text(frame, "year")
        month = _text(frame, "month").str.zfill(2).where(_text(frame, "month").ne(""), "")
        report(year.ne("") & ~year.str.fullmatch(r"\d{4}"), "year", "a year YYYY (or empty)", year)
        bad_month = month.ne("") & ~month.isin([f"{m:02d}" for m in range(1, 13)])
        report(bad_month, "month", "a month 1-12 (or empty)", _text(frame, "month"))
        ym = year.where(month.eq(""), year + "-" + month)
        label = label.where(label.ne("") | year.eq(""), ym)
    parsed = _map_unique(label, lambda t: parse_period(t) if t else None)
    has_period = label.ne("")
    bad = has_period & parsed.isna()
    if "period" in cols:
        report(
            bad & _text(frame, "period").ne(""),
            "period",
            "a period YYYY, YYYY-MM or YYYY-Qn (e.g. 2018, 2018-03, 2018-Q1)",
            _text(frame, "period"),
        )
    use = has_period & ~bad & date_text.eq("")
    start = parsed.map(lambda p: p[0] if isinstance(p, tuple) else pd.NaT)
    end = parsed.map(lambda p: p[1] if isinstance(p, tuple) else pd.NaT)
    date_end = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    if use.any():
        starts = pd.to_datetime(start[use])
        out["date"] = date_text.where(
            ~use, starts.dt.strftime("%Y-%m-%d").reindex(frame.index, fill_value="")
        )
        date_end[use] = pd.to_datetime(end[use]).astype("datetime64[ns]")
    period = label.where(use, "")

    if {"reporter", "partner", "flow"} & cols:
        reporter = _text(frame, "reporter").str.upper()
        partner = _text(frame, "partner").str.upper()
        flow = _text(frame, "flow").str.lower()
        report(
            flow.ne("") & ~flow.isin(list(FLOWS)),
            "flow",
            "import or export (also re-import, re-export)",
            _text(frame, "flow"),
        )
        given = flow.isin(list(FLOWS))
        for col, s in (("reporter", reporter), ("partner", partner)):
            report(
                given & ~s.str.fullmatch(r"[A-Z]{2}"),
                col,
                "an ISO 3166 alpha-2 country code (e.g. CN, KP)",
                _text(frame, col),
            )
        exporter = flow.map(lambda w: FLOWS.get(w, False)).astype(bool)
        o = reporter.where(exporter, partner)
        d = partner.where(exporter, reporter)
        for col, s in (("origin", o), ("destination", d)):
            current = _text(frame, col)
            out[col] = current.where(current.ne("") | ~given, s)

    if "value_usd" in cols:
        qty = _text(frame, "quantity")
        val = _text(frame, "value_usd")
        fill = qty.eq("") & val.ne("")
        if fill.any():
            out["quantity"] = qty.where(~fill, val)
            unit = _text(frame, "unit")
            out["unit"] = unit.where(~fill, "USD")
    if problems:
        problems.sort(key=lambda p: p.row or 0)
        raise DataError(problems)
    return Adapted(out, date_end, period)
