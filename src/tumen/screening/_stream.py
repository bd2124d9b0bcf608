"""Screen a large table file in chunks, with caps totalled over the whole table.

Two passes over the file: the first reads it chunk by chunk, screens each distinct row
profile once and gathers the rows under caps or value thresholds; those are screened
together at the end, so that cap totals run over every row of the table; the second pass
reads the file again and writes each chunk's rows with their result columns. Memory holds
one chunk, the profiles and the capped rows, never the whole table.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tumen._atomic import write_file_atomically
from tumen._user_tables import iter_user_table
from tumen.data._shipments import FILE_ATTR
from tumen.errors import DataError, Problem
from tumen.screening._findings import VERDICTS
from tumen.screening._report import ATTENTION, FORMATS, Summary
from tumen.screening._rules import Rules
from tumen.screening._screen import RESULT_COLUMNS, Screener

__all__ = ["CHUNK_ROWS", "read_chunks", "screen_file"]

#: Rows per chunk.
CHUNK_ROWS = 250_000
#: Chunks read at once by the first pass, which finds and screens the row profiles.
PROFILE_CHUNKS = 4
#: Rows that matter kept in the summary (the file holds them all).
ATTENTION_KEPT = 1_000


def read_chunks(
    path: str | Path, chunk_rows: int = CHUNK_ROWS, encoding: str | None = None
) -> Iterator[pd.DataFrame]:
    """Yield a CSV or Parquet table in chunks of ``chunk_rows`` rows.

    CSV files are read as :func:`tumen.screening.read_shipments` reads them (separators
    ``,`` ``;`` and tab, a byte-order mark, ``encoding`` utf-8, cp1251 or latin-1; cells
    as text), through :func:`tumen._user_tables.iter_user_table`; Parquet columns keep
    their types.

    Raises
    ------
    DataError
        If the file is missing or cannot be read (one line naming the file).
    """
    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise DataError(
            Problem(name, None, None, "a CSV or Parquet shipment table", "no such file")
        )
    if path.suffix.lower() == ".parquet":
        try:
            pfile = pq.ParquetFile(path)
            batches = pfile.iter_batches(batch_size=chunk_rows)
            for batch in batches:
                frame = batch.to_pandas()
                frame.attrs[FILE_ATTR] = name
                yield frame
        except (pa.ArrowInvalid, OSError) as exc:
            got = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise DataError(Problem(name, None, None, "a readable Parquet file", got)) from None
        return
    for frame in iter_user_table(path, encoding=encoding, chunk_rows=chunk_rows):
        frame.attrs[FILE_ATTR] = name
        yield frame


_END = object()


def _ahead(chunks: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """Yield ``chunks`` while one thread reads the next (Arrow parses without the GIL)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        coming = pool.submit(next, chunks, _END)
        while True:
            chunk = coming.result()
            if chunk is _END:
                return
            coming = pool.submit(next, chunks, _END)
            yield cast(pd.DataFrame, chunk)


class _Tally:
    """Counts, cited measures and the first rows that matter, gathered chunk by chunk."""

    def __init__(self) -> None:
        self.counts = dict.fromkeys(VERDICTS, 0)
        self.measures: dict[str, int] = {}
        self.attention: list[pd.DataFrame] = []
        self.kept = {v: 0 for v in ATTENTION}
        self.regime = ""

    def add(self, rows: pd.DataFrame, result: pa.Table, offset: int) -> None:
        """Count one chunk: its input ``rows`` and its ``result`` columns."""
        verdict = result.column("verdict")
        for item in pc.value_counts(verdict).to_pylist():
            self.counts[str(item["values"])] += int(item["counts"])
        for item in pc.value_counts(result.column("measures")).to_pylist():
            if item["values"]:
                for m in str(item["values"]).split("; "):
                    self.measures[m] = self.measures.get(m, 0) + int(item["counts"])
        verdicts = verdict.to_numpy(zero_copy_only=False)
        for v in ATTENTION:
            room = ATTENTION_KEPT - self.kept[v]
            if room <= 0:
                continue
            pick = np.flatnonzero(verdicts == v)[:room]
            if len(pick):
                part = pd.concat(
                    [
                        rows.iloc[pick].reset_index(drop=True),
                        result.take(pa.array(pick)).to_pandas(),
                    ],
                    axis=1,
                )
                part.insert(0, "row", pick + offset + 1)
                self.attention.append(part)
                self.kept[v] += len(pick)
        if len(result):
            self.regime = str(result.column("regime")[0])

    def summary(self) -> Summary:
        rank = {v: i for i, v in enumerate(VERDICTS)}
        att = (
            pd.concat(self.attention, ignore_index=True)
            if self.attention
            else pd.DataFrame({"row": [], "verdict": []})
        )
        if len(att):
            att = (
                att.assign(_rank=att["verdict"].map(rank))
                .sort_values(["_rank", "row"], kind="stable")
                .drop(columns="_rank")
                .reset_index(drop=True)
            )
        measures = dict(sorted(self.measures.items()))
        return Summary(dict(self.counts), att, measures, self.regime)


def _progress(show: bool) -> Progress:
    console = Console(stderr=True)
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not (show and console.is_terminal),
        transient=True,
    )


def screen_file(
    path: str | Path,
    out: str | Path,
    rules: Rules,
    fmt: str | None = None,
    on: str | None = None,
    chunk_rows: int = CHUNK_ROWS,
    progress: bool = True,
    encoding: str | None = None,
) -> Summary:
    """Screen a CSV or Parquet table file chunk by chunk and write the result atomically.

    Parameters
    ----------
    path : str or Path
        The table (``.csv`` or ``.parquet``).
    out : str or Path
        File to write; the format comes from ``fmt`` or the suffix (csv if neither).
    rules : Rules
        From :func:`build_rules`.
    fmt : {'csv', 'parquet', 'json'}, optional
        Output format.
    on : str, optional
        Date for rows with none.
    chunk_rows : int
        Rows per chunk.
    progress : bool
        Show a progress bar on the terminal (never when output is not a terminal).
    encoding : {'utf-8', 'cp1251', 'latin-1'}, optional
        Encoding of a CSV file; UTF-8 (a byte-order mark is allowed) when None.

    Returns
    -------
    Summary
        Counts by verdict, cited measures, and the first rows that matter (up to 1,000
        per verdict; the file holds every row).

    Raises
    ------
    DataError
        With every problem of the first chunk that has any (rows numbered across the
        table); nothing is written.
    """
    path, out = Path(path), Path(out)
    if fmt is None:
        suffix = out.suffix.lower().lstrip(".")
        fmt = suffix if suffix in FORMATS else "csv"
    if fmt not in FORMATS:
        raise DataError(Problem("--format", None, "format", "one of " + ", ".join(FORMATS), fmt))
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise DataError(Problem(str(out), None, None, "a file in an existing folder", str(folder)))
    screener = Screener(rules, on=on, file=str(path))
    parts: list[np.ndarray] = []
    with _progress(progress) as bar:
        task = bar.add_task("screening", total=None)
        # Profiles are screened once per chunk of this pass, so it reads larger chunks
        # (its rows are not kept; the result pass holds one chunk of ``chunk_rows``).
        for chunk in read_chunks(path, chunk_rows * PROFILE_CHUNKS, encoding):
            parts.append(screener.add(chunk))
            bar.advance(task, len(chunk))
        screener.finish()
        ids = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
        tally = _Tally()
        write_task = bar.add_task("writing", total=screener.rows)

        def chunks() -> Iterator[tuple[pd.DataFrame, pa.Table]]:
            offset = 0
            for chunk in _ahead(read_chunks(path, chunk_rows, encoding)):
                res = screener.results(chunk, ids[offset : offset + len(chunk)], offset)
                keep = chunk.drop(columns=[c for c in RESULT_COLUMNS if c in chunk.columns])
                keep = keep.reset_index(drop=True)
                tally.add(keep, res, offset)
                offset += len(chunk)
                bar.advance(write_task, len(chunk))
                yield keep, res

        write_file_atomically(out, _WRITERS[fmt](chunks))
    return tally.summary()


_Chunks = Callable[[], Iterator[tuple[pd.DataFrame, pa.Table]]]


def _frame(keep: pd.DataFrame, res: pa.Table) -> pd.DataFrame:
    return pd.concat([keep, res.to_pandas()], axis=1)


def _csv_writer(chunks: _Chunks) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            for i, (keep, res) in enumerate(chunks()):
                _frame(keep, res).to_csv(fh, index=False, header=i == 0)

    return write


def _arrow(frame: pd.DataFrame, res: pa.Table) -> pa.Table:
    """Join the input rows and their result columns into one Arrow table."""
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        frame = frame.copy()
        for col in frame.columns:
            if frame[col].dtype == object:
                frame[col] = frame[col].astype(str)
        table = pa.Table.from_pandas(frame, preserve_index=False)
    for name in res.column_names:
        table = table.append_column(name, res.column(name))
    return table.replace_schema_metadata(None)


def _parquet_writer(chunks: _Chunks) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        # Arrow writes a row group without the GIL, so one thread writes a chunk while
        # the next chunk is read and screened.
        writer: pq.ParquetWriter | None = None
        pending: Future[None] | None = None
        with ThreadPoolExecutor(max_workers=1) as pool:
            try:
                for keep, res in chunks():
                    table = _arrow(keep, res)
                    if writer is None:
                        writer = pq.ParquetWriter(tmp, table.schema)
                    else:
                        table = table.cast(writer.schema)
                    if pending is not None:
                        pending.result()
                    pending = pool.submit(writer.write_table, table)
                if pending is not None:
                    pending.result()
            finally:
                if pending is not None:
                    pending.exception()
                if writer is not None:
                    writer.close()

    return write


def _json_writer(chunks: _Chunks) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8") as fh:
            fh.write("[")
            first = True
            for keep, res in chunks():
                frame = _frame(keep, res)
                for rec in json.loads(
                    frame.to_json(orient="records", force_ascii=False, date_format="iso")
                ):
                    fh.write(("\n" if first else ",\n") + json.dumps(rec, ensure_ascii=False))
                    first = False
            fh.write("\n]\n")

    return write


_WRITERS = {"csv": _csv_writer, "parquet": _parquet_writer, "json": _json_writer}
