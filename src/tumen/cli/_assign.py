"""``tumen assign``: solve a TNTP network's user equilibrium and write its link flows."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Annotated

import typer

from tumen._atomic import check_output_file, write_file_atomically
from tumen.cli._app import DataOption, app, console, err_console, writes_to, wrote
from tumen.errors import ConvergenceWarning, DataError, Problem

_HELP = (
    "Solve the static user equilibrium of a TNTP network (net and trips files), print the "
    "convergence table and write link flows as CSV with the columns from,to,flow,cost "
    "(cost is the generalised cost per unit: time + toll weight x toll + distance weight x "
    "length). Cost weights default to those the network states (<TOLL FACTOR>/<DISTANCE "
    "FACTOR> or the 'Generalized Cost Weights' of the README.md beside the net file)."
)
_ROWS_SHOWN = 12


@app.command("assign", help=_HELP)
def assign_command(
    net: Annotated[
        Path,
        typer.Option(
            "--net", help="TNTP network file (X_net.tntp).", dir_okay=False, show_default=False
        ),
    ],
    trips: Annotated[
        Path,
        typer.Option(
            "--trips", help="TNTP trips file (X_trips.tntp).", dir_okay=False, show_default=False
        ),
    ],
    gap: Annotated[float, typer.Option("--gap", help="Target relative gap.")] = 1e-4,
    algorithm: Annotated[
        str,
        typer.Option(
            "--algorithm",
            help="auto, bfw, cfw, fw or algorithm-b (Dial's "
            "Algorithm B). auto: BFW for gaps of 1e-4 and above, Algorithm B "
            "below unless its bushes would need more than --memory-budget.",
        ),
    ] = "auto",
    memory_budget: Annotated[
        float,
        typer.Option(
            "--memory-budget",
            help="MB Algorithm B's bushes may take before auto falls back to BFW.",
        ),
    ] = 1024.0,
    max_iter: Annotated[int, typer.Option("--max-iter", help="Most iterations.")] = 1000,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="CSV file for link flows (from,to,flow,cost).", dir_okay=False),
    ] = None,
    toll_weight: Annotated[
        float | None, typer.Option("--toll-weight", help="Time units per toll unit.")
    ] = None,
    distance_weight: Annotated[
        float | None, typer.Option("--distance-weight", help="Time units per distance unit.")
    ] = None,
    data: DataOption = None,
) -> None:
    """Assign TRIPS on NET and print the convergence table (``--data`` is not used here)."""
    from rich.table import Table

    from tumen.assign import (
        EquilibriumSettings,
        read_tntp_net,
        read_tntp_trips,
        read_tntp_weights,
        solve_equilibrium,
    )
    from tumen.assign._equilibrium import ALGORITHMS

    if algorithm not in ALGORITHMS:
        raise DataError(
            Problem("--algorithm", None, "algorithm", "one of " + ", ".join(ALGORITHMS), algorithm)
        )
    if out is not None and not out.resolve().parent.is_dir():
        raise DataError(Problem("--out", None, "out", "a file in an existing folder", str(out)))
    if out is not None:
        writes_to(check_output_file(out))
    settings = EquilibriumSettings(
        algorithm=algorithm,  # type: ignore[arg-type]
        target_gap=gap,
        max_iter=max_iter,
        memory_budget_mb=memory_budget,
    )
    network = read_tntp_net(net)
    stated_toll, stated_distance = read_tntp_weights(net)
    tw = stated_toll if toll_weight is None else toll_weight
    dw = stated_distance if distance_weight is None else distance_weight
    demand = read_tntp_trips(trips, network, toll_weight=tw, distance_weight=dw)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        result = solve_equilibrium(network, demand, settings)
    log = result.iteration_log
    console.print(
        f"algorithm: {result.algorithm} ({result.algorithm_reason})", markup=False, soft_wrap=True
    )
    table = Table(
        title=f"{result.algorithm} on {net.name}: toll weight {tw:g}, distance weight {dw:g}"
    )
    for name in ("iteration", "relative gap", "avg excess cost", "objective", "seconds"):
        table.add_column(name, justify="right")
    shown = log if len(log) <= _ROWS_SHOWN else [*log[:3], *log[3 - _ROWS_SHOWN :]]
    previous = None
    for iteration, rgap, aec, objective, seconds in shown:
        if previous is not None and iteration != previous + 1:
            table.add_row("...", "", "", "", "")
        table.add_row(
            str(int(iteration)), f"{rgap:.3e}", f"{aec:.3e}", f"{objective:.10g}", f"{seconds:.3f}"
        )
        previous = iteration
    console.print(table)
    state = "converged" if result.converged else "NOT converged"
    console.print(
        f"{state}: relative gap {result.relative_gap:.3e} after {len(log)} "
        f"iterations (target {gap:g}); {network.num_nodes} nodes, "
        f"{network.num_links} links, {network.num_zones} zones"
    )
    for warning in caught:
        if issubclass(warning.category, ConvergenceWarning):
            err_console.print(f"warning: {warning.message}", markup=False, soft_wrap=True)
    if out is not None:
        rows = zip(
            network.node_ids[network.from_node].tolist(),
            network.node_ids[network.to_node].tolist(),
            result.link_flow.tolist(),
            result.class_costs[demand.name].tolist(),
            strict=True,
        )
        lines = (f"{i},{j},{f:.12g},{c:.12g}\n" for i, j, f, c in rows)
        text = "from,to,flow,cost\n" + "".join(lines)

        def write(tmp: Path) -> None:
            tmp.write_text(text, encoding="utf-8")

        write_file_atomically(out, write)
        wrote()
        console.print(f"link flows written to {out}")
