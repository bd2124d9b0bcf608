"""Corridor scenarios: demand, generalised cost, scenario files, run, compare, demo."""

from __future__ import annotations

from tumen.scenario._load import list_scenarios, load_scenario
from tumen.scenario._schema import Scenario
from tumen.scenario._tables import load_categories, load_cost_parameters, load_demand

__all__ = [
    "Scenario",
    "list_scenarios",
    "load_categories",
    "load_cost_parameters",
    "load_demand",
    "load_scenario",
]
