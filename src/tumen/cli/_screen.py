"""Commands of this area are registered here (being written)."""

from tumen.cli._app import app  # noqa: F401
