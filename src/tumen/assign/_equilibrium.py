"""Static user equilibrium: settings, the one solve call, and its result."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Literal, get_args

import numpy as np
from numpy.typing import NDArray

from tumen.assign._classes import TrafficClass
from tumen.assign._measure import Progress, link_times
from tumen.assign._network import Network
from tumen.assign._prepare import prepare_classes
from tumen.errors import DataError, Problem

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Algorithm",
    "EquilibriumResult",
    "EquilibriumSettings",
    "algorithm_b_memory_mb",
    "choose_algorithm",
    "solve_equilibrium",
]

Algorithm = Literal["auto", "bfw", "cfw", "fw", "algorithm-b"]
ALGORITHMS: tuple[str, ...] = get_args(Algorithm)
_LOG_COLUMNS = ("iteration", "relative_gap", "average_excess_cost", "objective", "seconds")

#: ``auto`` picks Algorithm B for target gaps below this, BFW at or above it.
AUTO_TIGHT_GAP = 1e-4


@dataclass(frozen=True)
class EquilibriumSettings:
    """How to solve a user equilibrium.

    Attributes
    ----------
    algorithm : {"auto", "bfw", "cfw", "fw", "algorithm-b"}
        Bi-conjugate, conjugate or plain Frank-Wolfe, Dial's bush-based Algorithm B, or
        ``"auto"`` (the default): BFW for target gaps of :data:`AUTO_TIGHT_GAP` (1e-4) and
        above, Algorithm B below, unless Algorithm B's bushes would need more than
        ``memory_budget_mb`` (then BFW). The result says which ran and why.
    target_gap : float
        Target relative gap (see :func:`solve_equilibrium`); default 1e-4.
    max_iter : int
        Most iterations (shortest-path rounds) before stopping; default 1000.
    time_limit : float or None
        Most seconds before stopping; None for no limit.
    store_origin_flows : bool
        Keep each origin's link flows in the result (needed for :meth:`EquilibriumResult.paths`);
        memory origins x links per class. Algorithm B keeps them at no extra cost.
    inner_passes : int
        Algorithm B only: most flow-shifting sweeps over the bushes not yet near
        equilibrium between two bush updates.
    memory_budget_mb : float
        ``auto`` only: most megabytes Algorithm B's bushes may take (estimated by
        :func:`algorithm_b_memory_mb`) before BFW is used instead; default 1024.
    gap : float or None
        Former name of ``target_gap``, still accepted; None (default) to use
        ``target_gap``.
    """

    algorithm: Algorithm = "auto"
    target_gap: float = 1e-4
    max_iter: int = 1000
    time_limit: float | None = None
    store_origin_flows: bool = False
    inner_passes: int = 20
    memory_budget_mb: float = 1024.0
    gap: float | None = None

    def __post_init__(self) -> None:
        if self.gap is not None:
            object.__setattr__(self, "target_gap", float(self.gap))
        object.__setattr__(self, "gap", self.target_gap)
        problems = []
        if self.algorithm not in ALGORITHMS:
            problems.append(
                Problem(
                    "settings",
                    None,
                    "algorithm",
                    "one of " + ", ".join(ALGORITHMS),
                    str(self.algorithm),
                )
            )
        if not (np.isfinite(self.target_gap) and self.target_gap > 0):
            problems.append(
                Problem("settings", None, "target_gap", "a number > 0", str(self.target_gap))
            )
        if not self.memory_budget_mb > 0:
            problems.append(
                Problem(
                    "settings", None, "memory_budget_mb", "a number > 0", str(self.memory_budget_mb)
                )
            )
        if self.max_iter < 1:
            problems.append(
                Problem("settings", None, "max_iter", "an integer >= 1", str(self.max_iter))
            )
        if self.time_limit is not None and not self.time_limit > 0:
            problems.append(
                Problem(
                    "settings", None, "time_limit", "a number of seconds > 0", str(self.time_limit)
                )
            )
        if self.inner_passes < 0:
            problems.append(
                Problem("settings", None, "inner_passes", "an integer >= 0", str(self.inner_passes))
            )
        if problems:
            raise DataError(problems)


@dataclass(frozen=True, eq=False)
class EquilibriumResult:
    """The outcome of :func:`solve_equilibrium`.

    Attributes
    ----------
    network : Network
        The network solved.
    link_flow : ndarray of float64
        Total flow per link, in PCE per period.
    link_time : ndarray of float64
        Travel time per link at ``link_flow`` (time units).
    class_flows : dict of str to ndarray
        Flow per link of each class, in the class's own units per period.
    class_costs : dict of str to ndarray
        Generalised cost per link for each class (time units per unit; ``inf`` where closed).
    iteration_log : ndarray of float64, shape (iterations, 5)
        One row per iteration: iteration, relative gap, average excess cost, objective and
        seconds since the start of the solve (:attr:`iterations` as a table).
    converged : bool
        Whether the target gap was reached.
    algorithm : str
        The algorithm used (never ``"auto"``).
    origin_flows : mapping of str to (ndarray, ndarray) or None
        Per class: origin node indices and their link flows (origins x links, class units),
        where kept (Algorithm B builds a class's rows from its compact bushes when first
        asked).
    algorithm_reason : str
        Why this algorithm ran (for ``auto``: the rule that chose it), one sentence.
    """

    network: Network
    link_flow: NDArray[np.float64]
    link_time: NDArray[np.float64]
    class_flows: dict[str, NDArray[np.float64]]
    class_costs: dict[str, NDArray[np.float64]]
    iteration_log: NDArray[np.float64]
    converged: bool
    algorithm: str
    origin_flows: Mapping[str, tuple[NDArray[np.int64], NDArray[np.float64]]] | None = field(
        default=None, repr=False
    )
    algorithm_reason: str = ""

    @cached_property
    def iterations(self) -> pd.DataFrame:
        """The iteration log as a table (built on first use).

        One row per iteration: ``iteration``, ``relative_gap``, ``average_excess_cost``,
        ``objective`` and ``seconds`` (since the start of the solve).
        """
        import pandas as pd

        table = pd.DataFrame(self.iteration_log, columns=list(_LOG_COLUMNS))
        return table.astype({"iteration": np.int64})

    @property
    def relative_gap(self) -> float:
        """Relative gap of the returned solution."""
        return float(self.iteration_log[-1, 1])

    @property
    def average_excess_cost(self) -> float:
        """Average excess cost of the returned solution (time units per PCE unit of demand)."""
        return float(self.iteration_log[-1, 2])

    @property
    def objective(self) -> float:
        """Beckmann objective of the returned solution."""
        return float(self.iteration_log[-1, 3])

    def link_table(self) -> pd.DataFrame:
        """Return one row per link: ``from``, ``to`` (node ids), ``flow`` (PCE), ``time``."""
        import pandas as pd

        net = self.network
        table = pd.DataFrame(
            {
                "from": net.node_ids[net.from_node],
                "to": net.node_ids[net.to_node],
                "flow": self.link_flow,
                "time": self.link_time,
            }
        )
        for name, cost in self.class_costs.items():
            if len(self.class_costs) == 1:
                table["cost"] = cost
            else:
                table[f"cost_{name}"] = cost
        return table

    def paths(self, class_name: str, tolerance: float = 1e-9) -> pd.DataFrame:
        """Decompose a class's origin flows into OD paths (see :func:`decompose_flow`).

        Raises
        ------
        KeyError
            If origin flows were not kept (set ``store_origin_flows``) or the class is
            unknown.
        """
        from tumen.assign._paths import paths_table

        if self.origin_flows is None:
            raise KeyError("origin flows were not kept; solve with store_origin_flows=True")
        origins, flows = self.origin_flows[class_name]
        return paths_table(self.network, origins, flows, self.class_costs[class_name], tolerance)


def quiet_idle_threads() -> None:
    """Let numba's OpenMP threads sleep between parallel regions unless the user said otherwise.

    By default OpenMP threads spin for a while after each parallel region; the serial
    parts between (Algorithm B's flow shifts, the line search) then share the cores with
    spinning threads, and on a shared machine so does everyone else. Setting
    ``OMP_WAIT_POLICY=PASSIVE`` before the OpenMP runtime starts (its first parallel
    kernel) cut Chicago Sketch's BFW run at 1e-4 from 5.4 to 4.0 s of CPU on a loaded
    2-core machine. A value the user set is kept.
    """
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def algorithm_b_memory_mb(network: Network, classes: Sequence[TrafficClass]) -> float:
    """Estimate the megabytes Algorithm B's bushes take on a network.

    One bush per (class, origin) pair, each about a shortest-path tree and a quarter more
    (12 bytes per bush link, at most every link; see :mod:`tumen.assign._kernels_bush`),
    plus the work arrays of each thread.
    """
    origins = sum(int(np.unique(c.origins[c.volumes > 0]).shape[0]) for c in classes)
    per_bush = min(network.num_links, 1.25 * network.num_nodes) * 12.0
    return (origins * per_bush + 64.0 * (network.num_nodes + network.num_links)) / 2**20


def choose_algorithm(
    network: Network, classes: Sequence[TrafficClass], settings: EquilibriumSettings
) -> tuple[str, str]:
    """Return the algorithm :func:`solve_equilibrium` runs, and why, in one sentence."""
    if settings.algorithm != "auto":
        return settings.algorithm, "chosen in the settings"
    gap = settings.target_gap
    if gap >= AUTO_TIGHT_GAP:
        return "bfw", (
            f"auto: the target gap {gap:.0e} is loose (>= {AUTO_TIGHT_GAP:.0e}), "
            "where bi-conjugate Frank-Wolfe is quickest"
        )
    need = algorithm_b_memory_mb(network, classes)
    budget = settings.memory_budget_mb
    if need > budget:
        return "bfw", (
            f"auto: the target gap {gap:.0e} is tight, but Algorithm B's bushes "
            f"would need about {need:,.0f} MB, above the {budget:,.0f} MB budget"
        )
    return "algorithm-b", (
        f"auto: the target gap {gap:.0e} is tight (< {AUTO_TIGHT_GAP:.0e}) "
        f"and Algorithm B's bushes need about {need:,.0f} MB, within the "
        f"{budget:,.0f} MB budget"
    )


def solve_equilibrium(
    network: Network,
    classes: Sequence[TrafficClass] | TrafficClass,
    settings: EquilibriumSettings | None = None,
) -> EquilibriumResult:
    """Solve the static multi-class user equilibrium on a network.

    Each class routes its demand on paths of least generalised cost (see
    :class:`TrafficClass`); link times follow each link's volume-delay function of the
    total flow in PCE. Working in PCE units (class flow times its PCE) keeps the problem
    symmetric, so it is the minimum of the Beckmann objective
    ``sum_a integral_0^{v_a} t_a(u) du + sum_k sum_a static_ka * x_ka``.

    Convergence is measured as TNTP and AequilibraE define it, with ``TC`` the total
    cost ``sum_k sum_a x_ka * c_ka`` (PCE flow times the class's generalised cost) and
    ``SPC`` the cost if all demand used current shortest paths,
    ``sum_k sum_od d_kod * kappa_kod`` (PCE):

    - relative gap ``= (TC - SPC) / TC``;
    - average excess cost ``= (TC - SPC) / sum_k sum_od d_kod`` (time units per PCE unit).

    Parameters
    ----------
    network : Network
        The network.
    classes : TrafficClass or sequence of TrafficClass
        The demand classes.
    settings : EquilibriumSettings, optional
        Algorithm, target gap and limits; default :class:`EquilibriumSettings()`.

    Returns
    -------
    EquilibriumResult
        Flows, times, costs and the iteration log. If the target gap was not reached the
        result is still returned, with ``converged`` False.

    Raises
    ------
    tumen.errors.DataError
        For bad classes (node indices, lengths, negative costs) or OD pairs with demand
        but no open path.

    Warns
    -----
    tumen.errors.ConvergenceWarning
        When the iteration or time limit stops the run before the target gap.

    References
    ----------
    M. Beckmann, C. B. McGuire and C. B. Winsten (1956), *Studies in the Economics of
    Transportation*; R. B. Dial (2006), Transportation Research Part B 40(10), 917-936;
    M. Mitradjieva and P. O. Lindberg (2013), Transportation Science 47(2), 280-293.

    Examples
    --------
    Two parallel links with times ``1 + x`` and ``2 + 2x`` share 3 units: equal times need
    ``x = (7/3, 2/3)``.

    >>> net = Network.from_arrays([0, 0], [1, 1], [1.0, 2.0], [1.0, 1.0], alpha=1.0, beta=1.0)
    >>> trips = TrafficClass("car", [0], [1], [3.0])
    >>> res = solve_equilibrium(net, trips, EquilibriumSettings(target_gap=1e-10))
    >>> res.algorithm
    'algorithm-b'
    >>> [round(float(f), 6) for f in res.link_flow]
    [2.333333, 0.666667]
    """
    settings = settings or EquilibriumSettings()
    quiet_idle_threads()
    if isinstance(classes, TrafficClass):
        classes = [classes]
    arrays = prepare_classes(network, classes)
    algorithm, reason = choose_algorithm(network, classes, settings)
    progress = Progress(settings.target_gap, settings.max_iter, settings.time_limit)
    origin_flows: Mapping[str, tuple[NDArray[np.int64], NDArray[np.float64]]] | None = None
    if algorithm == "algorithm-b":
        from tumen.assign._algorithm_b import run_algorithm_b

        x, origin_flows = run_algorithm_b(network, arrays, progress, settings.inner_passes)
    else:
        from tumen.assign._frank_wolfe import run_frank_wolfe

        flows = run_frank_wolfe(network, arrays, algorithm, progress, settings.store_origin_flows)
        x = np.stack([f.sum(axis=0) for f in flows])
        if settings.store_origin_flows:
            origin_flows = {
                c.name: (c.origins, f / c.pce) for c, f in zip(arrays, flows, strict=True)
            }
    v = x.sum(axis=0)
    t = link_times(network, v)
    log = np.array(progress.rows, dtype=np.float64).reshape(-1, len(_LOG_COLUMNS))
    return EquilibriumResult(
        network=network,
        link_flow=v,
        link_time=t,
        class_flows={c.name: x[k] / c.pce for k, c in enumerate(arrays)},
        class_costs={c.name: t + c.static for c in arrays},
        iteration_log=log,
        converged=progress.converged,
        algorithm=algorithm,
        origin_flows=origin_flows,
        algorithm_reason=reason,
    )
