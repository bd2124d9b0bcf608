"""Tumen: a sourced, time-aware model of the Tumen River border corridors.

Importing :mod:`tumen` reads no files and compiles nothing; the public names
below are resolved on first use.

Examples
--------
>>> import tumen
>>> ds = tumen.load()                      # the bundled dataset  # doctest: +SKIP
>>> ds.on("2021-06-01").links              # the network on a date  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: Public name -> module that defines it.
_LAZY = {
    "load": "tumen.data",
    "screen": "tumen.screening",
    "run_scenario": "tumen.scenario",
    "compare": "tumen.scenario",
    "load_scenario": "tumen.scenario",
}

__all__ = ["__version__", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'tumen' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
