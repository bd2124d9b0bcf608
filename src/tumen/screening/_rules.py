"""What a screening applies: the regime, the typed measures, and the days verdicts change."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tumen.screening._goods import GoodsIndex
from tumen.screening._luxury import LuxuryIndex, LuxuryItem
from tumen.screening._records import Commodity, Measure

__all__ = ["NONE_LABEL", "RESULT_FIELDS", "Regime", "Rules", "epoch_bounds"]

NONE_LABEL = "none (counterfactual: UN measures ignored)"
RESULT_FIELDS = (
    "commodity_id",
    "verdict",
    "measures",
    "reason",
    "conditions",
    "cap_total",
    "cap",
    "cap_unit",
    "cap_period",
    "screened_on",
)


@dataclass(frozen=True)
class Regime:
    """Which measures apply.

    ``in_force`` on each row's date, ``none`` (counterfactual), ``as_of`` a fixed date,
    or only the listed measure ids (each within its own dates).
    """

    kind: str
    as_of: pd.Timestamp | None = None
    ids: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """Text written into every output row's ``regime`` column."""
        if self.kind == "none":
            return NONE_LABEL
        if self.kind == "as_of":
            assert self.as_of is not None
            return f"as_of:{self.as_of.date()}"
        if self.kind == "ids":
            return "measures:" + ",".join(self.ids)
        return "in_force"


@dataclass(frozen=True)
class Rules:
    """Everything a screening needs besides the rows, typed once."""

    regime: Regime
    measures: tuple[Measure, ...]
    commodities: dict[str, Commodity]
    goods: GoodsIndex
    luxury: LuxuryIndex
    items: dict[str, LuxuryItem]
    #: Answers about goods already computed (``_relations.GoodsKeys``), kept for the
    #: screening's life so that each distinct goods entry is looked up once.
    memo: dict[object, object] = field(default_factory=dict, repr=False, compare=False)


def epoch_bounds(rules: Rules) -> np.ndarray:
    """Days on which some measure, window or exemption starts or stops applying.

    Two single-day rows between the same two bounds (in the same *epoch*) get the same
    verdict when they agree in every other column, except under a cap or a value threshold
    (screened row by row anyway) and in the day a reason names.
    """
    from tumen.screening._exemptions import GENERAL_EXEMPTION_FROM

    one = pd.Timedelta(days=1)
    days = {GENERAL_EXEMPTION_FROM}
    for m in rules.measures:
        days.add(m.applies_from)
        for window in (30, 90):
            days.add(m.adopted + pd.Timedelta(days=window) + one)
        for d in (m.applies_until, m.cap_period_end):
            if d is not None:
                days.add(d + one)
        if m.cap_period_start is not None:
            days.add(m.cap_period_start)
    return np.array(sorted(days), dtype="datetime64[ns]")
