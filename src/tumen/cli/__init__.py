"""The ``tumen`` command line: a thin layer over the Python API.

Each command module registers its commands on the shared Typer app
(:mod:`tumen.cli._app`). Errors a user caused (:class:`tumen.errors.TumenError`)
are printed as one line and end the process with status 2 (bad input) or 1;
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from tumen.cli import _assign, _data, _report, _scenario, _screen  # noqa: F401  (registers commands)
from tumen.cli._app import app

__all__ = ["app", "main"]


def main() -> None:
    """Run the ``tumen`` command line with ``sys.argv`` and exit with its status."""
    app(prog_name="tumen")
