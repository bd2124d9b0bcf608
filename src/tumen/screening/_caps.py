"""Cap periods and running totals of capped flows across a whole table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tumen.screening._tables import Measure

__all__ = ["cap_periods", "running_totals"]


def cap_periods(m: Measure, dates: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Return each row's cap period label and whether a cap period covers its date.

    Parameters
    ----------
    m : Measure
        A cap measure.
    dates : pandas.Series of datetime64
        The rows' dates.

    Returns
    -------
    label : pandas.Series of str
        ``2018`` for a calendar year, ``2018-12-22..2019-12-21`` for a twelve-month
        period counted from ``cap_period_start``, the window itself for a fixed period.
    inside : pandas.Series of bool
        False where the date lies in no cap period (before a rolling period starts, or
        outside a fixed window).
    """
    if m.cap_period == "calendar_year":
        years = dates.dt.year
        return years.astype(str), pd.Series(True, index=dates.index)
    start = m.cap_period_start
    assert start is not None
    if m.cap_period == "fixed":
        end = m.cap_period_end
        assert end is not None
        inside = dates.ge(start) & dates.le(end)
        label = f"{start.date()}..{end.date()}"
        return pd.Series(label, index=dates.index, dtype=object), inside
    # Twelve-month periods counted from the start date: [start + k years, start + k+1 years).
    years = dates.dt.year - start.year
    before_anniversary = (dates.dt.month * 100 + dates.dt.day) < (start.month * 100 + start.day)
    k = (years - before_anniversary.astype(int)).astype(int)
    inside = dates.ge(start)
    labels = {}
    for kk in np.unique(k.to_numpy()):
        lo = start + pd.DateOffset(years=int(kk))
        hi = start + pd.DateOffset(years=int(kk) + 1) - pd.Timedelta(days=1)
        labels[kk] = f"{lo.date()}..{hi.date()}"
    return k.map(labels).astype(object), inside


def running_totals(period: pd.Series, dates: pd.Series, amount: pd.Series) -> pd.Series:
    """Cumulative sum of ``amount`` within each period, in date order (ties: table order).

    Parameters
    ----------
    period : pandas.Series
        Cap period label per row.
    dates : pandas.Series of datetime64
        Row dates.
    amount : pandas.Series of float
        Quantity each row adds, in the cap's unit.

    Returns
    -------
    pandas.Series of float
        Total of the period up to and including each row, aligned to the input index.
    """
    frame = pd.DataFrame({"period": period, "date": dates, "amount": amount,
                          "pos": np.arange(len(period))}, index=period.index)
    frame = frame.sort_values(["period", "date", "pos"], kind="stable")
    totals = frame.groupby("period", sort=False)["amount"].cumsum()
    return totals.reindex(period.index)
