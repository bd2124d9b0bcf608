"""``tumen sweep``: a thin wrapper over :func:`tumen.sweep.run_sweep`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from tumen._atomic import check_output_dir
from tumen.cli._app import EXIT_INTERRUPTED, DataOption, _say, app, console, writes_to, wrote


@app.command("sweep")
def sweep_command(
    scenario: Annotated[
        str, typer.Argument(help="A bundled scenario's name or a path to a scenario YAML file.")
    ],
    draws: Annotated[int, typer.Option("--draws", min=1, help="Number of random draws.")],
    seed: Annotated[
        int, typer.Option("--seed", min=0, help="Seed; the same seed gives the same results.")
    ] = 0,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Local worker processes (default: all cores)."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Run on an existing Dask scheduler, tcp://host:port."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", file_okay=False, help="Folder to write (default: tumen-sweep/NAME)."),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Finish an interrupted sweep from its chunks.")
    ] = False,
    data: DataOption = None,
) -> None:
    """Draw a scenario's uncertain inputs many times; write quantiles, binding odds, sensitivity."""
    from tumen.sweep import SweepInterrupted, run_sweep

    stem = Path(scenario).stem if scenario.endswith((".yaml", ".yml")) else scenario
    folder = out if out is not None else Path("tumen-sweep") / stem
    check_output_dir(folder)
    writes_to(folder)
    try:
        result = run_sweep(scenario, draws, seed=seed, workers=workers, scheduler=scheduler,
                           out=folder, resume=resume, data_dir=data)  # fmt: skip
    except SweepInterrupted as exc:
        _say(
            f"error: interrupted after {exc.done} of {exc.total} draws; the finished draws "
            f"are kept in {exc.chunks}; run the same command with --resume to finish"
        )
        raise typer.Exit(EXIT_INTERRUPTED) from None
    wrote()
    meta = result["meta"].iloc[0]
    binding = result["binding"]
    table = Table(title=f"{meta['title']}: {draws} draws, seed {seed}", title_justify="left",
                  box=box.SIMPLE_HEAD)  # fmt: skip
    for col in ("capacity", "P(binds)", "shadow p50", "shadow p95"):
        table.add_column(col, justify="left" if col == "capacity" else "right")
    for row in binding.head(8).itertuples():
        table.add_row(str(row.constraint), f"{row.p_binding:.2f}", f"{row.shadow_price_q50:,.1f}",
                      f"{row.shadow_price_q95:,.1f}")  # fmt: skip
    console.print(table)
    if meta["note"]:
        console.print(f"note: {meta['note']}", markup=False)
    console.print(f"{meta['seconds']:.1f} s; results written to {result.folder}", markup=False)
