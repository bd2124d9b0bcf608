"""``tumen screen``: screen a shipment table against the UN Security Council DPRK measures."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from tumen._atomic import check_output_file
from tumen.cli._app import DataOption, app, console, writes_to, wrote
from tumen.errors import DataError, Problem

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
    data: DataOption = None,
) -> None:
    """Screen FLOWS and print a summary; write the full result to --out."""
    from tumen.data import load
    from tumen.screening import read_shipments, sample_path, screen, write_result
    from tumen.screening._report import FORMATS

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
    path = sample_path(data) if sample else flows
    assert path is not None
    if out is None:
        out = Path(f"{path.stem}_screened.{fmt or 'csv'}")
    writes_to(check_output_file(out))
    dataset = load(data)
    table = read_shipments(path, on=on, encoding=encoding)
    result = screen(table, on=on, regime=regime, measures=dataset.measures,
                    commodities=dataset.commodities)
    written = write_result(result, out, fmt)
    wrote()
    _print_summary(result, path, written)


def _number(value: object) -> str:
    """Show a quantity with thousands separators where it reads as a number."""
    try:
        number = float(str(value).replace(",", ""))
    except ValueError:
        return str(value)
    return f"{number:,.0f}" if number == int(number) else f"{number:,.2f}"


def _print_summary(result: object, source: Path, written: Path) -> None:
    from tumen.screening import summarise

    summary = summarise(result)  # type: ignore[arg-type]
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
        rows = Table(title=f"Rows that matter ({len(att)})", show_edge=False)
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
            transit = str(rec.get("transit", "") or "")
            flow = f"{rec['origin']}→{rec['destination']}" + (f" via {transit}" if transit else "")
            goods = str(rec.get("commodity", "") or rec.get("hs", ""))
            rows.add_row(
                str(rec["row"]),
                Text(str(rec.get("date", ""))),
                Text(flow),
                Text(goods),
                Text(f"{_number(rec['quantity'])} {rec['unit']}"),
                Text(rec["verdict"], style=_STYLE[rec["verdict"]]),
                Text(str(rec["measures"])),
            )
        console.print(rows)
        console.print(Text("Why", style="bold"))
        for rec in shown:
            line = Text(f"  row {rec['row']}: ", style=_STYLE[rec["verdict"]])
            line.append(str(rec["reason"]))
            console.print(line)
        if len(att) > _SHOWN:
            console.print(Text(f"… {len(att) - _SHOWN} more in {written}"))
    if summary.measures:
        cited = Table(title="Measures cited", show_edge=False)
        cited.add_column("measure")
        cited.add_column("rows", justify="right")
        for measure, count in summary.measures.items():
            cited.add_row(Text(measure), str(count))
        console.print(cited)
    console.print(Text(f"Full result written to {written}"))
    console.print(
        Text(
            "Screening reports what applies; it never proposes a way around a measure.",
            style="italic",
        )
    )
