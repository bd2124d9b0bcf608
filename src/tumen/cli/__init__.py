"""The ``tumen`` command line: a thin layer over the Python API.

Each command module registers its commands on the shared Typer app
(:mod:`tumen.cli._app`). Errors a user caused (:class:`tumen.errors.TumenError`)
are printed as one line and end the process with status 2 (bad input) or 1;
anything else is a bug and keeps its traceback.

Importing this package is light: the command modules (pandas and the rest) load on
first use of :data:`app` or in :func:`main`, after :func:`main` has made Ctrl-C and
SIGTERM end the process with one line, even while those imports run.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from types import FrameType
from typing import Any

__all__ = ["app", "main"]


def _load_app() -> Any:
    from tumen.cli import (  # noqa: F401  (registers)
        _assign,
        _calibrate,
        _data,
        _ingest,
        _report,
        _scenario,
        _screen,
        _sweep,
    )
    from tumen.cli._app import app

    return app


def __getattr__(name: str) -> Any:
    if name == "app":
        return _load_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main() -> None:
    """Run the ``tumen`` command line with ``sys.argv`` and exit with its status."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        app = _load_app()
        app(prog_name="tumen")
        code: Any = 0
    except KeyboardInterrupt:  # before a command started: nothing was written
        sys.stderr.write("error: interrupted; nothing was written\n")
        code = 130
    except SystemExit as exc:
        code = exc.code
    if code == 130:
        # Interrupted, the message given and temporary files removed: end now, so that no
        # library's exit handler turns the stored interrupt into a second report.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(130)
    sys.exit(code)
