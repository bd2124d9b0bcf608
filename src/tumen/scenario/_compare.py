"""Compare two scenario results: flows, costs, utilisation, unmet demand, findings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from tumen.data._scenario import Scenario
from tumen.scenario._io import write_dir_atomically, write_tables
from tumen.scenario._result import ScenarioResult

__all__ = ["COMPARISON_TABLES", "ComparisonResult", "compare"]

#: Tables of a comparison, in the order they are written.
COMPARISON_TABLES = (
    "summary", "flows", "costs", "utilisation", "unmet", "findings", "coverage",
)  # fmt: skip


@dataclass(frozen=True, eq=False)
class ComparisonResult:
    """Differences between two scenario results (B minus A).

    Every table carries ``scenario_a``, ``scenario_b`` and ``counterfactual`` (True when
    either side is a counterfactual).

    Attributes
    ----------
    a, b : ScenarioResult
        The two results.
    summary : pandas.DataFrame
        One row per headline figure: ``measure, a, b, delta`` (tonnes or persons a year,
        counts).
    flows : pandas.DataFrame
        ``link_id, from_id, to_id, commodity, unit, flow_a, flow_b, delta``.
    costs : pandas.DataFrame
        Flow-weighted cost per unit of each OD and commodity: ``origin, destination,
        commodity, unit, cost_a, cost_b, delta`` (USD per tonne or person),
        ``time_h_a, time_h_b``, ``path_a, path_b`` (the largest path on each side).
    utilisation : pandas.DataFrame
        ``constraint, element_id, utilisation_a, utilisation_b, delta,
        shadow_price_a, shadow_price_b``.
    unmet : pandas.DataFrame
        ``origin, destination, commodity, unit, unmet_a, unmet_b, delta``.
    findings : pandas.DataFrame
        ``screening, origin_place, destination_place, commodity, verdict, measures,
        quantity_a, quantity_b, delta, status`` (``only in A``, ``only in B``, ``both``).
    coverage : pandas.DataFrame
        Per demand category and unit: ``demand_a, demand_b, delta, basis_a, basis_b``
        (the bases of its figures, ``;``-joined) and ``coverage_differs`` (True where
        the bases differ: part of the difference comes from what the data cover, not
        from the corridor).
    """

    a: ScenarioResult
    b: ScenarioResult
    summary: pd.DataFrame
    flows: pd.DataFrame
    costs: pd.DataFrame
    utilisation: pd.DataFrame
    unmet: pd.DataFrame
    findings: pd.DataFrame
    coverage: pd.DataFrame

    @property
    def counterfactual(self) -> bool:
        """True when either side is a counterfactual."""
        return self.a.counterfactual or self.b.counterfactual

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return the comparison tables by name."""
        return {name: getattr(self, name) for name in COMPARISON_TABLES}

    def to_dir(self, folder: Path | str) -> Path:
        """Write the comparison as Parquet files, ``comparison.duckdb`` and ``summary.txt``.

        Parameters
        ----------
        folder : path-like
            Folder to create or replace (atomically).

        Returns
        -------
        pathlib.Path
        """

        def fill(tmp: Path) -> None:
            write_tables(tmp, self.tables())
            (tmp / "summary.txt").write_text(comparison_text(self) + "\n", encoding="utf-8")

        return write_dir_atomically(folder, fill)


def _as_result(item: ScenarioResult | Scenario | str | Path, data_dir: Path | str | None):
    """Return a result: given, read from a result folder, or run."""
    from tumen.scenario._run import run_scenario

    if isinstance(item, ScenarioResult):
        return item
    if isinstance(item, str | Path) and Path(item).is_dir():
        return ScenarioResult.read_dir(item)
    return run_scenario(item, data_dir)


def _delta(
    keys: list[str], a: pd.DataFrame, b: pd.DataFrame, value: str, names: tuple[str, str]
) -> pd.DataFrame:
    """Outer-join one value of two tables on ``keys`` and add B minus A."""
    left = a.groupby(keys, sort=True, dropna=False)[value].sum().rename(names[0])
    right = b.groupby(keys, sort=True, dropna=False)[value].sum().rename(names[1])
    out = pd.concat([left, right], axis=1).fillna(0.0).reset_index()
    out["delta"] = out[names[1]] - out[names[0]]
    return out


def _label(table: pd.DataFrame, a: ScenarioResult, b: ScenarioResult) -> pd.DataFrame:
    out = table.reset_index(drop=True).copy()
    out.insert(0, "counterfactual", a.counterfactual or b.counterfactual)
    out.insert(0, "scenario_b", b.name)
    out.insert(0, "scenario_a", a.name)
    return out


def _mean_cost(routes: pd.DataFrame) -> pd.DataFrame:
    keys = ["origin", "destination", "commodity", "unit"]
    if routes.empty:
        return pd.DataFrame(columns=[*keys, "cost", "time_h", "path"])
    r = routes.assign(wc=routes["total_usd"] * routes["flow"], wt=routes["time_h"] * routes["flow"])
    g = r.groupby(keys, sort=True)
    out = (g["wc"].sum() / g["flow"].sum()).rename("cost").to_frame()
    out["time_h"] = g["wt"].sum() / g["flow"].sum()
    top = r.sort_values("flow", ascending=False, kind="stable").groupby(keys, sort=True).head(1)
    out = out.reset_index().merge(top[[*keys, "path"]], on=keys, how="left")
    return out


def _coverage(a: ScenarioResult, b: ScenarioResult) -> pd.DataFrame:
    """Demand by category on each side with the bases of its figures."""
    keys = ["category", "unit"]

    def side(result: ScenarioResult) -> pd.DataFrame:
        d = result.demand
        if d.empty:
            return pd.DataFrame(columns=[*keys, "demand", "basis"])
        basis = d["basis"] if "basis" in d.columns else pd.Series("", index=d.index)
        frame = d.assign(basis=basis.astype(str))
        g = frame.groupby(keys, sort=True)
        return pd.DataFrame({
            "demand": g["quantity"].sum(),
            "basis": g["basis"].agg(lambda x: ";".join(sorted(set(x)))),
        }).reset_index()  # fmt: skip

    out = side(a).merge(side(b), on=keys, how="outer", suffixes=("_a", "_b"))
    out[["demand_a", "demand_b"]] = out[["demand_a", "demand_b"]].fillna(0.0)
    out[["basis_a", "basis_b"]] = out[["basis_a", "basis_b"]].fillna("")
    out["delta"] = out["demand_b"] - out["demand_a"]
    out["coverage_differs"] = out["basis_a"] != out["basis_b"]
    return out[[*keys, "demand_a", "demand_b", "delta", "basis_a", "basis_b",
                "coverage_differs"]]  # fmt: skip


def compare(
    a: ScenarioResult | Scenario | str | Path,
    b: ScenarioResult | Scenario | str | Path,
    data_dir: Path | str | None = None,
) -> ComparisonResult:
    """Compare two scenarios (B minus A).

    Parameters
    ----------
    a, b : ScenarioResult or Scenario or str or pathlib.Path
        Results, loaded scenarios, bundled scenario names, scenario YAML paths, or
        result folders written by :meth:`ScenarioResult.to_dir`. Scenarios are run.
    data_dir : path-like, optional
        Dataset folder for the runs; bundled when None.

    Returns
    -------
    ComparisonResult

    Examples
    --------
    >>> import tumen
    >>> diff = tumen.compare("2019-pre-closure", "2021-closed")  # doctest: +SKIP
    >>> diff.unmet.sort_values("delta").tail()                   # doctest: +SKIP
    """
    ra, rb = _as_result(a, data_dir), _as_result(b, data_dir)
    names = ("flow_a", "flow_b")
    keys = ["link_id", "from_id", "to_id", "commodity", "unit"]
    flows = _delta(keys, ra.link_flows, rb.link_flows, "flow", names)
    flows = flows[flows["delta"].abs() > 1e-6].reset_index(drop=True)

    ca, cb = _mean_cost(ra.routes), _mean_cost(rb.routes)
    cost_keys = ["origin", "destination", "commodity", "unit"]
    costs = ca.merge(cb, on=cost_keys, how="outer", suffixes=("_a", "_b"))
    costs["delta"] = costs["cost_b"] - costs["cost_a"]
    costs = costs[[*cost_keys, "cost_a", "cost_b", "delta", "time_h_a", "time_h_b",
                   "path_a", "path_b"]]  # fmt: skip

    ua = ra.bottlenecks.set_index("constraint")
    ub = rb.bottlenecks.set_index("constraint")
    util = pd.DataFrame({
        "element_id": ua["element_id"].combine_first(ub["element_id"]),
        "utilisation_a": ua["utilisation"], "utilisation_b": ub["utilisation"],
        "shadow_price_a": ua["shadow_price_usd_per_t"],
        "shadow_price_b": ub["shadow_price_usd_per_t"],
    }).reset_index(names="constraint")  # fmt: skip
    util.insert(4, "delta", util["utilisation_b"] - util["utilisation_a"])

    unmet = _delta(cost_keys, ra.unmet, rb.unmet, "unmet",
                   ("unmet_a", "unmet_b"))  # fmt: skip

    fkeys = ["screening", "origin_place", "destination_place", "commodity", "verdict",
             "measures"]  # fmt: skip
    found = _delta(fkeys, ra.findings, rb.findings, "quantity",
                   ("quantity_a", "quantity_b"))  # fmt: skip
    found["status"] = np.where(
        found["quantity_a"] <= 0, "only in B", np.where(found["quantity_b"] <= 0, "only in A",
                                                        "both"))  # fmt: skip

    ma, mb = ra.meta.iloc[0], rb.meta.iloc[0]
    rows = []
    for measure in ("demand_t", "served_t", "unmet_t", "demand_persons", "unmet_persons",
                    "findings", "objective_usd"):  # fmt: skip
        va, vb = float(ma[measure]), float(mb[measure])
        rows.append({"measure": measure, "a": va, "b": vb, "delta": vb - va})
    summary = pd.DataFrame(rows)
    tables = {"summary": summary, "flows": flows, "costs": costs, "utilisation": util,
              "unmet": unmet, "findings": found, "coverage": _coverage(ra, rb)}  # fmt: skip
    return ComparisonResult(a=ra, b=rb, **{k: _label(v, ra, rb) for k, v in tables.items()})


def comparison_text(diff: ComparisonResult) -> str:
    """Return a plain-text summary of a comparison.

    Parameters
    ----------
    diff : ComparisonResult
        The comparison.

    Returns
    -------
    str
        A few lines; says ``COUNTERFACTUAL`` where either side is one.
    """
    lines = []
    for side, res in (("A", diff.a), ("B", diff.b)):
        lines.append(f"{side}: {res.name}: {res.meta.iloc[0]['title']}")
    if diff.counterfactual:
        lines.append("COUNTERFACTUAL: one side ignores the UN measures; not a picture of "
                     "what is allowed.")  # fmt: skip
    for row in diff.summary.itertuples():
        lines.append(f"{row.measure}: {row.a:,.0f} -> {row.b:,.0f} ({row.delta:+,.0f})")
    differs = diff.coverage[diff.coverage["coverage_differs"]]
    for row in differs.itertuples():
        lines.append(
            f"data coverage differs for {row.category}: {row.basis_a or 'none'} -> "
            f"{row.basis_b or 'none'} ({row.delta:+,.0f} {row.unit}; part of this "
            "difference comes from the data, not the corridor)"
        )
    moved = diff.flows.assign(size=diff.flows["delta"].abs()).sort_values(
        "size", ascending=False, kind="stable").head(5)  # fmt: skip
    for row in moved.itertuples():
        lines.append(f"flow {row.link_id} {row.from_id}>{row.to_id} {row.commodity}: "
                     f"{row.delta:+,.0f} {row.unit}")  # fmt: skip
    return "\n".join(lines)
