"""The assignment engine: networks, shortest paths, user equilibrium and least-cost flow.

It knows nothing of the corridor: any network given as arrays (or read from TNTP files)
can be solved. Configure, solve, read:

- build a :class:`Network` from link arrays (:meth:`Network.from_arrays`) or read one with
  :func:`read_tntp_net`; describe demand as :class:`TrafficClass` objects;
- :func:`solve_equilibrium` (settings :class:`EquilibriumSettings`) returns an
  :class:`EquilibriumResult` with link flows, costs and the iteration log;
- :func:`solve_min_cost_flow` (constraints :class:`CapacityConstraint`, settings
  :class:`FlowSettings`) returns a :class:`FlowResult` with flows, unmet demand and the
  shadow price of every capacity;
- :func:`shortest_path_tree` and :func:`decompose_flow` report routes.

Importing this package compiles nothing; the numba kernels compile (or load from their
cache) on first use.
"""

from __future__ import annotations

from tumen.assign._classes import TrafficClass
from tumen.assign._equilibrium import (
    EquilibriumResult,
    EquilibriumSettings,
    algorithm_b_memory_mb,
    solve_equilibrium,
)
from tumen.assign._lp import CapacityConstraint, FlowResult, FlowSettings, solve_min_cost_flow
from tumen.assign._network import VDF, Network
from tumen.assign._paths import PathFlow, PathTree, decompose_flow, shortest_path_tree
from tumen.assign._tntp import read_tntp_flow, read_tntp_net, read_tntp_trips, read_tntp_weights

__all__ = [
    "VDF",
    "CapacityConstraint",
    "EquilibriumResult",
    "EquilibriumSettings",
    "FlowResult",
    "FlowSettings",
    "Network",
    "PathFlow",
    "PathTree",
    "TrafficClass",
    "algorithm_b_memory_mb",
    "decompose_flow",
    "read_tntp_flow",
    "read_tntp_net",
    "read_tntp_trips",
    "read_tntp_weights",
    "shortest_path_tree",
    "solve_equilibrium",
    "solve_min_cost_flow",
]
