"""One chunk of a sweep: draw, solve on the compiled scenario, return compact arrays.

A chunk is a fixed range of draw indices. It starts from the base solution's basis and
solves its draws in index order, so its result depends on the seed and the range only,
never on the worker that runs it. Every worker (process or thread) compiles a scenario
once and keeps it for the chunks that follow. A chunk returns numpy arrays (one row per
draw, one column per element), cheap to send and to keep; :mod:`tumen.sweep._tables`
turns them into the sweep's tables.
"""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["TOTALS", "ChunkSpec", "input_keys", "run_chunk"]

#: Per-draw totals, in the order of a chunk's ``totals`` columns.
TOTALS = ("objective_usd", "cost_usd", "cost_per_t_usd", "demand_t", "served_t", "unmet_t",
          "unmet_persons")  # fmt: skip

_local = threading.local()


@dataclass(frozen=True)
class ChunkSpec:
    """What a worker needs to run one chunk (plain data, cheap to send).

    Attributes
    ----------
    scenario : dict
        The scenario as ``Scenario.model_dump(mode="json")``.
    data_dir : str or None
        Dataset folder, None for the bundled dataset.
    seed : int
        The sweep's seed.
    start, stop : int
        Draw indices ``start <= i < stop``.
    n_random : int
        Number of random draws; index ``n_random + j`` is grid point ``j``.
    """

    scenario: dict[str, Any]
    data_dir: str | None
    seed: int
    start: int
    stop: int
    n_random: int


def _compiled(spec: ChunkSpec) -> Any:
    """Return this worker's compiled scenario, building it on first use."""
    import json

    from tumen.data import load
    from tumen.data._scenario import Scenario
    from tumen.scenario._compiled import compile_scenario

    key = (json.dumps(spec.scenario, sort_keys=True), spec.data_dir)
    cache = getattr(_local, "cache", None)
    if cache is None or cache[0] != key:
        scenario = Scenario.model_validate(spec.scenario)
        compiled = compile_scenario(scenario, load(spec.data_dir))
        _local.cache = cache = (key, compiled)
    return cache[1]


def input_keys(scenario: Any) -> list[str]:
    """Return the key paths of ``draw_inputs``: uncertain inputs, then new grid keys."""
    from tumen.scenario._resolve import grid_points, uncertain_inputs

    keys = [i.key for i in uncertain_inputs(scenario)]
    for key, _ in grid_points(scenario):
        if key not in keys:
            keys.append(key)
    return keys


def run_chunk(spec: ChunkSpec) -> dict[str, np.ndarray]:
    """Run the draws of one chunk.

    Parameters
    ----------
    spec : ChunkSpec

    Returns
    -------
    dict of str to ndarray
        ``draw`` (index), ``grid`` (grid point or -1), ``status``, ``totals`` (draws x
        :data:`TOTALS`), ``input_draw``/``input_key``/``input_value`` (one entry per
        value drawn or set; the key as its position in :func:`input_keys`),
        ``capacity``, ``flow``, ``shadow``, ``binding`` (draws x capacity groups),
        ``links`` (draws x corridor links), ``unmet`` and ``demand`` (draws x
        category and unit, :func:`categories`), and the labels of those columns
        (``group_name``, ``group_kind``, ``group_element``, ``group_basis``,
        ``link_id``, ``category``, ``unit``, ``input_keys``).
    """
    from tumen.scenario._resolve import draw_values, grid_points, uncertain_inputs

    compiled = _compiled(spec)
    scenario = compiled.scenario
    inputs = uncertain_inputs(scenario)
    grid = grid_points(scenario)
    keys = input_keys(scenario)
    position = {k: i for i, k in enumerate(keys)}
    compiled.restart()
    rows = compiled.rows
    people = (rows["unit"] == "persons/yr").to_numpy()
    codes, cats, units = categories(rows)
    n, g, n_links = spec.stop - spec.start, len(compiled.groups), len(compiled.link_ids)
    totals = np.zeros((n, len(TOTALS)))
    capacity, flow, shadow = np.zeros((n, g)), np.zeros((n, g)), np.zeros((n, g))
    binding = np.zeros((n, g), dtype=bool)
    links = np.zeros((n, n_links))
    unmet, demand = np.zeros((n, len(cats))), np.zeros((n, len(cats)))
    status, grid_of = [], np.full(n, -1, dtype=np.int64)
    in_draw: list[int] = []
    in_key: list[int] = []
    in_value: list[float] = []
    collect = gc.isenabled()
    gc.disable()  # the loop makes no cycles; the collector's passes cost a few per cent
    try:
        for j, index in enumerate(range(spec.start, spec.stop)):
            if index < spec.n_random:
                values = draw_values(inputs, spec.seed, index)
                out = compiled.solve_draw(values)
            else:
                grid_of[j] = index - spec.n_random
                gkey, gval = grid[grid_of[j]]
                values = {gkey: gval}
                out = compiled.solve_draw(None, values)
            demand_t = float(out.class_volume[~people].sum())
            unmet_t = float(out.class_unmet[~people].sum())
            served = demand_t - unmet_t
            totals[j] = (out.objective_usd, out.cost_usd,
                         out.cost_usd / served if served > 0 else np.nan, demand_t, served,
                         unmet_t, float(out.class_unmet[people].sum()))  # fmt: skip
            status.append(out.status)
            for k, v in values.items():
                in_draw.append(index)
                in_key.append(position[k])
                in_value.append(float(v))
            capacity[j], flow[j], shadow[j] = out.group_capacity, out.group_flow, out.group_shadow
            binding[j] = out.group_binding
            links[j] = out.link_flow
            unmet[j] = np.bincount(codes, weights=out.class_unmet, minlength=len(cats))
            demand[j] = np.bincount(codes, weights=out.class_volume, minlength=len(cats))
    finally:
        if collect:
            gc.enable()
    groups = compiled.groups
    return {
        "draw": np.arange(spec.start, spec.stop, dtype=np.int64),
        "grid": grid_of,
        "status": np.array(status, dtype=str),
        "totals": totals,
        "input_draw": np.array(in_draw, dtype=np.int64),
        "input_key": np.array(in_key, dtype=np.int64),
        "input_value": np.array(in_value, dtype=np.float64),
        "capacity": capacity,
        "flow": flow,
        "shadow": shadow,
        "binding": binding,
        "links": links,
        "unmet": unmet,
        "demand": demand,
        "group_name": np.array([gr.name for gr in groups], dtype=str),
        "group_kind": np.array([gr.kind for gr in groups], dtype=str),
        "group_element": np.array([gr.element_id for gr in groups], dtype=str),
        "group_basis": np.array(compiled.capacity_basis, dtype=str),
        "link_id": np.array(compiled.link_ids, dtype=str),
        "category": np.array(cats, dtype=str),
        "unit": np.array(units, dtype=str),
        "input_keys": np.array(keys, dtype=str),
    }


def categories(rows: Any) -> tuple[np.ndarray, list[str], list[str]]:
    """Return each demand row's (category, unit) code and the categories and units."""
    import pandas as pd

    keys = rows[["category", "unit"]].astype(str)
    codes, uniques = pd.MultiIndex.from_frame(keys).factorize()
    return np.asarray(codes), [str(u[0]) for u in uniques], [str(u[1]) for u in uniques]
