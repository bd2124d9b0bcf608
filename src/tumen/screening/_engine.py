"""The verdict of every row of a checked table against the typed measures.

:func:`screen_rows` works on the engine's columns (see :func:`prepare_rows` and
``_shipments.normalise``) and returns one result row per input row, plus which rows
depend on their own quantity or value (caps and value thresholds), so that a caller
that screens distinct row profiles once knows which rows to screen one by one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tumen.screening._caps import screen_cap
from tumen.screening._combine import combine
from tumen.screening._exemptions import evaluate
from tumen.screening._findings import Pairs
from tumen.screening._luxury_list import luxury_list
from tumen.screening._records import Commodity, Measure
from tumen.screening._relations import GoodsKeys
from tumen.screening._rules import NONE_LABEL, RESULT_FIELDS, Regime, Rules, epoch_bounds
from tumen.screening._timing import Timing
from tumen.screening._transfers import ship_to_ship
from tumen.screening._wording import (
    DATE_SLOT,
    DEST_SLOT,
    DIRECTION_TEXT,
    FLAG_TEXT,
    HS_SLOT,
    ORIGIN_SLOT,
    PERIOD_SLOT,
    SLOTS,
    day_text,
    lower_first,
)

__all__ = [
    "DATE_SLOT",
    "DEST_SLOT",
    "HS_SLOT",
    "NONE_LABEL",
    "ORIGIN_SLOT",
    "RESULT_FIELDS",
    "SLOTS",
    "Regime",
    "Rules",
    "epoch_bounds",
    "screen_rows",
]

#: The paragraph the luxury-goods lists clarify; rows an annex item settles leave it.
GENERAL_LUXURY = (1718, "8(a)(iii)")
_NONE_REASON = (
    "Counterfactual regime 'none': UN Security Council measures are ignored, "
    "so no flow is screened as covered."
)


def screen_rows(
    f: pd.DataFrame, rules: Rules, slots: bool = False
) -> tuple[pd.DataFrame, np.ndarray]:
    """Screen checked rows.

    Parameters
    ----------
    f : pandas.DataFrame
        Rows from ``_shipments.normalise`` with, in addition, ``date_end`` (datetime64,
        the period's last day; equal to ``date`` for a single day), ``period`` (label or
        empty), ``transfer`` and ``vessel_flag`` (see ``_vessels``), on a 0..n-1 index.
    rules : Rules
        Measures, commodities, luxury items and regime.
    slots : bool
        Write :data:`SLOTS` markers instead of the day, origin, destination, HS codes and
        period label in reasons, so that the result of one row can be given to rows that
        differ only in those (days, or periods' first and last days, of the same epochs;
        non-DPRK countries; HS codes under the same measures).

    Returns
    -------
    result : pandas.DataFrame
        Columns ``commodity_id, verdict, measures, reason, conditions, cap_total, cap,
        cap_unit, cap_period, screened_on``.
    own : numpy.ndarray of bool
        True for rows whose verdict depends on their own quantity or value (a cap's
        running total, a luxury item's value threshold).
    """
    reg, ms, cs, goods = rules.regime, rules.measures, rules.commodities, rules.goods
    n = len(f)
    own = np.zeros(n, dtype=bool)
    codes, uniq_text = pd.factorize(f["commodity"])
    res = [goods.resolve(t) for t in uniq_text]

    def take(vals: list[object]) -> pd.Series:
        arr = np.asarray(vals, dtype=object)[codes] if n else np.array([], dtype=object)
        return pd.Series(arr, index=f.index, dtype=object)

    com_id = take([r.commodity_id for r in res])
    status = take([r.status for r in res])
    explicit = f["hs"].map(bool).astype(bool)
    hs = f["hs"].where(explicit, com_id.map(lambda c: cs[c].hs_codes if isinstance(c, str) else ()))
    names = com_id.map(lambda c: lower_first(cs[c].name) if isinstance(c, str) else None)
    hs_label = "goods of HS " + (
        pd.Series(HS_SLOT, index=f.index, dtype=object) if slots else hs.map(lambda t: ", ".join(t))
    )
    has_hs = hs.map(bool).astype(bool)
    label = names.where(names.notna(), hs_label.where(has_hs, "'" + f["commodity"] + "'"))

    if slots and reg.as_of is None:
        # Rows of a profile share their period's epochs, not its label.
        f = f.assign(period=f["period"].where(f["period"].eq(""), PERIOD_SLOT))
    if reg.as_of is None:
        start, end = f["date"], f["date_end"].where(f["date_end"].notna(), f["date"])
    else:
        start = end = pd.Series(reg.as_of, index=f.index)
    is_period = f["period"].ne("") & (reg.as_of is None)
    day = day_text(start)
    screened_on = day.where(~is_period, day + ".." + day_text(end))
    single = (
        pd.Series("on " + DATE_SLOT, index=f.index, dtype=object)
        if slots and reg.as_of is None
        else "on " + day
    )
    when = single.where(~is_period, "during " + f["period"])
    base = {
        "commodity_id": com_id.fillna("").to_numpy(dtype=object),
        "screened_on": screened_on.to_numpy(dtype=object),
    }

    if reg.kind == "none":
        fields = {"verdict": "not_covered", "measures": "", "reason": _NONE_REASON}
        fields |= {"conditions": "", "cap_total": np.nan, "cap": np.nan}
        fields |= {"cap_unit": "", "cap_period": ""}
        result = pd.DataFrame({**base, **fields}, index=f.index)
        return result[list(RESULT_FIELDS)], own

    kp_o = f["origin"].eq("KP")
    kp_d = f["destination"].eq("KP")
    kp_t = f["transit"].str.contains(";KP;", regex=False)
    kp_flag = f["vessel_flag"].str.contains(";KP;", regex=False)
    leaving = (kp_o | kp_t) & ~kp_d
    flag_only = kp_flag & ~kp_d & ~leaving
    direction = {
        "export_from_kp": leaving | flag_only,
        "supply_to_kp": kp_d & ~kp_o,
        "labour": kp_o & ~kp_d,
        "transit": leaving,
        "to_or_from_kp": kp_o | kp_d | kp_t,
    }
    sup_transit = kp_t & ~kp_d & ~kp_o
    keys = GoodsKeys(rules, com_id, hs, explicit, f["commodity"])
    timing = Timing(reg, start, end, f["period"])
    pairs = Pairs()
    carved = _carve_outs(pairs, ms, f, keys, timing, direction, com_id)

    settled = pd.Series(False, index=f.index)  # rows an annex item settles
    # The annex lists go first, so that the general luxury paragraph knows what they settle.
    for order, m in sorted(enumerate(ms), key=lambda om: om[1].kind != "luxury_list"):
        if m.kind in ("carve_out", "ship_to_ship"):
            if m.kind == "ship_to_ship":
                ship_to_ship(
                    pairs, m, order, f, timing.in_force(m), direction, kp_flag, label, com_id
                )
            continue
        relation = keys.luxury(m) if m.kind == "luxury_list" else (*keys.relation(m), None)
        match, broad = relation[0], relation[1]
        if not (match.any() or broad.any()):
            continue
        full, part = timing.in_force(m)
        dmask = direction[m.direction]
        what = pd.Series(DIRECTION_TEXT[m.direction], index=f.index, dtype=object)
        if m.direction == "export_from_kp":
            what = what.mask(flag_only, FLAG_TEXT)
        if m.kind == "luxury_list":
            first = what.iloc[0] if n else ""
            timing.partial_review(pairs, m, match & dmask & part, order, label, first)
            rows, lab, covered = luxury_list(pairs, m, order, f, keys, relation, full & dmask, own)
            settled |= rows
        else:
            rows = _goods_measure(
                pairs,
                m,
                order,
                (match, broad),
                (full, part),
                dmask,
                sup_transit,
                label,
                what,
                timing,
            )
            if m.kind == "review" and (m.resolution, m.paragraph) == GENERAL_LUXURY:
                rows &= ~settled
            lab = label
            covered = (
                m.citation
                + " (in force from "
                + str(m.applies_from.date())
                + ") covers "
                + label
                + what
            )
        if m.resolution in carved:
            rows &= ~carved[m.resolution]
        if rows.any():
            _decide(pairs, m, order, f, rows, com_id, lab, covered, cs, own)

    _unknown_goods(
        pairs,
        len(ms),
        f,
        label,
        com_id,
        status,
        explicit,
        has_hs,
        direction,
        sup_transit,
        settled,
        goods.listed,
        keys.named(),
    )
    sts_any = f["transfer"].eq("ship_to_ship")
    touches = (
        direction["export_from_kp"] | direction["supply_to_kp"] | kp_t | kp_o | (sts_any & kp_flag)
    )
    ends = (
        (
            pd.Series(ORIGIN_SLOT, index=f.index, dtype=object),
            pd.Series(DEST_SLOT, index=f.index, dtype=object),
        )
        if slots
        else (f["origin"], f["destination"])
    )
    result = combine(pairs, f, label, com_id, when, touches, ends)
    for k, v in base.items():
        result[k] = v
    return result[list(RESULT_FIELDS)], own


def _carve_outs(
    pairs: Pairs,
    ms: tuple[Measure, ...],
    f: pd.DataFrame,
    keys: GoodsKeys,
    timing: Timing,
    direction: dict[str, pd.Series],
    com_id: pd.Series,
) -> dict[int, pd.Series]:
    """Exempt rows a carve-out takes out of its resolution; those rows per resolution."""
    carved: dict[int, pd.Series] = {}
    for order, m in enumerate(ms):
        if m.kind != "carve_out":
            continue
        match, _ = keys.relation(m)
        rows = match & direction["transit"] & timing.in_force(m)[0]
        ex = evaluate(m.exemptions, f[rows], com_id[rows], m)
        met_idx = ex.met.index[ex.met.to_numpy()]
        hit = pd.Series(False, index=f.index)
        hit[met_idx] = True
        carved[m.resolution] = carved.get(m.resolution, pd.Series(False, index=f.index)) | hit
        pairs.add(
            met_idx.to_numpy(),
            "exempt",
            m.citation,
            order,
            "Under "
            + m.citation
            + ", resolution "
            + str(m.resolution)
            + " does not apply to this trans-shipment of Russia-origin coal via Rajin.",
            ex.text.loc[met_idx],
        )
    return carved


def _goods_measure(
    pairs: Pairs,
    m: Measure,
    order: int,
    relation: tuple[pd.Series, pd.Series],
    live: tuple[pd.Series, pd.Series],
    dmask: pd.Series,
    sup_transit: pd.Series,
    label: pd.Series,
    what: pd.Series,
    timing: Timing,
) -> pd.Series:
    """Add the open findings of a ban, cap or review on goods; return the rows it covers."""
    match, broad = relation
    full, part = live
    if m.direction == "supply_to_kp":
        tr = match & sup_transit & full
        pairs.add(
            np.flatnonzero(tr.to_numpy()),
            "needs_review",
            m.citation,
            order,
            label[tr].str.capitalize() + " cross DPRK territory without a DPRK "
            "destination; whether " + m.citation + " (supply to the DPRK) "
            "covers this is not settled by the text.",
        )
        dm_broad = dmask | sup_transit
    else:
        dm_broad = dmask
    br = broad & dm_broad & full & ~match
    pairs.add(
        np.flatnonzero(br.to_numpy()),
        "needs_review",
        m.citation,
        order,
        "The row's HS code is less precise than the goods of "
        + m.citation
        + " (HS "
        + ", ".join(m.goods_hs)
        + "), so it may or may not be covered.",
        "Give the HS heading or subheading, or a Tumen commodity id.",
    )
    pm = match & dmask & part
    if pm.any():
        for w in what[pm].unique():
            timing.partial_review(pairs, m, pm & what.eq(w), order, label, w)
    return match & dmask & full


def _decide(
    pairs: Pairs,
    m: Measure,
    order: int,
    f: pd.DataFrame,
    rows: pd.Series,
    com_id: pd.Series,
    lab: pd.Series,
    covered: pd.Series,
    cs: dict[str, Commodity],
    own: np.ndarray,
) -> None:
    """Exempt, prohibited, review or cap for the rows a measure covers."""
    sub = f[rows]
    com = com_id[rows]
    ex = evaluate(m.exemptions, sub, com, m)
    pos = np.flatnonzero(rows.to_numpy())
    met = ex.met.to_numpy()
    cov = covered[rows]
    pairs.add(
        pos[met],
        "exempt",
        m.citation,
        order,
        cov[met] + "; the row declares what its exemption requires.",
        ex.text[met],
    )
    rest = ~met
    if m.kind in ("ban", "luxury_list"):
        pairs.add(
            pos[rest],
            "prohibited",
            m.citation,
            order,
            cov[rest] + ", and no exemption's conditions are met by the row.",
            ex.text[rest],
        )
    elif m.kind == "review":
        pairs.add(
            pos[rest],
            "needs_review",
            m.citation,
            order,
            m.citation + ": " + m.review_note,
            ex.text[rest],
        )
    else:
        screen_cap(
            pairs,
            m,
            order,
            sub[rest],
            com[rest],
            lab[rows][rest],
            cov[rest],
            ex.text[rest],
            pos[rest],
            cs,
            own,
        )


def _unknown_goods(
    pairs: Pairs,
    order: int,
    f: pd.DataFrame,
    label: pd.Series,
    com_id: pd.Series,
    status: pd.Series,
    explicit: pd.Series,
    has_hs: pd.Series,
    direction: dict[str, pd.Series],
    sup_transit: pd.Series,
    settled: pd.Series,
    listed: frozenset[str] | set[str],
    named: pd.Series,
) -> None:
    """``needs_review`` for rows whose goods could not be established."""
    unmapped = status.isin(["unknown", "ambiguous"]) & ~explicit & ~named
    words = f["commodity"]
    pairs.add(
        np.flatnonzero(unmapped.to_numpy()),
        "needs_review",
        "",
        order,
        "The commodity text '" + words[unmapped] + "' could not be mapped to goods "
        "confidently, so screening cannot say which measures cover it.",
        "Give a Tumen commodity id or an HS code for this row.",
    )
    no_hs = (
        com_id.notna()
        & ~has_hs
        & ~com_id.isin(listed)
        & (direction["export_from_kp"] | direction["supply_to_kp"] | sup_transit)
    )
    no_hs &= ~com_id.eq("passengers") & ~settled
    pairs.add(
        np.flatnonzero(no_hs.to_numpy()),
        "needs_review",
        "",
        order,
        "This " + label[no_hs] + " goes to, from or through the DPRK and what it "
        "carries is not stated, so screening cannot say which measures cover it.",
        "Give the goods (Tumen commodity id or HS code) carried.",
    )
