"""Summaries of a sweep's draws: quantiles, binding probabilities, sensitivity.

The work is done on wide arrays (one row per draw, one column per element), which is
how a sweep's chunks return their draws; the functions on long tables (one row per draw
and element) turn them into such arrays first.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray

__all__ = [
    "QUANTILES",
    "binding_from_arrays",
    "binding_table",
    "first_order",
    "quantile_table",
    "quantiles_from_arrays",
    "sensitivity_from_arrays",
    "sensitivity_table",
]

#: Quantiles reported for every output (columns ``q05`` ... ``q95``).
QUANTILES = (0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95)
_QCOLS = [f"q{round(q * 100):02d}" for q in QUANTILES]
_STATS = ["draws", "mean", "sd", "min", "max", *_QCOLS]


def _column_stats(values: NDArray[np.float64]) -> dict[str, NDArray[np.float64]]:
    """Count, mean, sd, min, max and quantiles of each column, NaN skipped (as pandas)."""
    values = np.asarray(values, dtype=np.float64)
    if values.ndim == 1:
        values = values[:, None]
    ok = ~np.isnan(values)
    count = ok.sum(axis=0)
    out: dict[str, NDArray[np.float64]] = {"draws": count.astype(np.int64)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns give NaN
        if ok.all():
            out["mean"] = values.mean(axis=0) if len(values) else np.full(values.shape[1], np.nan)
            out["sd"] = values.std(axis=0, ddof=1) if len(values) > 1 else np.full(
                values.shape[1], np.nan)  # fmt: skip
            out["min"] = values.min(axis=0, initial=np.inf) if len(values) else out["mean"]
            out["max"] = values.max(axis=0, initial=-np.inf) if len(values) else out["mean"]
            q = (np.quantile(values, QUANTILES, axis=0) if len(values)
                 else np.full((len(QUANTILES), values.shape[1]), np.nan))  # fmt: skip
        else:
            out["mean"] = np.nanmean(values, axis=0)
            out["sd"] = np.where(count > 1, np.nanstd(values, axis=0, ddof=1), np.nan)
            out["min"] = np.nanmin(values, axis=0)
            out["max"] = np.nanmax(values, axis=0)
            q = np.nanquantile(values, QUANTILES, axis=0)
    for name, row in zip(_QCOLS, q, strict=True):
        out[name] = row
    return out


def _stats_frame(names: Sequence[str], values: NDArray[np.float64]) -> pd.DataFrame:
    """One row per element (sorted by name, as a group-by sorts): its statistics."""
    order = np.argsort(np.asarray(names, dtype=object), kind="stable")
    stats = _column_stats(values)
    return pd.DataFrame({"element_id": np.asarray(names, dtype=object)[order],
                         **{name: stats[name][order] for name in _STATS}})  # fmt: skip


def quantiles_from_arrays(
    totals: dict[str, NDArray[np.float64]],
    group_names: Sequence[str],
    group_values: dict[str, NDArray[np.float64]],
    link_ids: Sequence[str],
    link_flow: NDArray[np.float64],
    categories: Sequence[str],
    units: Sequence[str],
    unmet: NDArray[np.float64],
) -> pd.DataFrame:
    """Return mean, sd, min, max and quantiles of every output over the draws given.

    Parameters
    ----------
    totals : dict of str to ndarray
        Per-draw totals by column of the ``draws`` table (``objective_usd`` ...).
    group_names : sequence of str
        Capacity constraints, the columns of ``group_values``.
    group_values : dict of str to ndarray
        ``flow_t_yr``, ``utilisation``, ``capacity_t_yr``, ``shadow_price_usd_per_t``:
        draws x constraints.
    link_ids : sequence of str
        Corridor links, the columns of ``link_flow`` (draws x links).
    link_flow : ndarray
    categories, units : sequence of str
        Category and unit of each column of ``unmet`` (draws x columns).
    unmet : ndarray

    Returns
    -------
    pandas.DataFrame
        ``metric, element_id, unit, draws, mean, sd, min, max, q05 ... q95``.
    """
    parts = []
    for col, unit in (("objective_usd", "USD/yr"), ("cost_usd", "USD/yr"),
                      ("cost_per_t_usd", "USD/t"), ("demand_t", "t/yr"),
                      ("served_t", "t/yr"), ("unmet_t", "t/yr"),
                      ("unmet_persons", "persons/yr")):  # fmt: skip
        parts.append(_stats_frame([""], totals[col]).assign(metric=col, unit=unit))
    for col, unit in (("flow_t_yr", "t/yr"), ("utilisation", "share"), ("capacity_t_yr", "t/yr"),
                      ("shadow_price_usd_per_t", "USD/(t/yr)")):  # fmt: skip
        frame = _stats_frame(group_names, group_values[col])
        parts.append(frame.assign(metric=f"constraint_{col}", unit=unit))
    parts.append(_stats_frame(link_ids, link_flow).assign(metric="link_flow_t_yr", unit="t/yr"))
    unit_arr = np.asarray(units, dtype=object)
    for unit in sorted(set(units)):
        cols = np.flatnonzero(unit_arr == unit)
        frame = _stats_frame([categories[c] for c in cols], unmet[:, cols])
        parts.append(frame.assign(metric="unmet_by_category", unit=str(unit)))
    cols = ["metric", "element_id", "unit", *_STATS]
    out = pd.concat(parts, ignore_index=True)[cols]
    return out.astype({"draws": "int64", "metric": "str", "element_id": "str", "unit": "str"})


def quantile_table(
    draws: pd.DataFrame, constraints: pd.DataFrame, links: pd.DataFrame, unmet: pd.DataFrame
) -> pd.DataFrame:
    """Return mean, sd, min, max and quantiles of every output over the random draws.

    Parameters
    ----------
    draws, constraints, links, unmet : pandas.DataFrame
        The random draws' ``draws``, ``draw_constraints``, ``draw_links`` and
        ``draw_unmet`` tables.

    Returns
    -------
    pandas.DataFrame
        ``metric, element_id, unit, draws, mean, sd, min, max, q05 ... q95``.
    """
    totals = {c: draws[c].to_numpy(dtype=np.float64) for c in draws.columns
              if c not in ("draw", "kind", "grid_key", "grid_value", "status")}  # fmt: skip
    names_of = ("flow_t_yr", "utilisation", "capacity_t_yr", "shadow_price_usd_per_t")
    values = {c: constraints.pivot(index="draw", columns="constraint", values=c)  # noqa: PD010
              for c in names_of}  # fmt: skip
    names = [str(x) for x in values["flow_t_yr"].columns]
    lf = links.pivot(index="draw", columns="link_id", values="flow_t_yr")  # noqa: PD010
    um = unmet.pivot(index="draw", columns=["category", "unit"], values="unmet")  # noqa: PD010
    return quantiles_from_arrays(
        totals, names, {k: v.to_numpy(dtype=np.float64) for k, v in values.items()},
        [str(x) for x in lf.columns], lf.to_numpy(dtype=np.float64),
        [str(c) for c, _ in um.columns], [str(u) for _, u in um.columns],
        um.to_numpy(dtype=np.float64),
    )  # fmt: skip


def binding_from_arrays(
    labels: pd.DataFrame, binding: NDArray[np.bool_], shadow: NDArray[np.float64]
) -> pd.DataFrame:
    """Return each capacity's probability of binding and its shadow price's distribution.

    Parameters
    ----------
    labels : pandas.DataFrame
        One row per capacity: ``constraint, kind, element_id`` (and ``capacity_basis``).
    binding, shadow : ndarray
        Draws x capacities: whether it binds, its shadow price (USD per t/yr).

    Returns
    -------
    pandas.DataFrame
        See :func:`binding_table`.
    """
    binding = np.asarray(binding, dtype=bool)
    shadow = np.asarray(shadow, dtype=np.float64)
    stats = _column_stats(shadow)
    out = labels.reset_index(drop=True).copy()
    out["draws"] = np.full(len(out), binding.shape[0], dtype=np.int64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        out["p_binding"] = binding.mean(axis=0) if len(binding) else np.nan
        out["shadow_price_mean"] = stats["mean"]
        out["shadow_price_sd"] = stats["sd"]
        for name in _QCOLS:
            out[f"shadow_price_{name}"] = stats[name]
        out["shadow_price_max"] = stats["max"]
        hits = binding.sum(axis=0)
        total = np.where(binding & ~np.isnan(shadow), shadow, 0.0).sum(axis=0)
        out["shadow_price_mean_when_binding"] = np.where(hits > 0, total / np.maximum(hits, 1),
                                                         np.nan)  # fmt: skip
    out = out.astype({"draws": "int64", "p_binding": "float64"})
    out = out.sort_values("constraint", kind="stable")
    return out.sort_values(["p_binding", "constraint"], ascending=[False, True],
                           kind="stable").reset_index(drop=True)  # fmt: skip


def binding_table(constraints: pd.DataFrame) -> pd.DataFrame:
    """Return each capacity's probability of binding and its shadow price's distribution.

    Parameters
    ----------
    constraints : pandas.DataFrame
        The random draws' ``draw_constraints``.

    Returns
    -------
    pandas.DataFrame
        ``constraint, kind, element_id, capacity_basis`` (where the draws say it),
        ``draws, p_binding, shadow_price_mean, shadow_price_sd, shadow_price_q05 ...
        shadow_price_q95, shadow_price_max, shadow_price_mean_when_binding``, likeliest
        to bind first.
    """
    keys = ["constraint", "kind", "element_id"]
    if "capacity_basis" in constraints.columns:  # one basis per constraint
        keys.append("capacity_basis")
    labels = constraints[keys].drop_duplicates("constraint").sort_values("constraint")
    b = constraints.pivot(index="draw", columns="constraint", values="binding")  # noqa: PD010
    s = constraints.pivot(index="draw", columns="constraint",  # noqa: PD010
                          values="shadow_price_usd_per_t")  # fmt: skip
    order = labels["constraint"].tolist()
    return binding_from_arrays(labels, b[order].to_numpy(dtype=bool),
                               s[order].to_numpy(dtype=np.float64))  # fmt: skip


def first_order(x: np.ndarray, y: np.ndarray, bins: int = 20) -> float:
    """Estimate the first-order (main-effect) variance share of ``y`` due to ``x``.

    The correlation ratio ``Var(E[y | x]) / Var(y)``, with ``E[y | x]`` taken within
    bins of ``x``: its distinct values when there are at most ``bins`` of them (a
    discrete input), else ``bins`` bins of equal count. It estimates the first-order
    Sobol index of ``x`` when the inputs are independent.

    Parameters
    ----------
    x, y : ndarray
        One input's and one output's values over the same draws.
    bins : int
        Most bins.

    Returns
    -------
    float
        In [0, 1]; NaN when ``y`` or ``x`` does not vary.

    References
    ----------
    A. Saltelli et al. (2008), *Global Sensitivity Analysis: The Primer*, Wiley, ch. 1.2.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if y.size < 2 or np.ptp(y) == 0 or np.ptp(x) == 0:
        return float("nan")
    distinct = np.unique(x)
    if distinct.size <= bins:
        codes = np.searchsorted(distinct, x)
    else:
        edges = np.quantile(x, np.linspace(0, 1, bins + 1)[1:-1])
        codes = np.searchsorted(edges, x, side="right")
    count = np.bincount(codes)
    mean_b = np.bincount(codes, weights=y)[count > 0] / count[count > 0]
    total = y.mean()
    between = float((count[count > 0] * (mean_b - total) ** 2).sum())
    return min(max(between / float(((y - total) ** 2).sum()), 0.0), 1.0)


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if x.size < 2 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return float("nan")
    return float(np.corrcoef(rankdata(x), rankdata(y))[0, 1])


def rankdata(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return the ranks of ``values`` (1-based), ties at their average rank.

    The ``average`` method of ``scipy.stats.rankdata``, here so that a sweep does not
    import ``scipy.stats`` (seconds of start-up) for one function.
    """
    values = np.asarray(values)
    order = np.argsort(values, kind="mergesort")
    ordered = values[order]
    first = np.r_[True, ordered[1:] != ordered[:-1]]
    dense = np.cumsum(first)
    bounds = np.r_[np.flatnonzero(first), values.size]
    ranks = np.empty(values.size, dtype=np.float64)
    ranks[order] = 0.5 * (bounds[dense] + bounds[dense - 1] + 1)
    return ranks


def _ranks(values: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.column_stack([rankdata(values[:, j]) for j in range(values.shape[1])]) if \
        values.shape[1] else values  # fmt: skip


def sensitivity_from_arrays(
    inputs: NDArray[np.float64],
    input_names: Sequence[str],
    outputs: NDArray[np.float64],
    output_names: Sequence[str],
) -> pd.DataFrame:
    """Return each output's sensitivity to each input, from draws x columns arrays.

    Parameters
    ----------
    inputs : ndarray
        Draws x inputs (NaN where a draw has no value).
    input_names : sequence of str
    outputs : ndarray
        Draws x outputs.
    output_names : sequence of str

    Returns
    -------
    pandas.DataFrame
        ``output, input, spearman, first_order``, one row per output and input (outputs
        outer, in the order given).
    """
    x = np.asarray(inputs, dtype=np.float64)
    y = np.asarray(outputs, dtype=np.float64)
    n_in, n_out = x.shape[1], y.shape[1]
    rho = np.full((n_out, n_in), np.nan)
    fo = np.full((n_out, n_in), np.nan)
    if np.isfinite(x).all() and np.isfinite(y).all() and len(x) >= 2:
        # every pair on the same draws: ranks and bins once per column
        rx, ry = _ranks(x), _ranks(y)
        zx = rx - rx.mean(axis=0)
        zy = ry - ry.mean(axis=0)
        nx, ny = np.sqrt((zx**2).sum(axis=0)), np.sqrt((zy**2).sum(axis=0))
        vary_x, vary_y = np.ptp(x, axis=0) > 0, np.ptp(y, axis=0) > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            rho = (zy.T @ zx) / np.outer(ny, nx)
        rho = np.clip(rho, -1.0, 1.0)
        total = y.mean(axis=0)
        spread = ((y - total) ** 2).sum(axis=0)
        for j in range(n_in):
            codes = _bins(x[:, j])
            count = np.bincount(codes)
            onehot = np.zeros((count.size, codes.size))
            onehot[codes, np.arange(codes.size)] = 1.0
            sums = onehot @ y
            used = count > 0
            mean_b = sums[used] / count[used, None]
            between = (count[used, None] * (mean_b - total) ** 2).sum(axis=0)
            with np.errstate(divide="ignore", invalid="ignore"):
                fo[:, j] = np.clip(between / spread, 0.0, 1.0)
        keep = np.outer(vary_y, vary_x)
        rho = np.where(keep, rho, np.nan)
        fo = np.where(keep, fo, np.nan)
    elif len(x):
        for i in range(n_out):
            for j in range(n_in):
                rho[i, j] = _spearman(x[:, j], y[:, i])
                fo[i, j] = first_order(x[:, j], y[:, i])
    return pd.DataFrame({
        "output": np.repeat(np.asarray(output_names, dtype=object), n_in),
        "input": np.tile(np.asarray(input_names, dtype=object), n_out),
        "spearman": rho.ravel(), "first_order": fo.ravel(),
    }).astype({"output": "str", "input": "str", "spearman": "float64",
               "first_order": "float64"})  # fmt: skip


def _bins(x: NDArray[np.float64], bins: int = 20) -> NDArray[np.int64]:
    """Bin codes of :func:`first_order`: distinct values, or equal-count bins."""
    distinct = np.unique(x)
    if distinct.size <= bins:
        return np.searchsorted(distinct, x)
    edges = np.quantile(x, np.linspace(0, 1, bins + 1)[1:-1])
    return np.searchsorted(edges, x, side="right")


def sensitivity_table(
    draws: pd.DataFrame, inputs: pd.DataFrame, constraints: pd.DataFrame
) -> pd.DataFrame:
    """Return each main output's sensitivity to each uncertain input.

    The main outputs are the totals of the ``draws`` table and each capacity's flow
    (``constraint_flow:<name>``).

    Parameters
    ----------
    draws, inputs, constraints : pandas.DataFrame
        The random draws' ``draws``, ``draw_inputs`` and ``draw_constraints`` tables.

    Returns
    -------
    pandas.DataFrame
        ``output, input, spearman`` (rank correlation, -1 to 1) and ``first_order``
        (variance share, see :func:`first_order`); NaN where either does not vary.
    """
    cols = ["output", "input", "spearman", "first_order"]
    if inputs.empty or draws.empty:
        return pd.DataFrame(columns=cols).astype({"spearman": "float64",
                                                  "first_order": "float64"})  # fmt: skip
    x = inputs.pivot(index="draw", columns="input", values="value").sort_index()  # noqa: PD010
    totals = draws.set_index("draw")[["objective_usd", "cost_usd", "served_t", "unmet_t"]]
    flows = constraints.pivot(index="draw", columns="constraint", values="flow_t_yr")  # noqa: PD010
    flows.columns = [f"constraint_flow:{c}" for c in flows.columns]
    y = totals.join(flows).reindex(x.index)
    return sensitivity_from_arrays(
        x.to_numpy(dtype=np.float64), [str(c) for c in x.columns],
        y.to_numpy(dtype=np.float64), [str(c) for c in y.columns],
    )  # fmt: skip
