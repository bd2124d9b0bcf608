"""Read a table a user made (a CSV export from customs data, a spreadsheet) as text.

Users' tables come from spreadsheets and customs systems in Russia, China and elsewhere:
comma-, semicolon- or tab-separated, UTF-8 with or without a byte-order mark, or in a
legacy code page. :func:`read_user_table` reads any of these into a DataFrame of strings
and says in one line what is wrong when it cannot: a file that is not UTF-8 is named as
such, with the option that gives its encoding.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from tumen.errors import DataError, Problem

__all__ = ["ENCODINGS", "SEPARATORS", "iter_user_table", "read_user_table"]

#: Encodings a user may name: UTF-8 (the default; a byte-order mark is allowed), and the
#: code pages of Russian (cp1251) and Western European or Latin (latin-1) exports.
ENCODINGS = ("utf-8", "cp1251", "latin-1")
#: Separators recognised from the header row: comma, semicolon, tab.
SEPARATORS = (",", ";", "\t")
_NAMES = {"utf-8": "utf-8-sig", "cp1251": "cp1251", "latin-1": "latin-1"}
_HINT = "name its encoding: --encoding cp1251 or --encoding latin-1 (encoding= in Python)"


def _codec(encoding: str) -> str:
    """Return the Python codec for a user's encoding name, or raise naming the choices."""
    try:
        canonical = codecs.lookup(encoding).name
    except LookupError:
        canonical = ""
    known = {codecs.lookup(e).name: e for e in ENCODINGS}
    if canonical not in known:
        raise DataError(
            Problem("--encoding", None, None, "one of " + ", ".join(ENCODINGS), encoding)
        )
    return _NAMES[known[canonical]]


def _decode(raw: bytes, name: str, encoding: str | None) -> str:
    codec = "utf-8-sig" if encoding is None else _codec(encoding)
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = f"byte 0x{raw[exc.start]:02x} on line {line}"
        raise DataError(Problem(name, None, None, _not_text(encoding), byte)) from None


def _not_text(encoding: str | None) -> str:
    """Return what a file that is not text in its encoding was expected to be."""
    if encoding is None:
        return f"UTF-8 text; the file is not UTF-8, so {_HINT}"
    return f"text in {encoding}; the file is not, so name another encoding"


def _separator(header: str) -> str:
    """Return the separator that splits the header row into the most fields (``,`` on a tie)."""
    best, most = ",", 1
    for sep in SEPARATORS:
        fields = next(csv.reader([header], delimiter=sep), [])
        if len(fields) > most:
            best, most = sep, len(fields)
    return best


def read_user_table(path: str | Path, *, encoding: str | None = None) -> pd.DataFrame:
    """Read a user's delimited text table; every cell is a string.

    Parameters
    ----------
    path : str or Path
        The file: a header row, then one row per record, separated by commas,
        semicolons or tabs (found from the header row).
    encoding : {'utf-8', 'cp1251', 'latin-1'}, optional
        The file's encoding; UTF-8 (with or without a byte-order mark) when None.

    Returns
    -------
    pandas.DataFrame
        One column per header name (surrounding spaces removed), every cell a string
        (empty where the file has nothing); blank lines are skipped.

    Raises
    ------
    DataError
        With every problem at once, naming the file and row: no such file, not UTF-8
        (with the option that names the encoding), an unknown encoding, empty file,
        a blank or repeated column name, a row with more or fewer fields than the header.

    Examples
    --------
    >>> read_user_table("flows.csv", encoding="cp1251")  # doctest: +SKIP
    """
    path = Path(path)
    name = str(path)
    if encoding is not None:
        _codec(encoding)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(Problem(name, None, None, "a table file", "no such file")) from None
    except OSError as exc:
        raise DataError(
            Problem(name, None, None, "a readable table file", exc.strerror or str(exc))
        ) from None
    if b"\x00" in raw[:4096]:
        raise DataError(Problem(name, None, None, "a text table (CSV)", "binary data"))
    text = _decode(raw, name, encoding).lstrip("\ufeff")
    if not text.strip():
        raise DataError(Problem(name, None, None, "a header row and data rows", "an empty file"))
    sep = _separator(next(line for line in text.splitlines() if line.strip()))
    try:
        rows = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=sep) if r]
    except csv.Error as exc:
        raise DataError(Problem(name, None, None, "a well-formed table", str(exc))) from None
    header = [h.strip() for h in rows[0]]
    while len(header) > 1 and header[-1] == "":  # a spreadsheet's trailing separator
        header.pop()
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, col in enumerate(header, start=1):
        if col == "":
            problems.append(Problem(name, 0, f"column {i}", "a column name", ""))
        elif col in seen:
            problems.append(Problem(name, 0, col, "a column name used once", col))
        seen.add(col)
    width = len(header)
    data: list[list[str]] = []
    for number, row in enumerate(rows[1:], start=1):
        if len(row) > width and not any(cell.strip() for cell in row[width:]):
            row = row[:width]
        if len(row) != width:
            expected = f"{width} fields separated by '{sep}' as in the header"
            problems.append(Problem(name, number, None, expected.replace("\t", "tab"),
                                    f"{len(row)} fields"))  # fmt: skip
            continue
        data.append(row)
    if problems:
        raise DataError(problems)
    return pd.DataFrame(data, columns=header, dtype=object).astype("str")


def iter_user_table(
    path: str | Path, *, encoding: str | None = None, chunk_rows: int = 250_000
) -> Iterator[pd.DataFrame]:
    """Read a user's delimited text table in chunks; the same rules as :func:`read_user_table`.

    Separators (from the header row), byte-order mark, encodings, column names and row
    widths are checked as :func:`read_user_table` checks them, with the same one-line
    problems, but the file is read in chunks of ``chunk_rows`` rows (Arrow's CSV reader),
    so memory holds one chunk. A file the chunked reader cannot parse as it is (a row of
    the wrong width, bytes that are not text in the encoding) is read again by
    :func:`read_user_table`, which raises its one-line problems (or, for a row whose extra
    cells are empty, trims it, and the rest of the file is yielded from there).

    Yields
    ------
    pandas.DataFrame
        Chunks of rows, every cell a string; at least one (empty) chunk.

    Raises
    ------
    DataError
        As :func:`read_user_table`; a row problem stops the reading at the chunk that
        holds it, with every problem found so far.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    path = Path(path)
    name = str(path)
    codec = "utf-8-sig" if encoding is None else _codec(encoding)
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except FileNotFoundError:
        raise DataError(Problem(name, None, None, "a table file", "no such file")) from None
    except OSError as exc:
        raise DataError(
            Problem(name, None, None, "a readable table file", exc.strerror or str(exc))
        ) from None
    if b"\x00" in head:
        raise DataError(Problem(name, None, None, "a text table (CSV)", "binary data"))
    header_line, skip = "", 0
    try:
        with path.open(encoding=codec, newline="") as fh:
            for line in fh:
                skip += 1
                if line.strip():
                    header_line = line.lstrip("\ufeff").rstrip("\r\n")
                    break
    except UnicodeDecodeError:
        yield from _whole(path, encoding, chunk_rows, 0)
        return
    if not header_line.strip():
        raise DataError(Problem(name, None, None, "a header row and data rows", "an empty file"))
    sep = _separator(header_line)
    raw_names = [h.strip() for h in next(csv.reader([header_line], delimiter=sep))]
    header = list(raw_names)
    while len(header) > 1 and header[-1] == "":
        header.pop()
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, col in enumerate(header, start=1):
        if col == "":
            problems.append(Problem(name, 0, f"column {i}", "a column name", ""))
        elif col in seen:
            problems.append(Problem(name, 0, col, "a column name used once", col))
        seen.add(col)
    if problems:
        raise DataError(problems)
    extra = [f"\x00extra{i}" for i in range(len(raw_names) - len(header))]
    names = header + extra

    malformed: list[bool] = []

    def invalid(row: object) -> str:
        malformed.append(True)
        return "skip"

    arrow_codec = "utf8" if codec in ("utf-8-sig", "utf-8") else codec
    done = 0
    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(
                column_names=names, skip_rows=skip, block_size=8 << 20, encoding=arrow_codec
            ),
            parse_options=pacsv.ParseOptions(delimiter=sep, invalid_row_handler=invalid),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        pending: list[pa.RecordBatch] = []
        count = 0
        for batch in reader:
            if malformed or _wide(batch, extra):
                break
            pending.append(batch)
            count += batch.num_rows
            if count >= chunk_rows:
                yield _chunk(pending, names, extra)
                done += count
                pending, count = [], 0
        else:
            if not malformed and (pending or done == 0):
                yield _chunk(pending, names, extra)
            if not malformed:
                return
    except (pa.ArrowInvalid, UnicodeDecodeError):
        pass
    yield from _whole(path, encoding, chunk_rows, done)


def _wide(batch: object, extra: list[str]) -> bool:
    """Return True where a row has cells beyond the header's names (not only empty ones)."""
    if not extra:
        return False
    frame = batch.select(extra).to_pandas()  # type: ignore[attr-defined]
    return bool(frame.apply(lambda c: c.str.strip().ne("")).to_numpy().any())


def _chunk(batches: list, names: list[str], extra: list[str]) -> pd.DataFrame:
    import pyarrow as pa

    if batches:
        frame = pa.Table.from_batches(batches).to_pandas()
    else:
        frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in names})
    return frame.drop(columns=extra).astype("str")


def _whole(path: Path, encoding: str | None, chunk_rows: int, done: int) -> Iterator[pd.DataFrame]:
    """Read the whole file as :func:`read_user_table` does; yield its rows from ``done`` on.

    :func:`read_user_table` raises the file's problems, if any, with its one-line messages.
    """
    frame = read_user_table(path, encoding=encoding)
    if done >= len(frame) and done:
        return
    for start in range(done, max(len(frame), done + 1), chunk_rows):
        yield frame.iloc[start : start + chunk_rows].reset_index(drop=True)
