"""The hook for sweep results: read quantile tables a sweep left beside the scenario results.

A sweep (``tumen sweep``) that wants its results in the report writes, in the results
folder or in its ``sweep/`` sub-folder:

- ``quantiles.parquet``: one row per output and x position, columns ``metric`` (e.g.
  ``throughput_t_yr``), ``element_id``, ``q05, q25, q50, q75, q95`` and optionally
  ``label``, ``x`` (a number or text on the x axis: a year, a draw count; defaults to
  the element), ``unit`` and ``scenario``;
- ``binding.parquet`` (optional): ``element_id, p_binding`` (0–1), and optionally
  ``shadow_price_q50``.

The page draws a fan chart per metric and shows binding probabilities on the map.
Extra columns are ignored; without these files the report says no sweep was run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from tumen.report._escape import plain

__all__ = ["QUANTILES", "sweep_json"]

#: Quantile columns a sweep's ``quantiles.parquet`` must hold.
QUANTILES = ("q05", "q25", "q50", "q75", "q95")


def sweep_json(folder: Path | str) -> dict[str, Any] | None:
    """Return a sweep's quantiles and binding probabilities, or None if there are none.

    Parameters
    ----------
    folder : path-like
        The results folder the report is built from.

    Returns
    -------
    dict or None
        ``series``: a list of ``{metric, element_id, label, unit, points: [{x, q05, q25,
        q50, q75, q95}]}``; ``binding``: a list of ``{element_id, p_binding,
        shadow_price_q50}``.
    """
    folder = Path(folder)
    for base in (folder / "sweep", folder):
        table = base / "quantiles.parquet"
        if table.is_file():
            break
    else:
        return None
    q = pd.read_parquet(table)
    missing = [c for c in ("metric", "element_id", *QUANTILES) if c not in q.columns]
    if missing:
        return None
    series = []
    for (metric, element), part in q.groupby(["metric", "element_id"], sort=False):
        xs = part["x"] if "x" in part.columns else pd.Series([element] * len(part))
        label = part["label"].iloc[0] if "label" in part.columns else element
        unit = part["unit"].iloc[0] if "unit" in part.columns else ""
        points = [
            {"x": x, **{c: row[c] for c in QUANTILES}}
            for x, (_, row) in zip(xs, part.iterrows(), strict=True)
        ]
        series.append({"metric": metric, "element_id": element, "label": label,
                       "unit": unit, "points": points})  # fmt: skip
    binding = []
    if (base / "binding.parquet").is_file():
        b = pd.read_parquet(base / "binding.parquet")
        if {"element_id", "p_binding"} <= set(b.columns):
            cols = [c for c in ("element_id", "p_binding", "shadow_price_q50") if c in b.columns]
            binding = b[cols].to_dict("records")
    return plain({"series": series, "binding": binding})
