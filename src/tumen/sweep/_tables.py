"""A sweep's tables from its chunks' arrays: every draw's rows and the summaries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from tumen.sweep._chunk import TOTALS
from tumen.sweep._summary import (
    binding_from_arrays,
    quantiles_from_arrays,
    sensitivity_from_arrays,
)

__all__ = ["CHUNK_TABLES", "join_chunks", "sweep_tables"]

#: Tables of every draw (one row per draw, or per draw and element).
CHUNK_TABLES = ("draws", "draw_inputs", "draw_constraints", "draw_links", "draw_unmet")

_ROWS = ("draw", "grid", "status", "totals", "input_draw", "input_key", "input_value",
         "capacity", "flow", "shadow", "binding", "links", "unmet", "demand")  # fmt: skip


def join_chunks(parts: Sequence[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Join chunks' arrays in draw order (the labels are the first chunk's)."""
    parts = sorted(parts, key=lambda p: int(p["draw"][0]) if p["draw"].size else 0)
    out = {k: np.concatenate([p[k] for p in parts]) for k in _ROWS}
    out.update({k: v for k, v in parts[0].items() if k not in _ROWS})
    return out


def _text(names: Sequence[Any] | np.ndarray, codes: NDArray[np.int64]) -> pd.Series:
    """Return a text column of many rows from few distinct values (no Python objects)."""
    dtype = pd.Series([""]).dtype
    try:
        import pyarrow as pa

        values = pa.array([str(x) for x in names], type=pa.large_string())
        return pd.Series(values.take(pa.array(np.asarray(codes, dtype=np.int64))), dtype=dtype)
    except (ImportError, TypeError, ValueError):  # pragma: no cover - another str storage
        return pd.Series(np.asarray(names, dtype=object)[codes], dtype=dtype)


def _per_element(
    draw: NDArray[np.int64], labels: dict[str, np.ndarray], values: dict[str, np.ndarray]
) -> pd.DataFrame:
    """Return a long table: one row per draw and element, draws outer."""
    n, k = draw.size, len(next(iter(labels.values())))
    columns: dict[str, Any] = {"draw": np.repeat(draw, k).astype(np.int64)}
    codes = np.tile(np.arange(k, dtype=np.int64), n)
    for name, label in labels.items():
        columns[name] = _text(label, codes)
    for name, matrix in values.items():
        columns[name] = np.asarray(matrix).reshape(-1)
    return pd.DataFrame(columns)


def sweep_tables(
    arrays: dict[str, np.ndarray], draws: int, grid: Sequence[tuple[str, float]]
) -> dict[str, pd.DataFrame]:
    """Return the sweep's tables from its joined arrays (:func:`join_chunks`).

    Parameters
    ----------
    arrays : dict of str to ndarray
        Every draw's arrays, in draw order.
    draws : int
        Number of random draws (the first rows); the rest are grid points.
    grid : sequence of (str, float)
        The grid points.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``quantiles``, ``binding``, ``sensitivity``, ``grid`` and :data:`CHUNK_TABLES`
        (docs/sweep.md says every column).
    """
    a = arrays
    draw = a["draw"]
    totals = {name: a["totals"][:, i] for i, name in enumerate(TOTALS)}
    gi = a["grid"]
    is_grid = gi >= 0
    grid_keys = np.array(["", *[k for k, _ in grid]], dtype=object)
    grid_vals = np.array([np.nan, *[v for _, v in grid]], dtype=np.float64)
    table = pd.DataFrame({
        "draw": draw.astype(np.int64),
        "kind": _text(["random", "grid"], is_grid.astype(np.int64)),
        "grid_key": _text(grid_keys, gi + 1),
        "grid_value": grid_vals[gi + 1],
        "status": pd.Series(a["status"].astype(object), dtype=pd.Series([""]).dtype),
        **totals,
    })  # fmt: skip
    keys = a["input_keys"]
    inputs = pd.DataFrame({
        "draw": a["input_draw"].astype(np.int64),
        "input": _text(keys, a["input_key"]),
        "value": a["input_value"].astype(np.float64),
    })  # fmt: skip
    cap, flow = a["capacity"], a["flow"]
    with np.errstate(divide="ignore", invalid="ignore"):
        util = np.where(cap > 0, flow / np.where(cap > 0, cap, 1.0), np.nan)
    group_labels = {
        "constraint": a["group_name"], "kind": a["group_kind"],
        "element_id": a["group_element"], "capacity_basis": a["group_basis"],
    }  # fmt: skip
    constraints = _per_element(draw, group_labels, {
        "capacity_t_yr": cap, "flow_t_yr": flow, "utilisation": util,
        "shadow_price_usd_per_t": a["shadow"], "binding": a["binding"].astype(bool),
    })  # fmt: skip
    links = _per_element(draw, {"link_id": a["link_id"]}, {"flow_t_yr": a["links"]})
    unmet = _per_element(draw, {"category": a["category"], "unit": a["unit"]},
                         {"demand": a["demand"], "unmet": a["unmet"]})  # fmt: skip
    rand = draw < draws
    quantiles = quantiles_from_arrays(
        {k: v[rand] for k, v in totals.items()}, [str(x) for x in a["group_name"]],
        {"flow_t_yr": flow[rand], "utilisation": util[rand], "capacity_t_yr": cap[rand],
         "shadow_price_usd_per_t": a["shadow"][rand]},
        [str(x) for x in a["link_id"]], a["links"][rand],
        [str(x) for x in a["category"]], [str(x) for x in a["unit"]], a["unmet"][rand],
    )  # fmt: skip
    labels = pd.DataFrame({k: pd.Series(v.astype(object), dtype=pd.Series([""]).dtype)
                           for k, v in group_labels.items()})  # fmt: skip
    binding = binding_from_arrays(labels, a["binding"][rand], a["shadow"][rand])
    # sensitivity: inputs in key order, outputs the main totals and each constraint's flow
    n_keys = len(keys)
    x = np.full((draws, n_keys), np.nan)
    in_rand = a["input_draw"] < draws
    x[a["input_draw"][in_rand], a["input_key"][in_rand]] = a["input_value"][in_rand]
    seen = np.zeros(n_keys, dtype=bool)
    seen[a["input_key"][in_rand]] = True
    order = [j for j in np.argsort(keys.astype(object), kind="stable") if seen[j]]
    names = sorted(range(len(a["group_name"])), key=lambda j: str(a["group_name"][j]))
    main = ["objective_usd", "cost_usd", "served_t", "unmet_t"]
    y = np.column_stack([*(totals[m][rand] for m in main), flow[rand][:, names]])
    sensitivity = sensitivity_from_arrays(
        x[:, order], [str(keys[j]) for j in order], y,
        [*main, *(f"constraint_flow:{a['group_name'][j]}" for j in names)],
    )  # fmt: skip
    grid_table = table[table["kind"] == "grid"].drop(columns=["kind"]).reset_index(drop=True)
    return {
        "quantiles": quantiles,
        "binding": binding,
        "sensitivity": sensitivity,
        "grid": grid_table,
        "draws": table,
        "draw_inputs": inputs,
        "draw_constraints": constraints,
        "draw_links": links,
        "draw_unmet": unmet,
    }
