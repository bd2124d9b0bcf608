"""Row profiles: what of a row decides its verdict, and the row's own words for its reason.

Two rows get the same verdict when they agree on every column that decides it, with
countries other than the DPRK taken as one (``*``: a valid code that is not ``KP``), HS
codes taken as the measures and luxury items they fall under, commodity words as the
commodity they resolve to, and days as their epoch. A value that is not valid is kept as
it is, so that the row that holds it is checked on its own. The reason written for a
profile carries slots (see ``_wording.SLOTS``) that ``_columns.ProfileColumns`` fills with each
row's own day, origin, destination and HS codes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from tumen.data._periods import FLOWS, parse_period
from tumen.data._shipments import country_codes
from tumen.screening._goods import hs_relation
from tumen.screening._rules import Rules, epoch_bounds
from tumen.screening._wording import DEST_SLOT, HS_SLOT, ORIGIN_SLOT, PERIOD_SLOT

__all__ = ["Signer", "period_spans", "row_texts"]

_HS = re.compile(r"^\d{2}(\d{2}){0,2}$")
_REL = {"match": "m", "broad": "b", "none": "-"}


def _cell(v: object) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _hs_codes(text: str) -> list[str]:
    return [c for c in re.sub(r"[.\s]", "", text).split(";") if c]


class Signer:
    """Turn column values into profile signatures, once per distinct value."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.codes = country_codes()
        self.hs_measures = [m for m in rules.measures if m.goods_hs]
        self._cache: dict[tuple[str, str], str] = {}
        self._fns: dict[str, Callable[[str], str]] = {
            "origin": self._role,
            "destination": self._role,
            "reporter": self._role,
            "partner": self._role,
            "transit": self._transit,
            "hs": self._hs,
            "commodity": self._commodity,
            "period": self._period,
        }
        self.bounds = epoch_bounds(rules)

    def _role(self, t: str) -> str:
        up = t.upper()
        if up == "KP":
            return "KP"
        return "*" if up in self.codes else "=" + t

    def _transit(self, t: str) -> str:
        items = [x for x in re.sub(r"\s+", "", t.upper()).split(";") if x]
        if not items:
            return "" if not t else "=" + t
        if all(x in self.codes for x in items):
            return "*" + ("KP" if "KP" in items else "")
        return "=" + t

    def _hs(self, t: str) -> str:
        codes = _hs_codes(t)
        if not codes:
            return "" if not re.sub(r"[.\s;]", "", t) else "=" + t
        if not all(_HS.match(c) for c in codes):
            return "=" + t
        rels = []
        for m in self.hs_measures:
            found = {hs_relation(c, m.goods_hs) for c in codes}
            rels.append(
                _REL["match" if "match" in found else "broad" if "broad" in found else "none"]
            )
        items, broad = self.rules.luxury.match("", tuple(codes), True)
        return "h:" + "".join(rels) + "|" + ",".join(items) + "|" + ",".join(broad)

    def _period(self, t: str) -> str:
        """Sign a valid period by the epochs of its first and last day (its label is a slot)."""
        if not t:
            return ""
        days = parse_period(t)
        if days is None:
            return "=" + t
        first, last = np.searchsorted(self.bounds, np.array(days, dtype="datetime64[ns]"), "right")
        return f"p:{first},{last}"

    def _commodity(self, t: str) -> str:
        if not t:
            return ""
        r = self.rules.goods.resolve(t)
        if r.status in ("id", "text"):
            items, _ = self.rules.luxury.match(t, (), False)
            return "c:" + str(r.commodity_id) + "|" + ",".join(items)
        return "=" + t

    def column(self, col: str, values: pd.Series) -> tuple[np.ndarray, list[str]]:
        """Return each row's signature code and the signature of each code."""
        codes, uniq = pd.factorize(values, use_na_sentinel=False)
        fn = self._fns.get(col)
        sigs = []
        for u in uniq:
            t = _cell(u)
            if fn is None:
                sigs.append(t)
                continue
            k = (col, t)
            sig = self._cache.get(k)
            if sig is None:
                sig = fn(t)
                self._cache[k] = sig
            sigs.append(sig)
        sig_codes, sig_uniq = pd.factorize(np.asarray(sigs, dtype=object), use_na_sentinel=False)
        return sig_codes[codes].astype(np.int64), [str(x) for x in sig_uniq]


def _per_row(chunk: pd.DataFrame, col: str, fn: Callable[[str], str]) -> np.ndarray:
    if col not in chunk.columns:
        return np.full(len(chunk), "", dtype=object)
    codes, uniq = pd.factorize(chunk[col], use_na_sentinel=False)
    vals = np.array([fn(_cell(u)) for u in uniq] or [""], dtype=object)
    return vals[codes] if len(chunk) else np.zeros(0, dtype=object)


def row_texts(chunk: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each row's own origin, destination and HS text, as its reason names them."""
    origin = _per_row(chunk, "origin", str.upper)
    dest = _per_row(chunk, "destination", str.upper)
    if {"reporter", "partner", "flow"} & set(chunk.columns):
        rep = _per_row(chunk, "reporter", str.upper)
        par = _per_row(chunk, "partner", str.upper)
        export = _per_row(chunk, "flow", lambda w: "x" if FLOWS.get(w.lower()) else "")
        exp = export == "x"
        origin = np.where(origin == "", np.where(exp, rep, par), origin)
        dest = np.where(dest == "", np.where(exp, par, rep), dest)
    hs = _per_row(chunk, "hs", lambda t: ", ".join(_hs_codes(t)))
    return {ORIGIN_SLOT: origin, DEST_SLOT: dest, HS_SLOT: hs, PERIOD_SLOT: _labels(chunk)}


def _labels(chunk: pd.DataFrame) -> np.ndarray:
    """Each row's period label as ``_periods.adapt`` makes it (empty where none)."""
    label = _per_row(chunk, "period", str.upper)
    if "year" in chunk.columns:
        year = _per_row(chunk, "year", str)
        month = _per_row(chunk, "month", lambda t: t.zfill(2) if t else "")
        ym = np.where(month == "", year, year + "-" + month)
        label = np.where((label != "") | (year == ""), label, ym)
    return label


def period_spans(chunk: pd.DataFrame) -> np.ndarray:
    """Each row's period as ``first..last`` day (empty where it has no valid period)."""
    codes, uniq = pd.factorize(_labels(chunk), use_na_sentinel=False)
    spans = []
    for u in uniq:
        days = parse_period(str(u)) if u else None
        spans.append(f"{days[0].date()}..{days[1].date()}" if days else "")
    return np.asarray(spans or [""], dtype=object)[codes] if len(chunk) else np.zeros(0, object)
