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
    """A fresh full copy of the bundled dataset in a temporary folder."""
    target = tmp_path / "corridor"
    shutil.copytree(td.bundled_dir(), target)
    return target
