"""The screening engine: one verdict per flow against the UN Security Council DPRK measures.

Screening reports which measures cover a flow on its date and why; it never proposes a
way around a measure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tumen.data._shipments import normalise
from tumen.errors import ScenarioError
from tumen.screening._caps import screen_cap
from tumen.screening._exemptions import evaluate
from tumen.screening._findings import VERDICTS, Pairs
from tumen.screening._goods import GoodsIndex
from tumen.screening._records import Measure, commodity_objects, measure_objects

__all__ = ["RESULT_COLUMNS", "VERDICTS", "Regime", "parse_regime", "screen"]

#: Columns screening adds to a table (any input column of the same name is replaced).
RESULT_COLUMNS = (
    "commodity_id", "verdict", "measures", "reason", "conditions", "cap_total", "cap",
    "cap_unit", "cap_period", "screened_on", "regime",
)  # fmt: skip
NONE_LABEL = "none (counterfactual: UN measures ignored)"
_DIRECTION_TEXT = {
    "export_from_kp": " leaving DPRK territory, whatever their origin",
    "supply_to_kp": " supplied to the DPRK",
    "labour": "",
    "transit": " crossing DPRK territory",
}


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


def parse_regime(regime: str | Sequence[str] | Regime) -> Regime:
    """Parse a regime.

    Parameters
    ----------
    regime : str, sequence of str or Regime
        ``in_force``, ``none``, ``as_of:YYYY-MM-DD``, ``measures:id1,id2`` or a list of
        measure ids.

    Returns
    -------
    Regime

    Raises
    ------
    ScenarioError
        For anything else.
    """
    if isinstance(regime, Regime):
        return regime
    if not isinstance(regime, str):
        ids = tuple(str(i).strip() for i in regime)
        if not ids:
            raise ScenarioError("regime: expected at least one measure id in the list")
        return Regime("ids", ids=ids)
    text = regime.strip()
    if text in ("in_force", "none"):
        return Regime(text)
    if text.startswith("as_of:"):
        day = text[6:]
        stamp = pd.to_datetime(day, format="%Y-%m-%d", errors="coerce")
        if pd.isna(stamp) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            raise ScenarioError(f"regime: expected as_of:YYYY-MM-DD, got '{text}'")
        return Regime("as_of", as_of=stamp)
    if text.startswith("measures:"):
        ids = tuple(i.strip() for i in text[9:].split(",") if i.strip())
        if ids:
            return Regime("ids", ids=ids)
    raise ScenarioError(
        f"regime: expected in_force, none, as_of:YYYY-MM-DD or measures:ID,ID, got '{text}'"
    )


def _lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym (``DPRK``)."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def screen(
    df: pd.DataFrame,
    on: str | None = None,
    regime: str | Sequence[str] | Regime = "in_force",
    measures: pd.DataFrame | None = None,
    commodities: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Screen flows against the UN Security Council DPRK measures.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per flow: ``date`` (YYYY-MM-DD), ``origin`` and ``destination``
        (ISO 3166 alpha-2), optional ``transit`` (alpha-2 codes, ``;``-separated) and
        ``via`` (ports or places, e.g. ``Rajin``), ``commodity`` (a Tumen commodity id
        or words) and/or ``hs`` (HS chapter, heading or subheading), ``quantity`` with
        ``unit`` (t, kt, Mt, bbl, m3, head, persons, units, TEU, USD…), optional
        ``value_usd`` (US dollars), ``purpose`` (e.g. livelihood),
        ``origin_confirmed_non_kp``, ``notified_1718``, ``committee_approved``
        (true/false; empty = not declared), ``authorised_on`` (date of a DPRK worker's
        work authorisation or contract) and ``contract_on`` (date a written goods
        contract was finalised). Other columns pass through unchanged.
    on : str, optional
        Date YYYY-MM-DD for rows without one.
    regime : str or list of str
        ``in_force`` (default: the measures in force on each row's date), ``none``
        (counterfactual: UN measures ignored, said so in every row),
        ``as_of:YYYY-MM-DD`` (the measures in force on that date, for every row), or
        measure ids (``measures:2397-5,2397-7`` or a list) applied within their dates.
    measures, commodities : pandas.DataFrame, optional
        The ``measures`` and ``commodities`` tables of a :class:`tumen.data.Dataset`
        (``tumen.load(DIR).measures``); the bundled dataset's where None.

    Returns
    -------
    pandas.DataFrame
        The input rows and columns, plus ``commodity_id`` (resolved Tumen id or
        empty), ``verdict`` (prohibited, cap_exceeded, needs_review, within_cap,
        exempt, not_covered), ``measures`` (citations, most severe first), ``reason``
        (plain sentence), ``conditions`` (what an exemption or cap allowance requires
        and which declared columns were relied on), ``cap_total``/``cap`` (running total
        of the cap period including the row, and the cap, in ``cap_unit``),
        ``cap_period``, ``screened_on`` (date the measures were taken at) and
        ``regime``.

    Raises
    ------
    DataError
        If any row is bad (all problems at once).
    ScenarioError
        If the regime is unknown or names unknown measure ids.

    Notes
    -----
    Caps are totals across every row of the table in the same cap period, counted in
    date order; a row that takes the total past the cap is ``cap_exceeded``. Rows whose
    allowance conditions are not declared are ``prohibited`` and not counted. An
    exemption's conditions must be declared in the row: a missing declaration is never
    taken as true. Screening reports; it never proposes a way around a measure.

    Examples
    --------
    >>> import pandas as pd, tumen
    >>> flows = pd.DataFrame({"date": ["2018-03-01"], "origin": ["KP"],
    ...     "destination": ["CN"], "commodity": ["coal"], "quantity": [1000], "unit": ["t"]})
    >>> tumen.screen(flows)["verdict"].tolist()
    ['prohibited']
    """
    reg = parse_regime(regime)
    f = normalise(df, on=on).reset_index(drop=True)
    if measures is None or commodities is None:
        import tumen.data

        bundled = tumen.data.load()
        measures = bundled.measures if measures is None else measures
        commodities = bundled.commodities if commodities is None else commodities
    ms = measure_objects(measures)
    cs = commodity_objects(commodities)
    if reg.kind == "ids":
        known = {m.measure_id for m in ms}
        unknown = [i for i in reg.ids if i not in known]
        if unknown:
            raise ScenarioError("regime: unknown measure id(s) " + ", ".join(unknown))
    goods = GoodsIndex(cs, ms)
    n = len(f)

    resolved = {t: goods.resolve(t) for t in f["commodity"].unique()}
    com_id = f["commodity"].map({t: r.commodity_id for t, r in resolved.items()}).astype(object)
    com_id = com_id.where(com_id.notna(), None)
    status = f["commodity"].map({t: r.status for t, r in resolved.items()}).astype(object)
    explicit = f["hs"].map(bool).astype(bool)
    hs = f["hs"].where(explicit, com_id.map(lambda c: cs[c].hs_codes if isinstance(c, str) else ()))
    names = com_id.map(lambda c: _lower_first(cs[c].name) if isinstance(c, str) else None)
    hs_label = "goods of HS " + hs.map(lambda t: ", ".join(t))
    has_hs = hs.map(bool).astype(bool)
    label = names.where(names.notna(), hs_label.where(has_hs, "'" + f["commodity"] + "'"))

    eff = f["date"] if reg.as_of is None else pd.Series(reg.as_of, index=f.index)
    out = df.copy()
    for col in RESULT_COLUMNS:
        if col in out.columns:
            out = out.drop(columns=col)
    base_cols = pd.DataFrame({
        "commodity_id": com_id.fillna("").to_numpy(dtype=object),
        "screened_on": eff.dt.strftime("%Y-%m-%d").to_numpy(dtype=object),
    }, index=out.index)

    if reg.kind == "none":
        result = pd.DataFrame({
            "verdict": "not_covered", "measures": "",
            "reason": "Counterfactual regime 'none': UN Security Council measures are ignored, "
                      "so no flow is screened as covered.",
            "conditions": "", "cap_total": np.nan, "cap": np.nan, "cap_unit": "",
            "cap_period": "",
        }, index=out.index)
        return _assemble(out, base_cols, result, reg)

    kp_o = f["origin"].eq("KP")
    kp_d = f["destination"].eq("KP")
    kp_t = f["transit"].str.contains(";KP;", regex=False)
    direction = {
        "export_from_kp": (kp_o | kp_t) & ~kp_d,
        "supply_to_kp": kp_d & ~kp_o,
        "labour": kp_o & ~kp_d,
        "transit": (kp_o | kp_t) & ~kp_d,
    }
    sup_transit = kp_t & ~kp_d & ~kp_o

    key, uniques = pd.factorize(pd.Series(list(zip(com_id.fillna(""), hs, explicit,
                                                   strict=True)), dtype=object))
    pairs = Pairs()

    def relation(m: Measure) -> tuple[pd.Series, pd.Series]:
        rel = np.array([goods.measure_match(m, c or None, h, e)[0] for c, h, e in uniques],
                       dtype=object)
        r = pd.Series(rel[key] if n else np.array([], dtype=object), index=f.index)
        return r.eq("match"), r.eq("broad")

    def in_force(m: Measure) -> pd.Series:
        ok = eff.ge(m.applies_from)
        if m.applies_until is not None:
            ok &= eff.le(m.applies_until)
        if reg.kind == "ids":
            ok &= m.measure_id in reg.ids
        return ok

    carved: dict[int, pd.Series] = {}
    for order, m in enumerate(ms):
        if m.kind != "carve_out":
            continue
        match, _ = relation(m)
        rows = match & direction["transit"] & in_force(m)
        ex = evaluate(m.exemptions, f[rows], com_id[rows], m)
        met_idx = ex.met.index[ex.met.to_numpy()]
        hit = pd.Series(False, index=f.index)
        hit[met_idx] = True
        carved[m.resolution] = carved.get(m.resolution, pd.Series(False, index=f.index)) | hit
        pairs.add(met_idx.to_numpy(), "exempt", m.citation, order,
                  "Under " + m.citation + ", resolution " + str(m.resolution)
                  + " does not apply to this trans-shipment of Russia-origin coal via Rajin.",
                  ex.text.loc[met_idx])

    for order, m in enumerate(ms):
        if m.kind == "carve_out":
            continue
        match, broad = relation(m)
        if not (match.any() or broad.any()):
            continue
        live = in_force(m)
        dmask = direction[m.direction]
        rows = match & dmask & live
        what = _DIRECTION_TEXT[m.direction]
        if m.direction == "supply_to_kp":
            tr = match & sup_transit & live
            pairs.add(np.flatnonzero(tr.to_numpy()), "needs_review", m.citation, order,
                      label[tr].str.capitalize() + " cross DPRK territory without a DPRK "
                      "destination; whether " + m.citation + " (supply to the DPRK) covers "
                      "this is not settled by the text.")
            dm_broad = dmask | sup_transit
        else:
            dm_broad = dmask
        br = broad & dm_broad & live & ~match
        pairs.add(np.flatnonzero(br.to_numpy()), "needs_review", m.citation, order,
                  "The row's HS code is less precise than the goods of " + m.citation
                  + " (HS " + ", ".join(m.goods_hs) + "), so it may or may not be covered.",
                  "Give the HS heading or subheading, or a Tumen commodity id.")
        if m.resolution in carved:
            cut = rows & carved[m.resolution]
            rows &= ~cut
        if not rows.any():
            continue
        sub = f[rows]
        com = com_id[rows]
        lab = label[rows]
        ex = evaluate(m.exemptions, sub, com, m)
        pos = np.flatnonzero(rows.to_numpy())
        met = ex.met.to_numpy()
        covered = (m.citation + " (in force from " + str(m.applies_from.date()) + ") covers "
                   + lab + what)
        pairs.add(pos[met], "exempt", m.citation, order,
                  covered[met] + "; the row declares what its exemption requires.",
                  ex.text[met])
        rest = ~met
        if m.kind == "ban":
            pairs.add(pos[rest], "prohibited", m.citation, order,
                      covered[rest] + ", and no exemption's conditions are met by the row.",
                      ex.text[rest])
        elif m.kind == "review":
            pairs.add(pos[rest], "needs_review", m.citation, order,
                      m.citation + ": " + m.review_note, ex.text[rest])
        else:
            screen_cap(pairs, m, order, sub[rest], com[rest], lab[rest], covered[rest],
                       ex.text[rest], pos[rest], cs)

    # Rows whose goods could not be established.
    unmapped = status.isin(["unknown", "ambiguous"]) & ~explicit
    words = f["commodity"]
    pairs.add(np.flatnonzero(unmapped.to_numpy()), "needs_review", "", len(ms),
              "The commodity text '" + words[unmapped] + "' could not be mapped to goods "
              "confidently, so screening cannot say which measures cover it.",
              "Give a Tumen commodity id or an HS code for this row.")
    no_hs = com_id.notna() & ~has_hs & ~com_id.isin(goods.listed) & (
        direction["export_from_kp"] | direction["supply_to_kp"] | sup_transit)
    no_hs &= ~com_id.eq("passengers")
    pairs.add(np.flatnonzero(no_hs.to_numpy()), "needs_review", "", len(ms),
              "This " + label[no_hs] + " goes to, from or through the DPRK and what it "
              "carries is not stated, so screening cannot say which measures cover it.",
              "Give the goods (Tumen commodity id or HS code) carried.")

    result = _combine(pairs, f, label, com_id, eff, direction)
    result.index = out.index
    return _assemble(out, base_cols, result, reg)


def _combine(pairs: Pairs, f: pd.DataFrame, label: pd.Series, com_id: pd.Series,
             eff: pd.Series, direction: dict[str, pd.Series]) -> pd.DataFrame:
    """Fold the (row, measure) findings into one verdict per row."""
    n = len(f)
    result = pd.DataFrame({
        "verdict": "not_covered", "measures": "", "reason": "", "conditions": "",
        "cap_total": np.nan, "cap": np.nan, "cap_unit": "", "cap_period": "",
    }, index=f.index)
    touches = direction["export_from_kp"] | direction["supply_to_kp"] | f["transit"].str.contains(
        ";KP;", regex=False) | f["origin"].eq("KP")
    default = pd.Series(np.where(
        touches, "No UN Security Council measure in force on " + eff.dt.strftime("%Y-%m-%d")
        + " covers " + label + " from " + f["origin"] + " to " + f["destination"] + ".",
        "The flow neither leaves nor enters DPRK territory, so no UN Security Council "
        "DPRK measure covers it."), index=f.index, dtype=object)
    people = com_id.eq("passengers")
    default[people] = ("Passengers and tourists are not restricted by UN Security Council "
                       "measures; the travel ban on designated individuals (UNSCR 1718 para "
                       "8(e)) is outside Tumen's screening.")
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


def _assemble(out: pd.DataFrame, base: pd.DataFrame, result: pd.DataFrame,
              reg: Regime) -> pd.DataFrame:
    """Join the input table and the result columns in the documented order."""
    cols = pd.concat([base, result], axis=1)
    cols["regime"] = reg.label
    cols = cols[list(RESULT_COLUMNS)]
    for col in ("cap_total", "cap"):
        cols[col] = cols[col].astype(float)
    joined = pd.concat([out, cols], axis=1)
    joined.attrs = dict(out.attrs)
    return joined

