"""``tumen ingest`` and ``tumen ledger accept``: articles to proposals, proposals to the ledger."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from tumen.cli._app import DataOption, app, console
from tumen.errors import DataError, Problem

__all__: list[str] = []

_INGEST_HELP = (
    "Read news articles (plain text or HTML) and propose the dated events they state as "
    "ledger entries: kind, date, places, quantities and the exact sentence, each with a "
    "confidence and its sources. Reports of one event in several articles become one "
    "proposal; events already in the ledger are marked. Review the YAML, set `accept: "
    "true`, then run `tumen ledger accept`. Works offline; nothing in an article is run."
)
_ACCEPT_HELP = (
    "Merge the accepted entries of a reviewed proposals file into a dataset folder's "
    "events.csv and sources.csv. The result is validated like all data before the files "
    "are replaced (atomically); on any problem nothing is written."
)

ledger_app = typer.Typer(help="Keep the event ledger current.", no_args_is_help=True)
app.add_typer(ledger_app, name="ledger")


@app.command("ingest", help=_INGEST_HELP)
def ingest_command(
    files: Annotated[
        list[Path],
        typer.Argument(help="Article files (.txt or .html).", dir_okay=False, show_default=False),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "-o", "--out", help="Write the proposals YAML here (default: print it).", dir_okay=False
        ),
    ] = None,
    when: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="Publication date YYYY-MM-DD of the articles; relative "
            "dates are resolved against it (default: the date in each article).",
        ),
    ] = None,
    data: DataOption = None,
) -> None:
    """Propose ledger entries from FILES."""
    import yaml

    from tumen.data import as_date, load
    from tumen.ingest import ingest, write_proposals

    article_date = as_date(when, "--date") if when is not None else None
    dataset = load(data)
    result = ingest(files, article_date, dataset=dataset)
    if out is None:
        console.file.write(
            yaml.safe_dump(result.document, sort_keys=False, allow_unicode=True, width=100)
        )
        return
    write_proposals(result.document, out)
    _summary(result.document["proposals"], len(result.articles), out)


def _summary(entries: list[dict[str, object]], n_articles: int, out: Path) -> None:
    repeats = sum(1 for e in entries if e.get("ledger_match"))
    console.print(
        Text(
            f"{len(entries)} proposals from {n_articles} articles ({repeats} already in the "
            f"ledger) written to {out}",
            style="bold",
        )
    )
    table = Table(show_edge=False, pad_edge=False)
    for col in ("id", "date", "kind", "places", "confidence", "sources", "in ledger"):
        table.add_column(col, overflow="fold")
    for e in entries:
        sources = e["sources"]
        assert isinstance(sources, list)
        places = e["places"]
        assert isinstance(places, list)
        table.add_row(
            *(Text(str(x)) for x in (
                e["id"], e["date"], e["kind"], ", ".join(places), e["confidence"],
                str(len(sources)), e.get("ledger_match") or "",
            ))
        )  # fmt: skip
    console.print(table)


@ledger_app.command("accept", help=_ACCEPT_HELP)
def accept_command(
    proposals: Annotated[
        Path, typer.Argument(help="Reviewed proposals YAML.", dir_okay=False, show_default=False)
    ],
    data: DataOption = None,
) -> None:
    """Merge accepted proposals into --data DIR."""
    from tumen.ingest import accept

    if data is None:
        raise DataError(
            Problem("tumen ledger accept", None, "--data",
                    "a dataset folder to write to (copy the bundled one first; Tumen never "
                    "writes into the installed package)", None)
        )  # fmt: skip
    result = accept(proposals, data)
    console.print(
        Text(
            f"{len(result.added)} events added, {len(result.cited)} existing events cited, "
            f"{len(result.sources)} sources added, {result.skipped} entries not accepted "
            f"({data})"
        )
    )
    for eid in result.added:
        console.print(Text(f"  added {eid}"))
    for eid in result.cited:
        console.print(Text(f"  cited {eid}"))
