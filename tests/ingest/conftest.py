"""Fixtures for the ingest tests: the bundled dataset, gold lists, held-out articles."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import tumen.data as td

HERE = Path(__file__).resolve().parent
HELDOUT = HERE / "fixtures" / "heldout"


@pytest.fixture(scope="session")
def dataset() -> td.Dataset:
    """The bundled dataset, loaded once."""
    return td.load()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A fresh copy of the bundled dataset's files in a temporary folder."""
    target = tmp_path / "corridor"
    target.mkdir()
    for name in td.TABLE_FILES:
        shutil.copy(td.bundled_dir() / name, target / name)
    return target
