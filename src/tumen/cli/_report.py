"""``tumen report``: a thin wrapper over :func:`tumen.report.build_report`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tumen._atomic import check_output_file
from tumen.cli._app import DataOption, app, console, writes_to, wrote


@app.command("report")
def report_command(
    results: Annotated[
        Path,
        typer.Argument(
            help="A scenario result folder (tumen run) or a folder of them (tumen demo).",
            file_okay=False,
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "-o", "--out", help="HTML file to write (default: RESULTS/report.html).", dir_okay=False
        ),
    ] = None,
    data: DataOption = None,
) -> None:
    """Write one self-contained, offline HTML report of scenario results."""
    from tumen.report import REPORT_NAME, build_report

    writes_to(check_output_file(out if out is not None else results / REPORT_NAME))
    path = build_report(results, out, data)
    wrote()
    size = path.stat().st_size / 1e6
    console.print(f"report written to {path} ({size:.1f} MB)", markup=False)
