"""``tumen report``: a thin wrapper over :func:`tumen.report.build_report`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tumen.cli._app import DataOption, app, console


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
    from tumen.report import build_report

    path = build_report(results, out, data)
    size = path.stat().st_size / 1e6
    console.print(f"report written to {path} ({size:.1f} MB)", markup=False)
