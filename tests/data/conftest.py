"""Fixtures for the data tests: the bundled dataset and editable copies of it."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import tumen.data as td


@pytest.fixture(scope="session")
def dataset() -> td.Dataset:
    """The bundled dataset, loaded once."""
    return td.load()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A fresh full copy of the bundled dataset in a temporary folder."""
    target = tmp_path / "corridor"
    shutil.copytree(td.bundled_dir(), target)
    return target


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


@pytest.fixture
def edit() -> Callable[..., int]:
    """Set one cell of a copied CSV file; return the 1-based data row it is on."""

    def _edit(folder: Path, file: str, row_id: str, column: str, value: str) -> int:
        path = folder / file
        rows = _rows(path)
        col = rows[0].index(column)
        for number, row in enumerate(rows[1:], start=1):
            if row[0] == row_id:
                row[col] = value
                _write(path, rows)
                return number
        raise KeyError(row_id)

    return _edit


@pytest.fixture
def rewrite() -> Callable[[Path, Callable[[list[list[str]]], list[list[str]]]], None]:
    """Rewrite a copied CSV file's rows (header included) with a function."""

    def _rewrite(path: Path, change: Callable[[list[list[str]]], list[list[str]]]) -> None:
        _write(path, change(_rows(path)))

    return _rewrite
