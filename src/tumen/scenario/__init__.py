"""Corridor scenarios: demand, generalised cost, scenario files, run, compare, demo.

A scenario (a YAML file) names a date, a demand set and its scaling, changes to the
network (overrides), the sanctions regime and the assignment method.
:func:`run_scenario` builds the network on the date, prices every route, assigns the
demand with :mod:`tumen.assign`, screens every routed flow with :func:`tumen.screen`
and returns a :class:`ScenarioResult` of DataFrames.

Examples
--------
>>> import tumen
>>> result = tumen.run_scenario("2021-closed")        # doctest: +SKIP
>>> result.unmet                                      # doctest: +SKIP
>>> result.to_dir("out/2021-closed")                  # Parquet + DuckDB  # doctest: +SKIP
>>> tumen.compare("2019-pre-closure", "2021-closed")  # doctest: +SKIP
"""

from __future__ import annotations

from tumen.data._scenario import Normal, Scenario, Triangular, Uniform, base_value
from tumen.scenario._compare import ComparisonResult, compare
from tumen.scenario._demand import scenario_demand
from tumen.scenario._demo import run_demo
from tumen.scenario._load import bundled_scenario_dir, list_scenarios, load_scenario
from tumen.scenario._result import TABLES, ScenarioResult, summary_text
from tumen.scenario._run import run_scenario

__all__ = [
    "TABLES",
    "ComparisonResult",
    "Normal",
    "Scenario",
    "ScenarioResult",
    "Triangular",
    "Uniform",
    "base_value",
    "bundled_scenario_dir",
    "compare",
    "list_scenarios",
    "load_scenario",
    "run_demo",
    "run_scenario",
    "scenario_demand",
    "summary_text",
]
