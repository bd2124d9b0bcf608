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
from functools import lru_cache
from pathlib import Path

import pandas as pd

from tumen.errors import DataError, Problem
from tumen.screening._tables import bundled_dir

__all__ = ["LUXURY_COLUMNS", "LuxuryIndex", "LuxuryItem", "load_luxury_goods", "luxury_items"]

LUXURY_COLUMNS = (
    "item_id", "item", "annex_item", "words", "hs_codes", "threshold_usd", "resolution",
    "paragraph", "annex", "citation", "adopted", "source", "confidence", "check", "notes",
)  # fmt: skip
_HS = re.compile(r"^\d{2}(\d{2}){0,2}$")


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
    """Load and check the luxury-goods items table (``luxury_goods.csv``).

    Parameters
    ----------
    data_dir : str or Path, optional
        Dataset folder; the bundled dataset when None (or when the folder has no
        ``luxury_goods.csv``).

    Returns
    -------
    pandas.DataFrame
        One row per annex item, as strings: ``item_id``, ``item`` (the annex's words),
        ``annex_item`` (its number in the annex), ``words`` (``;``-separated phrases for
        free-text matching), ``hs_codes`` (Tumen's mapping, ``;``-separated),
        ``threshold_usd`` (US dollars per item, empty where the annex states none),
        ``resolution``, ``paragraph``, ``annex``, ``citation``, ``adopted``, ``source``,
        ``confidence``, ``check``, ``notes``.

    Raises
    ------
    DataError
        With every problem found.
    """
    folder = Path(data_dir) if data_dir is not None else bundled_dir()
    if not (folder / "luxury_goods.csv").is_file():
        folder = bundled_dir()
    path = folder / "luxury_goods.csv"
    return _load(path, path.stat().st_mtime_ns).copy()


@lru_cache(maxsize=4)
def _load(path: Path, stamp: int) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    name = path.name
    missing = [c for c in LUXURY_COLUMNS if c not in frame.columns]
    if missing:
        raise DataError([Problem(name, 0, c, "a column of that name", None) for c in missing])
    sources_path = path.parent / "sources.csv"
    if not sources_path.is_file():
        sources_path = bundled_dir() / "sources.csv"
    sources = set(pd.read_csv(sources_path, dtype=str, keep_default_na=False)["source_id"])
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, rec in enumerate(frame.to_dict("records"), start=1):
        if not rec["item_id"] or rec["item_id"] in seen:
            problems.append(Problem(name, i, "item_id", "a unique, non-empty id", rec["item_id"]))
        seen.add(rec["item_id"])
        codes = _split(rec["hs_codes"])
        if not codes or not all(_HS.match(c) for c in codes):
            problems.append(
                Problem(
                    name,
                    i,
                    "hs_codes",
                    "HS codes of 2, 4 or 6 digits, ';'-separated",
                    rec["hs_codes"],
                )
            )
        if not _split(rec["words"]):
            problems.append(Problem(name, i, "words", "one or more phrases, ';'-separated", ""))
        if rec["threshold_usd"]:
            try:
                ok = float(rec["threshold_usd"]) >= 0
            except ValueError:
                ok = False
            if not ok:
                problems.append(
                    Problem(
                        name,
                        i,
                        "threshold_usd",
                        "a non-negative number of US dollars (or empty)",
                        rec["threshold_usd"],
                    )
                )
        if not rec["resolution"].isdigit():
            problems.append(
                Problem(name, i, "resolution", "a resolution number", rec["resolution"])
            )
        elif rec["citation"] != f"UNSCR {rec['resolution']} para {rec['paragraph']}":
            problems.append(
                Problem(
                    name, i, "citation", "'UNSCR <resolution> para <paragraph>'", rec["citation"]
                )
            )
        ids = _split(rec["source"])
        if not ids:
            problems.append(Problem(name, i, "source", "one or more source ids", ""))
        for sid in ids:
            if sid not in sources:
                problems.append(
                    Problem(name, i, "source", "a source id listed in sources.csv", sid)
                )
        if rec["confidence"] not in ("high", "medium", "low"):
            problems.append(
                Problem(name, i, "confidence", "one of high, medium, low", rec["confidence"])
            )
    if problems:
        raise DataError(problems)
    return frame


def luxury_items(frame: pd.DataFrame) -> tuple[LuxuryItem, ...]:
    """Turn a checked luxury-goods table into typed :class:`LuxuryItem` records."""
    return tuple(
        LuxuryItem(
            item_id=r["item_id"],
            item=r["item"],
            annex_item=r["annex_item"],
            words=tuple(w.lower() for w in _split(r["words"])),
            hs_codes=_split(r["hs_codes"]),
            threshold_usd=float(r["threshold_usd"]) if r["threshold_usd"] else None,
            resolution=int(r["resolution"]),
            annex=r["annex"],
            citation=r["citation"],
        )
        for r in frame.astype(str).to_dict("records")
    )


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
