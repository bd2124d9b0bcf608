"""Read one article file: bytes to text, HTML to its main text, title and date.

Nothing in an article is executed: HTML is parsed by lxml (through trafilatura), which
never runs scripts, and the text only ever leaves Tumen quoted in YAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tumen.errors import DataError, Problem
from tumen.ingest._boilerplate import clean_lines
from tumen.ingest._dates import header_date

__all__ = ["MAX_BYTES", "MAX_CHARS", "Article", "decode", "read_article"]

#: Largest article file read, bytes (a longer file is refused with an error).
MAX_BYTES = 10_000_000
#: Most characters of main text (after HTML extraction) one article may have.
MAX_CHARS = 1_000_000
_HTML_START = re.compile(
    rb"^\s*(<!doctype\s+html|<html|<head|<body|<\?xml|<article|<div|<p[\s>])", re.I
)
_TAGS = re.compile(rb"<(p|div|html|body|span|a|br|script|article|h[1-6])[\s>/]", re.I)


@dataclass(frozen=True)
class Article:
    """One article as Tumen reads it.

    Attributes
    ----------
    file : str
        The file name as given.
    title : str
        Headline (from HTML metadata or the first headline-like line; else the
        first sentence, shortened).
    date : datetime.date or None
        Publication date: given by the user, else found in the article's header.
    lines : tuple of str
        Paragraphs of main text, boilerplate removed, in order.
    """

    file: str
    title: str
    date: date | None
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        """Return the main text, one paragraph a line."""
        return "\n".join(self.lines)


def _problem(file: str, expected: str, got: str | None) -> DataError:
    return DataError(Problem(file, None, None, expected, got))


def decode(raw: bytes, file: str = "<bytes>") -> str:
    """Return the text of an article's bytes, whatever its encoding.

    Parameters
    ----------
    raw : bytes
        The file's content.
    file : str
        Name used in messages.

    Returns
    -------
    str
        The text (UTF-8, UTF-16 with a byte-order mark, else the most likely
        encoding as judged by ``charset_normalizer``).

    Raises
    ------
    DataError
        If the bytes are not text (a binary file).
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise _problem(file, "a text or HTML article", "undecodable UTF-16") from None
    head = raw[:65536]
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if b"\x00" in head or (head and controls / len(head) > 0.05):
        raise _problem(file, "a text or HTML article", "binary data")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise _problem(file, "a text or HTML article", "binary data")
    return str(best)


def _is_html(raw: bytes) -> bool:
    return bool(_HTML_START.match(raw[:2048])) or len(_TAGS.findall(raw[:65536])) >= 3


def _from_html(text: str) -> tuple[str, str, str | None]:
    """Return (main text, title, date text) of an HTML page."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        text,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_links=False,
        include_images=False,
        favor_precision=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None:
        return "", "", None
    body = doc.text or ""
    return body, doc.title or "", doc.date


_WS = re.compile(r"[ \t\u00a0\u2000-\u200a\u3000]+")
#: Control characters, and the invisible format characters that reorder or hide text
#: (bidirectional overrides, zero-width marks): never passed on from an article.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def _normalise(text: str) -> list[str]:
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub(" ", text)
    return [_WS.sub(" ", line).strip() for line in text.split("\n")]


def read_article(
    path: str | Path, article_date: date | None = None, raw: bytes | None = None
) -> Article:
    """Read an article file (plain text or HTML) into an :class:`Article`.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    article_date : datetime.date, optional
        Publication date given by the user; overrides any date found in the file.
    raw : bytes, optional
        The file's content, when already read (``path`` then only names it).

    Returns
    -------
    Article

    Raises
    ------
    DataError
        If the file cannot be read, is larger than :data:`MAX_BYTES` (or its main text
        longer than :data:`MAX_CHARS`), or is not text.
    """
    path = Path(path)
    name = str(path)
    if raw is None:
        try:
            size = path.stat().st_size
            if size > MAX_BYTES:
                raise _problem(name, f"an article of at most {MAX_BYTES} bytes", f"{size} bytes")
            raw = path.read_bytes()
        except OSError as exc:
            raise _problem(name, "a readable article file", exc.strerror or str(exc)) from None
    if len(raw) > MAX_BYTES:
        raise _problem(name, f"an article of at most {MAX_BYTES} bytes", f"{len(raw)} bytes")
    text = decode(raw, name)
    title, found = "", None
    if _is_html(raw):
        text, title, meta_date = _from_html(text)
        if meta_date:
            found = _iso(meta_date)
    if len(text) > MAX_CHARS:
        raise _problem(
            name, f"an article of at most {MAX_CHARS} characters of text", f"{len(text)} characters"
        )
    lines = _normalise(text)
    if found is None:
        found = header_date(lines)
    body, heading = clean_lines(lines)
    title = " ".join(_normalise(title)).strip() or heading or _first_sentence(body) or path.name
    return Article(file=name, title=title, date=article_date or found, lines=tuple(body))


def _iso(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _first_sentence(lines: list[str]) -> str:
    if not lines:
        return ""
    first = re.split(r"(?<=[.!?])\s", lines[0], maxsplit=1)[0]
    return first if len(first) <= 120 else first[:117].rstrip() + "..."
