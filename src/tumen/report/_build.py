"""Build the report: gather every table into one JSON value and render the page."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import tumen.data
from tumen._atomic import write_file_atomically
from tumen.data import Dataset
from tumen.report._escape import plain
from tumen.report._geometry import map_geometry
from tumen.report._network import ledger_json, network_json, observed_json, sources_json
from tumen.report._page import Section, render_page
from tumen.report._results import read_results
from tumen.report._scenarios import scenario_json
from tumen.report._sweep import sweep_json
from tumen.scenario import ScenarioResult

__all__ = ["REPORT_NAME", "SECTIONS", "build_report", "report_data", "report_html"]

#: File name of a report written inside its results folder.
REPORT_NAME = "report.html"

#: The report's sections, in page order.
SECTIONS = (
    Section("map", "Map", "Links sized by flow; crossings and ports coloured by utilisation. "
            "Hover for numbers and sources; drag to pan, wheel to zoom."),
    Section("throughput", "Throughput of crossings and ports",
            "Modelled by scenario, and observed in the ledger's reported volumes."),
    Section("bottlenecks", "Bottlenecks", "Capacity constraints ranked by shadow price "
            "(USD per year saved per extra tonne per year of capacity)."),
    Section("unmet", "Unmet demand by category"),
    Section("costs", "Cost breakdown of the main routes", "USD per tonne (or person)."),
    Section("distance", "Time/cost–distance (UN ESCAP method)",
            "Cumulative cost and time along each main route; steps at borders, gauge "
            "breaks, ports and zones."),
    Section("sweep", "Uncertainty (sweep)"),
    Section("sanctions", "Sanctions screening"),
    Section("compare", "Compare two scenarios"),
    Section("ledger", "Event ledger"),
    Section("sources", "Sources and disputes"),
)  # fmt: skip

#: Scripts inlined into the page, in order: shared helpers, then the report's own.
SCRIPTS = ("core.js", "charts.js", "map.js", "report.js")


def dataset_parts(dataset: Dataset, dates: list[date]) -> dict[str, Any]:
    """Return the parts of the page that depend on the dataset alone.

    They are the base map, the network (places, links with their routes over water,
    facilities, zones) and the ledger's states, a third of a demo's time; ``tumen demo``
    computes them in a second process while the scenarios run
    (:func:`dataset_parts_of`).

    Parameters
    ----------
    dataset : Dataset
        The dataset.
    dates : list of datetime.date
        The scenarios' dates, added to the ledger's.

    Returns
    -------
    dict
        Keys ``map``, ``places``, ``links``, ``facilities``, ``zones`` and ``ledger``.
    """
    return plain(
        {
            "map": map_geometry().to_json(),
            **network_json(dataset),
            "ledger": ledger_json(dataset, dates),
        }
    )


def dataset_parts_of(data_dir: Path | str | None, dates: list[date]) -> dict[str, Any]:
    """Load a dataset and return its :func:`dataset_parts` (for a worker process)."""
    return dataset_parts(tumen.data.load(data_dir), dates)


def report_data(
    results: list[ScenarioResult],
    dataset: Dataset,
    sweep: dict[str, Any] | None = None,
    title: str = "Tumen corridor report",
    parts: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Return everything the report page shows, as one JSON-ready value.

    Parameters
    ----------
    results : list of ScenarioResult
        The scenarios, in display order.
    dataset : Dataset
        The dataset they were computed on.
    sweep : dict, optional
        Sweep results (:func:`tumen.report._sweep.sweep_json`), or None.
    title : str
        The page's title.
    parts : dict, optional
        :func:`dataset_parts` computed beforehand; used only if its ledger holds every
        scenario's date, else computed here.

    Returns
    -------
    dict
        Keys ``title``, ``generated``, ``map``, ``places``, ``links``, ``facilities``,
        ``zones``, ``ledger``, ``observed``, ``sources``, ``conflicts``, ``scenarios``,
        ``sweep``.
    """
    from tumen.choice import observations

    observed = observations(dataset)
    scenarios = [scenario_json(r, dataset, observed) for r in results]
    dates = sorted({date.fromisoformat(str(s["date"])[:10]) for s in scenarios if s["date"]})
    if parts is None or not {d.isoformat() for d in dates} <= set(parts["ledger"]["dates"]):
        parts = dataset_parts(dataset, dates)
    return plain(
        {
            "title": title,
            "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "tool": f"tumen {tumen.__version__}",
            **parts,
            "observed": observed_json(dataset),
            **sources_json(dataset),
            "scenarios": scenarios,
            "sweep": sweep,
        }
    )


def report_html(data: dict[str, Any]) -> str:
    """Return the report page for :func:`report_data`'s value."""
    count = len(data.get("scenarios", []))
    subtitle = f"{count} scenario{'' if count == 1 else 's'} · generated {data.get('generated')}"
    return render_page(data.get("title", "Tumen report"), SECTIONS, data, SCRIPTS,
                       ("core.css",), subtitle)  # fmt: skip


def build_report(
    results_dir: Path | str,
    out: Path | str | None = None,
    data_dir: Path | str | None = None,
    parts: dict[str, Any] | None = None,
) -> Path:
    """Write one self-contained HTML report of the results in a folder.

    Parameters
    ----------
    results_dir : path-like
        A scenario result folder (``tumen run``) or a folder of them (``tumen demo``);
        sweep results beside them are shown where present.
    out : path-like, optional
        The HTML file to write (atomically); default ``results_dir/report.html``.
    data_dir : path-like, optional
        The dataset the results were computed on; bundled when None.
    parts : dict, optional
        The dataset's parts of the page computed beforehand (:func:`dataset_parts`).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ScenarioError
        If ``results_dir`` holds no scenario results.
    DataError
        If the dataset is invalid.
    """
    results = read_results(results_dir)
    dataset = tumen.data.load(data_dir)
    data = report_data(results, dataset, sweep_json(results_dir), parts=parts)
    page = report_html(data)
    target = Path(out) if out is not None else Path(results_dir) / REPORT_NAME
    return write_file_atomically(target, lambda tmp: tmp.write_text(page, encoding="utf-8"))
