"""The UN's illustrative luxury-goods lists (``luxury_goods.csv``) and matching rows to them.

Resolution 1718 para 8(a)(iii) bans luxury goods to the DPRK without defining them;
2094 para 23 (annex IV), 2270 para 39 (annex V) and 2321 para 5 (annex IV) name items
that the term "includes, but is not limited to". Each item is a row of the bundled table
with Tumen's HS mapping (the annexes state no HS codes), the annex's value threshold
where it states one, and its sources. A row naming an item is covered by the paragraph
that lists it; other possible luxury goods stay ``needs_review`` under 1718.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = ["LuxuryIndex", "LuxuryItem", "load_luxury_goods", "luxury_items"]


@dataclass(frozen=True)
class LuxuryItem:
    """One item of a UN luxury-goods annex, typed."""

    item_id: str
    item: str
    annex_item: str
    words: tuple[str, ...]
    hs_codes: tuple[str, ...]
    threshold_usd: float | None
    resolution: int
    annex: str
    citation: str


def _split(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in str(text).split(";") if p.strip())


def load_luxury_goods(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Return the luxury-goods items table (``luxury_goods.csv``) of a dataset.

    The table is declared, read and checked with every other table of the dataset
    (:func:`tumen.data.load`); this is ``tumen.data.load(data_dir).luxury_goods``.

    Parameters
    ----------
    data_dir : str or Path, optional
        Dataset folder (a full copy of the bundled one); the bundled dataset when None.

    Returns
    -------
    pandas.DataFrame
        One row per annex item, indexed by ``item_id``: ``item`` (the annex's words),
        ``annex_item`` (its number in the annex), ``words`` (``;``-separated phrases for
        free-text matching), ``hs_codes`` (Tumen's mapping, ``;``-separated),
        ``threshold_usd`` (US dollars per item, NaN where the annex states none),
        ``resolution`` (int), ``paragraph``, ``annex``, ``citation``, ``adopted`` (date),
        ``source``, ``confidence``, ``check``, ``notes``.

    Raises
    ------
    DataError
        With every problem of the dataset.
    """
    import tumen.data

    return tumen.data.load(data_dir).luxury_goods


def luxury_items(frame: pd.DataFrame) -> tuple[LuxuryItem, ...]:
    """Turn a checked luxury-goods table into typed :class:`LuxuryItem` records."""
    return tuple(
        LuxuryItem(
            item_id=r["item_id"],
            item=r["item"],
            annex_item=r["annex_item"],
            words=tuple(w.lower() for w in _split(r["words"])),
            hs_codes=_split(r["hs_codes"]),
            threshold_usd=_threshold(r["threshold_usd"]),
            resolution=int(r["resolution"]),
            annex=str(r["annex"]),
            citation=str(r["citation"]),
        )
        for r in frame.to_dict("records")
    )


def _threshold(value: object) -> float | None:
    """Return a threshold in US dollars, None where none is stated (empty text or NaN)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if number != number else number


class LuxuryIndex:
    """Find the annex items a row's goods name.

    Parameters
    ----------
    items : sequence of LuxuryItem
        The checked items.

    Notes
    -----
    HS codes the row gives itself decide first (a commodity's own codes are too broad:
    textiles span chapters 50-63, rugs only 57): among the items whose code contains the
    row's code, those with the longest (most specific) code win, so a snowmobile (870310,
    with its
    threshold) is not taken for a passenger car (8703). A code the row gives itself that
    is less precise than an item's (``89`` against ``890391``) is ``broad``. A row that
    gives no HS code of its own is matched by the longest phrase of the items' ``words``
    found in its commodity text.
    """

    def __init__(self, items: tuple[LuxuryItem, ...]) -> None:
        self.items = {it.item_id: it for it in items}
        phrases: dict[str, list[str]] = {}
        for it in items:
            for w in it.words:
                phrases.setdefault(w, []).append(it.item_id)
        self._phrases = phrases
        ordered = sorted(phrases, key=len, reverse=True)
        self._pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in ordered) + r")(?!\w)")
            if ordered
            else None
        )

    def match(
        self, text: str, hs: tuple[str, ...], explicit_hs: bool
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Return ``(matched item ids, broadly matched item ids)`` for one row's goods.

        Parameters
        ----------
        text : str
            The row's commodity text.
        hs : tuple of str
            The row's HS codes (given, or its commodity's).
        explicit_hs : bool
            True when the row gave the codes itself; only then can a less precise code
            make a ``broad`` match.
        """
        best: list[tuple[int, str]] = []
        broad: list[str] = []
        for code in hs if explicit_hs else ():
            for it in self.items.values():
                for p in it.hs_codes:
                    if code.startswith(p):
                        best.append((len(p), it.item_id))
                    elif explicit_hs and p.startswith(code):
                        broad.append(it.item_id)
        if best:
            top = max(k for k, _ in best)
            return tuple(sorted({i for k, i in best if k == top})), ()
        if text and not explicit_hs and self._pattern is not None:
            found = [m.group(0) for m in self._pattern.finditer(text.lower())]
            if found:
                longest = max(found, key=len)
                return tuple(sorted(set(self._phrases[longest]))), ()
        return (), tuple(sorted(set(broad)))
