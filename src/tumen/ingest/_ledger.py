"""Compare proposals with the ledger: mark repeats, suggest targets and ledger kinds."""

from __future__ import annotations

import re

import pandas as pd

from tumen.data._schema import EVENT_STATUS
from tumen.ingest._dedupe import Proposal
from tumen.ingest._kinds import LEDGER_KINDS

__all__ = ["crossings", "link_to_ledger"]

_ORDER = {"day": 0, "month": 1, "year": 2}
_REBUILD = re.compile(r"renovat|rebuil|reconstruct|moderni[sz]", re.IGNORECASE)
_PEOPLE = re.compile(r"passeng|travell|tourist", re.IGNORECASE)
_STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "from",
        "into",
        "over",
        "was",
        "were",
        "has",
        "have",
        "this",
        "that",
    ]
)


def crossings(dataset: object) -> dict[tuple[str, ...], list[str]]:
    """Return (country, country, mode) -> end places, for the one link of that kind.

    Parameters
    ----------
    dataset : tumen.data.Dataset

    Returns
    -------
    dict
        Keys use sorted ISO codes (``("KP", "RU", "rail")``); only pairs with exactly one
        cross-border link of that mode are kept (the crossing is then unambiguous).
    """
    links: pd.DataFrame = dataset.links  # type: ignore[attr-defined]
    found: dict[tuple[str, ...], list[list[str]]] = {}
    for row in links.itertuples(index=False):
        countries = tuple(sorted(set(str(row.countries).split(";"))))
        if len(countries) == 2:
            found.setdefault((*countries, str(row.mode)), []).append(
                [str(row.from_id), str(row.to_id)]
            )
    return {k: v[0] for k, v in found.items() if len(v) == 1}


def _event_places(dataset: object, ttype: str, tid: str) -> set[str]:
    if ttype == "link" and tid in dataset.links.index:  # type: ignore[attr-defined]
        row = dataset.links.loc[tid]  # type: ignore[attr-defined]
        return {str(row["from_id"]), str(row["to_id"])}
    if ttype == "facility" and tid in dataset.facilities.index:  # type: ignore[attr-defined]
        fac = dataset.facilities.loc[tid]  # type: ignore[attr-defined]
        out = {str(fac["place_id"])}
        for lid in str(fac["link_ids"]).split(";"):
            out |= _event_places(dataset, "link", lid) if lid else set()
        return out
    if ttype == "zone" and tid in dataset.zones.index:  # type: ignore[attr-defined]
        places = str(dataset.zones.loc[tid, "place_ids"])  # type: ignore[attr-defined]
        return {tid, *[p for p in places.split(";") if p]}
    if ttype == "place":
        return {tid}
    return set()


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{3,}", text.lower()) if w not in _STOP}


def _same_period(a: pd.Timestamp, pa: str, p: Proposal) -> bool:
    coarse = max(_ORDER.get(pa, 2), _ORDER[p.precision], 1)
    if coarse == 2:
        return bool(a.year == p.date.year)
    return bool((a.year, a.month) == (p.date.year, p.date.month))


def _match(dataset: object, p: Proposal) -> str:
    events: pd.DataFrame = dataset.events  # type: ignore[attr-defined]
    allowed = LEDGER_KINDS[p.kind]
    places = set(p.places)
    for ev in events.itertuples(index=False):
        if ev.kind not in allowed or not _same_period(ev.date, ev.date_precision, p):
            continue
        target = _event_places(dataset, str(ev.target_type), str(ev.target_id))
        words = _words(str(ev.description))
        shared = len(words & p.words) / max(1, len(words))
        if (target & places and shared >= 0.15) or shared >= 0.4:
            return str(ev.event_id)
    return ""


def _target(dataset: object, p: Proposal) -> tuple[str, str]:
    if p.kind in ("meeting", "sanction_measure"):
        return "network", ""
    places = [x for x in p.places if not x.startswith(("zone_", "region_"))]
    zones = [x for x in p.places if x.startswith("zone_")]
    links: pd.DataFrame = dataset.links  # type: ignore[attr-defined]
    ends = links["from_id"].isin(places) & links["to_id"].isin(places)
    if p.mode in ("rail", "road", "sea", "ferry"):
        ends &= links["mode"] == p.mode
    candidates = list(links.index[ends])
    if len(candidates) == 1:
        lid = str(candidates[0])
        if p.kind in ("opened", "closed", "suspended", "resumed", "shipment"):
            fac: pd.DataFrame = dataset.facilities  # type: ignore[attr-defined]
            on = fac[
                (fac["kind"] == "border_crossing")
                & fac["link_ids"].str.split(";").apply(lambda ids: lid in ids)
            ]
            people = any(_PEOPLE.search(s.sentence) for s in p.sources)
            on = on[(on["cargo_class"] == "people") == people]
            if len(on) >= 1:
                return "facility", str(on.index[0])
        return "link", lid
    if len(zones) == 1 and not places:
        return "zone", zones[0]
    if len(places) == 1 and not zones and p.kind != "agreement_signed":
        return "place", places[0]
    return "network", ""


def _ledger_kind(p: Proposal) -> str:
    kind = p.kind
    if kind == "construction_started" and any(
        _REBUILD.search(" ".join((s.sentence, *s.also))) for s in p.sources
    ):
        kind = "reconstruction_started"
    if kind not in EVENT_STATUS:
        return "milestone"
    if p.target_type in ("network", "place") and EVENT_STATUS[kind] is not None:
        return "milestone"
    return kind


def link_to_ledger(dataset: object, proposals: list[Proposal]) -> list[Proposal]:
    """Mark proposals that repeat a ledger event and suggest each one's ledger row.

    Parameters
    ----------
    dataset : tumen.data.Dataset
        The dataset whose events are the ledger.
    proposals : list of Proposal
        Changed in place (``ledger_match``, ``target_type``, ``target_id``,
        ``ledger_kind``) and returned.

    Returns
    -------
    list of Proposal
    """
    events: pd.DataFrame = dataset.events  # type: ignore[attr-defined]
    for p in proposals:
        p.ledger_match = _match(dataset, p)
        if p.ledger_match:
            ev = events.loc[p.ledger_match]
            p.target_type, p.target_id = str(ev["target_type"]), str(ev["target_id"])
        else:
            p.target_type, p.target_id = _target(dataset, p)
        p.ledger_kind = _ledger_kind(p)
    return proposals
