"""Run every bundled scenario and write a plain summary beside the results."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from tumen.scenario._io import write_dir_atomically, write_tables
from tumen.scenario._result import ScenarioResult, basis_shares, summary_text
from tumen.scenario._run import run_scenario

__all__ = ["run_demo"]


def run_demo(
    out: Path | str, data_dir: Path | str | None = None
) -> tuple[list[ScenarioResult], pd.DataFrame]:
    """Run every scenario of the dataset; write each result and a summary.

    The folder ``out`` receives one result folder per scenario (see
    :meth:`ScenarioResult.to_dir`), ``summary.parquet`` and ``demo.duckdb`` (table
    ``summary``: one row per scenario, with its seconds) and ``summary.txt``. A report
    can be built from these folders without running anything again.

    Parameters
    ----------
    out : path-like
        Folder to create or replace (atomically).
    data_dir : path-like, optional
        Dataset folder; bundled when None.

    Returns
    -------
    results : list of ScenarioResult
        In the order of :func:`tumen.scenario.list_scenarios`.
    summary : pandas.DataFrame
        One row per scenario: ``scenario, title, counterfactual, date, regime, method,
        status, demand_t, unmet_t, demand_persons, unmet_persons, findings, seconds,
        observed_share`` (the share of the goods demand whose figure for the year is
        observed or derived from sourced figures; the rest is interpolated, projected,
        assumed or the scenario's own).
    """
    import tumen.data

    results: list[ScenarioResult] = []
    rows = []
    dataset = tumen.data.load(data_dir)
    for name in sorted(dataset.scenarios):
        start = time.perf_counter()
        result = run_scenario(name, data_dir, dataset=dataset)
        seconds = time.perf_counter() - start
        results.append(result)
        meta = result.meta.iloc[0]
        rows.append({
            "scenario": name, "title": meta["title"], "counterfactual": result.counterfactual,
            "date": meta["date"], "regime": meta["regime"], "method": meta["method"],
            "status": meta["status"], "demand_t": meta["demand_t"], "unmet_t": meta["unmet_t"],
            "demand_persons": meta["demand_persons"], "unmet_persons": meta["unmet_persons"],
            "findings": meta["findings"], "seconds": seconds,
            "observed_share": sum(v for k, v in basis_shares(result.demand).items()
                                  if k in ("observed", "derived")),
        })  # fmt: skip
    summary = pd.DataFrame(rows)

    def fill(tmp: Path) -> None:
        for result in results:
            result.to_dir(tmp / result.name)
        write_tables(tmp, {"summary": summary})
        (tmp / "demo.duckdb").unlink(missing_ok=True)
        (tmp / "results.duckdb").rename(tmp / "demo.duckdb")
        text = "\n\n".join(summary_text(r) for r in results)
        (tmp / "summary.txt").write_text(text + "\n", encoding="utf-8")

    write_dir_atomically(out, fill)
    return results, summary
