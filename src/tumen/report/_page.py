"""Assemble one self-contained HTML page: inline styles, inline scripts, inline JSON data.

The page builder knows nothing of scenarios. A caller gives a title, the sections (their
ids and headings; their content is drawn by the page's scripts from the data), the data
as a JSON-ready value and the names of the packaged scripts and styles to inline. Other
pages (for example an offline screening result) reuse it with their own script.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from tumen.report._escape import escape_attr, escape_text, json_for_script

__all__ = ["DATA_ELEMENT_ID", "Section", "asset_text", "render_page"]

#: ``id`` of the ``<script type="application/json">`` element that holds the page's data.
DATA_ELEMENT_ID = "tumen-data"


@dataclass(frozen=True)
class Section:
    """One section of a page: an anchor, a heading and an empty body the scripts fill.

    Attributes
    ----------
    id : str
        The element id (letters, digits and ``-``), also the navigation anchor.
    title : str
        The heading (escaped when rendered).
    note : str
        A short line of text under the heading (escaped), or ``""``.
    """

    id: str
    title: str
    note: str = ""

    def __post_init__(self) -> None:
        if not self.id or not all(c.isalnum() or c == "-" for c in self.id):
            raise ValueError(f"section id must be letters, digits and '-': {self.id!r}")


@cache
def asset_text(name: str) -> str:
    """Return the text of a packaged asset in ``tumen/report/static``.

    Parameters
    ----------
    name : str
        File name, e.g. ``"core.js"``.

    Returns
    -------
    str
    """
    return resources.files("tumen.report").joinpath("static", name).read_text(encoding="utf-8")


def _inline_script(text: str) -> str:
    # A packaged script is our own code; it must never contain a closing tag.
    if "</script" in text.lower():
        raise ValueError("a packaged script contains '</script'")
    return f"<script>\n{text}\n</script>"


def render_page(
    title: str,
    sections: Sequence[Section],
    data: Any,
    scripts: Sequence[str],
    styles: Sequence[str] = ("core.css",),
    subtitle: str = "",
) -> str:
    """Return a whole HTML document that needs nothing outside itself.

    Parameters
    ----------
    title : str
        Document title and top heading (escaped).
    sections : sequence of Section
        Sections in display order; each becomes ``<section id=...>`` with a heading and
        an empty ``<div class="body">`` for the scripts to fill.
    data : object
        JSON-ready data, embedded with :func:`json_for_script` in
        ``<script type="application/json" id="tumen-data">``. Scripts read it with
        ``JSON.parse(document.getElementById("tumen-data").textContent)``.
    scripts : sequence of str
        Packaged script names (``tumen/report/static``), inlined in this order after
        the data.
    styles : sequence of str
        Packaged style sheet names, inlined in ``<head>``.
    subtitle : str
        A line under the top heading (escaped), or ``""``.

    Returns
    -------
    str
        The document. It names no external resource: a Content-Security-Policy
        ``default-src 'none'`` (scripts and styles allowed inline only) stops the
        browser from loading anything even if a script tried.
    """
    csp = (
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    nav = "".join(f'<a href="#{escape_attr(s.id)}">{escape_text(s.title)}</a>' for s in sections)
    body = []
    for s in sections:
        note = f'<p class="note">{escape_text(s.note)}</p>' if s.note else ""
        body.append(
            f'<section id="{escape_attr(s.id)}"><h2>{escape_text(s.title)}</h2>{note}'
            f'<div class="body"></div></section>'
        )
    css = "\n".join(asset_text(name) for name in styles)
    if "</style" in css.lower():
        raise ValueError("a packaged style sheet contains '</style'")
    js = "\n".join(_inline_script(asset_text(name)) for name in scripts)
    sub = f'<p class="subtitle">{escape_text(subtitle)}</p>' if subtitle else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{escape_attr(csp)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape_text(title)}</title><style>\n{css}\n</style></head>"
        f"<body><header><h1>{escape_text(title)}</h1>{sub}<nav>{nav}</nav></header>"
        f"<main>{''.join(body)}</main>"
        '<div id="tooltip" role="tooltip" hidden></div>'
        f'<script type="application/json" id="{DATA_ELEMENT_ID}">{json_for_script(data)}</script>\n'
        f"{js}\n</body></html>\n"
    )
