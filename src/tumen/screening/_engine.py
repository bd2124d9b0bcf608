"""The verdict of every row of a checked table against the typed measures.

:func:`screen_rows` works on the engine's columns (see :func:`prepare_rows` and
``_shipments.normalise``) and returns one result row per input row, plus which rows
depend on their own quantity or value (caps and value thresholds), so that a caller
that screens distinct row profiles once knows which rows to screen one by one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tumen.screening._caps import screen_cap
from tumen.screening._exemptions import evaluate
from tumen.screening._findings import Pairs
from tumen.screening._goods import GoodsIndex
from tumen.screening._luxury import LuxuryIndex, LuxuryItem
from tumen.screening._records import Commodity, Measure

__all__ = [
    "DATE_SLOT",
    "DEST_SLOT",
    "HS_SLOT",
    "NONE_LABEL",
    "ORIGIN_SLOT",
    "SLOTS",
    "Regime",
    "Rules",
    "epoch_bounds",
    "screen_rows",
]

NONE_LABEL = "none (counterfactual: UN measures ignored)"
_DIRECTION_TEXT = {
    "export_from_kp": " leaving DPRK territory, whatever their origin",
    "supply_to_kp": " supplied to the DPRK",
    "labour": "",
    "transit": " crossing DPRK territory",
    "to_or_from_kp": " supplied to or from the DPRK",
}
_FLAG_TEXT = (
    " carried on a DPRK-flagged vessel (the DPRK may not transfer them using its "
    "flag vessels, whatever their origin)"
)
#: The paragraph the luxury-goods lists clarify; rows an annex item settles leave it.
GENERAL_LUXURY = (1718, "8(a)(iii)")
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


def _lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym (``DPRK``)."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _money(s: pd.Series) -> pd.Series:
    """US dollars as text (empty where NaN), always of object dtype."""
    return pd.Series(
        [f"{x:,.0f}" if x == x else "" for x in s.tolist()], index=s.index, dtype=object
    )


def _day(s: pd.Series) -> pd.Series:
    return s.dt.strftime("%Y-%m-%d")


#: Stand for a row's own day, origin, destination and HS codes in a reason built for a
#: profile of rows (see ``slots``); the caller puts each row's own values in their place.
DATE_SLOT, ORIGIN_SLOT, DEST_SLOT, HS_SLOT = "\x1f", "\x1c", "\x1d", "\x1b"
SLOTS = (DATE_SLOT, ORIGIN_SLOT, DEST_SLOT, HS_SLOT)


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
        Write :data:`SLOTS` markers instead of the day, origin, destination and HS codes
        in reasons, so that the result of one row can be given to rows that differ only in
        those (days of the same epoch, non-DPRK countries, HS codes under the same
        measures).

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
    names = com_id.map(lambda c: _lower_first(cs[c].name) if isinstance(c, str) else None)
    hs_label = "goods of HS " + (
        pd.Series(HS_SLOT, index=f.index, dtype=object) if slots else hs.map(lambda t: ", ".join(t))
    )
    has_hs = hs.map(bool).astype(bool)
    label = names.where(names.notna(), hs_label.where(has_hs, "'" + f["commodity"] + "'"))

    if reg.as_of is None:
        start, end = f["date"], f["date_end"].where(f["date_end"].notna(), f["date"])
    else:
        start = end = pd.Series(reg.as_of, index=f.index)
    is_period = f["period"].ne("") & (reg.as_of is None)
    day = _day(start)
    screened_on = day.where(~is_period, day + ".." + _day(end))
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
        result = pd.DataFrame(
            {
                **base,
                "verdict": "not_covered",
                "measures": "",
                "reason": "Counterfactual regime 'none': UN Security Council measures are ignored, "
                "so no flow is screened as covered.",
                "conditions": "",
                "cap_total": np.nan,
                "cap": np.nan,
                "cap_unit": "",
                "cap_period": "",
            },
            index=f.index,
        )
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

    key, uniques = pd.factorize(
        pd.Series(
            list(zip(com_id.fillna(""), hs, explicit, f["commodity"], strict=True)), dtype=object
        )
    )
    pairs = Pairs()

    def relation(m: Measure) -> tuple[pd.Series, pd.Series]:
        rel = np.array(
            [goods.measure_match(m, c or None, h, e)[0] for c, h, e, _ in uniques], dtype=object
        )
        r = pd.Series(rel[key] if n else np.array([], dtype=object), index=f.index)
        return r.eq("match"), r.eq("broad")

    lux = [rules.luxury.match(t, h, e) for _, h, e, t in uniques]

    def lux_relation(m: Measure) -> tuple[pd.Series, pd.Series, pd.Series]:
        """Rows naming an item of m's annex: (match, broad, threshold of the items)."""
        hit, wide, thr = [], [], []
        for items, broad in lux:
            mine = [rules.items[i] for i in items if rules.items[i].resolution == m.resolution]
            hit.append(bool(mine))
            wide.append(not mine and any(rules.items[i].resolution == m.resolution for i in broad))
            limits = [it.threshold_usd for it in mine]
            thr.append(
                np.nan
                if not mine or any(x is None for x in limits)
                else float(min(x for x in limits if x is not None))
            )

        def arr(v: list[object], t: type) -> pd.Series:
            return pd.Series(
                np.asarray(v, dtype=t)[key] if n else np.array([], dtype=t), index=f.index
            )

        return arr(hit, bool), arr(wide, bool), arr(thr, float)

    def lux_names(m: Measure) -> pd.Series:
        out = []
        for items, _ in lux:
            mine = [rules.items[i] for i in items if rules.items[i].resolution == m.resolution]
            out.append(
                "; ".join(
                    f"{_lower_first(it.item)} ({it.annex}, item {it.annex_item})" for it in mine
                )
            )
        return pd.Series(
            np.asarray(out, dtype=object)[key] if n else np.array([], dtype=object), index=f.index
        )

    def in_force(m: Measure) -> tuple[pd.Series, pd.Series]:
        if reg.kind == "ids" and m.measure_id not in reg.ids:
            none = pd.Series(False, index=f.index)
            return none, none
        full = start.ge(m.applies_from)
        overlap = end.ge(m.applies_from)
        if m.applies_until is not None:
            full &= end.le(m.applies_until)
            overlap &= start.le(m.applies_until)
        return full, overlap & ~full

    def span(m: Measure) -> str:
        until = f" to {m.applies_until.date()}" if m.applies_until is not None else ""
        return f"in force from {m.applies_from.date()}{until}"

    def partial_review(m: Measure, rows: pd.Series, order: int, what: str) -> None:
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
            + f["period"][rows]
            + "; the row does not say when "
            "in the period the flow took place.",
            "Give the date, or split the period where " + m.citation + " starts or ends.",
        )

    carved: dict[int, pd.Series] = {}
    for order, m in enumerate(ms):
        if m.kind != "carve_out":
            continue
        match, _ = relation(m)
        rows = match & direction["transit"] & in_force(m)[0]
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

    settled = pd.Series(False, index=f.index)  # rows an annex item settles
    # The annex lists go first, so that the general luxury paragraph knows what they settle.
    for order, m in sorted(enumerate(ms), key=lambda om: om[1].kind != "luxury_list"):
        if m.kind in ("carve_out", "ship_to_ship"):
            if m.kind == "ship_to_ship":
                _ship_to_ship(
                    pairs, m, order, f, in_force(m), direction, kp_flag, label, com_id, span(m)
                )
            continue
        if m.kind == "luxury_list":
            match, broad, thr = lux_relation(m)
        else:
            match, broad = relation(m)
        if not (match.any() or broad.any()):
            continue
        full, part = in_force(m)
        dmask = direction[m.direction]
        what = pd.Series(_DIRECTION_TEXT[m.direction], index=f.index, dtype=object)
        if m.direction == "export_from_kp":
            what = what.mask(flag_only, _FLAG_TEXT)
        if m.kind == "luxury_list":
            items = lux_names(m)
            live = full & dmask
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
            partial_review(m, match & dmask & part, order, what.iloc[0] if n else "")
            has_thr = thr.notna() & match & live
            own |= has_thr.to_numpy()
            per_item = f["value_usd"] / f["quantity"].where(
                f["unit"].eq("units") & f["quantity"].gt(0)
            )
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
                + _money(thr[unknown])
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
                + _money(thr[below])
                + " per item; the row's value per item (US$"
                + _money(per_item[below])
                + ") is below that, so the annex does not "
                "settle it, and whether the goods are luxury goods under UNSCR 1718 "
                "para 8(a)(iii) is a judgement.",
            )
            rows = match & live & ~unknown & ~below
            lab = items
            covered = (
                "UNSCR 1718 para 8(a)(iii) bans luxury goods to the DPRK, and "
                + m.citation
                + " (in force from "
                + str(m.applies_from.date())
                + ") names "
                + lab
                + " as luxury goods"
            )
            covered = covered.where(
                ~has_thr, covered + ", valued at US$" + _money(per_item) + " per item"
            )
            settled |= rows
        else:
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
                    partial_review(m, pm & what.eq(w), order, w)
            rows = match & dmask & full
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
        if not rows.any():
            continue
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

    # Rows whose goods could not be established.
    unmapped = status.isin(["unknown", "ambiguous"]) & ~explicit
    sts_any = f["transfer"].eq("ship_to_ship")
    words = f["commodity"]
    pairs.add(
        np.flatnonzero(unmapped.to_numpy()),
        "needs_review",
        "",
        len(ms),
        "The commodity text '" + words[unmapped] + "' could not be mapped to goods "
        "confidently, so screening cannot say which measures cover it.",
        "Give a Tumen commodity id or an HS code for this row.",
    )
    no_hs = (
        com_id.notna()
        & ~has_hs
        & ~com_id.isin(goods.listed)
        & (direction["export_from_kp"] | direction["supply_to_kp"] | sup_transit)
    )
    no_hs &= ~com_id.eq("passengers") & ~settled
    pairs.add(
        np.flatnonzero(no_hs.to_numpy()),
        "needs_review",
        "",
        len(ms),
        "This " + label[no_hs] + " goes to, from or through the DPRK and what it "
        "carries is not stated, so screening cannot say which measures cover it.",
        "Give the goods (Tumen commodity id or HS code) carried.",
    )

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
    result = _combine(pairs, f, label, com_id, when, touches, ends)
    for k, v in base.items():
        result[k] = v
    return result[list(RESULT_FIELDS)], own


def _ship_to_ship(
    pairs: Pairs,
    m: Measure,
    order: int,
    f: pd.DataFrame,
    live: tuple[pd.Series, pd.Series],
    direction: dict[str, pd.Series],
    kp_flag: pd.Series,
    label: pd.Series,
    com_id: pd.Series,
    span: str,
) -> None:
    """2375 para 11: ship-to-ship transfers to or from DPRK-flagged vessels (declared only)."""
    full, part = live
    sts = f["transfer"].eq("ship_to_ship")
    kp_goods = direction[m.direction]
    flags_given = f["vessel_flag"].ne("")
    flags = f["vessel_flag"].str.strip(";").str.replace(";", ", ", regex=False)
    text = (
        m.citation + " (" + span + ") prohibits ship-to-ship transfers to or from "
        "DPRK-flagged vessels of any goods supplied to or from the DPRK"
    )
    rows = sts & kp_goods & kp_flag & full
    if rows.any():
        sub = f[rows]
        ex = evaluate(m.exemptions, sub, com_id[rows], m)
        pos = np.flatnonzero(rows.to_numpy())
        met = ex.met.to_numpy()
        said = (
            text
            + "; the row declares such a transfer of "
            + label[rows]
            + " with a DPRK-flagged vessel (vessel_flag "
            + flags[rows]
            + ")"
        )
        pairs.add(
            pos[met],
            "exempt",
            m.citation,
            order,
            said[met] + "; the row declares what its exemption requires.",
            ex.text[met],
        )
        pairs.add(
            pos[~met],
            "prohibited",
            m.citation,
            order,
            said[~met] + ", and no exemption's conditions are met by the row.",
            ex.text[~met],
        )
    rows = sts & kp_goods & kp_flag & part
    pairs.add(
        np.flatnonzero(rows.to_numpy()),
        "needs_review",
        m.citation,
        order,
        text + " only for part of " + f["period"][rows] + "; the row does not say "
        "when in the period the transfer took place.",
        "Give the date of the transfer.",
    )
    rows = sts & kp_goods & ~flags_given & (full | part)
    pairs.add(
        np.flatnonzero(rows.to_numpy()),
        "needs_review",
        m.citation,
        order,
        "The row declares a ship-to-ship transfer of goods to or from the DPRK but not "
        "the vessels' flags; " + text + ".",
        "Give vessel_flag: the flag codes of both vessels, ';'-separated (e.g. KP;PA).",
    )
    rows = sts & ~kp_goods & kp_flag & (full | part)
    pairs.add(
        np.flatnonzero(rows.to_numpy()),
        "needs_review",
        m.citation,
        order,
        "The row declares a ship-to-ship transfer with a DPRK-flagged vessel, but its "
        "origin, destination and transit do not show the goods going to or from the "
        "DPRK; " + text + ".",
        "Give the goods' origin and destination (KP where they go to or come from the DPRK).",
    )


def _combine(
    pairs: Pairs,
    f: pd.DataFrame,
    label: pd.Series,
    com_id: pd.Series,
    when: pd.Series,
    touches: pd.Series,
    ends: tuple[pd.Series, pd.Series],
) -> pd.DataFrame:
    """Fold the (row, measure) findings into one verdict per row."""
    n = len(f)
    result = pd.DataFrame(
        {
            "verdict": "not_covered",
            "measures": "",
            "reason": "",
            "conditions": "",
            "cap_total": np.nan,
            "cap": np.nan,
            "cap_unit": "",
            "cap_period": "",
        },
        index=f.index,
    )
    default = pd.Series(
        np.where(
            touches,
            "No UN Security Council measure in force "
            + when
            + " covers "
            + label
            + " from "
            + ends[0]
            + " to "
            + ends[1]
            + ".",
            "The flow neither leaves nor enters DPRK territory, so no UN Security Council "
            "DPRK measure covers it.",
        ),
        index=f.index,
        dtype=object,
    )
    people = com_id.eq("passengers")
    default[people] = (
        "Passengers and tourists are not restricted by UN Security Council "
        "measures; the travel ban on designated individuals (UNSCR 1718 para "
        "8(e)) is outside Tumen's screening."
    )
    result["reason"] = default
    if not pairs.parts or n == 0:
        return result
    p = pd.concat(pairs.parts, ignore_index=True)
    p = p.sort_values(["pos", "rank", "order"], ascending=[True, False, True], kind="stable")
    top = p.drop_duplicates("pos", keep="first").set_index("pos")
    top_rank = top["rank"].reindex(p["pos"]).to_numpy()
    best = p[p["rank"].to_numpy() == top_rank]
    reasons = _join_by_pos(best, "reason", " ")
    cites = _join_by_pos(p[p["cite"].ne("")], "cite", "; ")
    conds = _join_by_pos(p[p["conditions"].ne("")], "conditions", " | ")
    capped = p[p["cap_total"].notna()].drop_duplicates("pos", keep="first").set_index("pos")
    idx = top.index.to_numpy()
    result.loc[idx, "verdict"] = top["verdict"].to_numpy()
    result.loc[reasons.index.to_numpy(), "reason"] = reasons.to_numpy()
    result.loc[cites.index.to_numpy(), "measures"] = cites.to_numpy()
    result.loc[conds.index.to_numpy(), "conditions"] = conds.to_numpy()
    cidx = capped.index.to_numpy()
    for col in ("cap_total", "cap"):
        result.loc[cidx, col] = capped[col].astype(float).to_numpy()
    for col in ("cap_unit", "cap_period"):
        result.loc[cidx, col] = capped[col].astype(str).to_numpy()
    return result


def _join_by_pos(p: pd.DataFrame, col: str, sep: str) -> pd.Series:
    """Join the distinct texts of ``col`` per row position, in the frame's order."""
    out: dict[int, str] = {}
    seen: set[tuple[int, str]] = set()
    for k, t in zip(p["pos"].tolist(), p[col].tolist(), strict=True):
        if (k, t) in seen:
            continue
        seen.add((k, t))
        out[k] = out[k] + sep + t if k in out else t
    return pd.Series(list(out.values()), index=list(out.keys()), dtype=object)
