"""The screening API: one verdict per flow against the UN Security Council DPRK measures.

Screening reports which measures cover a flow on its date and why; it never proposes a
way around a measure.

Rows that differ only in quantity and value get the same verdict unless a cap or a value
threshold covers them, so a table is screened once per distinct row profile and the
result is spread back to its rows; rows under a cap or a threshold are then screened one
by one, together, so that cap totals run over the whole table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from tumen.data._shipments import FILE_ATTR
from tumen.errors import DataError, Problem, ScenarioError
from tumen.screening._findings import VERDICTS
from tumen.screening._goods import GoodsIndex
from tumen.screening._luxury import LuxuryIndex, luxury_items
from tumen.screening._records import commodity_objects, measure_objects
from tumen.screening._rules import NONE_LABEL, Regime, Rules
from tumen.screening._screener import RESULT_COLUMNS, Screener, prepare_rows

__all__ = [
    "NONE_LABEL",
    "RESULT_COLUMNS",
    "VERDICTS",
    "Regime",
    "Screener",
    "build_rules",
    "parse_regime",
    "prepare_rows",
    "screen",
]


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


def build_rules(
    regime: str | Sequence[str] | Regime = "in_force",
    measures: pd.DataFrame | None = None,
    commodities: pd.DataFrame | None = None,
    luxury: pd.DataFrame | None = None,
) -> Rules:
    """Type the measures, commodities and luxury items once for a screening.

    Parameters
    ----------
    regime : str, sequence of str or Regime
        See :func:`parse_regime`.
    measures, commodities, luxury : pandas.DataFrame, optional
        The ``measures``, ``commodities`` and ``luxury_goods`` tables of a
        :class:`tumen.data.Dataset` (``tumen.data.load(DIR).measures``); the bundled
        dataset's where None.

    Returns
    -------
    Rules

    Raises
    ------
    ScenarioError
        If the regime is unknown or names unknown measure ids.
    """
    reg = parse_regime(regime)
    if measures is None or commodities is None or luxury is None:
        import tumen.data

        bundled = tumen.data.load()
        measures = bundled.measures if measures is None else measures
        commodities = bundled.commodities if commodities is None else commodities
        luxury = bundled.luxury_goods if luxury is None else luxury
    ms = measure_objects(measures)
    cs = commodity_objects(commodities)
    items = luxury_items(luxury)
    if reg.kind == "ids":
        known = {m.measure_id for m in ms}
        unknown = [i for i in reg.ids if i not in known]
        if unknown:
            raise ScenarioError("regime: unknown measure id(s) " + ", ".join(unknown))
    return Rules(
        reg, ms, cs, GoodsIndex(cs, ms), LuxuryIndex(items), {it.item_id: it for it in items}
    )


def screen(
    df: pd.DataFrame,
    on: str | None = None,
    regime: str | Sequence[str] | Regime = "in_force",
    measures: pd.DataFrame | None = None,
    commodities: pd.DataFrame | None = None,
    luxury: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Screen flows against the UN Security Council DPRK measures.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per flow: ``date`` (YYYY-MM-DD) or a period (``period`` as ``YYYY``,
        ``YYYY-MM`` or ``YYYY-Qn``, or ``year`` with optional ``month``); ``origin`` and
        ``destination`` (ISO 3166 alpha-2), or ``reporter``, ``partner`` and ``flow``
        (import/export) as in trade statistics; optional ``transit`` (alpha-2 codes,
        ``;``-separated) and ``via`` (ports or places, e.g. ``Rajin``); ``commodity`` (a
        Tumen commodity id or words) and/or ``hs`` (HS chapter, heading or subheading);
        ``quantity`` with ``unit`` (t, kt, Mt, bbl, m3, head, persons, units, TEU,
        USD…), or only ``value_usd``; optional ``value_usd`` (US dollars), ``purpose``
        (e.g. livelihood), ``origin_confirmed_non_kp``, ``notified_1718``,
        ``committee_approved`` (true/false; empty = not declared), ``authorised_on``,
        ``contract_on`` (dates), ``transfer`` (e.g. ``ship_to_ship``) and
        ``vessel_flag`` (alpha-2 flag codes of the vessels, ``;``-separated). Other
        columns pass through unchanged.
    on : str, optional
        Date YYYY-MM-DD for rows without a date or period.
    regime : str or list of str
        ``in_force`` (default: the measures in force on each row's date or period),
        ``none`` (counterfactual: UN measures ignored, said so in every row),
        ``as_of:YYYY-MM-DD`` (the measures in force on that date, for every row), or
        measure ids (``measures:2397-5,2397-7`` or a list) applied within their dates.
    measures, commodities, luxury : pandas.DataFrame, optional
        The ``measures``, ``commodities`` and ``luxury_goods`` tables of a
        :class:`tumen.data.Dataset` (``tumen.data.load(DIR).measures``); the bundled
        dataset's where None.

    Returns
    -------
    pandas.DataFrame
        The input rows and columns, plus ``commodity_id`` (resolved Tumen id or
        empty), ``verdict`` (prohibited, cap_exceeded, needs_review, within_cap,
        exempt, not_covered), ``measures`` (citations, most severe first), ``reason``
        (plain sentence), ``conditions`` (what an exemption or cap allowance requires
        and which declared columns were relied on), ``cap_total``/``cap`` (running total
        of the cap period including the row, and the cap, in ``cap_unit``),
        ``cap_period``, ``screened_on`` (date, or first..last day of the row's period,
        the measures were taken at) and ``regime``.

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
    taken as true. A measure in force for only part of a row's period makes the row
    ``needs_review``. Screening reports; it never proposes a way around a measure.

    Examples
    --------
    >>> import pandas as pd, tumen
    >>> flows = pd.DataFrame({"date": ["2018-03-01"], "origin": ["KP"],
    ...     "destination": ["CN"], "commodity": ["coal"], "quantity": [1000], "unit": ["t"]})
    >>> tumen.screen(flows)["verdict"].tolist()
    ['prohibited']
    """
    rules = build_rules(regime, measures, commodities, luxury)
    name = df.attrs.get(FILE_ATTR, "<table>")
    if on is not None:
        check_on(on)
    screener = Screener(rules, on=on, file=name)
    ids = screener.add(df)
    screener.finish()
    result = screener.results(df, ids, 0).to_pandas()
    out = df.drop(columns=[c for c in RESULT_COLUMNS if c in df.columns])
    result.index = out.index
    joined = pd.concat([out, result], axis=1)
    joined.attrs = dict(df.attrs)
    return joined


def check_on(on: str) -> None:
    """Refuse a default date that is not ``YYYY-MM-DD``."""
    stamp = pd.to_datetime(str(on), format="%Y-%m-%d", errors="coerce")
    if pd.isna(stamp) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(on)):
        raise DataError(Problem("--on", None, "on", "a date YYYY-MM-DD", str(on)))
