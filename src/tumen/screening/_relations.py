"""Which rows' goods a measure or a luxury annex covers, computed once per distinct goods."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tumen.screening._records import Measure
from tumen.screening._rules import Rules
from tumen.screening._wording import lower_first

__all__ = ["GoodsKeys"]


def _named(m: Measure, commodity_id: str, hs: tuple[str, ...], words: str) -> bool:
    """Say whether a row without commodity id or HS code names a term of ``m`` (fishing rights).

    A measure's ``goods_words`` are the terms its text uses for what it covers beyond goods
    codes (2397 para 6: the 2371 para 9 ban bars the sale of *fishing rights*). They decide
    only rows whose words resolve to no commodity, and only when the whole text is the term.
    """
    if commodity_id or hs or not m.goods_words:
        return False
    text = " ".join(str(words).lower().split())
    return text in {w.lower() for w in m.goods_words}


class GoodsKeys:
    """The rows' goods (commodity id, HS codes, explicit HS, words), one entry per distinct set.

    Parameters
    ----------
    rules : Rules
        Goods index and luxury items.
    com_id : pandas.Series
        Each row's Tumen commodity id (None where unresolved).
    hs : pandas.Series
        Each row's HS codes (tuple of str: declared, else the commodity's).
    explicit : pandas.Series of bool
        True where the row declares its HS codes.
    words : pandas.Series of str
        Each row's commodity text.
    """

    def __init__(
        self,
        rules: Rules,
        com_id: pd.Series,
        hs: pd.Series,
        explicit: pd.Series,
        words: pd.Series,
    ) -> None:
        self.rules = rules
        self.index = com_id.index
        self.n = len(com_id)
        self.key, self.uniques = pd.factorize(
            pd.Series(list(zip(com_id.fillna(""), hs, explicit, words, strict=True)), dtype=object)
        )
        memo = rules.memo
        self.lux = []
        for _, h, e, t in self.uniques:
            k = ("luxury", t, h, e)
            if k not in memo:
                memo[k] = rules.luxury.match(t, h, e)
            self.lux.append(memo[k])

    def _spread(self, values: list[object], dtype: type) -> pd.Series:
        arr = np.asarray(values, dtype=dtype)
        return pd.Series(arr[self.key] if self.n else np.array([], dtype=dtype), index=self.index)

    def relation(self, m: Measure) -> tuple[pd.Series, pd.Series]:
        """Rows whose goods ``m`` names (match) and rows whose HS code is too coarse (broad)."""
        goods, memo = self.rules.goods, self.rules.memo
        rel = []
        for c, h, e, t in self.uniques:
            if _named(m, c, h, t):
                rel.append("match")
                continue
            k = (m.measure_id, c, h, e)
            if k not in memo:
                memo[k] = goods.measure_match(m, c or None, h, e)[0]
            rel.append(memo[k])
        r = self._spread(rel, object)
        return r.eq("match"), r.eq("broad")

    def named(self) -> pd.Series:
        """Rows whose unresolved commodity text is a term some measure names (``goods_words``)."""
        ms = self.rules.measures
        hit = [any(_named(m, c, h, t) for m in ms) for c, h, _, t in self.uniques]
        return self._spread(hit, bool)

    def _mine(self, items: tuple[str, ...], m: Measure) -> list:
        return [
            self.rules.items[i] for i in items if self.rules.items[i].resolution == m.resolution
        ]

    def luxury(self, m: Measure) -> tuple[pd.Series, pd.Series, pd.Series]:
        """Rows naming an item of ``m``'s annex: (match, broad, threshold of the items, US$)."""
        hit, wide, thr = [], [], []
        for items, broad in self.lux:
            mine = self._mine(items, m)
            hit.append(bool(mine))
            wide.append(
                not mine and any(self.rules.items[i].resolution == m.resolution for i in broad)
            )
            limits = [it.threshold_usd for it in mine]
            thr.append(
                np.nan
                if not mine or any(x is None for x in limits)
                else float(min(x for x in limits if x is not None))
            )
        return self._spread(hit, bool), self._spread(wide, bool), self._spread(thr, float)

    def item_names(self, m: Measure) -> pd.Series:
        """Each row's items of ``m``'s annex, as a reason names them."""
        out = [
            "; ".join(
                f"{lower_first(it.item)} ({it.annex}, item {it.annex_item})"
                for it in self._mine(items, m)
            )
            for items, _ in self.lux
        ]
        return self._spread(out, object)
