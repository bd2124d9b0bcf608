"""Helpers for the report tests: hostile text and a page that may not reach the network."""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: Text planted in a source title and a place name to check that nothing from data runs.
HOSTILE_TITLE = (
    '<script>window.__pwned = "script";</script>'
    '<img src="x" onerror="window.__pwned = \'onerror\'">Evil & Co. </script>'
)
#: The source whose title is replaced (cited by the Khasan–Tumangang rail link).
HOSTILE_SOURCE = "RF-S8"


class OfflinePage:
    """A page whose every non-``file:`` request is aborted and recorded."""

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith("file:"):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def open(self, path: Path) -> Any:
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_selector("body[data-drawn='true']", timeout=20_000)
        return self.page

    def close(self) -> None:
        self.context.close()
