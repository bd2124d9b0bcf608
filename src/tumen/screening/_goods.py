"""Map a row's commodity text and HS codes to Tumen commodities and to measures' goods."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tumen.screening._records import Commodity, Measure

__all__ = ["GoodsIndex", "Resolved", "hs_relation"]

_CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7af]")


@dataclass(frozen=True)
class Resolved:
    """What a row's ``commodity`` text resolved to.

    ``status`` is ``id`` (a Tumen commodity id), ``text`` (words mapped to one
    commodity), ``ambiguous`` (words of several commodities), ``unknown`` (no words
    known) or ``empty`` (no text; HS only).
    """

    commodity_id: str | None
    status: str
    matched: tuple[str, ...] = ()


class GoodsIndex:
    """Free-text and HS lookup over the commodity table.

    Parameters
    ----------
    commodities : dict of str to Commodity
        The checked commodity table.
    measures : sequence of Measure
        The measures; commodities named in any measure's ``goods_commodities`` are
        matched to measures by id only (see :meth:`measure_match`).
    """

    def __init__(self, commodities: dict[str, Commodity], measures: tuple[Measure, ...]) -> None:
        self.commodities = commodities
        self.listed = frozenset(c for m in measures for c in m.goods_commodities)
        words: dict[str, str] = {}
        for cid, com in commodities.items():
            for syn in (*com.synonyms, cid.replace("_", " ")):
                words.setdefault(syn.lower(), cid)
        self._word_to_id = words
        latin = sorted((w for w in words if not _CJK.search(w)), key=len, reverse=True)
        cjk = sorted((w for w in words if _CJK.search(w)), key=len, reverse=True)
        self._latin = (
            re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in latin) + r")(?!\w)")
            if latin
            else None
        )
        self._cjk = re.compile("|".join(re.escape(w) for w in cjk)) if cjk else None

    def resolve(self, text: str) -> Resolved:
        """Resolve one commodity text to a commodity id, or say why it cannot."""
        text = text.strip()
        if not text:
            return Resolved(None, "empty")
        if text in self.commodities:
            return Resolved(text, "id")
        low = text.lower()
        if low in self._word_to_id:
            return Resolved(self._word_to_id[low], "text", (low,))
        found: list[str] = []
        for pattern in (self._latin, self._cjk):
            if pattern is not None:
                found += [m.group(0) for m in pattern.finditer(low)]
        ids = {self._word_to_id[w] for w in found}
        if len(ids) == 1:
            return Resolved(ids.pop(), "text", tuple(found))
        if ids:
            return Resolved(None, "ambiguous", tuple(found))
        return Resolved(None, "unknown")

    def measure_match(
        self, measure: Measure, commodity_id: str | None, hs: tuple[str, ...], explicit_hs: bool
    ) -> tuple[str, str]:
        """Say whether a row's goods fall under a measure.

        Returns
        -------
        (relation, detail) : tuple of str
            ``relation`` is ``match``, ``broad`` (the row's HS code is less precise
            than the measure's, so it may or may not be covered) or ``none``;
            ``detail`` names the code or id that decided it.

        Notes
        -----
        A commodity named in some measure's ``goods_commodities`` is matched by id
        against measures that list commodities, so that goods sharing an HS heading
        (crude oil and condensate, HS 2709) are told apart. Other rows match by HS
        prefix at chapter, heading or subheading level.
        """
        if commodity_id is not None and commodity_id in measure.goods_commodities:
            return "match", commodity_id
        by_id_only = (
            commodity_id is not None
            and commodity_id in self.listed
            and bool(measure.goods_commodities)
            and not explicit_hs
        )
        if by_id_only or not measure.goods_hs:
            return "none", ""
        relation, detail = "none", ""
        for code in hs:
            rel = hs_relation(code, measure.goods_hs)
            if rel == "match":
                return "match", "HS " + code
            if rel == "broad":
                relation, detail = "broad", code
        return relation, detail


def hs_relation(code: str, prefixes: tuple[str, ...]) -> str:
    """Compare one HS code with a measure's HS prefixes.

    Returns ``match`` when the code lies inside one of them (``270112`` in ``2701``),
    ``broad`` when the code is a less precise level that contains one of them
    (``27`` contains ``2709``), else ``none``.
    """
    broad = False
    for p in prefixes:
        if code.startswith(p):
            return "match"
        if p.startswith(code):
            broad = True
    return "broad" if broad else "none"
