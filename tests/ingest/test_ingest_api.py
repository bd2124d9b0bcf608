from __future__ import annotations

import tumen.ingest


def test_public_names_exactly() -> None:
    assert sorted(tumen.ingest.__all__) == sorted(
        [
            "MAX_BYTES", "MAX_CHARS", "PROPOSAL_KINDS", "AcceptResult", "Article",
            "DateMention", "Gazetteer", "IngestResult", "PlaceMention", "Proposal",
            "Quantity", "Source", "accept", "find_dates", "find_quantities", "ingest",
            "read_article", "read_proposals", "write_proposals",
        ]
    )  # fmt: skip
    for name in tumen.ingest.__all__:
        assert getattr(tumen.ingest, name) is not None


def test_proposal_kinds() -> None:
    assert tumen.ingest.PROPOSAL_KINDS == (
        "opened", "closed", "suspended", "resumed", "agreement_signed",
        "construction_started", "shipment", "meeting", "sanction_measure",
    )  # fmt: skip
