"""``tumen screen``: screen a shipment table against the UN Security Council DPRK measures."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from tumen._atomic import check_output_file
from tumen.cli._app import DataOption, app, console, writes_to, wrote
from tumen.errors import DataError, Problem

if TYPE_CHECKING:
    from tumen.screening import Summary

_HELP = (
    "Screen a shipment table (CSV or Parquet) against the UN Security Council's DPRK "
    "measures. Each row gets a verdict (prohibited, cap_exceeded, needs_review, within_cap, "
    "exempt, not_covered), the measures that cover it, a reason and the conditions an "
    "exemption requires. Caps are totals over every row of the table in the same period. "
    "Screening reports what applies; it never proposes a way around a measure."
)
_STYLE = {
    "prohibited": "bold red", "cap_exceeded": "bold red", "needs_review": "yellow",
    "within_cap": "cyan", "exempt": "green", "not_covered": "dim",
}  # fmt: skip
_SHOWN = 25


@app.command("screen", help=_HELP)
def screen_command(
    flows: Annotated[
        Path | None,
        typer.Argument(
            help="Shipment table (.csv or .parquet); see docs/screening.md.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="Date YYYY-MM-DD for rows without a date.")
    ] = None,
    regime: Annotated[
        str,
        typer.Option(
            "--regime",
            help="in_force (measures in force on each row's date), none "
            "(counterfactual, labelled in every row), as_of:YYYY-MM-DD, or "
            "measures:ID,ID.",
        ),
    ] = "in_force",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="File for the full result (default: FLOWS_screened.FORMAT "
            "in the current folder). Tumen replaces only a file it wrote.",
            dir_okay=False,
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="csv, parquet or json (default: from --out, else csv)."),
    ] = None,
    sample: Annotated[
        bool, typer.Option("--sample", help="Screen the sample table shipped with Tumen.")
    ] = False,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            help="Encoding of a CSV FLOWS: utf-8 (default; a BOM is fine), cp1251 or latin-1. "
            "Separators ',', ';' and tab are recognised.",
        ),
    ] = None,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html",
            help="Also write an offline HTML page of the result: counts "
            "by verdict, the rows that matter first, each measure cited with its "
            "notes and sources.",
            dir_okay=False,
        ),
    ] = None,
    data: DataOption = None,
) -> None:
    """Screen FLOWS and print a summary; write the full result to --out."""
    from tumen.data import load
    from tumen.screening import build_rules, sample_path, screen_file
    from tumen.screening._html import write_html
    from tumen.screening._report import FORMATS
    from tumen.screening._screen import check_on

    if sample == (flows is not None):
        raise DataError(
            Problem(
                "tumen screen",
                None,
                "FLOWS",
                "either a shipment table FLOWS or --sample (not both)",
                None,
            )
        )
    if fmt is not None and fmt not in FORMATS:
        raise DataError(Problem("--format", None, "format", "one of " + ", ".join(FORMATS), fmt))
    if on is not None:
        check_on(on)
    path = sample_path(data) if sample else flows
    assert path is not None
    if out is None:
        out = Path(f"{path.stem}_screened.{fmt or 'csv'}")
    if html is not None:
        html = check_output_file(html)
    writes_to(check_output_file(out))
    dataset = load(data)
    rules = build_rules(regime, dataset.measures, dataset.commodities, dataset.luxury_goods)
    summary = screen_file(path, out, rules, fmt, on=on, encoding=encoding)
    wrote()
    if html is not None:
        writes_to(html)
        write_html(html, summary, dataset.measures, dataset.sources, source_name=str(path))
        wrote()
    _print_summary(summary, path, out, html)


def _cell(value: object) -> str:
    """Text of a cell, empty for NaN or None."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _number(value: object) -> str:
    """Show a quantity with thousands separators where it reads as a number."""
    try:
        number = float(str(value).replace(",", ""))
    except ValueError:
        return str(value)
    return f"{number:,.0f}" if number == int(number) else f"{number:,.2f}"


def _print_summary(summary: Summary, source: Path, written: Path, html: Path | None) -> None:
    console.print(
        Text(f"Screened {sum(summary.counts.values())} flows from {source}", style="bold")
    )
    console.print(Text(f"Regime: {summary.regime}"))
    counts = Table(title="Verdicts", show_edge=False)
    counts.add_column("verdict")
    counts.add_column("rows", justify="right")
    for verdict, count in summary.counts.items():
        counts.add_row(Text(verdict, style=_STYLE[verdict]), str(count))
    console.print(counts)
    att = summary.attention
    if len(att):
        matter = sum(summary.counts[v] for v in ("prohibited", "cap_exceeded", "needs_review"))
        rows = Table(title=f"Rows that matter ({matter})", show_edge=False)
        for col, just in (
            ("row", "right"),
            ("date", "left"),
            ("flow", "left"),
            ("goods", "left"),
            ("quantity", "right"),
            ("verdict", "left"),
            ("measures", "left"),
        ):
            rows.add_column(col, justify=just, overflow="fold")  # type: ignore[arg-type]
        shown = att.head(_SHOWN).to_dict("records")
        for rec in shown:
            transit = _cell(rec.get("transit"))
            origin = _cell(rec.get("origin")) or _cell(rec.get("reporter"))
            dest = _cell(rec.get("destination")) or _cell(rec.get("partner"))
            flow = f"{origin}→{dest}" + (f" via {transit}" if transit else "")
            if not _cell(rec.get("origin")) and _cell(rec.get("flow")):
                flow = f"{origin} {_cell(rec.get('flow'))} {dest}"
            goods = _cell(rec.get("commodity")) or _cell(rec.get("hs"))
            when = _cell(rec.get("date")) or _cell(rec.get("period"))
            qty = _cell(rec.get("quantity"))
            amount = (
                f"{_number(qty)} {_cell(rec.get('unit'))}"
                if qty
                else f"US$ {_number(_cell(rec.get('value_usd')))}"
            )
            rows.add_row(
                str(rec["row"]),
                Text(when),
                Text(flow),
                Text(goods),
                Text(amount),
                Text(rec["verdict"], style=_STYLE[rec["verdict"]]),
                Text(str(rec["measures"])),
            )
        console.print(rows)
        console.print(Text("Why", style="bold"))
        for rec in shown:
            line = Text(f"  row {rec['row']}: ", style=_STYLE[rec["verdict"]])
            line.append(str(rec["reason"]))
            console.print(line)
        if matter > _SHOWN:
            console.print(Text(f"… {matter - _SHOWN} more in {written}"))
    if summary.measures:
        cited = Table(title="Measures cited", show_edge=False)
        cited.add_column("measure")
        cited.add_column("rows", justify="right")
        for measure, count in summary.measures.items():
            cited.add_row(Text(measure), str(count))
        console.print(cited)
    console.print(Text(f"Full result written to {written}"))
    if html is not None:
        console.print(Text(f"HTML page written to {html}"))
    console.print(
        Text(
            "Screening reports what applies; it never proposes a way around a measure.",
            style="italic",
        )
    )
