"""Fixtures for the report tests: demo results, a report, a hostile dataset, a browser.

The browser is Debian's Chromium driven by Playwright (``executable_path``; Playwright
never downloads a browser here). ``.ci/run`` installs it, so in CI (``CI`` set) a missing
browser fails the tests loudly; on a developer's machine without the binary they skip.
"""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from report_pages import HOSTILE_SOURCE, HOSTILE_TITLE, OfflinePage
from typer.testing import CliRunner

from tumen.cli import app
from tumen.data import bundled_dir


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Run ``tumen demo`` once: (its output folder, what it printed)."""
    out = tmp_path_factory.mktemp("demo") / "tumen-demo"
    result = CliRunner().invoke(app, ["demo", "--out", str(out)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return out, result.output


@pytest.fixture(scope="session")
def report_path(demo_run: tuple[Path, str]) -> Path:
    """The report ``tumen demo`` wrote."""
    path = demo_run[0] / "report.html"
    assert path.is_file()
    return path


@pytest.fixture(scope="session")
def hostile_report(demo_run: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report built on a copy of the dataset whose texts carry markup and scripts."""
    from tumen.report import build_report

    data = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(bundled_dir(), data)
    _edit_csv(data / "sources.csv", "source_id", HOSTILE_SOURCE,
              {"title": HOSTILE_TITLE, "url": "javascript:window.__pwned='url'"})  # fmt: skip
    _edit_csv(data / "places.csv", "place_id", "khasan", {"name_en": HOSTILE_TITLE})
    return build_report(demo_run[0], data.parent / "hostile.html", data)


def _edit_csv(path: Path, key: str, value: str, changes: dict[str, str]) -> None:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    for row in rows:
        if row[key] == value:
            row.update(changes)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def chromium_path() -> str | None:
    """Debian's Chromium, or ``TUMEN_CHROMIUM`` where set."""
    named = os.environ.get("TUMEN_CHROMIUM")
    if named:
        return named
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Chromium (Debian's binary) driven by Playwright."""
    path = chromium_path()
    if path is None:
        message = "Chromium not found (apt-get install chromium, or set TUMEN_CHROMIUM)"
        if os.environ.get("CI"):
            pytest.fail(message + "; .ci/run installs it, so CI must have it")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=path, args=["--no-sandbox"])
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def offline(browser: Any) -> Iterator[OfflinePage]:
    """A fresh offline page; after the test, asserts nothing reached for the network."""
    page = OfflinePage(browser)
    try:
        yield page
    finally:
        page.close()
    assert page.requests == [], f"the page tried the network: {page.requests}"
    assert page.errors == [], f"script errors: {page.errors}"
