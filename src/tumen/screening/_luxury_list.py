"""Rows naming an item of a UN luxury-goods annex (2094 annex IV, 2270 annex V, 2321 annex IV)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tumen.screening._findings import Pairs
from tumen.screening._records import Measure
from tumen.screening._relations import GoodsKeys
from tumen.screening._wording import money

__all__ = ["luxury_list"]


def luxury_list(
    pairs: Pairs,
    m: Measure,
    order: int,
    f: pd.DataFrame,
    keys: GoodsKeys,
    relation: tuple[pd.Series, pd.Series, pd.Series],
    live: pd.Series,
    own: np.ndarray,
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Add the open findings of one annex list; return the rows it settles.

    Parameters
    ----------
    pairs : Pairs
        Findings so far (added to).
    m : Measure
        A ``luxury_list`` measure.
    order : int
        The measure's place in the table.
    f : pandas.DataFrame
        The checked rows.
    keys : GoodsKeys
        The rows' goods.
    relation : tuple of pandas.Series
        ``keys.luxury(m)``: match, broad, threshold (US$ per item, NaN where none).
    live : pandas.Series of bool
        Rows for which ``m`` is in force all the time and that supply the DPRK.
    own : numpy.ndarray of bool
        Rows whose verdict depends on their own value (set here for thresholds).

    Returns
    -------
    rows : pandas.Series of bool
        Rows the annex settles as luxury goods (to be prohibited or exempt).
    lab : pandas.Series of str
        The items each row names.
    covered : pandas.Series of str
        The start of the reason for those rows.
    """
    match, broad, thr = relation
    items = keys.item_names(m)
    br = broad & live & ~match
    pairs.add(
        np.flatnonzero(br.to_numpy()),
        "needs_review",
        m.citation,
        order,
        "The row's HS code is less precise than the items "
        + m.citation
        + " lists as luxury goods, so it may or may not be one of them.",
        "Give the HS heading or subheading.",
    )
    has_thr = thr.notna() & match & live
    own |= has_thr.to_numpy()
    per_item = f["value_usd"] / f["quantity"].where(f["unit"].eq("units") & f["quantity"].gt(0))
    per_item = per_item.where(f["unit"].eq("units"))
    unknown = has_thr & per_item.isna()
    below = has_thr & per_item.le(thr)
    pairs.add(
        np.flatnonzero(unknown.to_numpy()),
        "needs_review",
        m.citation,
        order,
        m.citation
        + " names "
        + items[unknown]
        + " valued greater than US$"
        + money(thr[unknown])
        + " per item; the row does "
        "not give a value per item, so that threshold could not be checked.",
        "Give value_usd with the quantity in units.",
    )
    pairs.add(
        np.flatnonzero(below.to_numpy()),
        "needs_review",
        m.citation,
        order,
        m.citation
        + " names "
        + items[below]
        + " valued greater than US$"
        + money(thr[below])
        + " per item; the row's value per item (US$"
        + money(per_item[below])
        + ") is below that, so the annex does not "
        "settle it, and whether the goods are luxury goods under UNSCR 1718 "
        "para 8(a)(iii) is a judgement.",
    )
    rows = match & live & ~unknown & ~below
    covered = (
        "UNSCR 1718 para 8(a)(iii) bans luxury goods to the DPRK, and "
        + m.citation
        + " (in force from "
        + str(m.applies_from.date())
        + ") names "
        + items
        + " as luxury goods"
    )
    covered = covered.where(~has_thr, covered + ", valued at US$" + money(per_item) + " per item")
    return rows, items, covered
