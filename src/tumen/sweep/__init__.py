"""Monte Carlo sweeps over a scenario's uncertain assumptions.

:func:`run_sweep` draws the scenario's distributions (seeded by draw index), solves each
draw on the scenario compiled once, and summarises: quantiles of flows, utilisation,
costs and unmet demand, the probability that each capacity binds with its shadow
price's distribution, and the sensitivity of the main outputs to each input. The tables
and their columns are listed in docs/sweep.md.
"""

from tumen.sweep._run import SweepInterrupted, SweepResult, chunk_dir, run_sweep
from tumen.sweep._summary import first_order

__all__ = ["SweepInterrupted", "SweepResult", "chunk_dir", "first_order", "run_sweep"]
