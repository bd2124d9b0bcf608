"""The screening engine: one verdict per flow against the UN Security Council DPRK measures.

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

import numpy as np
import pandas as pd

from tumen.data._shipments import BOOLEAN_COLUMNS, DATE_COLUMNS, FILE_ATTR, prepare
from tumen.errors import DataError, Problem, ScenarioError
from tumen.screening._engine import screen_rows
from tumen.screening._findings import VERDICTS
from tumen.screening._goods import GoodsIndex
from tumen.screening._luxury import LuxuryIndex, luxury_items
from tumen.screening._profiles import Signer, fill_slots, period_spans, row_texts
from tumen.screening._records import commodity_objects, measure_objects
from tumen.screening._rules import NONE_LABEL, RESULT_FIELDS, Regime, Rules, epoch_bounds
from tumen.screening._wording import DATE_SLOT, SLOTS

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

#: Columns screening adds to a table (any input column of the same name is replaced).
RESULT_COLUMNS = (*RESULT_FIELDS, "regime")
#: Input columns that decide a row's verdict apart from its quantity and value.
PROFILE_COLUMNS = (
    "date", "period", "year", "month", "reporter", "partner", "flow", "origin",
    "destination", "transit", "via", "commodity", "hs", "unit", "purpose", *BOOLEAN_COLUMNS,
    *DATE_COLUMNS, "transfer", "vessel_flag",
)  # fmt: skip
_AMOUNTS = ("quantity", "value_usd")


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


#: Check a table and return the engine's columns (see :func:`tumen.data._shipments.prepare`).
prepare_rows = prepare


def _cell_text(v: object) -> str:
    return "" if v is None or (isinstance(v, float) and v != v) or v is pd.NA else str(v)


def _empty(s: pd.Series) -> np.ndarray:
    """Return True where a cell is empty (NaN, None or blank text)."""
    if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
        return s.isna().to_numpy()
    if isinstance(s.dtype, pd.StringDtype):
        return (s.isna() | s.str.strip().eq("")).to_numpy(dtype=bool)
    text = s.astype(object).where(s.notna(), "").astype(str).str.strip()
    return text.eq("").to_numpy()


def _fast_numbers(s: pd.Series) -> pd.Series:
    """Text to float (NaN where not a plain number), in Arrow where the column is Arrow."""
    if isinstance(s.dtype, pd.StringDtype):
        try:
            import pyarrow as pa
            import pyarrow.compute as pc

            arr = (
                pa.array(s.array, type=pa.string())
                if not hasattr(s.array, "_pa_array")
                else s.array._pa_array
            )
            arr = pc.if_else(pc.equal(pc.utf8_trim_whitespace(arr), ""), None, arr)
            out = pc.cast(pc.utf8_trim_whitespace(arr), pa.float64())
            return pd.Series(out.to_numpy(zero_copy_only=False), index=s.index, dtype=float)
        except (ImportError, ValueError, TypeError, AttributeError):
            pass
    return pd.to_numeric(s, errors="coerce")


def _amounts_look_valid(chunk: pd.DataFrame) -> bool:
    """Cheap check of quantity and value on every row (details come from the full check)."""
    for col in _AMOUNTS:
        if col not in chunk.columns:
            continue
        s = chunk[col]
        if pd.api.types.is_numeric_dtype(s):
            v = s.astype(float)
            if (v.lt(0) | np.isinf(v)).any():
                return False
            continue
        v = _fast_numbers(s)
        retry = v.isna().to_numpy() & ~_empty(s)
        if retry.any():
            t = s[retry].astype(str).str.strip()
            grouped = t.str.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?")
            t = t.where(~grouped, t.str.replace(",", "", regex=False))
            again = pd.to_numeric(t, errors="coerce")
            if again.isna().any() or again.lt(0).any() or np.isinf(again).any():
                return False
        if (v.lt(0) | np.isinf(v.fillna(0))).any():
            return False
    return True


def _shift(err: DataError, offset: int) -> DataError:
    return DataError(
        [
            Problem(p.file, p.row + offset if p.row else p.row, p.field, p.expected, p.got)
            for p in err.problems
        ]
    )


def _days(chunk: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: code of its date text, and per code: the text and the parsed day (NaT)."""
    if "date" not in chunk.columns:
        n = len(chunk)
        return (
            np.zeros(n, dtype=np.int64),
            np.array([""], dtype=object),
            np.array(["NaT"], dtype="datetime64[ns]"),
        )
    s = chunk["date"]
    codes, uniq = pd.factorize(s, use_na_sentinel=False)
    if pd.api.types.is_datetime64_any_dtype(s):
        stamps = pd.to_datetime(pd.Series(uniq)).dt.normalize()
        text = stamps.dt.strftime("%Y-%m-%d").fillna("")
    else:
        text = pd.Series([_cell_text(u).strip() for u in uniq], dtype=object)
        ok = text.str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False).astype(bool)
        stamps = pd.to_datetime(text.where(ok, None), format="%Y-%m-%d", errors="coerce")
        text = text.where(stamps.notna() | text.eq(""), "\x00bad")
    return (
        codes.astype(np.int64),
        text.to_numpy(dtype=object),
        stamps.to_numpy(dtype="datetime64[ns]"),
    )


class Screener:
    """Screen a table in chunks: each distinct row profile once, caps over the whole table.

    Parameters
    ----------
    rules : Rules
        From :func:`build_rules`.
    on : str, optional
        Date for rows with none.
    file : str
        Name used in messages.

    Notes
    -----
    A row's *profile* is every column that decides its verdict except its quantity and
    value, with its day replaced by its epoch (:func:`epoch_bounds`). Each profile is
    screened once; rows under a cap or a value threshold are screened again one by one,
    all together, in table order, when :meth:`finish` is called. Call :meth:`add` for each
    chunk in table order, then :meth:`finish`, then :meth:`results` for each chunk.
    """

    def __init__(self, rules: Rules, on: str | None = None, file: str = "<table>") -> None:
        self.rules = rules
        self.on = on
        self.file = file
        self._bounds = epoch_bounds(rules)
        self._signer = Signer(rules)
        self._profiles: dict[tuple[str, ...], int] = {}
        self._parts: list[pd.DataFrame] = []
        self._table: dict[str, np.ndarray] | None = None
        self._own: list[bool] = []
        self._own_rows: list[pd.DataFrame] = []
        self._own_pos: list[np.ndarray] = []
        self._own_result: pd.DataFrame | None = None
        self._slotted: np.ndarray | None = None
        self.rows = 0

    def _key(
        self, chunk: pd.DataFrame
    ) -> tuple[np.ndarray, list[tuple[np.ndarray, list[str]]], list[np.ndarray]]:
        n = len(chunk)
        cols = [c for c in PROFILE_COLUMNS if c in chunk.columns and c != "date"]
        key = np.zeros(n, dtype=np.int64)
        sigs: list[tuple[np.ndarray, list[str]]] = []
        for c in cols:
            codes, sig = self._signer.column(c, chunk[c])
            sigs.append((codes, sig))
            key = pd.factorize(key * (len(sig) + 1) + codes)[0].astype(np.int64)
        dcodes, dtext, dstamp = _days(chunk)
        epoch = np.searchsorted(self._bounds, dstamp, side="right").astype(np.int64)
        epoch[np.isnat(dstamp)] = -1
        epoch[np.array([t == "\x00bad" for t in dtext], dtype=bool)] = -2
        epoch_code = epoch[dcodes]
        key = pd.factorize(key * (len(self._bounds) + 3) + epoch_code + 1)[0].astype(np.int64)
        flags = [_empty(chunk[c]) if c in chunk.columns else None for c in _AMOUNTS]
        for fl in flags:
            if fl is not None:
                key = pd.factorize(key * 2 + fl)[0].astype(np.int64)
        extra = [epoch_code] + [fl if fl is not None else np.zeros(n, bool) for fl in flags]
        return key, sigs, extra

    def add(self, chunk: pd.DataFrame) -> np.ndarray:
        """Screen the new profiles of one chunk; return each row's profile id (int32).

        Raises
        ------
        DataError
            With every problem in the chunk (rows numbered across the whole table).
        """
        offset = self.rows
        chunk = chunk.reset_index(drop=True)
        n = len(chunk)
        if n == 0:
            prepare_rows(chunk, self.on, self.file)
            return np.zeros(0, dtype=np.int32)
        key, sigs, extra = self._key(chunk)
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        reps = chunk.iloc[first]
        ids_local = np.empty(len(first), dtype=np.int64)
        new: list[int] = []
        for j, row in enumerate(first):
            k = tuple(sig[codes[row]] for codes, sig in sigs) + tuple(str(e[row]) for e in extra)
            gid = self._profiles.get(k)
            if gid is None:
                gid = len(self._profiles)
                self._profiles[k] = gid
                new.append(j)
            ids_local[j] = gid
        ids = ids_local[inverse.ravel()].astype(np.int32)
        if not _amounts_look_valid(chunk):
            try:
                prepare_rows(chunk, self.on, self.file)
            except DataError as err:
                raise _shift(err, offset) from None
        if new:
            rep = reps.iloc[new].copy()
            for col in _AMOUNTS:
                if col in rep.columns:
                    rep[col] = np.where(_empty(rep[col]), "", "0")
            try:
                f = prepare_rows(rep, self.on, self.file)
            except DataError:
                try:
                    prepare_rows(chunk, self.on, self.file)
                except DataError as err:
                    raise _shift(err, offset) from None
                raise
            result, own = screen_rows(f, self.rules, slots=True)
            self._parts.append(result)
            self._table = None
            self._own.extend(own.tolist())
        mine = np.asarray(self._own, dtype=bool)[ids]
        if mine.any():
            self._own_rows.append(chunk[mine])
            self._own_pos.append(np.flatnonzero(mine) + offset)
        self.rows += n
        return ids

    def finish(self) -> None:
        """Screen the rows under caps and value thresholds together, in table order."""
        if not self._own_rows:
            return
        rows = pd.concat(self._own_rows, ignore_index=True)
        f = prepare_rows(rows, self.on, self.file)
        result, _ = screen_rows(f, self.rules)
        result.index = np.concatenate(self._own_pos)
        self._own_result = result
        self._own_rows = []

    def results(self, chunk: pd.DataFrame, ids: np.ndarray, offset: int) -> pd.DataFrame:
        """Return the result columns (``RESULT_COLUMNS``) of a chunk starting at row ``offset``."""
        if self._table is None:
            parts = self._parts or [pd.DataFrame({c: [] for c in RESULT_FIELDS})]
            self._table = {
                c: np.concatenate([p[c].to_numpy() for p in parts]) for c in RESULT_FIELDS
            }
        table = self._table
        out = {c: table[c][ids] for c in RESULT_FIELDS if c != "reason"}
        if self._slotted is None or len(self._slotted) != len(table["reason"]):
            self._slotted = np.fromiter(
                (any(m in r for m in SLOTS) for r in table["reason"]),
                dtype=bool,
                count=len(table["reason"]),
            )
        slot = self._slotted[ids] if len(ids) else np.zeros(0, bool)
        chunk = chunk.reset_index(drop=True)
        dcodes, dtext, _ = _days(chunk)
        dtext = np.where(dtext == "\x00bad", "", dtext)
        day = dtext[dcodes] if len(ids) else np.zeros(0, dtype=object)
        if self.rules.regime.as_of is None and len(ids):
            # A row's own day, else its own period, else its profile's (the default date).
            spans = period_spans(chunk)
            own_span = np.where(spans != "", spans, out["screened_on"])
            out["screened_on"] = np.where(day != "", day, own_span)
        if self.on is not None:
            day = np.where(day == "", self.on, day)
        values = row_texts(chunk) if slot.any() else {}
        values[DATE_SLOT] = day
        out["reason"] = fill_slots(table["reason"], ids, slot, values)
        frame = pd.DataFrame(
            {
                c: pd.Series(out[c], dtype=object if out[c].dtype == object else None)
                for c in RESULT_FIELDS
            }
        )
        if self._own_result is not None and len(ids):
            own = self._own_result
            idx = own.index.to_numpy()
            sel = (idx >= offset) & (idx < offset + len(ids))
            if sel.any():
                where = idx[sel] - offset
                for c in RESULT_FIELDS:
                    col = frame[c].to_numpy(copy=True)
                    col[where] = own[c].to_numpy()[sel]
                    frame[c] = col
        frame["regime"] = self.rules.regime.label
        for c in ("cap_total", "cap"):
            frame[c] = frame[c].astype(float)
        return frame


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
    result = screener.results(df, ids, 0)
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
