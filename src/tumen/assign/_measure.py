"""Convergence measures shared by the equilibrium algorithms (relative gap, AEC, objective)."""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from tumen.assign._network import Network
from tumen.assign._prepare import ClassArrays
from tumen.errors import ConvergenceWarning

__all__ = ["Gap", "Progress", "gap_of", "link_times"]


@dataclass(frozen=True)
class Gap:
    """Measures of one solution: total cost, shortest-path cost, relative gap, AEC, objective."""

    total_cost: float
    shortest_cost: float
    relative_gap: float
    average_excess_cost: float
    objective: float


def link_times(network: Network, v: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return every link's travel time at total flows ``v`` (time units)."""
    from tumen.assign import _kernels_vdf as kv

    out = np.empty_like(v)
    kv.times(
        v, network.free_flow_time, network.capacity, network.vdf, network.alpha, network.beta, out
    )
    return out


def gap_of(
    network: Network,
    classes: Sequence[ClassArrays],
    x: NDArray[np.float64],
    t: NDArray[np.float64],
    shortest_cost: float,
) -> Gap:
    """Measure a solution from its class flows ``x`` (PCE, classes x links) and times ``t``.

    ``total_cost = sum_k sum_a x[k, a] * (t[a] + static[k, a])`` and ``shortest_cost`` is
    ``sum_k sum_od demand * shortest-path cost`` at the same times (both PCE x time units);
    relative gap is ``(total_cost - shortest_cost) / total_cost`` and average excess cost is
    ``(total_cost - shortest_cost) / total demand``.
    """
    from tumen.assign import _kernels_vdf as kv

    v = x.sum(axis=0)
    total = kv.dot(v, t)
    fixed = 0.0
    for k, cls in enumerate(classes):
        fixed += kv.dot(x[k], cls.static_finite)
    total += fixed
    demand = sum(c.total_demand for c in classes)
    excess = total - shortest_cost
    objective = fixed + float(
        kv.beckmann(
            v, network.free_flow_time, network.capacity, network.vdf, network.alpha, network.beta
        )
    )
    rg = excess / total if total > 0 else 0.0
    aec = excess / demand if demand > 0 else 0.0
    return Gap(total, shortest_cost, rg, aec, objective)


@dataclass
class Progress:
    """Iteration log and stopping rule of one run."""

    target_gap: float
    max_iter: int
    time_limit: float | None
    start: float = field(default_factory=time.perf_counter)
    rows: list[tuple[int, float, float, float, float]] = field(default_factory=list)
    converged: bool = False

    def record(self, gap: Gap) -> bool:
        """Log one iteration's measures; return True when the run should stop."""
        elapsed = time.perf_counter() - self.start
        it = len(self.rows) + 1
        self.rows.append((it, gap.relative_gap, gap.average_excess_cost, gap.objective, elapsed))
        if gap.relative_gap <= self.target_gap:
            self.converged = True
            return True
        if it >= self.max_iter or (self.time_limit is not None and elapsed >= self.time_limit):
            warnings.warn(
                f"stopped after {it} iterations ({elapsed:.1f} s) at relative gap "
                f"{gap.relative_gap:.3g}, above the target {self.target_gap:.3g}",
                ConvergenceWarning,
                stacklevel=4,
            )
            return True
        return False
