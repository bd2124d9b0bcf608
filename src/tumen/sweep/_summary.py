"""Summaries of a sweep's draws: quantiles, binding probabilities, sensitivity."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import rankdata

__all__ = ["QUANTILES", "binding_table", "first_order", "quantile_table", "sensitivity_table"]

#: Quantiles reported for every output (columns ``q05`` ... ``q95``).
QUANTILES = (0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95)
_QCOLS = [f"q{round(q * 100):02d}" for q in QUANTILES]


def _stats(frame: pd.DataFrame, by: list[str], value: str) -> pd.DataFrame:
    grouped = frame.groupby(by, sort=True)[value]
    out = grouped.agg(["count", "mean", "std", "min", "max"]).rename(
        columns={"count": "draws", "std": "sd"}
    )
    q = grouped.quantile(list(QUANTILES)).unstack()  # noqa: PD010
    q.columns = _QCOLS
    return out.join(q).reset_index()


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
    parts = []
    for col, unit in (("objective_usd", "USD/yr"), ("cost_usd", "USD/yr"),
                      ("cost_per_t_usd", "USD/t"), ("demand_t", "t/yr"),
                      ("served_t", "t/yr"), ("unmet_t", "t/yr"),
                      ("unmet_persons", "persons/yr")):  # fmt: skip
        s = _stats(draws.assign(_k=""), ["_k"], col).rename(columns={"_k": "element_id"})
        parts.append(s.assign(metric=col, unit=unit))
    for col, unit in (
        ("flow_t_yr", "t/yr"),
        ("utilisation", "share"),
        ("capacity_t_yr", "t/yr"),
        ("shadow_price_usd_per_t", "USD/(t/yr)"),
    ):
        s = _stats(constraints, ["constraint"], col).rename(columns={"constraint": "element_id"})
        parts.append(s.assign(metric=f"constraint_{col}", unit=unit))
    s = _stats(links, ["link_id"], "flow_t_yr").rename(columns={"link_id": "element_id"})
    parts.append(s.assign(metric="link_flow_t_yr", unit="t/yr"))
    u = unmet.assign(element_id=unmet["category"])
    for unit, frame in u.groupby("unit", sort=True):
        s = _stats(frame, ["element_id"], "unmet")
        parts.append(s.assign(metric="unmet_by_category", unit=str(unit)))
    cols = ["metric", "element_id", "unit", "draws", "mean", "sd", "min", "max", *_QCOLS]
    out = pd.concat(parts, ignore_index=True)[cols]
    return out.astype({"draws": "int64"})


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
    g = constraints.groupby(keys, sort=True)
    out = (
        g["binding"].agg(["count", "mean"]).rename(columns={"count": "draws", "mean": "p_binding"})
    )
    sp = g["shadow_price_usd_per_t"]
    out["shadow_price_mean"] = sp.mean()
    out["shadow_price_sd"] = sp.std()
    q = sp.quantile(list(QUANTILES)).unstack()  # noqa: PD010
    q.columns = [f"shadow_price_{c}" for c in _QCOLS]
    out = out.join(q)
    out["shadow_price_max"] = sp.max()
    bound = constraints[constraints["binding"]]
    out["shadow_price_mean_when_binding"] = bound.groupby(keys, sort=True)[
        "shadow_price_usd_per_t"
    ].mean()
    out = out.reset_index().astype({"draws": "int64", "p_binding": "float64"})
    return out.sort_values(["p_binding", "constraint"], ascending=[False, True],
                           kind="stable").reset_index(drop=True)  # fmt: skip


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
    rows = []
    for out in y.columns:
        yv = y[out].to_numpy(dtype=np.float64)
        for name in x.columns:
            xv = x[name].to_numpy(dtype=np.float64)
            rows.append((out, name, _spearman(xv, yv), first_order(xv, yv)))
    return pd.DataFrame(rows, columns=cols)
