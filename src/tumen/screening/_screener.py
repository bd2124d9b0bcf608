"""Screen a table in chunks: each distinct row profile once, caps over the whole table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from tumen.data._shipments import BOOLEAN_COLUMNS, DATE_COLUMNS, prepare
from tumen.errors import DataError, Problem
from tumen.screening._columns import ProfileColumns
from tumen.screening._engine import screen_rows
from tumen.screening._profiles import Signer, period_spans, row_texts
from tumen.screening._rules import RESULT_FIELDS, Rules, epoch_bounds
from tumen.screening._wording import DATE_SLOT

__all__ = ["PROFILE_COLUMNS", "RESULT_COLUMNS", "Screener", "prepare_rows"]

#: Columns screening adds to a table (any input column of the same name is replaced).
RESULT_COLUMNS = (*RESULT_FIELDS, "regime")
#: Input columns that decide a row's verdict apart from its quantity and value.
PROFILE_COLUMNS = (
    "date", "period", "year", "month", "reporter", "partner", "flow", "origin",
    "destination", "transit", "via", "commodity", "hs", "unit", "purpose", *BOOLEAN_COLUMNS,
    *DATE_COLUMNS, "transfer", "vessel_flag",
)  # fmt: skip
_AMOUNTS = ("quantity", "value_usd")

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
        self._own: list[bool] = []
        self._own_rows: list[pd.DataFrame] = []
        self._own_pos: list[np.ndarray] = []
        self._own_result: pd.DataFrame | None = None
        self._columns: ProfileColumns | None = None
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

    def results(self, chunk: pd.DataFrame, ids: np.ndarray, offset: int) -> pa.Table:
        """Return the result columns (``RESULT_COLUMNS``) of a chunk starting at row ``offset``."""
        if self._columns is None or self._columns.size != len(self._profiles):
            parts = self._parts or [pd.DataFrame({c: [] for c in RESULT_FIELDS})]
            table = {c: np.concatenate([p[c].to_numpy() for p in parts]) for c in RESULT_FIELDS}
            self._columns = ProfileColumns(table)
        columns = self._columns
        n = len(ids)
        chunk = chunk.reset_index(drop=True)
        dcodes, dtext, _ = _days(chunk)
        dtext = np.where(dtext == "\x00bad", "", dtext)
        day = dtext[dcodes] if n else np.zeros(0, dtype=object)
        screened_on = columns.table["screened_on"][ids] if n else np.zeros(0, dtype=object)
        if self.rules.regime.as_of is None and n:
            # A row's own day, else its own period, else its profile's (the default date).
            spans = period_spans(chunk)
            screened_on = np.where(day != "", day, np.where(spans != "", spans, screened_on))
        if self.on is not None:
            day = np.where(day == "", self.on, day)
        values = row_texts(chunk) if n and (columns.group[ids] >= 0).any() else {}
        values[DATE_SLOT] = day
        own = pd.DataFrame({c: [] for c in RESULT_FIELDS})
        where = np.zeros(0, dtype=np.int64)
        if self._own_result is not None and n:
            idx = self._own_result.index.to_numpy()
            sel = (idx >= offset) & (idx < offset + n)
            if sel.any():
                where = idx[sel] - offset
                own = self._own_result[sel]
        return columns.chunk(ids, where, own, values, screened_on, self.rules.regime.label)
