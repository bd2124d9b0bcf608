"""Words of the verdicts' reasons: directions, labels, amounts and the slots of a profile."""

from __future__ import annotations

import pandas as pd

__all__ = [
    "DATE_SLOT",
    "DEST_SLOT",
    "DIRECTION_TEXT",
    "FLAG_TEXT",
    "HS_SLOT",
    "ORIGIN_SLOT",
    "PERIOD_SLOT",
    "SLOTS",
    "day_text",
    "lower_first",
    "money",
]

DIRECTION_TEXT = {
    "export_from_kp": " leaving DPRK territory, whatever their origin",
    "supply_to_kp": " supplied to the DPRK",
    "labour": "",
    "transit": " crossing DPRK territory",
    "to_or_from_kp": " supplied to or from the DPRK",
}
FLAG_TEXT = (
    " carried on a DPRK-flagged vessel (the DPRK may not transfer them using its "
    "flag vessels, whatever their origin)"
)


def lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym (``DPRK``)."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def money(s: pd.Series) -> pd.Series:
    """US dollars as text (empty where NaN), always of object dtype."""
    return pd.Series(
        [f"{x:,.0f}" if x == x else "" for x in s.tolist()], index=s.index, dtype=object
    )


def day_text(s: pd.Series) -> pd.Series:
    """Days as ``YYYY-MM-DD`` text."""
    return s.dt.strftime("%Y-%m-%d")


#: Stand for a row's own day, origin, destination, HS codes and period label in a reason
#: built for a profile of rows (see ``slots``); the caller puts each row's own values in
#: their place.
DATE_SLOT, ORIGIN_SLOT, DEST_SLOT, HS_SLOT, PERIOD_SLOT = "\x1f", "\x1c", "\x1d", "\x1b", "\x1e"
SLOTS = (DATE_SLOT, ORIGIN_SLOT, DEST_SLOT, HS_SLOT, PERIOD_SLOT)
