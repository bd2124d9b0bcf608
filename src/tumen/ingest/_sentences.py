"""Split paragraphs into sentences without breaking at "Nov.", "U.N." or "St."."""

from __future__ import annotations

import re

__all__ = ["split_sentences"]

_ABBREVIATIONS = frozenset(
    [
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "gen",
        "gov",
        "sen",
        "rep",
        "prof",
        "jr",
        "sr",
        "no",
        "vs",
        "etc",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "est",
        "approx",
        "yu",
        "ca",
        "fig",
        "vol",
        "pp",
    ]
)
_BREAK = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9\u0400-\u04ff])")


def _ends_with_abbreviation(text: str) -> bool:
    word = re.search(r"([A-Za-z.]+)\.$", text)
    if word is None:
        return False
    token = word.group(1)
    if "." in token:  # U.N., U.S., e.g.
        return True
    return len(token) == 1 or token.lower() in _ABBREVIATIONS


def split_sentences(paragraph: str) -> list[str]:
    """Return the sentences of one paragraph.

    Parameters
    ----------
    paragraph : str

    Returns
    -------
    list of str
        Sentences in order, stripped; a break after an abbreviation or an initial
        ("Nov.", "U.N.", "P.") is not a sentence end. Text running longer than
        :data:`MAX_SENTENCE` characters without a sentence end is cut at spaces.

    Examples
    --------
    >>> split_sentences("Trade resumed in Nov. 2022. The U.N. Security Council met.")
    ['Trade resumed in Nov. 2022.', 'The U.N. Security Council met.']
    """
    out: list[str] = []
    start = 0
    for match in _BREAK.finditer(paragraph):
        piece = paragraph[start : match.start()].rstrip()
        if _ends_with_abbreviation(piece.rstrip('"”’)]')):
            continue
        if piece:
            out.append(piece.strip())
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        out.append(tail)
    return [part for sentence in out for part in _bounded(sentence)]


#: Longest sentence kept whole, characters; a longer run of text is cut at spaces.
MAX_SENTENCE = 1000


def _bounded(sentence: str) -> list[str]:
    if len(sentence) <= MAX_SENTENCE:
        return [sentence]
    parts, rest = [], sentence
    while len(rest) > MAX_SENTENCE:
        cut = rest.rfind(" ", 0, MAX_SENTENCE)
        cut = cut if cut > 0 else MAX_SENTENCE
        parts.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    return [*parts, rest] if rest else parts
