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

The tables ``tumen sweep --out DIR`` writes (``quantiles`` with one row per metric and
element and no ``x``; ``binding`` with a row per constraint, two for a link) are drawn
as three charts across elements: facility throughput, link flows and unmet demand by
category (the busiest :data:`SWEEP_TOP` elements that carry anything in some draw); a
link's binding probability is its likelier direction's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from tumen.report._escape import plain

__all__ = ["QUANTILES", "sweep_json"]

#: Quantile columns a sweep's ``quantiles.parquet`` must hold.
QUANTILES = ("q05", "q25", "q50", "q75", "q95")

#: Most elements one chart of a ``tumen sweep`` result shows (the busiest).
SWEEP_TOP = 12

#: ``tumen sweep`` metrics charted: metric written, element prefix, metric shown, label.
_SWEEP_CHARTS = (
    ("constraint_flow_t_yr", "facility:", "throughput_t_yr", "facilities"),
    ("link_flow_t_yr", "", "link_flow_t_yr", "corridor links"),
    ("unmet_by_category", "", "unmet", "demand categories"),
)


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
    if _is_sweep_table(q):
        q = _from_sweep_quantiles(q)
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
        if "constraint" in b.columns and "element_id" in b.columns:  # tumen sweep's table
            b = _from_sweep_binding(b)
        if {"element_id", "p_binding"} <= set(b.columns):
            cols = [c for c in ("element_id", "p_binding", "shadow_price_q50") if c in b.columns]
            binding = b[cols].to_dict("records")
    return plain({"series": series, "binding": binding})


def _is_sweep_table(q: pd.DataFrame) -> bool:
    """Say whether a quantile table is the one ``tumen sweep`` writes (one row per element)."""
    if "x" in q.columns or not {"metric", "element_id", "draws", "max"} <= set(q.columns):
        return False
    return bool(q["metric"].isin([c[0] for c in _SWEEP_CHARTS]).any())


def _from_sweep_quantiles(q: pd.DataFrame) -> pd.DataFrame:
    """Return ``tumen sweep``'s quantile table in the hook's layout (one series a chart)."""
    parts = []
    for written, prefix, metric, label in _SWEEP_CHARTS:
        rows = q[(q["metric"] == written) & q["element_id"].astype(str).str.startswith(prefix)]
        rows = rows[rows["max"] > 0]  # elements that carry something in some draw
        for unit, part in rows.groupby("unit", sort=True):
            top = part.sort_values(["q50", "element_id"], ascending=[False, True],
                                   kind="stable").head(SWEEP_TOP)  # fmt: skip
            parts.append(pd.DataFrame({
                "metric": metric, "element_id": f"{label} ({unit})", "label": label,
                "unit": str(unit),
                "x": top["element_id"].astype(str).str.removeprefix(prefix).to_numpy(),
                **{c: top[c].to_numpy(dtype=float) for c in QUANTILES},
            }))  # fmt: skip
    if not parts:
        return pd.DataFrame(columns=["metric", "element_id", *QUANTILES])
    return pd.concat(parts, ignore_index=True)


def _from_sweep_binding(b: pd.DataFrame) -> pd.DataFrame:
    """Return ``tumen sweep``'s binding table with one row per element (likeliest first)."""
    out = b.sort_values(["p_binding", "element_id"], ascending=[False, True], kind="stable")
    return out.drop_duplicates("element_id").reset_index(drop=True)
