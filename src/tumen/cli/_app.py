"""The Typer application object and options shared by every command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from typer.core import TyperGroup

from tumen.errors import DataError, ScenarioError, TumenError

#: Exit status for bad input (data files, scenario files, shipment tables, flags).
EXIT_BAD_INPUT = 2
#: Exit status for any other failure a user can meet (e.g. an infeasible programme).
EXIT_FAILURE = 1

#: Console for results (stdout) and for the one-line error messages (stderr).
console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


class _TumenGroup(TyperGroup):
    """Command group that turns a :class:`TumenError` into one line and an exit status."""

    def invoke(self, ctx: typer.Context) -> object:
        try:
            return super().invoke(ctx)
        except (DataError, ScenarioError) as exc:
            err_console.print(f"error: {exc}", markup=False, soft_wrap=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except TumenError as exc:
            err_console.print(f"error: {exc}", markup=False, soft_wrap=True)
            raise typer.Exit(EXIT_FAILURE) from None


app = typer.Typer(
    cls=_TumenGroup,
    name="tumen",
    help=(
        "Tumen: a sourced, time-aware model of the freight and trade corridors where "
        "Russia, the DPRK and China meet on the Tumen River. Tumen screens flows against "
        "UN Security Council measures and reports what it finds; it never searches for a "
        "way around them."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help="Dataset directory to use instead of the bundled one (a user's edited copy).",
        file_okay=False,
        dir_okay=True,
    ),
]
