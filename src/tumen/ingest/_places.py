"""Match place names in text against every name and alias in a dataset."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import pandas as pd

__all__ = ["Gazetteer", "PlaceMention"]

_PAREN = re.compile(r"\s*\(([^)]*)\)\s*")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


@dataclass(frozen=True)
class PlaceMention:
    """A name found in a sentence.

    Attributes
    ----------
    start, end : int
        Character span.
    text : str
        The name as written.
    ref : str
        The row it names: a place id, a zone id (``zone_…``) or a region id
        (``region_…``).
    """

    start: int
    end: int
    text: str
    ref: str


@dataclass(frozen=True)
class Gazetteer:
    """Every name a dataset knows for its places, zones and regions.

    Build one with :meth:`from_dataset`; :meth:`find` returns the names in a sentence,
    the longest name winning where two overlap ("Tumen River" before "Tumen").

    Attributes
    ----------
    names : dict of str to str
        Case-folded name -> row id.
    countries : dict of str to str
        Place id -> ISO country code.
    """

    names: dict[str, str]
    countries: dict[str, str]

    @classmethod
    def from_dataset(cls, dataset: object) -> Gazetteer:
        """Collect names from a dataset's places, zones and aliases.

        Parameters
        ----------
        dataset : tumen.data.Dataset

        Returns
        -------
        Gazetteer
        """
        names: dict[str, str] = {}
        places: pd.DataFrame = dataset.places  # type: ignore[attr-defined]
        zones: pd.DataFrame = dataset.zones  # type: ignore[attr-defined]
        aliases: pd.DataFrame = dataset.aliases  # type: ignore[attr-defined]
        for frame, id_col in ((places, "place_id"), (zones, "zone_id")):
            for row in frame.itertuples(index=False):
                rid = getattr(row, id_col)
                for col in ("name_en", "name_ru", "name_ko", "name_zh"):
                    for name in _variants(str(getattr(row, col))):
                        names.setdefault(name.casefold(), rid)
        for row in aliases.itertuples(index=False):
            names[str(row.alias).casefold()] = str(row.id)
        countries = {str(r.place_id): str(r.country) for r in places.itertuples(index=False)}
        return cls(names=names, countries=countries)

    @property
    def words(self) -> frozenset[str]:
        """Return the one-word names (case-folded), so people are not taken for places."""
        return frozenset(n for n in self.names if " " not in n and "-" not in n)

    def _index(self) -> _Index:
        cached = _CACHE.get(id(self))
        if cached is not None and cached[0] is self:
            return cached[1]
        words: dict[tuple[str, ...], str] = {}
        cjk: list[str] = []
        for name, ref in self.names.items():
            if _CJK.search(name):
                cjk.append(name)
            else:
                key = tuple(_WORD.findall(name.casefold()))
                if key:
                    words.setdefault(key, ref)
        pattern = None
        if cjk:
            alternatives = "|".join(re.escape(n) for n in sorted(cjk, key=len, reverse=True))
            pattern = re.compile(alternatives, re.IGNORECASE)
        lengths: dict[str, list[int]] = {}
        for key in words:
            lengths.setdefault(key[0], []).append(len(key))
        starts = {first: sorted(set(ns), reverse=True) for first, ns in lengths.items()}
        index = _Index(words, starts, pattern)
        if len(_CACHE) >= 8:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[id(self)] = (self, index)
        return index

    def find(self, sentence: str) -> list[PlaceMention]:
        """Return the dataset names in a sentence, left to right, longest first.

        Parameters
        ----------
        sentence : str

        Returns
        -------
        list of PlaceMention
            Names are matched word by word (case-folded; words joined by spaces, hyphens
            or apostrophes), so the time grows with the length of the sentence only;
            names in Chinese or Korean script are matched as substrings.
        """
        index = self._index()
        tokens = list(_WORD.finditer(sentence))
        out: list[PlaceMention] = []
        i = 0
        folded = [t.group(0).casefold() for t in tokens]
        while i < len(tokens):
            found = None
            for n in index.starts.get(folded[i], ()):
                run = tokens[i : i + n]
                if len(run) < n or any(
                    not _JOIN.fullmatch(sentence, a.end(), b.start())
                    for a, b in itertools.pairwise(run)
                ):
                    continue
                ref = index.words.get(tuple(folded[i : i + n]))
                if ref is not None:
                    found = (n, ref)
                    break
            if found is None:
                i += 1
                continue
            n, ref = found
            start, end = tokens[i].start(), tokens[i + n - 1].end()
            out.append(PlaceMention(start, end, sentence[start:end], ref))
            i += n
        if index.cjk is not None and _CJK.search(sentence):
            for match in index.cjk.finditer(sentence):
                ref = self.names.get(match.group(0).casefold())
                if ref is not None:
                    out.append(PlaceMention(match.start(), match.end(), match.group(0), ref))
            out.sort(key=lambda m: m.start)
        return out


@dataclass(frozen=True)
class _Index:
    words: dict[tuple[str, ...], str]
    starts: dict[str, list[int]]
    cjk: re.Pattern[str] | None


_CACHE: dict[int, tuple[Gazetteer, _Index]] = {}
_WORD = re.compile(r"\w+")
_JOIN = re.compile(r"[\s\-–'’]{1,3}")


def _variants(name: str) -> list[str]:
    """Return a name and the parts of a name with a parenthesis ("Grodekovo (Pogranichny)")."""
    name = name.strip()
    if not name:
        return []
    out = [name]
    inner = _PAREN.findall(name)
    outer = _PAREN.sub(" ", name).strip()
    if inner:
        out = [outer, *[i.strip() for i in inner if i.strip() and "–" not in i]]
    return [n for n in out if len(n) >= 3]
