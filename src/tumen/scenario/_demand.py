"""A scenario's demand: pick each series' figure for the base year, scale it, add to it."""

from __future__ import annotations

import pandas as pd

from tumen.data._scenario import Scenario, base_value
from tumen.data._schema import DEMAND

__all__ = ["DEMAND_COLUMNS", "scenario_demand"]

#: Columns of the demand a scenario uses (one row per flow, before assignment).
DEMAND_COLUMNS = [c for c in DEMAND.column_names if c != "notes"]


def scenario_demand(scenario: Scenario, table: pd.DataFrame) -> pd.DataFrame:
    """Return the demand a scenario uses.

    For every series of the demand table the figure of the latest year at or before
    the scenario's base year is taken (every series covers every year, each with its
    ``basis``). Rows of basis ``scenario`` (expert estimates) are used only where the
    scenario sets ``include_targets``, and then replace the series' other figures. The
    result is scaled by ``scale_all``, then by category and by commodity, and the
    scenario's additions are appended (basis ``scenario``, with the sources the file names).

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    table : pandas.DataFrame
        The demand table (a :class:`tumen.data.Dataset`'s ``demand``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`DEMAND_COLUMNS`; ``quantity`` in tonnes per year or persons per
        year (see ``unit``); rows with zero quantity are dropped.
    """
    spec = scenario.demand
    table = table.copy()
    for column in ("period", "method", "observed_gateway"):
        if column not in table.columns:
            table[column] = ""
    observed = table[(table["basis"] != "scenario") & (table["year"] <= spec.base_year)]
    picked = (
        observed.sort_values(["series", "year"], kind="stable").groupby("series", sort=True).tail(1)
    )
    if spec.include_targets:
        targets = table[table["basis"] == "scenario"].sort_values(["series", "year"], kind="stable")
        targets = targets.groupby("series", sort=True).head(1)
        picked = pd.concat(
            [picked[~picked["series"].isin(targets["series"])], targets], ignore_index=True
        )
    out = picked[DEMAND_COLUMNS].copy().reset_index(drop=True)
    factor = pd.Series(base_value(spec.scale_all), index=out.index, dtype="float64")
    for category, value in spec.scale_by_category.items():
        factor = factor.where(out["category"] != category, factor * base_value(value))
    for commodity, value in spec.scale_by_commodity.items():
        factor = factor.where(out["commodity"] != commodity, factor * base_value(value))
    out["quantity"] = out["quantity"].astype("float64") * factor
    added = [
        {
            "demand_id": f"{scenario.name}:add{i}",
            "series": f"{scenario.name}:add{i}",
            "category": item.category,
            "commodity": item.commodity,
            "origin": item.origin,
            "destination": item.destination,
            "year": spec.base_year,
            "quantity": base_value(item.quantity),
            "unit": "",
            "basis": "scenario",
            "period": "",
            "method": "added by the scenario file",
            "observed_gateway": "",
            "source": item.source,
            "confidence": item.confidence,
        }
        for i, item in enumerate(spec.add, start=1)
    ]
    if added:
        out = pd.concat([out, pd.DataFrame(added, columns=DEMAND_COLUMNS)], ignore_index=True)
    out = out[out["quantity"] > 0].reset_index(drop=True)
    out["year"] = out["year"].astype("int64")
    return out
