"""Who and what a sentence is about: people's names and content words."""

from __future__ import annotations

import re

__all__ = ["actors", "content_words", "surnames"]

_NAME = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+|-[a-z]+){0,3}\b")
_NOT_NAMES = frozenset(
    [
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "of",
        "and",
        "north",
        "south",
        "korea",
        "korean",
        "koreans",
        "russia",
        "russian",
        "russians",
        "china",
        "chinese",
        "united",
        "states",
        "security",
        "council",
        "president",
        "minister",
        "governor",
        "premier",
        "leader",
        "agency",
        "news",
        "central",
        "state",
        "media",
        "far",
        "east",
        "eastern",
        "federal",
        "university",
        "intergovernmental",
        "commission",
        "sea",
        "japan",
        "international",
        "forum",
        "railways",
        "ministry",
        "development",
        "republic",
        "people",
        "democratic",
        "air",
        "koryo",
        "tass",
        "yonhap",
        "reuters",
        "telegram",
        "kcna",
        "interfax",
        "senior",
        "official",
        "officials",
        "delegation",
        "head",
        "heads",
        "foreign",
        "affairs",
        "defense",
        "defence",
        "culture",
        "sports",
        "cultural",
        "military",
        "trade",
        "economic",
        "krai",
        "river",
        "region",
        "declaration",
        "basin",
        "york",
        "bor",
        "ude",
        "forces",
        "cooperation",
        "petersburg",
        "saint",
        "st",
        "moscow",
        "vladivostok",
        "seoul",
        "beijing",
        "treaty",
        "agreement",
        "railways",
        "company",
        "port",
        "city",
    ]
)
_KOREAN_SURNAMES = frozenset(
    ["kim", "yun", "ji", "choe", "choi", "ri", "pak", "park", "kang", "jang", "o", "ro", "han"]
)
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "in",
        "on",
        "at",
        "to",
        "and",
        "or",
        "for",
        "with",
        "by",
        "from",
        "as",
        "is",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "it",
        "its",
        "this",
        "that",
        "which",
        "who",
        "between",
        "after",
        "before",
        "during",
        "since",
        "their",
        "his",
        "her",
        "s",
    ]
)


def actors(sentence: str, known: set[str], names: frozenset[str] = frozenset()) -> set[str]:
    """Return the people a sentence names, normalised for comparison.

    Parameters
    ----------
    sentence : str
    known : set of str
        Surnames seen in full elsewhere in the article; a lone "Putin" counts then.
    names : frozenset of str
        One-word place names (case-folded), never taken for people.

    Returns
    -------
    set of str
        Korean names in full ("yun jong ho", whatever the hyphens), others by surname
        ("putin", "kozhemyako").
    """
    out: set[str] = set()
    for match in _NAME.finditer(sentence):
        tokens = [t for t in re.split(r"[ -]", match.group(0)) if t]
        while tokens and tokens[0].lower() in _NOT_NAMES:
            tokens.pop(0)
        while tokens and tokens[-1].lower() in _NOT_NAMES:
            tokens.pop()
        if not tokens:
            continue
        low = [t.lower() for t in tokens]
        if any(t in names for t in low):
            continue
        if len(tokens) == 1:
            if low[0] in known:
                out.add(low[0])
            continue
        out.add(" ".join(low) if low[0] in _KOREAN_SURNAMES else low[-1])
    return out


def surnames(lines: tuple[str, ...]) -> set[str]:
    """Return surnames of people named in full somewhere in the article."""
    known: set[str] = set()
    for line in lines:
        for actor in actors(line, set()):
            if " " not in actor:
                known.add(actor)
    return known


def content_words(sentence: str) -> set[str]:
    """Return the lower-case words of three letters or more, without stop words."""
    return {
        w for w in re.findall(r"[a-z]{3,}", sentence.lower()) if w not in _STOP and not w.isdigit()
    }
