"""Traffic (or commodity) classes: who travels, how much, where they may go, what they pay."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tumen.assign._network import Network
from tumen.errors import DataError, Problem

__all__ = ["TrafficClass"]


@dataclass(frozen=True, eq=False)
class TrafficClass:
    """One class of demand: its OD volumes, vehicle equivalence, allowed links and cost weights.

    The generalised cost of link ``a`` for this class, in the network's time unit, is::

        cost[a] = time[a] + toll_weight * toll[a] + distance_weight * length[a] + fixed_cost[a]

    where ``time[a]`` is the link's volume-delay time at the total flow in passenger-car
    equivalents (PCE). Links where ``allowed`` is False are never used by this class.

    Attributes
    ----------
    name : str
        Unique name of the class (used in results).
    origins, destinations : ndarray of int64
        Node index of each OD pair's origin and destination.
    volumes : ndarray of float64
        Demand of each OD pair, in the class's own units (vehicles, tonnes...) per period.
    pce : float
        Passenger-car equivalent: PCE units of congestion per unit of this class's flow.
    allowed : ndarray of bool or None
        Per link, whether the class may use it; None allows every link.
    toll_weight : float
        Time units per money unit of toll (e.g. minutes per cent).
    distance_weight : float
        Time units per distance unit.
    fixed_cost : ndarray of float64 or None
        Extra cost per unit of flow on each link for this class, in time units (e.g. a
        handling charge that differs by commodity); None for none.
    unmet_cost : float or None
        For :func:`tumen.assign.solve_min_cost_flow` only: cost per unit of demand left
        unserved, in cost units; None uses the settings' default.
    """

    name: str
    origins: NDArray[np.int64]
    destinations: NDArray[np.int64]
    volumes: NDArray[np.float64]
    pce: float = 1.0
    allowed: NDArray[np.bool_] | None = None
    toll_weight: float = 0.0
    distance_weight: float = 0.0
    fixed_cost: NDArray[np.float64] | None = None
    unmet_cost: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "origins", np.asarray(self.origins, dtype=np.int64).ravel())
        object.__setattr__(
            self, "destinations", np.asarray(self.destinations, dtype=np.int64).ravel()
        )
        object.__setattr__(self, "volumes", np.asarray(self.volumes, dtype=np.float64).ravel())
        if self.allowed is not None:
            object.__setattr__(self, "allowed", np.asarray(self.allowed, dtype=np.bool_).ravel())
        if self.fixed_cost is not None:
            object.__setattr__(
                self, "fixed_cost", np.asarray(self.fixed_cost, dtype=np.float64).ravel()
            )
        problems: list[Problem] = []
        where = f"class '{self.name}'"
        n = self.origins.shape[0]
        if self.destinations.shape[0] != n or self.volumes.shape[0] != n:
            problems.append(
                Problem(
                    where,
                    None,
                    "destinations/volumes",
                    f"{n} values, one per origin",
                    f"{self.destinations.shape[0]}/{self.volumes.shape[0]}",
                )
            )
        else:
            for i in np.flatnonzero(~np.isfinite(self.volumes) | (self.volumes < 0))[:20]:
                problems.append(
                    Problem(
                        where, int(i) + 1, "volume", "a finite number >= 0", str(self.volumes[i])
                    )
                )
        if not (np.isfinite(self.pce) and self.pce > 0):
            problems.append(Problem(where, None, "pce", "a number > 0", str(self.pce)))
        for name in ("toll_weight", "distance_weight"):
            if not np.isfinite(getattr(self, name)):
                problems.append(
                    Problem(where, None, name, "a finite number", str(getattr(self, name)))
                )
        if self.unmet_cost is not None and not (
            np.isfinite(self.unmet_cost) and self.unmet_cost >= 0
        ):
            problems.append(
                Problem(where, None, "unmet_cost", "a finite number >= 0", str(self.unmet_cost))
            )
        if problems:
            raise DataError(problems)

    @classmethod
    def from_matrix(
        cls, name: str, matrix: ArrayLike, zones: ArrayLike, **settings: object
    ) -> TrafficClass:
        """Build a class from a dense zone-by-zone demand matrix.

        Parameters
        ----------
        name : str
            Name of the class.
        matrix : array_like of float, shape (n_zones, n_zones)
            Demand from zone ``i`` to zone ``j``, in the class's units per period.
        zones : array_like of int
            Node index of each zone (e.g. :attr:`Network.zones`).
        **settings
            Other :class:`TrafficClass` fields (``pce``, ``allowed``, ...).

        Returns
        -------
        TrafficClass
        """
        mat = np.asarray(matrix, dtype=np.float64)
        zone_nodes = np.asarray(zones, dtype=np.int64)
        if mat.shape != (zone_nodes.shape[0], zone_nodes.shape[0]):
            raise DataError(
                Problem(
                    f"class '{name}'",
                    None,
                    "matrix",
                    f"a {zone_nodes.shape[0]}x{zone_nodes.shape[0]} matrix",
                    str(mat.shape),
                )
            )
        rows, cols = np.nonzero(mat)
        return cls(name, zone_nodes[rows], zone_nodes[cols], mat[rows, cols], **settings)  # type: ignore[arg-type]

    def check(self, network: Network) -> None:
        """Check this class against a network (node indices, mask and cost lengths).

        Raises
        ------
        tumen.errors.DataError
            Listing every problem found.
        """
        problems: list[Problem] = []
        where = f"class '{self.name}'"
        for field, arr in (("origin", self.origins), ("destination", self.destinations)):
            for i in np.flatnonzero((arr < 0) | (arr >= network.num_nodes))[:20]:
                problems.append(
                    Problem(
                        where,
                        int(i) + 1,
                        field,
                        f"a node index in 0..{network.num_nodes - 1}",
                        str(arr[i]),
                    )
                )
        for field, arr in (("allowed", self.allowed), ("fixed_cost", self.fixed_cost)):
            if arr is not None and arr.shape != (network.num_links,):
                problems.append(
                    Problem(where, None, field, f"{network.num_links} values", str(arr.shape))
                )
        if self.fixed_cost is not None and self.fixed_cost.shape == (network.num_links,):
            for i in np.flatnonzero(~np.isfinite(self.fixed_cost) | (self.fixed_cost < 0))[:20]:
                problems.append(
                    Problem(
                        where,
                        int(i) + 1,
                        "fixed_cost",
                        "a finite number >= 0",
                        str(self.fixed_cost[i]),
                    )
                )
        if problems:
            raise DataError(problems)

    def static_cost(self, network: Network) -> NDArray[np.float64]:
        """Return the flow-independent part of this class's link cost, in time units.

        ``toll_weight * toll + distance_weight * length + fixed_cost``, and ``+inf`` on links
        the class may not use.
        """
        cost = self.toll_weight * network.toll + self.distance_weight * network.length
        if self.fixed_cost is not None:
            cost = cost + self.fixed_cost
        if self.allowed is not None:
            cost = np.where(self.allowed, cost, np.inf)
        return np.ascontiguousarray(cost, dtype=np.float64)
