"""Score proposals against a hand-made list of events (for tests and the benchmark)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from tumen.ingest._dedupe import Proposal

__all__ = ["Score", "read_gold", "score"]


@dataclass
class Score:
    """Counts behind precision and recall.

    ``events``: kind, date (at the gold precision) and sentence right. ``strict``: also
    the places exactly and every reporting article cited by one proposal. ``places``:
    (event, place) pairs over matched events. ``dates``: proposals whose kind and sentence
    match an event, with the right date.
    """

    events_tp: int = 0
    strict_tp: int = 0
    proposals: int = 0
    gold: int = 0
    place_tp: int = 0
    place_fp: int = 0
    place_fn: int = 0
    dates_right: int = 0
    dates_total: int = 0
    notes: list[str] = field(default_factory=list)

    @staticmethod
    def _ratio(a: int, b: int) -> float:
        return a / b if b else 1.0

    @property
    def precision(self) -> float:
        """Return event precision (strict: month and places right)."""
        return self._ratio(self.strict_tp, self.proposals)

    @property
    def recall(self) -> float:
        """Return event recall (strict)."""
        return self._ratio(self.strict_tp, self.gold)

    def table(self) -> dict[str, tuple[float, float]]:
        """Return metric -> (precision, recall)."""
        return {
            "events (kind, date, sentence)": (
                self._ratio(self.events_tp, self.proposals),
                self._ratio(self.events_tp, self.gold),
            ),
            "events (+ month and places)": (self.precision, self.recall),
            "places": (
                self._ratio(self.place_tp, self.place_tp + self.place_fp),
                self._ratio(self.place_tp, self.place_tp + self.place_fn),
            ),
            "dates": (
                self._ratio(self.dates_right, self.dates_total),
                self._ratio(self.dates_right, self.gold),
            ),
        }


def read_gold(path: str | Path) -> dict[str, Any]:
    """Read a gold list (``tests/ingest/gold_*.yaml``).

    Parameters
    ----------
    path : str or pathlib.Path

    Returns
    -------
    dict
        ``articles`` (file, date) and ``events``.
    """
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _date_ok(gold: str, p: Proposal) -> bool:
    parts = [int(x) for x in str(gold).split("-")]
    if p.date.year != parts[0]:
        return False
    if len(parts) == 1:
        return True
    return p.precision in ("day", "month") and p.date.month == parts[1]


def _sentences(p: Proposal) -> list[tuple[str, str]]:
    out = []
    for s in p.sources:
        base = Path(s.file).name
        out.extend((base, text) for text in (s.sentence, *s.also))
    return out


def score(proposals: list[Proposal] | tuple[Proposal, ...], gold: dict[str, Any]) -> Score:
    """Compare proposals with a gold list.

    Parameters
    ----------
    proposals : sequence of Proposal
    gold : dict
        From :func:`read_gold`.

    Returns
    -------
    Score
        A gold event is matched by at most one proposal; a second proposal for it is a
        duplicate and counts against precision. Proposals matching an optional event
        count neither way.
    """
    events = gold["events"]
    result = Score(gold=sum(1 for e in events if not e.get("optional")))
    matched: set[str] = set()
    for p in proposals:
        said = _sentences(p)
        candidates = [
            e
            for e in events
            if e["kind"] == p.kind
            and any(k.lower() in text.lower() for _, text in said for k in e["keys"])
        ]
        dated = [e for e in candidates if _date_ok(e["date"], p)]
        if dated and all(e.get("optional") for e in dated):
            continue
        result.proposals += 1
        fresh = [e for e in dated if not e.get("optional") and e["id"] not in matched]
        if candidates:
            result.dates_total += 1
        if not fresh:
            what = "duplicate of " + dated[0]["id"] if dated else "no such event"
            result.notes.append(f"extra: {p.kind} {p.date} ({what}): {said[0][1][:90]}")
            continue
        event = fresh[0]
        matched.add(event["id"])
        result.events_tp += 1
        result.dates_right += 1
        want, got = set(event["places"]), set(p.places)
        result.place_tp += len(want & got)
        result.place_fp += len(got - want)
        result.place_fn += len(want - got)
        files = {base for base, _ in said}
        cited = all(any(f.startswith(str(g)) for f in files) for g in event["files"])
        if want == got and cited:
            result.strict_tp += 1
        else:
            result.notes.append(
                f"partly right: {event['id']}: places {sorted(got)} (want {sorted(want)}), "
                f"cites {sorted(files)}"
            )
    for e in events:
        if not e.get("optional") and e["id"] not in matched:
            result.notes.append(f"missed: {e['id']} ({e['kind']} {e['date']})")
    return result


def article_dates(gold: dict[str, Any], folder: Path) -> dict[str, date]:
    """Return path -> date for the articles of a gold list that have one."""
    out = {}
    for a in gold["articles"]:
        if a.get("date"):
            value = a["date"]
            out[str(folder / a["file"])] = (
                value if isinstance(value, date) else date.fromisoformat(str(value))
            )
    return out
