"""Logit choice probabilities over stacked alternatives, and their derivatives.

All choice sets are stacked into one table of alternatives: ``group`` says which
choice set (class) an alternative belongs to, ``nest`` which nest (a class's routes of
one mode chain). Utilities are linear in the parameters except the nest scale, so a
design matrix ``X`` (one column per parameter) gives ``V = X @ theta + offset``.

With nest scale ``lam`` = 1 the model is the multinomial logit; with ``0 < lam < 1``
it is the two-level nested logit (mode chain, then route):

``P(i) = P(n) P(i | n)``, ``P(i | n) = exp(V_i / lam) / sum_{j in n} exp(V_j / lam)``,
``P(n) = exp(I_n) / sum_m exp(I_m)``, ``I_n = lam log sum_{j in n} exp(V_j / lam)``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["log_probability_jacobian", "probabilities"]


def _segment_sum(values: NDArray[np.float64], index: NDArray[np.int64], size: int) -> NDArray:
    """Sum rows of ``values`` (1-D or 2-D) by ``index``."""
    if values.ndim == 1:
        return np.bincount(index, weights=values, minlength=size)
    out = np.zeros((size, values.shape[1]))
    np.add.at(out, index, values)
    return out


def _parts(
    v: NDArray[np.float64], group: NDArray[np.int64], nest: NDArray[np.int64], lam: float
) -> dict[str, NDArray[np.float64]]:
    n_groups = int(group.max()) + 1 if group.size else 0
    n_nests = int(nest.max()) + 1 if nest.size else 0
    nest_group = np.zeros(n_nests, dtype=np.int64)
    nest_group[nest] = group
    nest_top = np.full(n_nests, -np.inf)
    np.maximum.at(nest_top, nest, v)
    w = np.exp((v - nest_top[nest]) / lam)
    s_nest = _segment_sum(w, nest, n_nests)  # at least 1
    p_in = w / s_nest[nest]
    inclusive = nest_top + lam * np.log(s_nest)  # I_n
    top = np.full(n_groups, -np.inf)
    np.maximum.at(top, nest_group, inclusive)
    inc = inclusive - top[nest_group]  # I_n less its group's largest
    e_nest = np.exp(inc)
    p_nest = e_nest / _segment_sum(e_nest, nest_group, n_groups)[nest_group]
    return {"p": p_nest[nest] * p_in, "p_in": p_in, "p_nest": p_nest, "inc": inc,
            "shift": top, "nest_group": nest_group}  # fmt: skip


def probabilities(
    v: NDArray[np.float64],
    group: NDArray[np.int64],
    nest: NDArray[np.int64] | None = None,
    nest_scale: float = 1.0,
) -> NDArray[np.float64]:
    """Return each alternative's choice probability within its group.

    Parameters
    ----------
    v : ndarray
        Utility of each alternative.
    group : ndarray of int
        Choice set (0 .. G-1) of each alternative.
    nest : ndarray of int, optional
        Nest (0 .. N-1, each inside one group) of each alternative; one nest per
        alternative (multinomial logit) when None.
    nest_scale : float, default 1.0
        Nest scale in (0, 1]; 1 is the multinomial logit.

    Returns
    -------
    ndarray
        Probabilities, summing to 1 in each group.
    """
    nest = np.arange(v.size) if nest is None else nest
    return _parts(v, group, nest, nest_scale)["p"]


def log_probability_jacobian(
    v: NDArray[np.float64],
    x: NDArray[np.float64],
    group: NDArray[np.int64],
    nest: NDArray[np.int64] | None = None,
    nest_scale: float = 1.0,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Return probabilities and the derivatives of their logs.

    Parameters
    ----------
    v : ndarray
        Utilities, ``(n,)``.
    x : ndarray
        Derivatives of the utilities with respect to the linear parameters, ``(n, k)``.
    group, nest, nest_scale
        As in :func:`probabilities`.

    Returns
    -------
    p : ndarray
        Probabilities ``(n,)``.
    dlogp : ndarray
        ``d log P_i / d theta_j``, ``(n, k)``.
    dlogp_scale : ndarray
        ``d log P_i / d nest_scale``, ``(n,)``.
    """
    nest = np.arange(v.size) if nest is None else nest
    lam = nest_scale
    parts = _parts(v, group, nest, lam)
    p, p_in = parts["p"], parts["p_in"]
    n_groups = parts["shift"].size
    n_nests = parts["p_nest"].size
    # d log P_i / dV_k = d_ik / lam + [k in n(i)] P(k|n) (1 - 1/lam) - P_k
    x_nest = _segment_sum(p_in[:, None] * x, nest, n_nests)
    x_group = _segment_sum(p[:, None] * x, group, n_groups)
    dlogp = x / lam + (1.0 - 1.0 / lam) * x_nest[nest] - x_group[group]
    # d log P_i / d lam, utilities fixed (shifted by the group's largest: invariant)
    vs = v - parts["shift"][group]
    v_bar = _segment_sum(p_in * vs, nest, n_nests)
    g = (parts["inc"] - v_bar) / lam
    g_group = _segment_sum(parts["p_nest"] * g, parts["nest_group"], n_groups)
    dscale = -(vs - v_bar[nest]) / lam**2 + g[nest] - g_group[group]
    return p, dlogp, dscale
