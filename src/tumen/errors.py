"""The Tumen error hierarchy.

Every error a user can cause by what they feed Tumen (a data file, a scenario,
a shipment table, a flag) is a :class:`TumenError`. The command line catches
these and prints one line; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ConvergenceError",
    "ConvergenceWarning",
    "DataError",
    "OutputError",
    "Problem",
    "ScenarioError",
    "TumenError",
]


class TumenError(Exception):
    """Raised for any problem caused by input rather than by a bug in Tumen."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in an input file.

    Parameters
    ----------
    file : str
        The file, as the user named it (or the bundled file's name).
    row : int or None
        1-based data row (the header is row 0) or, in a YAML file, line number; None for
        the whole file.
    field : str or None
        Column, or in a YAML file key path (``demand.add[0].origin``), that is wrong;
        None when the problem is not one field's.
    expected : str
        What the field should hold, in words ("a date YYYY-MM-DD").
    got : str or None
        What it held, shortened for display.
    """

    file: str
    row: int | None
    field: str | None
    expected: str
    got: str | None = None

    def __str__(self) -> str:
        where = self.file
        yaml = self.file.endswith((".yaml", ".yml"))
        if self.row is not None:
            where += f", {'line' if yaml else 'row'} {self.row}"
        if self.field is not None:
            where += f", {'key' if yaml else 'field'} '{self.field}'"
        text = f"{where}: expected {self.expected}"
        if self.got is not None:
            shown = self.got if len(self.got) <= 60 else self.got[:57] + "..."
            text += f", got '{shown}'"
        return text


class DataError(TumenError, ValueError):
    """Raised when a data file breaks the schema; carries every problem found.

    The first problem's file, row and field are also attributes, so a caller
    can point at the place without parsing the message.
    """

    def __init__(self, problems: Sequence[Problem] | Problem) -> None:
        if isinstance(problems, Problem):
            problems = [problems]
        if not problems:
            raise ValueError("DataError needs at least one problem")
        self.problems: tuple[Problem, ...] = tuple(problems)
        first = self.problems[0]
        self.file = first.file
        self.row = first.row
        self.field = first.field
        super().__init__(self.message())

    def message(self) -> str:
        """Return the problems as text: one line for one problem, a list for several."""
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems:"]
        lines += [f"  {p}" for p in self.problems]
        return "\n".join(lines)


class ScenarioError(TumenError, ValueError):
    """Raised when a scenario file names something unknown or holds a bad value.

    Where the error comes from checking a file, ``problems`` holds every problem found
    (as for :class:`DataError`) and the message lists them on one line.
    """

    def __init__(self, message: str | Sequence[Problem]) -> None:
        if isinstance(message, str):
            self.problems: tuple[Problem, ...] = ()
        else:
            self.problems = tuple(message)
            message = "; ".join(str(p) for p in self.problems)
        super().__init__(message)


class OutputError(TumenError):
    """Raised when Tumen cannot or may not write a result where it was asked to.

    The message is ``cannot write PATH: REASON``: the reason is the system's (``Permission
    denied``) or Tumen's refusal to replace something it did not write.

    Parameters
    ----------
    path : str or os.PathLike
        The file or folder that was to be written.
    reason : str
        Why it cannot be written.
    """

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"cannot write {path}: {reason}")


class ConvergenceError(TumenError, RuntimeError):
    """Raised when a solver cannot produce any usable result (e.g. an infeasible LP)."""


class ConvergenceWarning(UserWarning):
    """Warned when a solver stops at its iteration or time limit before its target gap."""
