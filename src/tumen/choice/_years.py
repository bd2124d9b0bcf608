"""A calendar year of the ledger as stretches over which the network does not change.

Volumes are reported for whole years, but the network changes within them: Rajin's
Pier 3 opened in July 2014, the Khasan–Tumangang crossing shut on 3 February 2020 and
reopened on 2 November 2022. A year's modelled volume is therefore the sum, over its
stretches, of the flow on each stretch's network, every class's annual volume weighted
by the stretch's share of the year. A year whose ledger changes nothing is one stretch.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from tumen.data._state import changes_the_network

__all__ = ["year_stretches"]


def year_stretches(events: pd.DataFrame, year: int) -> list[tuple[dt.date, float]]:
    """Split ``year`` where the ledger changes the network.

    Parameters
    ----------
    events : pandas.DataFrame
        The ledger (``date``, ``kind``, ``field``).
    year : int

    Returns
    -------
    list of (datetime.date, float)
        The first day of each stretch (the network of that day holds for the whole
        stretch: an event applies from its date on) and the stretch's share of the year;
        the shares add up to 1.
    """
    first = dt.date(year, 1, 1)
    after = dt.date(year + 1, 1, 1)
    dates = pd.to_datetime(events["date"].astype(str)).dt.date
    inside = (dates > first) & (dates < after)
    changing = [
        changes_the_network(str(k), f)
        for k, f in zip(events["kind"], events["field"], strict=True)
    ]  # fmt: skip
    starts = [first, *sorted(set(dates[inside & pd.Series(changing, index=events.index)]))]
    ends = [*starts[1:], after]
    days = (after - first).days
    return [(s, (e - s).days / days) for s, e in zip(starts, ends, strict=True)]

