"""One chunk of a sweep: resolve each draw, solve it on the compiled scenario, tabulate.

A chunk is a fixed range of draw indices. It starts from the base solution's basis and
solves its draws in index order, so its result depends on the seed and the range only,
never on the worker that runs it. Every worker (process or thread) compiles a scenario
once and keeps it for the chunks that follow.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["CHUNK_TABLES", "ChunkSpec", "run_chunk"]

#: Tables every chunk returns (one row per draw, or per draw and element).
CHUNK_TABLES = ("draws", "draw_inputs", "draw_constraints", "draw_links", "draw_unmet")

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


def run_chunk(spec: ChunkSpec) -> dict[str, pd.DataFrame]:
    """Run the draws of one chunk.

    Parameters
    ----------
    spec : ChunkSpec

    Returns
    -------
    dict of str to pandas.DataFrame
        The tables :data:`CHUNK_TABLES` for the chunk's draws (see docs/sweep.md).
    """
    from tumen.scenario._resolve import draw_values, grid_points, resolve, uncertain_inputs

    compiled = _compiled(spec)
    scenario = compiled.scenario
    inputs = uncertain_inputs(scenario)
    grid = grid_points(scenario)
    compiled.restart()
    rows = compiled.rows
    people = (rows["unit"] == "persons/yr").to_numpy()
    groups = compiled.groups
    draws, ins, cons, links, unmet = [], [], [], [], []
    for index in range(spec.start, spec.stop):
        if index < spec.n_random:
            values = draw_values(inputs, spec.seed, index)
            resolved = resolve(scenario, values)
            kind, gkey, gval = "random", "", np.nan
        else:
            gkey, gval = grid[index - spec.n_random]
            values = {gkey: gval}
            resolved = resolve(scenario, fixed=values)
            kind = "grid"
        out = compiled.solve(resolved)
        demand_t = float(out.class_volume[~people].sum())
        unmet_t = float(out.class_unmet[~people].sum())
        served = demand_t - unmet_t
        draws.append((index, kind, gkey, gval, out.status, out.objective_usd, out.cost_usd,
                      out.cost_usd / served if served > 0 else np.nan, demand_t, served,
                      unmet_t, float(out.class_unmet[people].sum())))  # fmt: skip
        ins += [(index, k, float(v)) for k, v in values.items()]
        cons.append((index, out.group_capacity, out.group_flow, out.group_shadow,
                     out.group_binding))  # fmt: skip
        links.append((index, out.link_flow))
        unmet.append((index, out.class_unmet, out.class_volume))
    return {
        "draws": pd.DataFrame(
            draws,
            columns=[
                "draw",
                "kind",
                "grid_key",
                "grid_value",
                "status",
                "objective_usd",
                "cost_usd",
                "cost_per_t_usd",
                "demand_t",
                "served_t",
                "unmet_t",
                "unmet_persons",
            ],
        ),
        "draw_inputs": pd.DataFrame(ins, columns=["draw", "input", "value"]),
        "draw_constraints": _constraints(cons, groups, compiled.capacity_basis),
        "draw_links": _links(links, compiled.link_ids),
        "draw_unmet": _unmet(unmet, rows),
    }


def _constraints(parts: list[tuple[Any, ...]], groups: list[Any], basis: list[str]) -> pd.DataFrame:
    n = len(groups)
    draw = np.repeat([p[0] for p in parts], n)
    cap = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0)
    flow = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        util = np.where(cap > 0, flow / np.where(cap > 0, cap, 1.0), np.nan)
    return pd.DataFrame({
        "draw": draw.astype(np.int64),
        "constraint": np.tile([g.name for g in groups], len(parts)),
        "kind": np.tile([g.kind for g in groups], len(parts)),
        "element_id": np.tile([g.element_id for g in groups], len(parts)),
        "capacity_basis": np.tile(np.asarray(basis, dtype=object), len(parts)),
        "capacity_t_yr": cap, "flow_t_yr": flow, "utilisation": util,
        "shadow_price_usd_per_t": np.concatenate([p[3] for p in parts]) if parts else cap,
        "binding": np.concatenate([p[4] for p in parts]).astype(bool) if parts else cap > 0,
    })  # fmt: skip


def _links(parts: list[tuple[int, Any]], link_ids: list[str]) -> pd.DataFrame:
    n = len(link_ids)
    return pd.DataFrame({
        "draw": np.repeat([p[0] for p in parts], n).astype(np.int64),
        "link_id": np.tile(link_ids, len(parts)),
        "flow_t_yr": np.concatenate([p[1] for p in parts]) if parts else np.zeros(0),
    })  # fmt: skip


def _unmet(parts: list[tuple[int, Any, Any]], rows: pd.DataFrame) -> pd.DataFrame:
    """Demand and unmet demand per draw, category and unit (summed over its flows)."""
    keys = rows[["category", "unit"]].astype(str)
    codes, uniques = pd.MultiIndex.from_frame(keys).factorize()
    k = len(uniques)
    unmet = [np.bincount(codes, weights=u, minlength=k) for _, u, _ in parts]
    demand = [np.bincount(codes, weights=v, minlength=k) for _, _, v in parts]
    return pd.DataFrame({
        "draw": np.repeat([p[0] for p in parts], k).astype(np.int64),
        "category": np.tile([u[0] for u in uniques], len(parts)).astype(str),
        "unit": np.tile([u[1] for u in uniques], len(parts)).astype(str),
        "demand": np.concatenate(demand) if parts else np.zeros(0),
        "unmet": np.concatenate(unmet) if parts else np.zeros(0),
    })  # fmt: skip
