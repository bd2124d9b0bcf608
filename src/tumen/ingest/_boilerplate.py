"""Drop what is not the article: subscriptions, sign-ups, related stories, comments.

Also captions, bylines and navigation words.
"""

from __future__ import annotations

import re

__all__ = ["BOILERPLATE", "clean_lines", "is_boilerplate"]

#: Phrases that mark a line as page furniture rather than reporting (case-insensitive).
BOILERPLATE = (
    r"\bsubscri(be|bers?|ption)\b",
    r"\bsign (up|in)\b",
    r"\blog ?in\b",
    r"\balready a member\b",
    r"\bstart reading\b",
    r"\bread (news|more)\b",
    r"\bget all your news\b",
    r"\bpremium (titles|package|content)\b",
    r"\bfree trial\b|\bdays free\b",
    r"\bdownload (the|our) app\b|\bone app\b",
    r"\btrusted (global )?sources\b",
    r"\brelated (stories|articles|posts|news)\b",
    r"\btop stories\b|\bour picks\b|\bmost read\b|\bmore from\b",
    r"\bcomment(s)? policy\b|\bcomment on this article\b|\bno comments\b",
    r"\bleave a (reply|comment)\b|\bspeech bubbles\b",
    r"\bakismet\b|\bcomment data is processed\b",
    r"\bsupport our\b.*\bjournalism\b",
    r"\bad-free\b|\badvertisement\b",
    r"\bnewsletter\b|\bfollow us\b|\bshare (this|on)\b",
    r"\bcookies?\b.*\b(accept|policy|consent)\b",
    r"\ball rights reserved\b|\bcopyright\b|©",
    r"\b(picture|photo|image|credit)s?:",
    r"\bclick here\b",
    r"^by\s*\|",
)
_PATTERN = re.compile("|".join(BOILERPLATE), re.IGNORECASE)
_END = re.compile(r"[.!?:;\"”’)\]]$")


def is_boilerplate(line: str) -> bool:
    """Return whether one line is page furniture.

    Parameters
    ----------
    line : str
        One paragraph of text.

    Returns
    -------
    bool
        True for a short line naming a subscription, sign-up, app, related stories,
        comments or a caption; long lines of reporting are kept even if they mention one.
    """
    if not line:
        return True
    return len(line) < 300 and bool(_PATTERN.search(line))


def clean_lines(lines: list[str]) -> tuple[list[str], str]:
    """Return the article's paragraphs without boilerplate, and a headline if one is seen.

    Parameters
    ----------
    lines : list of str
        Paragraphs in order, whitespace already normalised.

    Returns
    -------
    tuple
        (kept paragraphs, headline or ``""``). A line repeated verbatim is kept once;
        short lines without closing punctuation (bylines, section names, agency names)
        are dropped, except the first of five or more words among the first ten lines,
        taken as the headline.
    """
    kept: list[str] = []
    seen: set[str] = set()
    heading = ""
    for number, line in enumerate(lines):
        if line in seen or is_boilerplate(line):
            seen.add(line)
            continue
        seen.add(line)
        words = line.split()
        listed = bool(re.match(r"^([-–•*]|\d+[.)])\s", line))
        if not _END.search(line) and len(words) < 25 and not listed:
            if not heading and number < 10 and len(words) >= 5:
                heading = line
            continue
        if line.startswith("[") and re.match(r"^\[\d+\]\s*source", line, re.I):
            continue
        kept.append(line)
    return kept, heading
