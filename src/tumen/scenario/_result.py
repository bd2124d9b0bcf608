"""The result of a scenario run: a frozen set of DataFrames, written and read as a folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from tumen.data._scenario import Scenario
from tumen.errors import ScenarioError
from tumen.scenario._io import read_tables, write_dir_atomically, write_tables

__all__ = ["TABLES", "ScenarioResult"]

#: Result tables, in the order they are written.
TABLES = (
    "meta",
    "demand",
    "link_flows",
    "facility_use",
    "routes",
    "bottlenecks",
    "unmet",
    "findings",
    "iterations",
)


@dataclass(frozen=True, eq=False)
class ScenarioResult:
    """Everything a scenario run produced.

    Every table carries the columns ``scenario`` (the scenario's name) and
    ``counterfactual`` (True for a sanctions-lifted counterfactual), so that no row
    of a counterfactual can be mistaken for a run under the measures in force.

    Attributes
    ----------
    scenario : Scenario
        The scenario that was run.
    meta : pandas.DataFrame
        One row: ``scenario, title`` (prefixed ``COUNTERFACTUAL:`` where it is one),
        ``date, regime, counterfactual, method, status, objective_usd`` (USD per year),
        ``iterations, gap, seconds, demand_t, served_t, unmet_t`` (tonnes per year),
        ``demand_persons, unmet_persons`` (persons per year), ``findings`` (rows of the
        findings table) and ``description``.
    demand : pandas.DataFrame
        The demand used (:func:`tumen.scenario.scenario_demand` plus ``unit``).
    link_flows : pandas.DataFrame
        Flow per corridor link, direction, gauge layer and commodity: ``link_id,
        from_id, to_id, mode, layer, commodity, flow`` (t/yr or persons/yr), ``unit,
        capacity_t_yr, utilisation`` (flow of all classes in tonne-equivalents over
        capacity).
    facility_use : pandas.DataFrame
        ``facility_id, place_id, kind, cargo_class, throughput_t_yr, capacity_t_yr,
        utilisation``.
    routes : pandas.DataFrame
        For each origin–destination and commodity, each path used: ``origin,
        destination, commodity, category, flow, unit, share, path`` (places joined by
        ``>``), ``modes, links, time_h, time_days`` (hours and days including border
        dwell, handling and gauge changes) and the cost per tonne (or person) in USD:
        ``line_haul_usd, time_usd, handling_usd, transshipment_usd, border_usd,
        zone_fee_usd, total_usd``.
    bottlenecks : pandas.DataFrame
        Each capacity constraint: ``constraint, kind`` (link or facility), ``element_id,
        capacity_t_yr, flow_t_yr, utilisation, shadow_price_usd_per_t`` (the LP dual:
        USD per year saved per extra tonne per year of capacity; NaN in equilibrium) and
        ``capacity_basis`` (``sourced``, ``estimate`` for an engineering estimate, or
        ``scenario`` where the scenario file set it).
    unmet : pandas.DataFrame
        Demand not served: ``origin, destination, commodity, category, demand, unmet,
        unit, reason``.
    findings : pandas.DataFrame
        The screening step's rows (:func:`tumen.screening.screen`) for every flow a
        measure covers, with ``quantity`` and the measure.
    iterations : pandas.DataFrame
        The solver's iterations table (equilibrium) or one row (LP).
    """

    scenario: Scenario
    meta: pd.DataFrame
    demand: pd.DataFrame
    link_flows: pd.DataFrame
    facility_use: pd.DataFrame
    routes: pd.DataFrame
    bottlenecks: pd.DataFrame
    unmet: pd.DataFrame
    findings: pd.DataFrame
    iterations: pd.DataFrame

    @property
    def name(self) -> str:
        """The scenario's name."""
        return self.scenario.name

    @property
    def counterfactual(self) -> bool:
        """True for an explicitly labelled counterfactual (no sanctions regime)."""
        return self.scenario.counterfactual

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return the result tables by name, in :data:`TABLES` order."""
        return {name: getattr(self, name) for name in TABLES}

    def to_dir(self, folder: Path | str) -> Path:
        """Write the result as a folder, atomically.

        The folder holds one Parquet file per table, ``results.duckdb`` with tables of
        the same names, ``scenario.yaml`` (the scenario as run) and ``summary.txt``.

        Parameters
        ----------
        folder : path-like
            Folder to create or replace.

        Returns
        -------
        pathlib.Path
            The folder written.
        """

        def fill(tmp: Path) -> None:
            write_tables(tmp, self.tables())
            dumped = self.scenario.model_dump(mode="json")
            (tmp / "scenario.yaml").write_text(
                yaml.safe_dump(dumped, sort_keys=False, allow_unicode=True), encoding="utf-8"
            )
            (tmp / "summary.txt").write_text(summary_text(self) + "\n", encoding="utf-8")

        return write_dir_atomically(folder, fill)

    @classmethod
    def read_dir(cls, folder: Path | str) -> ScenarioResult:
        """Read a result folder written by :meth:`to_dir`.

        Parameters
        ----------
        folder : path-like
            The folder.

        Returns
        -------
        ScenarioResult

        Raises
        ------
        ScenarioError
            If the folder is not a complete result folder.
        """
        folder = Path(folder)
        try:
            raw = yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8"))
            scenario = Scenario.model_validate(raw)
            tables = read_tables(folder, list(TABLES))
        except (OSError, ValueError, yaml.YAMLError) as exc:
            raise ScenarioError(f"{folder}: expected a scenario result folder ({exc})") from None
        return cls(scenario=scenario, **tables)


def basis_shares(demand: pd.DataFrame) -> dict[str, float]:
    """Return the share of the goods demand (tonnes) by the basis of its figures.

    Parameters
    ----------
    demand : pandas.DataFrame
        A result's ``demand`` table.

    Returns
    -------
    dict of str to float
        Basis -> share of tonnes (0–1), largest first; empty without goods demand.
    """
    if "basis" not in demand.columns or demand.empty:
        return {}
    goods = demand[demand["unit"] != "persons/yr"]
    total = float(goods["quantity"].sum())
    if total <= 0:
        return {}
    shares = goods.groupby("basis", sort=True)["quantity"].sum() / total
    return {str(k): float(v) for k, v in shares.sort_values(ascending=False).items()}


def _basis_line(demand: pd.DataFrame) -> str:
    shares = basis_shares(demand)
    listed = ", ".join(f"{share:.0%} {basis}" for basis, share in shares.items())
    return f"demand basis (tonnes): {listed or 'none'}"


def summary_text(result: ScenarioResult) -> str:
    """Return a plain-text summary of a result (a few lines).

    Parameters
    ----------
    result : ScenarioResult
        The result.

    Returns
    -------
    str
        Lines of text; a counterfactual's first line says ``COUNTERFACTUAL``.
    """
    meta = result.meta.iloc[0]
    lines = []
    if result.counterfactual:
        lines.append(
            "COUNTERFACTUAL: no sanctions regime applied; not a picture of what is allowed."
        )
    lines += [
        f"scenario {meta['scenario']}: {meta['title']}",
        f"date {meta['date']}, sanctions regime {meta['regime']}, method {meta['method']}"
        f" ({meta['status']})",
        f"demand {meta['demand_t'] / 1e6:,.3f} Mt/yr, served {meta['served_t'] / 1e6:,.3f} Mt/yr,"
        f" unmet {meta['unmet_t'] / 1e6:,.3f} Mt/yr; people {meta['demand_persons']:,.0f}/yr,"
        f" unmet {meta['unmet_persons']:,.0f}/yr",
    ]
    lines.append(_basis_line(result.demand))
    binding = result.bottlenecks[result.bottlenecks["utilisation"] >= 0.999]
    for row in binding.head(5).itertuples():
        price = row.shadow_price_usd_per_t
        shown = "" if pd.isna(price) else f", shadow price {price:,.2f} USD/t"
        basis = getattr(row, "capacity_basis", "sourced")
        note = " (capacity an engineering estimate)" if basis == "estimate" else ""
        lines.append(f"binding: {row.element_id} at {row.utilisation:.0%}{shown}{note}")
    if len(result.findings):
        for label, part in result.findings.groupby("screening", sort=True):
            covered = part.groupby("commodity", sort=True)["quantity"].sum()
            listed = ", ".join(f"{k} {v:,.0f}" for k, v in covered.items())
            count = len(part)
            head = "screening findings" if label == "scenario regime" else f"screening ({label})"
            lines.append(f"{head}: {count} flow{'' if count == 1 else 's'} ({listed})")
    else:
        lines.append("screening findings: none")
    return "\n".join(lines)
