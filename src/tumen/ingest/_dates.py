"""Find dates in a sentence: absolute ones and relative ones resolved against a day.

"Nov. 2022", "December 13 2023", "24 Jun 2022", "2008-2014", "in April", "on Sunday",
"last Thursday", "last month", "earlier this year" and the like. A relative date needs the
article's date; without it, it is found but left unresolved (``value`` None).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["DateMention", "find_dates", "header_date", "same_period"]

_MONTH_NAMES = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTH_NAMES["sept"] = 9
_FULL = "january|february|march|april|may|june|july|august|september|october|november|december"
_M = rf"(?P<m>{_FULL}|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
_M_FULL = rf"(?P<m>{_FULL})"
_Y = r"(?P<y>(?:19|20)\d{2})"
_D = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_WD = r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_NOT_NUMBER = r"(?<![\d.,/$€£¥-])"
_NOT_UNIT = (
    r"(?!\d|[,.]\d|\s*(?:%|km|kilomet|mile|ton|tonne|t\b|mt\b|kt\b|teu|wagon|car|horse|"
    r"people|passeng|vehicle|usd|dollar|rub|yuan))"
)

#: (kind, pattern) in order of precedence; an earlier match keeps its characters.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("mdy", rf"\b{_M}\.?\s+{_D},?\s+{_Y}\b"),
        ("dmy", rf"\b{_D}\s+{_M}\.?,?\s+{_Y}\b"),
        ("iso", rf"\b{_Y}-(?P<mm>[01]\d)-(?P<dd>[0-3]\d)\b"),
        (
            "range",
            rf"\b(?:from\s+|between\s+)?{_Y}\s*(?:[-–—]|to|and|until)\s*"
            rf"(?P<y2>(?:19|20)\d{{2}})\b(?!s)",
        ),
        ("my", rf"\b(?:(?:mid|early|late)-?\s?)?{_M}\.?,?\s+(?:of\s+)?{_Y}\b"),
        ("md", rf"\b{_M}\.?\s+{_D}\b(?!\s*(?:%|km|[,.]?\d))"),
        (
            "m",
            r"\b(?:in|since|by|during|from|until|of|last|this|early|late|mid-)\s*"
            rf"(?:early |late |mid-)?{_M_FULL}\b",
        ),
        (
            "rel",
            r"\b(?P<rel>yesterday|today|last week|this week|last month|this month|next month|"
            r"last year|this year|earlier this year|earlier this month|next year|"
            r"the previous year|the same year)\b",
        ),
        ("wd", rf"\b(?P<when>last|this|next|on|)\s*{_WD}\b"),
        (
            "y",
            rf"(?<!resolution )(?<!resolutions )(?<!no\. ){_NOT_NUMBER}\b{_Y}\b(?!s\b)(?!-\d)"
            rf"{_NOT_UNIT}",
        ),
    )
)


@dataclass(frozen=True)
class DateMention:
    """A date found in a sentence.

    Attributes
    ----------
    start, end : int
        Character span in the sentence.
    text : str
        The words as written.
    value : datetime.date or None
        The date (first day of the month or year for coarser precisions); None when a
        relative date has no article date to resolve against.
    precision : str
        ``day``, ``month`` or ``year``.
    relative : bool
        Whether it was resolved against the article's date.
    until : datetime.date or None
        Last year of a range ("2008–2014" gives 2014-01-01).
    """

    start: int
    end: int
    text: str
    value: date | None
    precision: str
    relative: bool = False
    until: date | None = None


def _day(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month_back(ref: date, month: int) -> int:
    """Return the year of the latest ``month`` not after ``ref``'s month."""
    return ref.year if month <= ref.month else ref.year - 1


def _resolve(kind: str, g: dict[str, str], ref: date | None) -> tuple[date | None, str, bool]:
    if kind in ("mdy", "dmy"):
        return _day(int(g["y"]), _MONTH_NAMES[g["m"].lower()], int(g["d"])), "day", False
    if kind == "iso":
        return _day(int(g["y"]), int(g["mm"]), int(g["dd"])), "day", False
    if kind == "my":
        return date(int(g["y"]), _MONTH_NAMES[g["m"].lower()], 1), "month", False
    if kind in ("y", "range"):
        return date(int(g["y"]), 1, 1), "year", False
    if kind == "md":
        month = _MONTH_NAMES[g["m"].lower()]
        if ref is None:
            return None, "day", True
        return _day(_month_back(ref, month), month, int(g["d"])), "day", True
    if kind == "m":
        month = _MONTH_NAMES[g["m"].lower()]
        if ref is None:
            return None, "month", True
        return date(_month_back(ref, month), month, 1), "month", True
    if kind == "wd":
        if ref is None:
            return None, "day", True
        target = _WEEKDAYS[g["wd"].lower()]
        back = (ref.weekday() - target) % 7
        when = (g.get("when") or "").lower()
        if when == "next":
            ahead = (target - ref.weekday()) % 7 or 7
            return ref + timedelta(days=ahead), "day", True
        if when == "last" and back == 0:
            back = 7
        return ref - timedelta(days=back), "day", True
    rel = g["rel"].lower()
    if ref is None:
        return None, "year" if "year" in rel else "month", True
    if rel == "yesterday":
        return ref - timedelta(days=1), "day", True
    if rel in ("today",):
        return ref, "day", True
    if rel in ("last week", "this week"):
        back = ref - timedelta(days=7 if rel == "last week" else 0)
        return back.replace(day=1), "month", True
    if rel in ("this month", "earlier this month"):
        return ref.replace(day=1), "month", True
    if rel == "last month":
        first = ref.replace(day=1) - timedelta(days=1)
        return first.replace(day=1), "month", True
    if rel == "next month":
        nxt = ref.replace(day=28) + timedelta(days=4)
        return nxt.replace(day=1), "month", True
    if rel in ("last year", "the previous year"):
        return date(ref.year - 1, 1, 1), "year", True
    if rel == "next year":
        return date(ref.year + 1, 1, 1), "year", True
    return date(ref.year, 1, 1), "year", True


def find_dates(sentence: str, article_date: date | None = None) -> list[DateMention]:
    """Return the dates a sentence names, in order.

    Parameters
    ----------
    sentence : str
        One sentence.
    article_date : datetime.date, optional
        The article's publication date, for relative dates.

    Returns
    -------
    list of DateMention
        Non-overlapping mentions, left to right. Numbers that are not years (resolution
        numbers, amounts with units) are not taken as years.

    Examples
    --------
    >>> [m.value.isoformat() for m in find_dates("It resumed in Nov. 2022.")]
    ['2022-11-01']
    >>> find_dates("Talks ended on Sunday.", date(2023, 5, 3))[0].value
    datetime.date(2023, 4, 30)
    """
    taken = [False] * (len(sentence) + 1)
    found: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(sentence):
            a, b = match.span()
            if any(taken[a:b]):
                continue
            g = {k: v for k, v in match.groupdict().items() if v is not None}
            value, precision, relative = _resolve(kind, g, article_date)
            if kind in ("mdy", "dmy", "iso") and value is None:
                continue
            if kind == "wd" and not g.get("when") and not _weekday_context(sentence, a):
                continue
            until = date(int(g["y2"]), 1, 1) if kind == "range" else None
            if until is not None and value is not None and until < value:
                continue
            for i in range(a, b):
                taken[i] = True
            found.append(DateMention(a, b, match.group(0), value, precision, relative, until))
    return sorted(found, key=lambda m: m.start)


def _weekday_context(sentence: str, start: int) -> bool:
    """Return whether a bare weekday follows a verb of saying ("said Wednesday")."""
    before = sentence[max(0, start - 25) : start].lower()
    return bool(re.search(r"(said|reported|announced|told|stated|says)\s*$", before))


def header_date(lines: list[str]) -> date | None:
    """Return the first full date (day, month and year) in an article's header lines.

    Parameters
    ----------
    lines : list of str
        The article's lines before boilerplate removal.

    Returns
    -------
    datetime.date or None
        The date from the lines before the first long paragraph (at most 15 lines):
        a dateline, byline or caption date.
    """
    for line in lines[:15]:
        for mention in find_dates(line):
            if mention.precision == "day" and not mention.relative:
                return mention.value
        if len(line) >= 200:
            break
    return None


def same_period(a: date, pa: str, b: date, pb: str) -> bool:
    """Return whether two dates agree at the coarser of their precisions.

    Parameters
    ----------
    a, b : datetime.date
        The dates.
    pa, pb : str
        Their precisions (``day``, ``month``, ``year``).

    Returns
    -------
    bool
    """
    order = {"day": 0, "month": 1, "year": 2}
    coarse = max(order.get(pa, 2), order.get(pb, 2))
    if coarse == 2:
        return a.year == b.year
    if coarse == 1:
        return (a.year, a.month) == (b.year, b.month)
    return a == b
