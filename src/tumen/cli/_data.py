"""Commands of the data and time area: check, network, timeline, sources, export."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table

from tumen._atomic import check_output_dir, check_output_file
from tumen.cli._app import DataOption, app, console, writes_to, wrote
from tumen.errors import DataError, Problem

if TYPE_CHECKING:  # pandas loads only in the commands that use it
    import pandas as pd

__all__: list[str] = []


def _load(data: Path | None) -> Any:
    from tumen.data import load

    return load(data)


def _num(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _capacity(row: Any) -> str:
    cap = _num(row["capacity"])
    return f"{cap} {row['capacity_unit']}" if cap else ""


def _columns(table: Table, names: tuple[str, ...], wrap: tuple[str, ...] = ()) -> None:
    """Add columns: ids and short codes never wrap; the ``wrap`` ones take the rest."""
    for name in names:
        if name in wrap:
            table.add_column(name, overflow="fold", ratio=1)
        else:
            table.add_column(name, no_wrap=True)


def _table(title: str) -> Table:
    return Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)


def _print_table(table: Table) -> None:
    """Print a table at its natural width, never cutting a cell (even in a narrow terminal)."""
    natural = Measurement.get(console, console.options.update(width=400), table).maximum
    if natural <= console.width:
        console.print(table)
        return
    wide = Console(
        file=console.file,
        width=natural,
        highlight=False,
        force_terminal=console.is_terminal,
        no_color=console.no_color,
    )
    wide.print(table)


def _open(flag: Any) -> str:
    return "[green]open[/]" if bool(flag) else "[red]closed[/]"


@app.command("check")
def check(
    data_dir: Annotated[
        Path | None,
        typer.Argument(
            help="Dataset folder to validate (default: --data, else the bundled dataset).",
            file_okay=False,
        ),
    ] = None,
    data: DataOption = None,
) -> None:
    """Validate a dataset folder: every table, the sample shipments and the scenario files.

    Every problem in every file is printed, one line each; the exit status is 2 if there
    is any. Nothing is written.
    """
    from tumen.data._schema import TABLES

    folder = data_dir if data_dir is not None else data
    ds = _load(folder)  # raises one DataError listing every problem of every file
    where = str(folder) if folder is not None else "bundled dataset"
    counts = [f"{len(getattr(ds, name))} {name.replace('_', ' ')}" for name in TABLES]
    counts += [f"{len(ds.shipments)} sample shipments", f"{len(ds.scenarios)} scenarios"]
    console.print(f"OK: {where}: " + ", ".join(counts), markup=False)


@app.command("network")
def network(
    on: Annotated[str, typer.Option("--on", help="Date YYYY-MM-DD.")],
    diff: Annotated[
        str | None,
        typer.Option("--diff", help="Another date YYYY-MM-DD: show what changed between them."),
    ] = None,
    mode: Annotated[
        str | None, typer.Option("--mode", help="Only links of this mode (rail, road, sea, ferry).")
    ] = None,
    data: DataOption = None,
) -> None:
    """Show what is open on a date and the capacities in force."""
    from tumen.data import MODES, as_date

    if mode is not None and mode not in MODES:
        raise DataError(Problem("--mode", None, None, "one of " + ", ".join(MODES), mode))
    when = as_date(on, "--on")
    other = as_date(diff, "--diff") if diff is not None else None
    ds = _load(data)
    state = ds.on(when)
    if other is not None:
        _print_diff(state, ds.on(other), ds)
        return
    _print_state(state, mode)


def _print_state(state: Any, mode: str | None) -> None:
    import pandas as pd

    crossings = _table(f"Border crossings on {state.date.isoformat()}")
    _columns(crossings, ("crossing", "class", "open", "status", "since", "capacity"))
    fac = state.facilities
    for fid, row in fac[fac["kind"] == "border_crossing"].iterrows():
        since = row["status_since"]
        crossings.add_row(
            escape(str(fid)),
            escape(row["cargo_class"]),
            _open(row["is_open"]),
            escape(row["status"]),
            "" if pd.isna(since) else since.date().isoformat(),
            escape(_capacity(row)),
        )
    _print_table(crossings)
    others = _table("Ports, transshipment and sanitary control")
    _columns(others, ("facility", "kind", "open", "status", "capacity"))
    for fid, row in fac[fac["kind"] != "border_crossing"].iterrows():
        others.add_row(
            escape(str(fid)),
            escape(row["kind"]),
            _open(row["is_open"]),
            escape(row["status"]),
            escape(_capacity(row)),
        )
    _print_table(others)
    links = _table(f"Links on {state.date.isoformat()}")
    _columns(links, ("link", "mode", "gauge", "km", "open", "status", "capacity"))
    frame = state.links if mode is None else state.links[state.links["mode"] == mode]
    for lid, row in frame.iterrows():
        status = row["status"] if not row["closed_by"] else f"{row['status']}; crossing shut"
        links.add_row(
            escape(str(lid)),
            escape(row["mode"]),
            escape(row["gauge"]),
            _num(row["length_km"]),
            _open(row["is_open"]),
            escape(status),
            escape(_capacity(row)),
        )
    _print_table(links)
    zones = _table(f"Zones on {state.date.isoformat()}")
    _columns(zones, ("zone", "kind", "status", "places"))
    for zid, row in state.zones.iterrows():
        cells = (str(zid), row["kind"], row["status"], row["place_ids"].replace(";", ", "))
        zones.add_row(*(escape(v) for v in cells))
    _print_table(zones)
    n_open = int(state.links["is_open"].sum())
    console.print(f"{n_open} of {len(state.links)} links open on {state.date.isoformat()}.")


def _print_diff(state: Any, other: Any, ds: Any) -> None:
    import pandas as pd

    changes = state.diff(other)
    before, after = state.date.isoformat(), other.date.isoformat()
    console.print(f"[bold]Changes from {before} to {after}[/]")
    for row in changes.itertuples(index=False):
        old = row.before or "(empty)"
        new = row.after or "(empty)"
        console.print(f"  {row.table} {row.id} {row.field}: {old} -> {new}", markup=False)
    lo, hi = sorted([state.date, other.date])
    ev = ds.events
    between = ev[(ev["date"] > pd.Timestamp(lo)) & (ev["date"] <= pd.Timestamp(hi))]
    console.print(f"{len(changes)} changed values; {len(between)} events between the dates.")
    if len(between):
        _print_events(between.sort_values("date", kind="stable"), "Events between the dates")


def _print_events(events: pd.DataFrame, title: str) -> None:
    """Print events one to a line, each followed by its description and sources."""
    console.print(f"[bold]{escape(title)}[/]")
    for row in events.itertuples(index=False):
        day = row.date.date().isoformat()
        shown = {"month": day[:7], "year": day[:4]}.get(row.date_precision, day)
        unit = f" {row.unit}" if row.unit else ""
        change = f" {row.field}={row.value}{unit}" if row.field else ""
        target = row.target_id or row.target_type
        console.print(f"{shown:<10} {row.kind:<22} {target}{change}", markup=False)
        console.print(
            f"           {row.description} [{row.source}; {row.confidence}]",
            markup=False,
            highlight=False,
        )


@app.command("timeline")
def timeline(
    start: Annotated[str | None, typer.Option("--from", help="First date YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last date YYYY-MM-DD.")] = None,
    target: Annotated[
        str | None, typer.Option("--target", help="Only events about this id.")
    ] = None,
    data: DataOption = None,
) -> None:
    """Print the ledger of dated events."""
    import pandas as pd

    from tumen.data import as_date
    from tumen.data._state import check_in_span

    lo = as_date(start, "--from") if start is not None else None
    hi = as_date(end, "--to") if end is not None else None
    ds = _load(data)
    if lo is not None:
        check_in_span(lo, ds.events, "--from")
    if hi is not None:
        check_in_span(hi, ds.events, "--to")
    if lo is not None and hi is not None and lo > hi:
        raise DataError(Problem("--to", None, None, f"a date on or after --from {lo}", str(hi)))
    ev = ds.events.sort_values("date", kind="stable")
    if lo is not None:
        ev = ev[ev["date"] >= pd.Timestamp(lo)]
    if hi is not None:
        ev = ev[ev["date"] <= pd.Timestamp(hi)]
    if target is not None:
        ev = ev[ev["target_id"] == target]
    _print_events(ev, f"Timeline ({len(ev)} events)")


@app.command("sources")
def sources(
    source_id: Annotated[
        str | None, typer.Argument(help="A source id: show it and every value that cites it.")
    ] = None,
    data: DataOption = None,
) -> None:
    """List the sources and what cites each."""
    ds = _load(data)
    cites = ds.citations()
    if source_id is None:
        counts = cites.groupby("source_id").size()
        console.print(f"[bold]Sources ({len(ds.sources)}); values citing each[/]")
        for sid, row in ds.sources.iterrows():
            n = int(counts.get(sid, 0))
            console.print(f"{sid:<36} {row['kind']:<11} {n:>5}  {row['title']}", markup=False)
        return
    if source_id not in ds.sources.index:
        raise DataError(Problem("sources.csv", None, "source_id", "a listed source id", source_id))
    row = ds.sources.loc[source_id]
    for name in ("kind", "title", "publisher", "published", "url", "file", "notes"):
        if row[name]:
            console.print(f"{name}: {row[name]}", markup=False, soft_wrap=True)
    mine = cites[cites["source_id"] == source_id]
    table = _table(f"Values citing {escape(source_id)} ({len(mine)})")
    _columns(table, ("table", "id", "field", "confidence"))
    for rec in mine.itertuples(index=False):
        table.add_row(*(escape(v) for v in (rec.table, rec.id, rec.field, rec.confidence)))
    _print_table(table)


@app.command("export")
def export(
    on: Annotated[str, typer.Option("--on", help="Date YYYY-MM-DD.")],
    fmt: Annotated[
        str, typer.Option("--format", help="geojson, geoparquet or gmns (node.csv and link.csv).")
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="File to write (a folder for gmns). Tumen replaces only a "
            "file or folder it wrote.",
        ),
    ],
    data: DataOption = None,
) -> None:
    """Export the network on a date as GeoJSON, GeoParquet or GMNS CSV."""
    from tumen.data import EXPORT_FORMATS, as_date
    from tumen.data import export as write

    if fmt not in EXPORT_FORMATS:
        raise DataError(Problem("--format", None, None, "one of " + ", ".join(EXPORT_FORMATS), fmt))
    when = as_date(on, "--on")
    writes_to(check_output_dir(out) if fmt == "gmns" else check_output_file(out))
    state = _load(data).on(when)
    written = write(state, fmt, out)
    wrote()
    console.print(f"Wrote {fmt} for {when.isoformat()} to {written}", markup=False)
