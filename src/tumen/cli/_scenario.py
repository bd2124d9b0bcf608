"""``tumen run``, ``tumen compare`` and ``tumen demo``: thin wrappers over :mod:`tumen.scenario`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.table import Table

from tumen._atomic import check_output_dir
from tumen.cli._app import DataOption, app, console, writes_to, wrote

OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        help="Folder to write (default: tumen-results/NAME, or tumen-demo). A folder Tumen "
        "wrote is replaced atomically; any other non-empty folder is refused.",
        file_okay=False,
    ),
]


def _output(out: Path | None, default: Path) -> None:
    """Check ``--out`` before any work and name what the command writes."""
    if out is not None:
        check_output_dir(out)
    writes_to(out if out is not None else default)


def _default(out: Path | None, folder: Path) -> Path:
    """Return ``--out`` or, once its name is known, the default folder (checked)."""
    if out is not None:
        return out
    writes_to(check_output_dir(folder))
    return folder


def _print_result(result: object) -> None:
    from tumen.scenario import ScenarioResult, summary_text

    assert isinstance(result, ScenarioResult)
    text = summary_text(result)
    style = "bold red" if result.counterfactual else "bold"
    first, _, rest = text.partition("\n")
    console.print(first, style=style, markup=False, soft_wrap=True)
    if rest:
        console.print(rest, markup=False, soft_wrap=True)
    if len(result.unmet):
        table = Table(title="Unmet demand", title_justify="left")
        for col in ("origin", "destination", "commodity", "unmet", "unit", "reason"):
            table.add_column(col, justify="right" if col == "unmet" else "left")
        for row in result.unmet.itertuples():
            table.add_row(row.origin, row.destination, row.commodity, f"{row.unmet:,.0f}",
                          row.unit, row.reason)  # fmt: skip
        console.print(table)
    if len(result.findings):
        table = Table(title="Screening findings", title_justify="left")
        for col in ("commodity", "quantity", "route", "verdict", "measures"):
            table.add_column(col, justify="right" if col == "quantity" else "left")
        for row in result.findings.itertuples():
            label = row.verdict if row.screening == "scenario regime" else f"{row.verdict} (ref.)"
            table.add_row(row.commodity, f"{row.quantity:,.0f} {row.unit}",
                          f"{row.origin_place}>{row.destination_place}", label,
                          str(row.measures))  # fmt: skip
        console.print(table)


@app.command("run")
def run_command(
    scenario: Annotated[
        str, typer.Argument(help="A bundled scenario's name or a path to a scenario YAML file.")
    ],
    out: OutOption = None,
    data: DataOption = None,
) -> None:
    """Run a scenario; write Parquet files and a DuckDB file of its results."""
    _output(out, Path("tumen-results"))
    from tumen.scenario import run_scenario

    result = run_scenario(scenario, data)
    folder = _default(out, Path("tumen-results") / result.name)
    result.to_dir(folder)
    wrote()
    _print_result(result)
    console.print(f"results written to {folder}", markup=False)


@app.command("compare")
def compare_command(
    a: Annotated[str, typer.Argument(help="Scenario A: a name, a YAML file or a result folder.")],
    b: Annotated[str, typer.Argument(help="Scenario B: a name, a YAML file or a result folder.")],
    out: OutOption = None,
    data: DataOption = None,
) -> None:
    """Compare two scenarios (B minus A); print and write the differences."""
    _output(out, Path("tumen-results"))
    from tumen.scenario import compare
    from tumen.scenario._compare import comparison_text

    diff = compare(a, b, data)
    folder = _default(out, Path("tumen-results") / f"{diff.a.name}--{diff.b.name}")
    diff.to_dir(folder)
    wrote()
    text = comparison_text(diff)
    for line in text.splitlines():
        style = "bold red" if line.startswith("COUNTERFACTUAL") else None
        console.print(line, style=style, markup=False, soft_wrap=True)
    console.print(f"differences written to {folder}", markup=False)


#: Short names of the assignment methods for narrow tables.
_METHOD_SHORT = {"capacity_constrained": "LP", "equilibrium": "UE"}


class _DatasetParts:
    """The report's dataset parts, computed in a second process while the scenarios run.

    On one core, or if the process cannot start, they are left to the report
    (:meth:`result` gives None). On leaving, the process is not waited for.
    """

    def __init__(self, data: Path | None) -> None:
        self._data = data
        self._pool: Any = None
        self._future: Any = None

    def __enter__(self) -> _DatasetParts:
        import multiprocessing
        import os
        from concurrent.futures import ProcessPoolExecutor

        import tumen.data
        from tumen.report._build import dataset_parts_of

        if (os.cpu_count() or 1) < 2:
            return self
        scenarios = tumen.data.load(self._data).scenarios.values()
        dates = sorted({s.date for s in scenarios})
        context = multiprocessing.get_context("spawn")
        try:
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
            self._future = self._pool.submit(dataset_parts_of, self._data, dates)
        except OSError:
            self._future = None
        return self

    def result(self) -> dict[str, Any] | None:
        """Return the parts, or None where they were not computed (the report does it)."""
        from concurrent.futures.process import BrokenProcessPool

        if self._future is None:
            return None
        try:
            return self._future.result()
        except BrokenProcessPool:
            return None

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)


@app.command("demo")
def demo_command(out: OutOption = None, data: DataOption = None) -> None:
    """Run every bundled scenario; write their results, a plain summary and an HTML report."""
    folder = out if out is not None else Path("tumen-demo")
    _output(folder, folder)
    from tumen.scenario import run_demo

    with _DatasetParts(data) as parts:
        _, summary = run_demo(folder, data)
        wrote()
        page_parts = parts.result()
    table = Table(title="Bundled scenarios", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("scenario", overflow="fold")
    table.add_column("method", no_wrap=True)
    for col in ("unmet t/yr", "unmet persons/yr", "findings", "s"):
        table.add_column(col, justify="right", no_wrap=True)
    for row in summary.itertuples():
        name = f"{row.scenario} (COUNTERFACTUAL)" if row.counterfactual else row.scenario
        method = _METHOD_SHORT.get(row.method, row.method)
        table.add_row(name, method, f"{row.unmet_t:,.0f}", f"{row.unmet_persons:,.0f}",
                      str(row.findings), f"{row.seconds:.2f}")  # fmt: skip
    console.print(table)
    console.print(f"results and summary written to {folder}", markup=False)
    from tumen.report import build_report

    report = build_report(folder, None, data, parts=page_parts)
    console.print(f"report written to {report}", markup=False)
    console.print(
        f"next: open {report} in a browser (works offline), or compare two scenarios with "
        "`tumen compare A B`",
        markup=False,
        soft_wrap=True,
    )
