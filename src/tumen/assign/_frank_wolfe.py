"""Frank-Wolfe, conjugate and bi-conjugate Frank-Wolfe (link-based) equilibrium.

References: M. Frank and P. Wolfe (1956), Naval Research Logistics Quarterly 3, 95-110;
M. Mitradjieva and P. O. Lindberg (2013), "The stiff is moving - conjugate direction
Frank-Wolfe methods with applications to traffic assignment", Transportation Science
47(2), 280-293.
"""

from __future__ import annotations

from collections.abc import Sequence

import numba
import numpy as np
from numpy.typing import NDArray

from tumen.assign import _kernels_vdf as kv
from tumen.assign._kernels_paths import all_or_nothing, all_or_nothing_by_origin
from tumen.assign._measure import Progress, gap_of, link_times
from tumen.assign._network import Network
from tumen.assign._prepare import ClassArrays, raise_unreachable

__all__ = ["run_frank_wolfe"]

_MAX_CONJ = 1.0 - 1e-6


def _aon(
    network: Network,
    cls: ClassArrays,
    t: NDArray[np.float64],
    by_origin: bool,
    out: NDArray[np.float64],
) -> tuple[float, int]:
    cost = t + cls.static
    load, target = (all_or_nothing_by_origin, out) if by_origin else (all_or_nothing, out[0])
    sp, lost = load(
        cls.origins,
        cls.dem_ptr,
        cls.dem_dest,
        cls.dem_vol,
        network.out_ptr,
        network.out_links,
        network.from_node,
        network.to_node,
        cost,
        network.no_thru,
        numba.get_num_threads(),
        target,
    )
    return float(sp), int(lost)


def run_frank_wolfe(
    network: Network,
    classes: Sequence[ClassArrays],
    method: str,
    progress: Progress,
    by_origin: bool,
) -> list[NDArray[np.float64]]:
    """Run ``fw``, ``cfw`` or ``bfw`` until ``progress`` says stop.

    Returns, per class, its PCE flows: shape (1, links), or (origins, links) when
    ``by_origin``.
    """
    shapes = [(cls.origins.shape[0] if by_origin else 1, network.num_links) for cls in classes]
    x = [np.zeros(s) for s in shapes]
    y = [np.zeros(s) for s in shapes]
    t = network.free_flow_time.copy()
    lost = 0
    for k, cls in enumerate(classes):
        lost += _aon(network, cls, t, by_origin, x[k])[1]
    if lost:
        raise_unreachable(network, classes)
    s_prev: list[NDArray[np.float64]] | None = None
    s_prev2: list[NDArray[np.float64]] | None = None
    tau_prev = 1.0
    n_conj = 0
    dt = np.empty(network.num_links)
    args = (network.free_flow_time, network.capacity, network.vdf, network.alpha, network.beta)
    while True:
        xk = np.stack([xi.sum(axis=0) for xi in x])
        v = xk.sum(axis=0)
        t = link_times(network, v)
        sp = 0.0
        for k, cls in enumerate(classes):
            sp += _aon(network, cls, t, by_origin, y[k])[0]
        if progress.record(gap_of(network, classes, xk, t, sp)):
            break
        yv = sum(yi.sum(axis=0) for yi in y)
        if method == "fw" or s_prev is None or n_conj == 0 or tau_prev >= _MAX_CONJ:
            s = [yi.copy() for yi in y]
            n_conj = 1
        else:
            kv.derivatives(v, *args, dt)
            sv = sum(si.sum(axis=0) for si in s_prev)
            if method == "cfw" or s_prev2 is None or n_conj == 1:
                num = kv.dot((sv - v) * dt, yv - v)
                den = kv.dot((sv - v) * dt, yv - sv)
                alpha = num / den if den != 0.0 else 0.0
                alpha = max(alpha, 0.0)
                if alpha >= _MAX_CONJ:  # no new information: restart from the AON target
                    s = [yi.copy() for yi in y]
                    n_conj = 0
                else:
                    s = [
                        alpha * sp_ + (1.0 - alpha) * yi for sp_, yi in zip(s_prev, y, strict=True)
                    ]
            else:
                sv2 = sum(si.sum(axis=0) for si in s_prev2)
                d2 = tau_prev * sv - v + (1.0 - tau_prev) * sv2
                d1 = sv - v
                den_mu = kv.dot(d2 * dt, sv2 - sv)
                mu = -kv.dot(d2 * dt, yv - v) / den_mu if den_mu != 0.0 else 0.0
                mu = max(0.0, mu)
                den_nu = kv.dot(d1 * dt, d1)
                nu = -kv.dot(d1 * dt, yv - v) / den_nu if den_nu != 0.0 else 0.0
                nu = max(0.0, nu + mu * tau_prev / (1.0 - tau_prev))
                b0 = 1.0 / (1.0 + mu + nu)
                if b0 <= 1.0 - _MAX_CONJ:  # no new information: restart from the AON target
                    s = [yi.copy() for yi in y]
                    n_conj = 0
                else:
                    s = [
                        b0 * yi + nu * b0 * s1 + mu * b0 * s2
                        for yi, s1, s2 in zip(y, s_prev, s_prev2, strict=True)
                    ]
            n_conj += 1
        d = [si - xi for si, xi in zip(s, x, strict=True)]
        dv = sum(di.sum(axis=0) for di in d)
        slope = sum(
            kv.dot(di.sum(axis=0), cls.static_finite) for di, cls in zip(d, classes, strict=True)
        )
        tau = float(kv.line_search(v, dv, slope, *args))
        for xi, di in zip(x, d, strict=True):
            xi += tau * di
        s_prev2, s_prev = s_prev, s
        tau_prev = tau
        if tau <= 1e-12:
            n_conj = 0
    return x
