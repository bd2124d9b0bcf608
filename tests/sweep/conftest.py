"""Fixtures of the sweep tests: the canonical uncertain scenario and the bundled dataset."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def uncertain_yaml() -> Path:
    """The 2023 network with every kind of uncertain input (tests/sweep/uncertain.yaml)."""
    return HERE / "uncertain.yaml"


@pytest.fixture(scope="session")
def dataset():
    """The bundled dataset, loaded once."""
    import tumen.data

    return tumen.data.load()
