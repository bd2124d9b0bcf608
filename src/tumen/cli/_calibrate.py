"""``tumen calibrate``: a thin wrapper over :func:`tumen.choice.calibrate`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from tumen._atomic import check_output_dir
from tumen.cli._app import DataOption, app, console, writes_to, wrote


@app.command("calibrate")
def calibrate_command(
    scenario: Annotated[
        str | None,
        typer.Option(
            "--scenario",
            help="Scenario whose network changes and costs apply "
            "(a bundled name or a YAML file); its date and year are each observation's.",
        ),
    ] = None,
    holdout_year: Annotated[
        int | None,
        typer.Option(
            "--holdout-year",
            help="Leave this year out of the fit and predict it "
            "(default: every year is left out in turn).",
        ),
    ] = None,
    nested: Annotated[
        bool, typer.Option("--nested", help="Fit a nested logit (mode chain, then route).")
    ] = False,
    prior_sd: Annotated[
        float,
        typer.Option(
            "--prior-sd",
            min=0.0,
            help="Standard deviation of the normal prior on each constant (utility units); "
            "0 for pure least squares.",
        ),
    ] = 10.0,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            file_okay=False,
            help="Folder to write (default: tumen-calibration). "
            "A folder Tumen wrote is replaced atomically; any other is refused.",
        ),
    ] = None,
    data: DataOption = None,
) -> None:
    """Fit route and mode choice to the observed volumes; write parameters and the fit."""
    from tumen.choice import calibrate

    folder = out if out is not None else Path("tumen-calibration")
    check_output_dir(folder)
    writes_to(folder)
    result = calibrate(scenario, data, holdout_year=holdout_year, nested=nested,
                       prior_sd=prior_sd or None)  # fmt: skip
    result.to_dir(folder)
    wrote()
    table = Table(title="Fitted parameters", title_justify="left", box=box.SIMPLE_HEAD)
    for col in ("parameter", "value", "std. error"):
        table.add_column(col, justify="left" if col == "parameter" else "right")
    for row in result.table[result.table["fitted"]].itertuples():
        table.add_row(str(row.parameter), f"{row.value:.4g}", f"{row.std_error:.3g}")
    console.print(table)
    stats = Table(title="Fit", title_justify="left", box=box.SIMPLE_HEAD)
    for col in ("sample", "n", "R²", "RMSE t/yr", "MAPE", "within ±25 %"):
        stats.add_column(col, justify="left" if col == "sample" else "right")
    for row in result.statistics.itertuples():
        name = (
            "in sample" if row.sample == "in" else f"out of sample ({result.meta['out_of_sample']})"
        )
        stats.add_row(name, str(row.n), f"{row.r2:.3f}", f"{row.rmse_t:,.0f}",
                      f"{row.mape:.1%}", f"{row.within_25pct:.0%}")  # fmt: skip
    console.print(stats)
    if result.meta.get("optimiser") != "converged":
        console.print(f"note: the fit {result.meta.get('optimiser')}", markup=False)
    console.print(f"written to {folder}", markup=False)
