"""Escaping for HTML: text, attribute values and JSON embedded in a ``<script>`` element.

Every string that comes from a data file, a scenario, a source title or an article goes
through one of these functions before it reaches a page. The page's scripts then set it
into the document with ``textContent`` (never ``innerHTML``), so it is shown as text.
"""

from __future__ import annotations

import html
import json
import math
from typing import Any

__all__ = ["escape_attr", "escape_text", "json_for_script", "plain"]

#: Characters replaced by ``\\u`` escapes (four hex digits) in JSON placed inside
#: ``<script>``: ``<`` ``>`` ``&``
#: stop a ``</script>`` or ``<!--`` from ending or changing the element; U+2028 and
#: U+2029 are line breaks to older JavaScript parsers.
_SCRIPT_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def escape_text(text: object) -> str:
    """Return ``text`` escaped for HTML element content.

    Parameters
    ----------
    text : object
        Any value; converted with ``str``.

    Returns
    -------
    str
        ``&``, ``<``, ``>``, ``"`` and ``'`` replaced by character references.
    """
    return html.escape(str(text), quote=True)


def escape_attr(text: object) -> str:
    """Return ``text`` escaped for a double-quoted HTML attribute value.

    Parameters
    ----------
    text : object
        Any value; converted with ``str``.

    Returns
    -------
    str
        Safe between ``"`` quotes (same escaping as :func:`escape_text`).
    """
    return html.escape(str(text), quote=True)


def plain(value: Any) -> Any:
    """Return ``value`` as plain JSON-ready Python (NaN and NA become None).

    Parameters
    ----------
    value : object
        Nested dicts, lists, tuples, numpy scalars, dates, floats.

    Returns
    -------
    object
        Built from dict, list, str, int, float, bool and None only.
    """
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if value is None or isinstance(value, bool | str | int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item):
        return plain(item())
    isoformat = getattr(value, "isoformat", None)  # dates and timestamps
    if callable(isoformat):
        try:
            text = isoformat()
        except ValueError:  # NaT
            return None
        return str(text)[:10]
    text = str(value)
    return None if text in ("nan", "NaT", "<NA>", "None") else text


def json_for_script(value: Any) -> str:
    r"""Return ``value`` as JSON that is safe inside a ``<script type="application/json">``.

    Parameters
    ----------
    value : object
        Anything :func:`plain` accepts.

    Returns
    -------
    str
        JSON text in which ``<``, ``>``, ``&``, U+2028 and U+2029 appear only as
        ``\u003c``-style escapes, so no data can close the script element or open a comment.
        ``JSON.parse`` of the element's text gives the value back unchanged.

    Examples
    --------
    >>> json_for_script({"title": "</script><script>alert(1)</script>"})
    '{"title":"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"}'
    """
    text = json.dumps(plain(value), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    for char, code in _SCRIPT_UNSAFE.items():
        text = text.replace(char, code)
    return text
