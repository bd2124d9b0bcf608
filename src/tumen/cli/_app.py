"""The Typer application object and options shared by every command.

Every way a command can end badly is one line on stderr:

* a user's mistake (:class:`~tumen.errors.TumenError`, a bad flag, a missing argument):
  ``error: ...``, exit status 2 (bad input, refused or failed write) or 1;
* Ctrl-C or SIGTERM: ``error: interrupted; PATH is unchanged``, exit status 130. The
  command names its output with :func:`writes_to`; temporary files are removed by the
  atomic writers (:mod:`tumen._atomic`) as the interrupt unwinds them.

Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Annotated, Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from tumen._atomic import InterruptedAfterWrite
from tumen.errors import DataError, OutputError, Problem, ScenarioError, TumenError

#: Exit status for bad input (data files, scenario files, shipment tables, flags) and for
#: an output Tumen may not or cannot write.
EXIT_BAD_INPUT = 2
#: Exit status for any other failure a user can meet (e.g. an infeasible programme).
EXIT_FAILURE = 1
#: Exit status after Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130

#: Console for results (stdout) and for the one-line error messages (stderr).
console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

#: What the running command writes, and whether it is written; for the interrupt message.
_output: list[Path] = []
_written: list[bool] = []


def writes_to(path: str | Path) -> None:
    """Name the file or folder the running command writes (for the interrupt message).

    Parameters
    ----------
    path : str or Path
        The output; a later call replaces an earlier one (e.g. once a default name is
        known).
    """
    _output[:] = [Path(path)]
    _written.clear()


def wrote() -> None:
    """Say that the output named by :func:`writes_to` is now written in full."""
    _written[:] = [True]


def _say(text: str) -> None:
    err_console.print(text, markup=False, soft_wrap=True, highlight=False)


def _interrupted(exc: BaseException) -> int:
    if isinstance(exc, InterruptedAfterWrite):
        _say(f"error: interrupted after {exc.path} was written in full")
    elif _output and _written:
        _say(f"error: interrupted after {_output[0]} was written in full")
    elif _output:
        _say(f"error: interrupted; {_output[0]} is unchanged")
    else:
        _say("error: interrupted; nothing was written")
    return EXIT_INTERRUPTED


def _is_duckdb_interrupt(exc: BaseException) -> bool:
    """Return True for DuckDB's "Query interrupted": Ctrl-C or SIGTERM mid-query."""
    duckdb = sys.modules.get("duckdb")
    if duckdb is not None and isinstance(exc, duckdb.InterruptException):
        return True
    return type(exc) is RuntimeError and str(exc) == "Query interrupted"


def _usage_line(exc: typer.TyperException) -> str:
    """Return a usage error (Typer's, or Click's inside it) as one line, and where help is."""
    message = " ".join(exc.format_message().split())
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        message += f" (see '{ctx.command_path} --help')"
    return f"error: {message}"


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    """SIGTERM handler: unwind like Ctrl-C, so temporary files are removed on the way."""
    raise KeyboardInterrupt


class _TumenGroup(TyperGroup):
    """Command group that turns every error a user can meet into one line and a status."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except (DataError, ScenarioError, OutputError) as exc:
            _say(f"error: {exc}")
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except TumenError as exc:
            _say(f"error: {exc}")
            raise typer.Exit(EXIT_FAILURE) from None
        except KeyboardInterrupt as exc:
            raise typer.Exit(_interrupted(exc)) from None
        except Exception as exc:
            if _is_duckdb_interrupt(exc):
                raise typer.Exit(_interrupted(exc)) from None
            raise

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command line; usage errors are one ``error:`` line, exit status 2."""
        _output.clear()
        _written.clear()
        in_main = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGTERM, _raise_interrupt) if in_main else None
        try:
            code = super().main(args=args, prog_name=prog_name, complete_var=complete_var,
                                standalone_mode=False, **extra)  # fmt: skip
        except typer.TyperException as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # plain `tumen`: the help
                console.print(exc.format_message(), markup=False, highlight=False)
            else:
                _say(_usage_line(exc))
            code = exc.exit_code
        except typer.Abort:
            code = _interrupted(KeyboardInterrupt())
        except KeyboardInterrupt as exc:
            code = _interrupted(exc)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
        code = code if isinstance(code, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code


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


def _check_data_dir(value: Path | None) -> Path | None:
    """Refuse a ``--data`` folder that does not exist, in one line."""
    if value is not None and not value.is_dir():
        what = "an existing dataset folder (a full copy of the bundled one, see docs/data.md)"
        raise DataError(Problem("--data", None, None, what, str(value)))
    return value


DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help="Dataset directory to use instead of the bundled one (a user's edited copy).",
        file_okay=False,
        dir_okay=True,
        callback=_check_data_dir,
    ),
]
