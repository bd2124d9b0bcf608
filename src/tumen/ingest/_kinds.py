"""What words signal each kind of event, and which make a clause a plan, not a report."""

from __future__ import annotations

import re

__all__ = [
    "CARGO_UNITS",
    "CARGO_VERB",
    "HEDGE",
    "KIND_TRIGGERS",
    "LEDGER_KINDS",
    "PROPOSAL_KINDS",
    "SANCTION_ACT",
    "SANCTION_CONTEXT",
    "STATUS_KINDS",
]

#: The kinds of event ingest proposes.
PROPOSAL_KINDS = (
    "opened",
    "closed",
    "suspended",
    "resumed",
    "agreement_signed",
    "construction_started",
    "shipment",
    "meeting",
    "sanction_measure",
)
#: Kinds that change a target's status; of several in one clause, the nearest the date wins.
STATUS_KINDS = ("opened", "closed", "suspended", "resumed")

#: Proposal kind -> ledger kinds (events.csv) an existing event may have and still match.
LEDGER_KINDS: dict[str, tuple[str, ...]] = {
    "opened": ("opened", "link_added", "resumed", "milestone"),
    "closed": ("closed", "suspended"),
    "suspended": ("suspended", "closed"),
    "resumed": ("resumed", "opened", "milestone"),
    "agreement_signed": ("agreement_signed",),
    "construction_started": ("construction_started", "reconstruction_started"),
    "shipment": ("milestone", "volume_reported", "resumed", "opened"),
    "meeting": ("milestone", "agreement_signed"),
    "sanction_measure": ("milestone",),
}

_T = {
    "sanction_measure": (
        r"\b(sanctions?|resolutions?|embargo)\b.{0,80}?\b(adopted|imposed|introduced|passed|"
        r"approved|tightened|entered into force|designated|bans?|banned|prohibits?)\b"
        r"|\b(adopted|imposed|introduced|passed|approved|tightened)\b.{0,40}?"
        r"\b(sanctions?|resolutions?|embargo)\b"
    ),
    "suspended": r"\b(suspend(ed|s)?|suspension|halted|interrupted|frozen|froze)\b",
    "closed": r"\b(closed|closes|shut down|shut)\b",
    "resumed": (
        r"\b(resum\w*|restart\w*|reopen\w*|revived|revival|renewed|restored|relaunched)\b"
        r"|\bfirst\b[\w -]{0,60}?\b(since|after (a|an|the|\w+ (years|months)))\b"
    ),
    "opened": (
        r"(?<!re)\b(opened|opens|opening ceremony|inaugurat\w*|commissioned|"
        r"launched (a |the )?(new |regular |direct )?(service|route|line|flights?|trains?|ferry)|"
        r"(began|started|begin|start) (running|operating|operations|service)|"
        r"began operat\w*|started operat\w*|"
        r"first(?![^.,;]*\b(since|after)\b)[\w -]{0,25}?\b(train|flight|voyage|service|ferry)s?\b|"
        r"(was|were) (founded|established|created|organi[sz]ed))\b"
    ),
    "agreement_signed": (
        r"\b(signed|signing|agreements?|treaty|treaties|concluded|agreed|memorandum|"
        r"declaration|accord|contract|inked)\b"
    ),
    "construction_started": (
        r"\bconstruction\b.{0,60}?\b(began|begun|started|launched|commenced|under ?way)\b"
        r"|\b(began|begun|started|launched|commenced|start)\b.{0,20}?\b(construction|"
        r"building)\b|\bbroke ground\b|\bgroundbreaking\b"
        r"|\b(was|were|been|be|being|has|have|had)\s+(\w+\s+)?(renovated|rebuilt|reconstructed|"
        r"moderni[sz]ed|upgraded)\b"
        r"|\b(renovated|rebuilt|reconstructed|moderni[sz]ed|upgraded)\s+(a|an|the|\d)"
        r"|\b(renovation|reconstruction|moderni[sz]ation|rebuilding)\s+(of|and|work)\b"
    ),
    "shipment": (
        r"\b(shipments?|shipped|delivered|deliveries|consignments?|exported|imported|"
        r"transported|carried(?! out))\b"
    ),
    "meeting": (
        r"\b(met|meets|meeting|talks|visit|visited|visits|visiting|summit|videoconference|"
        r"trip|came to|arrived in|travell?ed to|forum)\b"
    ),
}
#: Kind -> compiled trigger pattern (applied to a clause, case-insensitively).
KIND_TRIGGERS: dict[str, re.Pattern[str]] = {
    kind: re.compile(_T[kind], re.IGNORECASE) for kind in PROPOSAL_KINDS
}

#: A sentence about sanctions whose clause says one was adopted states a sanction measure.
SANCTION_CONTEXT = re.compile(r"\b(sanctions?|resolutions?|embargo)\b", re.IGNORECASE)
SANCTION_ACT = re.compile(
    r"\b(adopted|imposed|introduced|passed|approved|tightened|entered into force)\b",
    re.IGNORECASE,
)

#: A cargo quantity and a verb of moving it state a shipment ("50,000 tonnes passed through").
CARGO_UNITS = ("t", "kt", "Mt", "TEU", "wagons", "railcars", "containers", "horses", "head")
CARGO_VERB = re.compile(
    r"\b(passed|crossed|handled|carried|carrying|moved|shipped|transported|delivered|"
    r"transshipped|exported|imported|sent)\b",
    re.IGNORECASE,
)

#: Words that make the clause before a trigger a plan, a wish or a hypothesis.
HEDGE = re.compile(
    r"\b(plans?|planned|planning|plan) to\b|\bwill\b|\bwould\b|\bcould\b|\bshould\b|"
    r"\bmight\b|\bmay\b(?! \d)|\bexpect(ed|s|ing)? to\b|\bintends?\b|\baims? to\b|"
    r"\bready to\b|\bis to be\b|\bare to be\b|\bwas to\b|\bwere to\b|\bif\b|\bconsider\w*\b|"
    r"\bproposed\b|\bhopes?\b|\bpotential\b|\bwhether\b|\bshall\b|\bcan\b|"
    r"\bagreed to\b|\bdecided to\b|\bpromised to\b|\bpledged to\b",
    re.IGNORECASE,
)
