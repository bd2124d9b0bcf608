"""Summaries of a screening result and writing it to disk atomically."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tumen._atomic import write_file_atomically
from tumen.errors import DataError, Problem
from tumen.screening._screen import VERDICTS

__all__ = ["FORMATS", "Summary", "sample_path", "summarise", "write_result"]

#: Output formats of :func:`write_result`.
FORMATS = ("csv", "parquet", "json")
#: Verdicts listed first in a summary: the rows that matter.
ATTENTION = ("prohibited", "cap_exceeded", "needs_review")


def sample_path(data_dir: Path | str | None = None) -> Path:
    """Return the path of the sample shipment table of a dataset (the bundled one if None)."""
    from tumen.data import bundled_dir
    from tumen.data._schema import SHIPMENTS

    return Path(data_dir or bundled_dir()) / SHIPMENTS.file


@dataclass(frozen=True)
class Summary:
    """What a screening result holds, for printing.

    ``counts`` maps every verdict (most severe first) to its number of rows;
    ``attention`` holds the rows that matter (prohibited, cap_exceeded, needs_review),
    most severe first, with their 1-based row number in column ``row``;
    ``measures`` maps each cited measure to the number of rows citing it;
    ``regime`` is the regime label.
    """

    counts: dict[str, int]
    attention: pd.DataFrame
    measures: dict[str, int]
    regime: str


def summarise(result: pd.DataFrame) -> Summary:
    """Count verdicts and cited measures and pick out the rows that matter.

    Parameters
    ----------
    result : pandas.DataFrame
        Output of :func:`tumen.screening.screen`.

    Returns
    -------
    Summary
    """
    counts = {v: int((result["verdict"] == v).sum()) for v in VERDICTS}
    rank = {v: i for i, v in enumerate(VERDICTS)}
    att = result.assign(row=range(1, len(result) + 1))
    att = att[att["verdict"].isin(ATTENTION)]
    att = att.assign(_rank=att["verdict"].map(rank)).sort_values(["_rank", "row"], kind="stable")
    cited = result["measures"].astype(str).str.split("; ").explode()
    cited = cited[cited.ne("")]
    measures = {str(k): int(v) for k, v in cited.value_counts().sort_index().items()}
    regime = str(result["regime"].iloc[0]) if len(result) else ""
    return Summary(counts, att.drop(columns="_rank"), measures, regime)


def write_result(result: pd.DataFrame, path: str | Path, fmt: str | None = None) -> Path:
    """Write a screening result atomically (temporary file in the same folder, then rename).

    Parameters
    ----------
    result : pandas.DataFrame
        Output of :func:`tumen.screening.screen`.
    path : str or Path
        File to write.
    fmt : {'csv', 'parquet', 'json'}, optional
        Format; taken from the file's suffix when None (``csv`` if none fits).

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    DataError
        If the format is unknown or the folder does not exist.
    """
    path = Path(path)
    if fmt is None:
        suffix = path.suffix.lower().lstrip(".")
        fmt = suffix if suffix in FORMATS else "csv"
    if fmt not in FORMATS:
        raise DataError(Problem("--format", None, "format", "one of " + ", ".join(FORMATS), fmt))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise DataError(Problem(str(path), None, None, "a file in an existing folder", str(folder)))

    def write(tmp: Path) -> None:
        if fmt == "csv":
            result.to_csv(tmp, index=False)
        elif fmt == "parquet":
            frame = result.copy()
            for col in frame.columns:
                if frame[col].dtype == object:
                    frame[col] = frame[col].astype(str)
            frame.to_parquet(tmp, index=False)
        else:
            result.to_json(tmp, orient="records", force_ascii=False, indent=1, date_format="iso")

    write_file_atomically(path, write)
    return path
