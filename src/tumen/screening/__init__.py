"""Screening of flows against the UN Security Council's DPRK measures.

One engine serves ``tumen screen`` (a user's shipment table) and the scenario model
(flows of a scenario), so the same flow always gets the same verdict. Screening reports
which measures cover a flow and why; it never proposes a way around a measure.

Examples
--------
>>> from tumen.screening import read_shipments, screen  # doctest: +SKIP
>>> result = screen(read_shipments("shipments.csv"))  # doctest: +SKIP
>>> result["verdict"].value_counts()  # doctest: +SKIP
"""

from tumen.data._shipments import read_shipments
from tumen.screening._luxury import load_luxury_goods
from tumen.screening._report import Summary, sample_path, summarise, write_result
from tumen.screening._screen import RESULT_COLUMNS, VERDICTS, build_rules, parse_regime, screen
from tumen.screening._stream import read_chunks, screen_file

__all__ = [
    "RESULT_COLUMNS",
    "VERDICTS",
    "Summary",
    "build_rules",
    "load_luxury_goods",
    "parse_regime",
    "read_chunks",
    "read_shipments",
    "sample_path",
    "screen",
    "screen_file",
    "summarise",
    "write_result",
]
