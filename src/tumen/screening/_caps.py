"""Cap periods and running totals of capped flows across a whole table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tumen.data._units import UNITS, convert
from tumen.screening._exemptions import evaluate, join_nonempty
from tumen.screening._findings import Pairs, fmt
from tumen.screening._records import Commodity, Measure

__all__ = ["PERIOD_TEXT", "cap_periods", "running_totals", "screen_cap"]

PERIOD_TEXT = {
    "calendar_year": "calendar year",
    "rolling_12_months": "twelve months from adoption",
    "fixed": "window",
}


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
    frame = pd.DataFrame(
        {"period": period, "date": dates, "amount": amount, "pos": np.arange(len(period))},
        index=period.index,
    )
    frame = frame.sort_values(["period", "date", "pos"], kind="stable")
    totals = frame.groupby("period", sort=False)["amount"].cumsum()
    return totals.reindex(period.index)


def screen_cap(
    pairs: Pairs,
    m: Measure,
    order: int,
    sub: pd.DataFrame,
    com: pd.Series,
    lab: pd.Series,
    covered: pd.Series,
    ex_text: pd.Series,
    pos: np.ndarray,
    cs: dict[str, Commodity],
    own: np.ndarray | None = None,
) -> None:
    """Screen rows under a cap measure: allowance conditions, periods, running totals.

    Parameters
    ----------
    pairs : Pairs
        Collector the findings are added to.
    m : Measure
        A measure of kind ``cap``.
    order : int
        The measure's position in the table (ties in severity keep this order).
    sub : pandas.DataFrame
        Normalised rows the measure covers and no exemption clears.
    com, lab, covered, ex_text : pandas.Series
        Per row: commodity id, goods label, the sentence opening, exemption text.
    pos : numpy.ndarray
        Row positions of ``sub`` in the table.
    cs : dict of str to Commodity
        Commodity table (for tonnes per barrel).
    own : numpy.ndarray of bool, optional
        Set True at the positions of rows that count towards the cap (their verdict
        depends on the other rows' quantities).

    Notes
    -----
    Rows that do not meet the cap's allowance conditions are prohibited and not
    counted; the others add to the running total of their cap period (in
    ``m.cap_unit``; t <-> bbl conversions are stated in ``conditions``), and a row
    that takes the total past the cap (or past the value cap, where the cap is
    "whichever is lower") is ``cap_exceeded``.
    """
    cond = evaluate(m.cap_conditions, sub, com, m, all_of=True)
    ok = cond.met.to_numpy()
    pairs.add(
        pos[~ok],
        "prohibited",
        m.citation,
        order,
        covered[~ok] + ", except within an aggregate cap whose conditions the row does not meet.",
        join_nonempty([ex_text[~ok], cond.text[~ok]], "; ", sub.index[~ok]),
    )
    sub, com, lab, pos = sub[ok], com[ok], lab[ok], pos[ok]
    ex_text, covered, cond_text = ex_text[ok], covered[ok], cond.text[ok]
    if own is not None:
        own[pos] = True
    if len(pos) == 0:
        return
    period, inside = cap_periods(m, sub["date"])
    if "date_end" in sub.columns:
        last = sub["date_end"].where(sub["date_end"].notna(), sub["date"])
        period_last, inside_last = cap_periods(m, last)
        spans = (period.ne(period_last) | inside.ne(inside_last)).to_numpy()
        pairs.add(
            pos[spans],
            "needs_review",
            m.citation,
            order,
            covered[spans]
            + ", except within an aggregate cap counted per "
            + PERIOD_TEXT[m.cap_period]
            + "; the row's period "
            + sub["period"][spans]
            + " is not inside one cap period, so its quantity cannot be counted "
            "against one period's total.",
            "Give the date, or split the row's period at the cap period's boundary.",
        )
        keep = ~spans
        sub, com, lab, pos, period, inside = (
            sub[keep],
            com[keep],
            lab[keep],
            pos[keep],
            period[keep],
            inside[keep],
        )
        cond_text, covered = cond_text[keep], covered[keep]
        if len(pos) == 0:
            return
    ins = inside.to_numpy()
    pairs.add(
        pos[~ins],
        "prohibited",
        m.citation,
        order,
        covered[~ins]
        + ", and no cap period of the paragraph covers "
        + sub["date"][~ins].dt.strftime("%Y-%m-%d")
        + ".",
        cond_text[~ins],
    )
    sub, com, lab, pos, period = sub[ins], com[ins], lab[ins], pos[ins], period[ins]
    cond_text, covered = cond_text[ins], covered[ins]
    if len(pos) == 0:
        return
    assert m.cap_quantity is not None
    alt = m.cap_alt_quantity
    if m.cap_alt_rule == "equivalent" and alt and {m.cap_unit, m.cap_alt_unit} == {"bbl", "t"}:
        ratio = alt / m.cap_quantity if m.cap_unit == "bbl" else m.cap_quantity / alt
        density = pd.Series(ratio, index=sub.index)
        density_src = f"the ratio stated in {m.citation} ({fmt(ratio * 1e6)} t per million bbl)"
    else:
        density = com.map(lambda c: cs[c].t_per_bbl if c and cs[c].t_per_bbl else np.nan)
        density_src = "the commodity table's tonnes per barrel"
    amount, crossed = convert(sub["quantity"], sub["unit"], m.cap_unit, density)
    price = None
    value = None
    if m.cap_alt_rule == "whichever_lower" and alt and m.cap_alt_unit == "USD":
        price = alt / m.cap_quantity  # USD per cap unit implied by the two alternatives
        is_usd = sub["unit"].eq("USD")
        from_value = sub["quantity"].where(is_usd) / price
        amount = amount.where(~is_usd, from_value)
        value = sub["value_usd"].where(
            sub["value_usd"].notna(), sub["quantity"].where(is_usd, amount * price)
        )
    bad = amount.isna().to_numpy().copy()
    usd = sub["unit"].map(lambda u: UNITS[u][0] == "value").to_numpy()
    pairs.add(
        pos[bad & usd],
        "needs_review",
        m.citation,
        order,
        covered[bad & usd]
        + ", except within an aggregate cap of "
        + fmt(m.cap_quantity)
        + " "
        + m.cap_unit
        + "; the row gives only a value in US "
        "dollars, so it could not be counted against that cap.",
        "Give the quantity in " + m.cap_unit + ".",
    )
    bad = bad & ~usd
    pairs.add(
        pos[bad],
        "needs_review",
        m.citation,
        order,
        "The cap of "
        + m.citation
        + " is in "
        + m.cap_unit
        + ", and a quantity in "
        + sub["unit"][bad]
        + " of "
        + lab[bad]
        + " cannot be converted to it.",
        "Give the quantity in " + m.cap_unit + ".",
    )
    bad = bad | (usd & amount.isna().to_numpy())
    good = ~bad
    sub, pos, period, amount = sub[good], pos[good], period[good], amount[good]
    covered, cond_text, crossed = covered[good], cond_text[good], crossed[good]
    if len(pos) == 0:
        return
    total = running_totals(period, sub["date"], amount)
    over = total.gt(m.cap_quantity * (1 + 1e-12))
    note = ""
    if value is not None:
        value = value[good]
        vtotal = running_totals(period, sub["date"], value)
        over |= vtotal.gt(alt * (1 + 1e-12))
        note = (
            " US$" + vtotal.map(fmt) + " of US$" + fmt(alt) + " by value (the cap is "
            "whichever of the two is lower)."
        )
    pct = 100.0 * total / m.cap_quantity
    unit = m.cap_unit
    head = (
        covered
        + ", except within an aggregate cap of "
        + fmt(m.cap_quantity)
        + " "
        + unit
        + " per "
        + PERIOD_TEXT[m.cap_period]
        + "; with this row the table's total for "
        + period
        + " is "
        + total.map(fmt)
        + " "
        + unit
        + " ("
        + pct.map(lambda p: f"{p:.0f}")
        + " % of the cap)"
    )
    past95 = pct.ge(95) & ~over
    conv = pd.Series(
        np.where(crossed, "quantity converted to " + unit + " at " + density_src, ""),
        index=sub.index,
        dtype=object,
    )
    if price is not None:
        given_usd = sub["unit"].eq("USD").to_numpy()
        no_value = sub["value_usd"].isna().to_numpy() & ~given_usd
        implied = f"the cap's implied price of US${fmt(price)} per {unit}"
        conv = pd.Series(
            np.where(
                given_usd,
                f"{unit} not given: estimated from the value at " + implied,
                np.where(no_value, "value not given: estimated at " + implied, conv),
            ),
            index=sub.index,
            dtype=object,
        )
    conds = join_nonempty([cond_text, conv], "; ", sub.index)
    cap = {"cap_total": total, "cap": float(m.cap_quantity), "cap_unit": unit, "cap_period": period}
    reason = head + ", above the cap." + note
    within = (
        head
        + pd.Series(
            np.where(
                past95,
                ", past the 95 % level at which the Committee tells States to stop for the period.",
                ", within the cap.",
            ),
            index=sub.index,
            dtype=object,
        )
        + note
    )
    o = over.to_numpy()
    pairs.add(
        pos[o],
        "cap_exceeded",
        m.citation,
        order,
        reason[o],
        conds[o],
        {k: (v[o] if isinstance(v, pd.Series) else v) for k, v in cap.items()},
    )
    pairs.add(
        pos[~o],
        "within_cap",
        m.citation,
        order,
        within[~o],
        conds[~o],
        {k: (v[~o] if isinstance(v, pd.Series) else v) for k, v in cap.items()},
    )
