"""Find dated events in an article, one sentence at a time.

Each date in a sentence anchors the clause it stands in (and the undated clauses after
it); the words of that stretch decide the kind of event. A sentence with a kind but no
date joins the latest event of that kind a few sentences back, or, when it points back
("the two sides", "also", "during this visit"), becomes an event on that event's date.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import date

from tumen.ingest._actors import actors, content_words, surnames
from tumen.ingest._article import Article
from tumen.ingest._dates import DateMention, find_dates
from tumen.ingest._kinds import (
    CARGO_UNITS,
    CARGO_VERB,
    HEDGE,
    KIND_TRIGGERS,
    SANCTION_ACT,
    SANCTION_CONTEXT,
    STATUS_KINDS,
)
from tumen.ingest._places import Gazetteer
from tumen.ingest._quantities import Quantity, find_quantities
from tumen.ingest._sentences import split_sentences

__all__ = ["Mention", "find_mentions"]

_BACK_REFERENCE = re.compile(
    r"\b(also|the two sides|both sides|the sides|the meeting|the talks|the visit|"
    r"this visit|that visit|the report|during (this|the|his|her) (visit|trip|meeting)|"
    r"the same (day|month|year)|then)\b|^(in \w+, )?(he|she|they)\b|^(it|this|that) (was|is)\b",
    re.IGNORECASE,
)
_COUNTRIES = {
    "RU": re.compile(r"\b(russia|russian|moscow|soviet|ussr)\b", re.I),
    "KP": re.compile(r"\b(north korea|north korean|dprk|pyongyang)\b", re.I),
    "CN": re.compile(r"\b(china|chinese|beijing|prc)\b", re.I),
}
_MODES = {
    "rail": re.compile(r"\b(rail\w*|train\w*|locomotive|wagons?)\b", re.I),
    "road": re.compile(r"\b(road|automobile|truck\w*|vehicles?|highway|car)\b", re.I),
    "sea": re.compile(r"\b(ship\b|ships|vessels?|ferry|sea route|port|ports)\b", re.I),
    "air": re.compile(r"\b(flights?|airline|air koryo|aircraft)\b", re.I),
}
_CLAUSE = re.compile(r"[,;:()–—]|\s-\s|\bwhen\b|\bwhile\b|\bwhich\b|\bbut\b", re.IGNORECASE)


@dataclass
class Mention:
    """One event as one sentence of one article states it.

    Attributes
    ----------
    kind : str
        One of :data:`tumen.ingest.PROPOSAL_KINDS`.
    date : datetime.date
        When (first of the month or year for coarser precisions).
    precision : str
        ``day``, ``month`` or ``year``.
    sentence : str
        The sentence, exactly as in the article.
    index : int
        Position of the sentence in the article.
    article : Article
        Where it was found.
    places : list of str
        Row ids the sentence names (or, failing names, the crossing implied by two
        countries and a mode).
    quantities : list of Quantity
    actors : set of str
        Normalised names of people ("putin", "yun jong ho").
    words : set of str
        Content words, for telling events apart.
    date_text : str
        The date as written ("" when taken from an earlier sentence).
    until : datetime.date or None
        End year of a range.
    inherited : bool
        Whether the date came from an earlier sentence.
    relative : bool
        Whether the date was resolved against the article's date.
    inferred_places : bool
        Whether the places were implied rather than named.
    extra : list of str
        Further sentences of the same article about the same event.
    """

    kind: str
    date: date
    precision: str
    sentence: str
    index: int
    article: Article
    places: list[str]
    quantities: list[Quantity]
    actors: set[str]
    words: set[str]
    date_text: str = ""
    until: date | None = None
    inherited: bool = False
    relative: bool = False
    inferred_places: bool = False
    extra: list[str] = field(default_factory=list)
    mode: str = ""

    @property
    def confidence(self) -> str:
        """Return ``high``, ``medium`` or ``low`` from how the event was found."""
        score = 0.5
        if not self.inherited and not self.relative and self.precision in ("day", "month"):
            score += 0.2
        if self.inherited:
            score -= 0.2
        if self.precision == "year":
            score -= 0.1
        if self.places and not self.inferred_places:
            score += 0.1
        return "high" if score >= 0.7 else "medium" if score >= 0.45 else "low"


def _clauses(sentence: str, dates: list[DateMention]) -> list[tuple[int, int]]:
    """Return clause spans, never cutting through a date."""
    inside = [(m.start, m.end) for m in dates]
    cuts = [0]
    for match in _CLAUSE.finditer(sentence):
        pos = match.start()
        if any(a <= pos < b for a, b in inside):
            continue
        cuts.append(pos)
    cuts.append(len(sentence))
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def _triggers(text: str, offset: int) -> list[tuple[str, int, int]]:
    found = []
    for kind, pattern in KIND_TRIGGERS.items():
        for match in pattern.finditer(text):
            found.append((kind, offset + match.start(), offset + match.end()))
    return found


def _hedged(sentence: str, clause: tuple[int, int], trigger_end: int) -> bool:
    return bool(HEDGE.search(sentence[clause[0] : trigger_end]))


def _choose(
    found: list[tuple[str, int, int]], anchor: int, sentence: str, spans: list[tuple[int, int]]
) -> list[str]:
    """Pick the kinds a date's stretch states: one status change (the nearest), others."""
    kept = []
    for kind, a, b in found:
        clause = next((c for c in spans if c[0] <= a < c[1]), (0, len(sentence)))
        if not _hedged(sentence, clause, b):
            kept.append((kind, a, b))
    status = [t for t in kept if t[0] in STATUS_KINDS]
    kinds: list[str] = []
    if status:
        nearest = min(status, key=lambda t: min(abs(t[1] - anchor), abs(t[2] - anchor)))
        kinds.append(nearest[0])
    for kind, _, _ in kept:
        if kind not in STATUS_KINDS and kind not in kinds:
            kinds.append(kind)
    if "sanction_measure" in kinds:
        kinds = [k for k in kinds if k not in ("suspended", "closed", "agreement_signed")]
    if any(k in kinds for k in ("resumed", "opened")):
        kinds = [k for k in kinds if k != "shipment"]
    return kinds


def _mode(sentence: str) -> str:
    for mode, pattern in _MODES.items():
        if pattern.search(sentence):
            return mode
    return ""


def _implied_places(
    sentence: str, mode: str, crossings: dict[tuple[str, ...], list[str]]
) -> list[str]:
    countries = tuple(sorted(c for c, p in _COUNTRIES.items() if p.search(sentence)))
    if len(countries) != 2 or not mode or re.search(r"\ball\b", sentence, re.I):
        return []
    return crossings.get((*countries, mode), [])


def find_mentions(
    article: Article,
    gazetteer: Gazetteer,
    crossings: dict[tuple[str, ...], list[str]] | None = None,
) -> list[Mention]:
    """Return every dated event an article states, one per sentence, date and kind.

    Parameters
    ----------
    article : Article
    gazetteer : Gazetteer
        Names to match places against.
    crossings : dict, optional
        (country, country, mode) -> places of the one border crossing between two
        countries by that mode (sorted country codes), for sentences that name the
        countries but no place.

    Returns
    -------
    list of Mention
        In article order. Sentences that state a plan or a hypothesis ("plan to",
        "would") and events without a date are left out.
    """
    crossings = crossings or {}
    known = surnames(article.lines)
    mentions: list[Mention] = []
    index = 0
    for line in article.lines:
        for sentence in split_sentences(line):
            index += 1
            mentions.extend(
                _from_sentence(sentence, index, article, gazetteer, crossings, known, mentions)
            )
    return mentions


def _from_sentence(
    sentence: str,
    index: int,
    article: Article,
    gazetteer: Gazetteer,
    crossings: dict[tuple[str, ...], list[str]],
    known: set[str],
    earlier: list[Mention],
) -> list[Mention]:
    dates = [d for d in find_dates(sentence, article.date) if d.value is not None]
    spans = _clauses(sentence, dates)
    hedged = [(a, b) for a, b in spans if HEDGE.search(sentence, a, b)]
    found_places = gazetteer.find(sentence)
    places = list(
        dict.fromkeys(
            m.ref
            for m in found_places
            if sentence[m.end : m.end + 2] not in ("'s", "’s")
            and not any(a <= m.start < b for a, b in hedged)
        )
    )
    mode = _mode(sentence)
    inferred = False
    if not places:
        places = list(_implied_places(sentence, mode, crossings))
        inferred = bool(places)
    named = list(dict.fromkeys(m.ref for m in found_places))
    common = {
        "sentence": sentence,
        "index": index,
        "article": article,
        "places": places,
        "quantities": find_quantities(sentence),
        "actors": actors(sentence, known, gazetteer.words),
        "words": content_words(sentence),
        "inferred_places": inferred,
        "mode": mode,
    }
    if not dates:
        found_undated = _undated(sentence, spans, common, earlier)
        if not found_undated and not _triggers(sentence, 0):
            _describe_back(sentence, named, earlier, index)
        return found_undated
    out: list[Mention] = []
    for i, mention in enumerate(dates):
        start = next((c[0] for c in spans if c[0] <= mention.start < c[1]), 0)
        stop = len(sentence)
        if i + 1 < len(dates):
            stop = dates[i + 1].start
            nxt = next((c[0] for c in spans if c[0] <= stop < c[1]), stop)
            stop = nxt if nxt > start else stop
        found = _triggers(sentence[start:stop], start)
        if not found and len(dates) == 1:
            found = _triggers(sentence, 0)
        stretch = sentence[start:stop]
        if CARGO_VERB.search(stretch) and any(
            q.unit.split("/")[0] in CARGO_UNITS for q in find_quantities(stretch)
        ):
            verb = CARGO_VERB.search(sentence, start, stop)
            assert verb is not None
            found.append(("shipment", verb.start(), verb.end()))
        if SANCTION_CONTEXT.search(sentence):
            act = SANCTION_ACT.search(sentence, start, stop)
            if act is not None:
                found.append(("sanction_measure", act.start(), act.end()))
        kinds = _choose(found, mention.start, sentence, spans)
        if not kinds and i > 0 and out and stop - dates[i - 1].end < 80:
            kinds = [out[-1].kind]
        for kind in kinds:
            assert mention.value is not None
            out.append(
                Mention(
                    kind=kind,
                    date=mention.value,
                    precision=mention.precision,
                    date_text=mention.text.strip(),
                    until=mention.until,
                    relative=mention.relative,
                    **common,  # type: ignore[arg-type]
                )
            )
    if not out and not any(_triggers(sentence, 0)):
        _describe_back(sentence, named, earlier, index)
    return _drop_coarser(out)


def _drop_coarser(out: list[Mention]) -> list[Mention]:
    """Of two events of one kind in one sentence, drop the one dated only by its year."""
    order = {"day": 0, "month": 1, "year": 2}
    kept = []
    for m in out:
        finer = [
            o
            for o in out
            if o is not m
            and o.kind == m.kind
            and o.date.year == m.date.year
            and order[o.precision] < order[m.precision]
        ]
        if not finer:
            kept.append(m)
    return kept


def _describe_back(sentence: str, named: list[str], earlier: list[Mention], index: int) -> None:
    """Give the places of "The bridge will cross ... at X" to the bridge event just before."""
    head = re.match(r"^(?:the|this|that|its) (\w{4,})\b", sentence, re.IGNORECASE)
    if head is None or not named or not earlier or index - earlier[-1].index > 1:
        return
    last = earlier[-1]
    if re.search(rf"\b{re.escape(head.group(1))}\b", last.sentence, re.IGNORECASE):
        if last.inferred_places:
            last.places.clear()
            last.inferred_places = False
        last.places.extend(p for p in named if p not in last.places)
        last.extra.append(sentence)


def _undated(
    sentence: str,
    spans: list[tuple[int, int]],
    common: dict[str, object],
    earlier: list[Mention],
) -> list[Mention]:
    """Attach a sentence without a date to an event a few sentences back."""
    index = int(common["index"])  # type: ignore[call-overload]
    recent = [m for m in earlier if index - m.index <= 3]
    if not recent:
        return []
    found = _triggers(sentence, 0)
    kinds = _choose(found, 0, sentence, spans)
    out: list[Mention] = []
    for kind in kinds:
        first = min(a for k, a, _ in found if k == kind)
        clause_end = next((b for a, b in spans if a <= first < b), len(sentence))
        back = bool(_BACK_REFERENCE.search(sentence[:clause_end]))
        same = [m for m in recent if m.kind == kind]
        if same:
            target = same[-1]
            target.extra.append(sentence)
            target.places.extend(p for p in common["places"] if p not in target.places)  # type: ignore[attr-defined]
            target.actors |= common["actors"]  # type: ignore[arg-type]
            continue
        if back:
            base = recent[-1]
            if kind in ("resumed", "opened") and base.kind == "shipment":
                base.kind = kind  # "X was shipped. It was the first since ..." is a resumption
                base.extra.append(sentence)
                continue
            out.append(
                Mention(
                    kind=kind,
                    date=base.date,
                    precision=base.precision,
                    inherited=True,
                    **common,  # type: ignore[arg-type]
                )
            )
    return out
