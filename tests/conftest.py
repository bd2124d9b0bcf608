"""Fixtures shared by every test package.

``TUMEN_SHARED_DIR`` points at the shared folder (TNTP networks, seed documents);
it defaults to ``../shared`` beside the repository. Tests that need it use the
``shared_dir`` fixture and skip, saying why, where it is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def shared_path() -> Path:
    """Return the shared-data folder named by ``TUMEN_SHARED_DIR`` (default ``../shared``)."""
    return Path(os.environ.get("TUMEN_SHARED_DIR", REPO_ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared-data folder; skips the test where it is absent."""
    path = shared_path()
    if not path.is_dir():
        pytest.skip(
            f"shared data folder {path} not found; set TUMEN_SHARED_DIR to the folder "
            "holding data/tntp and seeds/"
        )
    return path


@pytest.fixture(scope="session")
def tntp_dir(shared_dir: Path) -> Path:
    """The TNTP networks folder inside the shared data; skips where it is absent."""
    path = shared_dir / "data" / "tntp"
    if not path.is_dir():
        pytest.skip(f"TNTP networks not found under {path}")
    return path
