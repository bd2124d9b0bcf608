"""Articles in, proposals out: the one call behind ``tumen ingest``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from tumen.errors import DataError, Problem
from tumen.ingest._article import Article, read_article
from tumen.ingest._dedupe import Proposal, merge_mentions
from tumen.ingest._events import Mention, find_mentions
from tumen.ingest._ledger import crossings, link_to_ledger
from tumen.ingest._places import Gazetteer
from tumen.ingest._yaml import proposals_to_dict

__all__ = ["IngestResult", "ingest"]


@dataclass(frozen=True)
class IngestResult:
    """Proposals found in a set of articles.

    Attributes
    ----------
    articles : tuple of Article
        The articles as read (main text, title, date).
    proposals : tuple of Proposal
        One per event, sources merged across articles, ledger repeats marked.
    document : dict
        The proposals as the YAML document :func:`tumen.ingest.write_proposals` writes.
    """

    articles: tuple[Article, ...]
    proposals: tuple[Proposal, ...]
    document: dict[str, Any]


def ingest(
    paths: Sequence[str | Path],
    article_date: date | Mapping[str, date] | None = None,
    dataset: Any = None,
) -> IngestResult:
    """Read articles and propose the dated events they state as ledger entries.

    Parameters
    ----------
    paths : sequence of str or pathlib.Path
        Plain-text or HTML article files.
    article_date : datetime.date or mapping, optional
        Publication date of every article, or a mapping from path (as given) to date.
        Overrides dates found in the files; relative dates ("last month", "on Sunday")
        are resolved against it.
    dataset : tumen.data.Dataset, optional
        Names, aliases and the ledger to match against (default: the bundled dataset).

    Returns
    -------
    IngestResult

    Raises
    ------
    DataError
        If any file cannot be read as an article (binary, too large, unreadable), every
        such file listed.

    Examples
    --------
    >>> result = ingest(["article.txt"], date(2023, 12, 13))  # doctest: +SKIP
    >>> write_proposals(result.document, "proposals.yaml")  # doctest: +SKIP
    """
    if dataset is None:
        from tumen.data import load

        dataset = load()
    gazetteer = Gazetteer.from_dataset(dataset)
    cross = crossings(dataset)
    articles: list[Article] = []
    problems: list[Problem] = []
    for path in paths:
        when = article_date.get(str(path)) if isinstance(article_date, Mapping) else article_date
        try:
            articles.append(read_article(path, when))
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    mentions: list[Mention] = []
    for article in articles:
        mentions.extend(find_mentions(article, gazetteer, cross))
    proposals = link_to_ledger(dataset, merge_mentions(mentions))
    names = {**dict(dataset.places["name_en"]), **dict(dataset.zones["name_en"])}
    names.update(
        {
            r: r.removeprefix("region_").capitalize()
            for p in proposals
            for r in p.places
            if r.startswith("region_")
        }
    )
    document = proposals_to_dict(proposals, set(dataset.events.index), names)
    return IngestResult(tuple(articles), tuple(proposals), document)
