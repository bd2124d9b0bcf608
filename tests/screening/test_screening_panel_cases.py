"""Real cases from UN Panel of Experts reports (and 1718 Committee findings).

Each row of ``data/panel_cases.csv`` names the document, the paragraph where the source
read cites one (or says that none could be read), the address of the public source the
facts were taken from, the flow as a table row, the Panel's conclusion, the verdict
screening reaches and, where the two differ, why (see docs/screening.md, "Real cases").
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tumen.screening import screen

CASES = pd.read_csv(
    Path(__file__).parent / "data" / "panel_cases.csv", dtype=str, keep_default_na=False
)
META = (
    "case_id",
    "panel_document",
    "paragraph",
    "source_url",
    "summary",
    "panel_finding",
    "expected_verdict",
    "expected_measure",
    "why_differs",
)


def _screened() -> pd.DataFrame:
    rows = CASES.drop(columns=list(META))
    return screen(rows)


RESULT = _screened()


def test_every_case_is_cited() -> None:
    assert len(CASES) >= 20
    for rec in CASES.to_dict("records"):
        assert rec["panel_document"] and rec["paragraph"] and rec["summary"]
        assert rec["source_url"].startswith("http")


@pytest.mark.parametrize("i", range(len(CASES)), ids=list(CASES["case_id"]))
def test_case_reaches_the_expected_verdict(i: int) -> None:
    rec = CASES.iloc[i]
    got = RESULT.iloc[i]
    assert got["verdict"] == rec["expected_verdict"], got["reason"]
    if rec["expected_measure"]:
        assert rec["expected_measure"] in got["measures"]
    agrees = rec["panel_finding"] != "violation" or got["verdict"] in ("prohibited", "cap_exceeded")
    # Where screening does not reach the Panel's conclusion, the case says why.
    assert agrees or rec["why_differs"]


def test_agreement_with_the_panel() -> None:
    violation = CASES["panel_finding"].eq("violation")
    hit = RESULT["verdict"].isin(["prohibited", "cap_exceeded"])
    rate = (hit & violation).sum() / violation.sum()
    assert rate >= 0.9
