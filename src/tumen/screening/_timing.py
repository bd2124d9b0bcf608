"""Whether a measure is in force for all or part of each row's day or period."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tumen.screening._findings import Pairs
from tumen.screening._records import Measure
from tumen.screening._rules import Regime

__all__ = ["Timing", "span"]


def span(m: Measure) -> str:
    """``in force from A[ to B]`` for a reason."""
    until = f" to {m.applies_until.date()}" if m.applies_until is not None else ""
    return f"in force from {m.applies_from.date()}{until}"


class Timing:
    """Each row's first and last day, against which measures are taken.

    Parameters
    ----------
    regime : Regime
        ``as_of`` replaces every row's day; ``ids`` keeps only the listed measures.
    start, end : pandas.Series of datetime64
        First and last day of each row (equal for a single day).
    period : pandas.Series of str
        The row's period label, or empty.
    """

    def __init__(self, regime: Regime, start: pd.Series, end: pd.Series, period: pd.Series) -> None:
        self.regime = regime
        self.start = start
        self.end = end
        self.period = period

    def in_force(self, m: Measure) -> tuple[pd.Series, pd.Series]:
        """Rows for which ``m`` is in force all the time, and rows for only part of it."""
        reg = self.regime
        if reg.kind == "ids" and m.measure_id not in reg.ids:
            none = pd.Series(False, index=self.start.index)
            return none, none
        full = self.start.ge(m.applies_from)
        overlap = self.end.ge(m.applies_from)
        if m.applies_until is not None:
            full &= self.end.le(m.applies_until)
            overlap &= self.start.le(m.applies_until)
        return full, overlap & ~full

    def partial_review(
        self,
        pairs: Pairs,
        m: Measure,
        rows: pd.Series,
        order: int,
        label: pd.Series,
        what: str,
    ) -> None:
        """``needs_review`` for rows whose period ``m`` covers only in part."""
        pos = np.flatnonzero(rows.to_numpy())
        if len(pos) == 0:
            return
        pairs.add(
            pos,
            "needs_review",
            m.citation,
            order,
            m.citation
            + " ("
            + span(m)
            + ") covers "
            + label[rows]
            + what
            + " for only part of "
            + self.period[rows]
            + "; the row does not say when "
            "in the period the flow took place.",
            "Give the date, or split the period where " + m.citation + " starts or ends.",
        )
