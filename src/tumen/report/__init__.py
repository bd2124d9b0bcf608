"""The report: one self-contained, offline HTML page of scenario results.

:func:`build_report` reads a results folder (``tumen run`` or ``tumen demo``) and the
dataset, and writes one HTML file holding every script, style, map shape and datum:
a map of the corridor with a scenario picker and a date control over the event ledger,
charts (throughput, bottlenecks, unmet demand, cost breakdown, time/cost–distance,
sweeps), and panels for sanctions findings, sources and a comparison of two scenarios.

The page builder (:func:`render_page`, :class:`Section`) and the escaping helpers
(:func:`json_for_script`, :func:`escape_text`) are reusable by other offline pages.
"""

from __future__ import annotations

from tumen.report._build import REPORT_NAME, build_report, report_data, report_html
from tumen.report._escape import escape_attr, escape_text, json_for_script
from tumen.report._page import DATA_ELEMENT_ID, Section, asset_text, render_page
from tumen.report._results import find_result_dirs, read_results
from tumen.report._sweep import sweep_json

__all__ = [
    "DATA_ELEMENT_ID",
    "REPORT_NAME",
    "Section",
    "asset_text",
    "build_report",
    "escape_attr",
    "escape_text",
    "find_result_dirs",
    "json_for_script",
    "read_results",
    "render_page",
    "report_data",
    "report_html",
    "sweep_json",
]
