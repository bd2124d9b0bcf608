"""Write proposals as YAML for review, and read reviewed proposals back."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from tumen._atomic import write_file_atomically
from tumen.data._schema import DATE_PRECISIONS, EVENT_KINDS, TARGET_TYPES
from tumen.errors import DataError, Problem
from tumen.ingest._dedupe import Proposal

__all__ = ["FORMAT", "proposals_to_dict", "read_proposals", "write_proposals"]

#: Value of the ``tumen_proposals`` key: the version of this file format.
FORMAT = 1
_HEADER = """\
# Tumen ingest proposals: events found in articles, for a person to review.
# For each entry: check the quoted sentence, correct any field, set `accept: true`
# to add it, then run `tumen ledger accept THIS_FILE --data DIR`.
# `ledger_match` names an event already in the ledger: accepting such an entry only adds
# its sources to that event. The `event` block is the events.csv row to be written.
"""


class _Loader(yaml.SafeLoader):
    """Safe YAML loader that keeps dates as text, so a bad one is reported by row."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40]


def _event_id(p: Proposal, used: set[str]) -> str:
    if p.precision == "day":
        stamp = p.date.strftime("%Y_%m_%d")
    elif p.precision == "month":
        stamp = p.date.strftime("%Y_%m")
    else:
        stamp = str(p.date.year)
    where = p.target_id or next((x for x in p.places if not x.startswith("region_")), "")
    base = "_".join(x for x in ("ev", stamp, _slug(where), p.kind) if x)
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}_{n}", n + 1
    used.add(candidate)
    return candidate


def _description(p: Proposal, names: Mapping[str, str]) -> str:
    """Return a plain description from the proposal's fields (a reviewer may reword it)."""
    text = p.kind.replace("_", " ").capitalize()
    where = [names.get(x, x) for x in p.places]
    if where:
        text += " (" + ", ".join(where) + ")"
    if p.quantities:
        text += ": " + "; ".join(q.text for q in p.quantities)
    if p.until:
        text += f"; until {p.until.year}"
    return text


def proposals_to_dict(
    proposals: list[Proposal], existing_ids: set[str], names: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Return the YAML document for proposals, as plain Python data.

    Parameters
    ----------
    proposals : list of Proposal
    existing_ids : set of str
        Event ids already in the ledger (new ids avoid them).
    names : mapping of str to str, optional
        Row id -> English name, for descriptions.

    Returns
    -------
    dict
    """
    used = set(existing_ids)
    entries = []
    for n, p in enumerate(proposals, start=1):
        first = p.date if p.precision == "day" else p.date.replace(day=1)
        if p.precision == "year":
            first = first.replace(month=1)
        entries.append(
            {
                "id": f"p{n:03d}",
                "accept": False,
                "kind": p.kind,
                "date": first.isoformat(),
                "date_precision": p.precision,
                "until": p.until.isoformat() if p.until else None,
                "places": list(p.places),
                "actors": list(p.actors),
                "quantities": [
                    {"value": q.value, "unit": q.unit, "text": q.text} for q in p.quantities
                ],
                "confidence": p.confidence,
                "ledger_match": p.ledger_match or None,
                "event": {
                    "event_id": p.ledger_match or _event_id(p, used),
                    "kind": p.ledger_kind or "milestone",
                    "target_type": p.target_type,
                    "target_id": p.target_id,
                    "field": "",
                    "value": "",
                    "unit": "",
                    "description": _description(p, names or {}),
                },
                "sources": [
                    {
                        "file": s.file,
                        "title": s.title,
                        "date": s.date.isoformat() if s.date else None,
                        "sentence": s.sentence,
                        "also": list(s.also),
                        "source_id": "",
                    }
                    for s in p.sources
                ],
            }
        )
    return {"tumen_proposals": FORMAT, "proposals": entries}


def write_proposals(document: dict[str, Any], path: str | Path) -> Path:
    """Write a proposals document as YAML, atomically.

    Parameters
    ----------
    document : dict
        From :func:`proposals_to_dict`.
    path : str or pathlib.Path

    Returns
    -------
    pathlib.Path
    """
    text = _HEADER + yaml.safe_dump(
        document, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
    return write_file_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _text(entry: dict[str, Any], key: str) -> str:
    value = entry.get(key)
    return "" if value is None else str(value)


def read_proposals(path: str | Path) -> list[dict[str, Any]]:
    """Read and check a (reviewed) proposals file.

    Parameters
    ----------
    path : str or pathlib.Path

    Returns
    -------
    list of dict
        The entries, each checked: ``accept`` a boolean; for accepted entries a date,
        precision, ledger kind, target type and at least one source with a file.

    Raises
    ------
    DataError
        Listing every problem (row = the entry's position, from 1).
    """
    name = str(path)
    try:
        # _Loader is a SafeLoader: no tags that build Python objects.
        doc = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_Loader)
    except OSError as exc:
        problem = Problem(name, None, None, "a readable proposals file", exc.strerror)
        raise DataError(problem) from None
    except (yaml.YAMLError, UnicodeDecodeError, ValueError) as exc:
        got = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataError(Problem(name, None, None, "a YAML proposals file", got)) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("proposals"), list):
        raise DataError(Problem(name, None, "proposals", "a list of proposals", None))
    problems: list[Problem] = []
    entries: list[dict[str, Any]] = []
    for n, entry in enumerate(doc["proposals"], start=1):
        if not isinstance(entry, dict):
            problems.append(Problem(name, n, None, "a mapping", type(entry).__name__))
            continue
        entries.append(entry)
        accept = entry.get("accept", False)
        if not isinstance(accept, bool):
            problems.append(Problem(name, n, "accept", "true or false", str(accept)))
            continue
        if not accept:
            continue
        problems.extend(_check(name, n, entry))
    if problems:
        raise DataError(problems)
    return entries


def _check(name: str, n: int, entry: dict[str, Any]) -> list[Problem]:
    out: list[Problem] = []
    when = entry.get("date")
    if isinstance(when, date):
        entry["date"] = when.isoformat()
    try:
        date.fromisoformat(_text(entry, "date"))
    except ValueError:
        out.append(Problem(name, n, "date", "a date YYYY-MM-DD", _text(entry, "date")))
    if entry.get("date_precision") not in DATE_PRECISIONS:
        out.append(
            Problem(
                name,
                n,
                "date_precision",
                "one of " + ", ".join(DATE_PRECISIONS),
                _text(entry, "date_precision"),
            )
        )
    event = entry.get("event")
    if not isinstance(event, dict):
        out.append(Problem(name, n, "event", "a mapping of events.csv fields", None))
    else:
        if event.get("kind") not in EVENT_KINDS:
            out.append(
                Problem(
                    name, n, "event.kind", "one of " + ", ".join(EVENT_KINDS), _text(event, "kind")
                )
            )
        if event.get("target_type") not in TARGET_TYPES:
            out.append(
                Problem(
                    name,
                    n,
                    "event.target_type",
                    "one of " + ", ".join(TARGET_TYPES),
                    _text(event, "target_type"),
                )
            )
    sources = entry.get("sources")
    if not isinstance(sources, list) or not sources:
        out.append(Problem(name, n, "sources", "at least one source", None))
    else:
        for s in sources:
            if not isinstance(s, dict) or not (_text(s, "file") or _text(s, "source_id")):
                out.append(Problem(name, n, "sources", "a file or source_id per source", None))
    return out
