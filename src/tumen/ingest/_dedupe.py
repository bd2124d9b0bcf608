"""Merge the events found in many sentences and articles into one proposal per event."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tumen.ingest._events import Mention
from tumen.ingest._quantities import Quantity

__all__ = ["Proposal", "Source", "merge_mentions"]

_ORDER = {"day": 0, "month": 1, "year": 2}
_CONFIDENCE = {"low": 0, "medium": 1, "high": 2}


@dataclass
class Source:
    """One article that reports a proposal's event.

    Attributes
    ----------
    file, title : str
    date : datetime.date or None
        The article's date.
    sentence : str
        The sentence stating the event, exactly as written.
    also : list of str
        Further sentences of the article about it.
    """

    file: str
    title: str
    date: date | None
    sentence: str
    also: list[str] = field(default_factory=list)


@dataclass
class Proposal:
    """A proposed ledger entry: one event, every article that reports it.

    Attributes
    ----------
    kind : str
        One of :data:`tumen.ingest.PROPOSAL_KINDS`.
    date : datetime.date
    precision : str
        ``day``, ``month`` or ``year``.
    places : list of str
        Place, zone and region ids.
    quantities : list of Quantity
    actors : list of str
    sources : list of Source
    confidence : str
        ``high``, ``medium`` or ``low``.
    until : datetime.date or None
        End of a range ("2008–2014").
    mode : str
        ``rail``, ``road``, ``sea``, ``air`` or "".
    ledger_match : str
        Id of an event already in the ledger that this one repeats ("" if none).
    target_type, target_id, ledger_kind : str
        Suggested events.csv values (a reviewer may change them).
    """

    kind: str
    date: date
    precision: str
    places: list[str]
    quantities: list[Quantity]
    actors: list[str]
    sources: list[Source]
    confidence: str
    until: date | None = None
    mode: str = ""
    ledger_match: str = ""
    target_type: str = "network"
    target_id: str = ""
    ledger_kind: str = ""
    words: set[str] = field(default_factory=set)


def _compatible(a: Mention | Proposal, b: Mention) -> bool:
    """Return whether two dates may be one event's: same month, or same year if coarse."""
    if a.precision == b.precision == "day" and abs((a.date - b.date).days) > 1:
        return False
    coarse = max(_ORDER[a.precision], _ORDER[b.precision], 1)
    if coarse == 2:
        return a.date.year == b.date.year
    return (a.date.year, a.date.month) == (b.date.year, b.date.month)


def _overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _similar(group: list[Mention], m: Mention) -> bool:
    same_article = any(g.article.file == m.article.file for g in group)
    actors = set().union(*(g.actors for g in group))
    places = {p for g in group if not g.inferred_places for p in g.places}
    words = set().union(*(g.words for g in group))
    if actors & m.actors:
        return True
    mine = set(m.places) if not m.inferred_places else set()
    if same_article:
        return bool(places & mine) or _overlap(words, m.words) >= 0.5 or m.inherited
    return bool(places & mine) and _overlap(words, m.words) >= 0.25


def merge_mentions(mentions: list[Mention]) -> list[Proposal]:
    """Group mentions of one event (in one or several articles) into proposals.

    Parameters
    ----------
    mentions : list of Mention
        From every article, in reading order.

    Returns
    -------
    list of Proposal
        One per event, in order of first mention. Two mentions are one event when they
        have the same kind, dates in the same month (same year when either is only a
        year) and share a person, or a place and some words (within one article: a
        place, most words, or a pointer back such as "the two sides").
    """
    groups: list[list[Mention]] = []
    for m in mentions:
        for group in groups:
            same = group[0].kind == m.kind and all(_compatible(g, m) for g in group)
            if same and _similar(group, m):
                group.append(m)
                break
        else:
            groups.append([m])
    return [_proposal(g) for g in groups]


def _proposal(group: list[Mention]) -> Proposal:
    best = min(group, key=lambda m: (m.inherited, m.relative, _ORDER[m.precision]))
    sources: dict[str, Source] = {}
    for m in sorted(group, key=lambda m: m is not best):
        art = m.article
        if art.file not in sources:
            sources[art.file] = Source(art.file, art.title, art.date, m.sentence, list(m.extra))
        else:
            src = sources[art.file]
            for s in (m.sentence, *m.extra):
                if s != src.sentence and s not in src.also:
                    src.also.append(s)
    places: list[str] = []
    named = [m for m in group if not m.inferred_places]
    for m in named or group:
        places.extend(p for p in m.places if p not in places)
    quantities: list[Quantity] = []
    for m in group:
        quantities.extend(q for q in m.quantities if q not in quantities)
    confidence = max((m.confidence for m in group), key=_CONFIDENCE.__getitem__)
    if len(sources) > 1 and confidence == "low":
        confidence = "medium"
    return Proposal(
        kind=best.kind,
        date=best.date,
        precision=best.precision,
        places=places,
        quantities=quantities,
        actors=sorted(set().union(*(m.actors for m in group))),
        sources=list(sources.values()),
        confidence=confidence,
        until=best.until,
        mode=next((m.mode for m in group if m.mode), ""),
        words=set().union(*(m.words for m in group)),
    )
