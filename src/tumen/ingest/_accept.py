"""Merge reviewed proposals into a dataset folder's ledger (events.csv, sources.csv).

The new tables are validated with the dataset's own checks in a scratch copy first; only
then are the two files replaced, each atomically, sources first (an unused source is
harmless; an event citing a missing one is not).
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from tumen._atomic import write_file_atomically
from tumen.data import check
from tumen.data._schema import TABLES
from tumen.errors import DataError, Problem
from tumen.ingest._yaml import read_proposals

__all__ = ["AcceptResult", "accept"]


@dataclass(frozen=True)
class AcceptResult:
    """What :func:`accept` changed.

    Attributes
    ----------
    added : tuple of str
        New event ids.
    cited : tuple of str
        Existing events that gained a source.
    sources : tuple of str
        New source ids.
    skipped : int
        Entries not accepted.
    """

    added: tuple[str, ...]
    cited: tuple[str, ...]
    sources: tuple[str, ...]
    skipped: int


def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        problem = Problem(str(path), None, None, "a readable UTF-8 CSV file", str(exc))
        raise DataError(problem) from None
    if not rows:
        raise DataError(Problem(str(path), 0, None, "a header row naming the columns", ""))
    return rows[0], rows[1:]


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def _source_id(src: dict[str, Any], by_file: dict[str, str]) -> str:
    given = str(src.get("source_id") or "").strip()
    if given:
        return given
    base = Path(str(src.get("file", ""))).name
    if base in by_file:
        return by_file[base]
    digest = hashlib.sha1(f"{base}|{src.get('title', '')}".encode()).hexdigest()[:8]
    return f"ART-{digest.upper()}"


def _first_day(text: str, precision: str) -> str:
    when = date.fromisoformat(text)
    if precision == "month":
        when = when.replace(day=1)
    elif precision == "year":
        when = when.replace(month=1, day=1)
    return when.isoformat()


def accept(proposals: str | Path, data_dir: str | Path) -> AcceptResult:
    """Merge the accepted entries of a reviewed proposals file into a dataset folder.

    Parameters
    ----------
    proposals : str or pathlib.Path
        A file written by ``tumen ingest`` and reviewed (``accept: true`` on the entries
        to add).
    data_dir : str or pathlib.Path
        The dataset folder whose ``events.csv`` and ``sources.csv`` are extended.

    Returns
    -------
    AcceptResult

    Raises
    ------
    DataError
        If the proposals file is malformed, or the folder would not validate after the
        merge (every problem listed); the folder is then left as it was.
    """
    folder = Path(data_dir)
    entries = read_proposals(proposals)
    ev_path, src_path = folder / "events.csv", folder / "sources.csv"
    ev_header, ev_rows = _read_csv(ev_path)
    src_header, src_rows = _read_csv(src_path)
    for needed, header, path in (
        (TABLES["events"].column_names, ev_header, ev_path),
        (TABLES["sources"].column_names, src_header, src_path),
    ):
        missing = [c for c in needed if c not in header]
        if missing:
            raise DataError(
                [Problem(str(path), 0, c, f"a column '{c}' in the header", None) for c in missing]
            )
    ev_col = {c: i for i, c in enumerate(ev_header)}
    src_col = {c: i for i, c in enumerate(src_header)}
    known_sources = {r[src_col["source_id"]] for r in src_rows if len(r) == len(src_header)}
    by_file = {
        Path(r[src_col["file"]]).name: r[src_col["source_id"]]
        for r in src_rows
        if len(r) == len(src_header) and r[src_col["file"]]
    }
    event_rows = {r[ev_col["event_id"]]: r for r in ev_rows if len(r) == len(ev_header)}
    added: list[str] = []
    cited: list[str] = []
    new_sources: list[str] = []
    skipped = 0
    for entry in entries:
        if entry.get("accept") is not True:
            skipped += 1
            continue
        ids = []
        for src in entry["sources"]:
            sid = _source_id(src, by_file)
            ids.append(sid)
            if sid not in known_sources:
                row = [""] * len(src_header)
                row[src_col["source_id"]] = sid
                row[src_col["kind"]] = "article"
                row[src_col["title"]] = str(src.get("title") or Path(str(src["file"])).name)
                row[src_col["published"]] = str(src.get("date") or "")
                row[src_col["file"]] = Path(str(src.get("file", ""))).name
                row[src_col["notes"]] = "Added by tumen ledger accept"
                src_rows.append(row)
                known_sources.add(sid)
                new_sources.append(sid)
                by_file.setdefault(row[src_col["file"]], sid)
        event = entry["event"]
        match = str(entry.get("ledger_match") or "")
        if match and match in event_rows:
            row = event_rows[match]
            cell = [s for s in row[ev_col["source"]].split(";") if s]
            row[ev_col["source"]] = ";".join([*cell, *[s for s in ids if s not in cell]])
            cited.append(match)
            continue
        row = [""] * len(ev_header)
        values = {
            "event_id": str(event.get("event_id") or ""),
            "date": _first_day(str(entry["date"]), str(entry["date_precision"])),
            "date_precision": str(entry["date_precision"]),
            "kind": str(event["kind"]),
            "target_type": str(event["target_type"]),
            "target_id": str(event.get("target_id") or ""),
            "field": str(event.get("field") or ""),
            "value": str(event.get("value") or ""),
            "unit": str(event.get("unit") or ""),
            "description": str(event.get("description") or ""),
            "source": ";".join(dict.fromkeys(ids)),
            "confidence": str(entry.get("confidence") or "low"),
        }
        for key, value in values.items():
            row[ev_col[key]] = value
        ev_rows.append(row)
        event_rows[values["event_id"]] = row
        added.append(values["event_id"])
    ev_text = _csv_text(ev_header, ev_rows)
    src_text = _csv_text(src_header, src_rows)
    _validate(folder, ev_text, src_text)
    write_file_atomically(
        src_path, lambda tmp: tmp.write_text(src_text, encoding="utf-8"), edit=True
    )
    write_file_atomically(ev_path, lambda tmp: tmp.write_text(ev_text, encoding="utf-8"), edit=True)
    return AcceptResult(tuple(added), tuple(cited), tuple(new_sources), skipped)


def _validate(folder: Path, events: str, sources: str) -> None:
    """Validate the folder as it would be after the merge, in a scratch copy."""
    with tempfile.TemporaryDirectory(prefix="tumen-accept-") as scratch:
        tmp = Path(scratch) / "data"
        shutil.copytree(folder, tmp)
        (tmp / "events.csv").write_text(events, encoding="utf-8")
        (tmp / "sources.csv").write_text(sources, encoding="utf-8")
        problems = check(tmp, label=str(folder))
        if problems:
            raise DataError(problems)
