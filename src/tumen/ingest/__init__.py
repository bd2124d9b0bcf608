"""Keep the ledger current: read news articles and propose sourced, dated events.

:func:`ingest` reads plain-text or HTML articles (main text only, boilerplate dropped),
finds the dated events they state (kind, date, places, quantities, the exact sentence),
merges reports of one event from several articles and marks those already in the
ledger. :func:`write_proposals` writes them as YAML for a person to review;
:func:`accept` merges the reviewed entries into a dataset folder, validated like all
data. Nothing is downloaded and nothing from an article is executed.
"""

from __future__ import annotations

from tumen.ingest._accept import AcceptResult, accept
from tumen.ingest._article import MAX_BYTES, MAX_CHARS, Article, read_article
from tumen.ingest._dates import DateMention, find_dates
from tumen.ingest._dedupe import Proposal, Source
from tumen.ingest._ingest import IngestResult, ingest
from tumen.ingest._kinds import PROPOSAL_KINDS
from tumen.ingest._places import Gazetteer, PlaceMention
from tumen.ingest._quantities import Quantity, find_quantities
from tumen.ingest._yaml import read_proposals, write_proposals

__all__ = [
    "MAX_BYTES",
    "MAX_CHARS",
    "PROPOSAL_KINDS",
    "AcceptResult",
    "Article",
    "DateMention",
    "Gazetteer",
    "IngestResult",
    "PlaceMention",
    "Proposal",
    "Quantity",
    "Source",
    "accept",
    "find_dates",
    "find_quantities",
    "ingest",
    "read_article",
    "read_proposals",
    "write_proposals",
]
