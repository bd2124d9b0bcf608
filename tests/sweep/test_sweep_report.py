"""The report reads what ``tumen sweep --out`` writes: fan charts and binding odds."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tumen.report._sweep import QUANTILES, SWEEP_TOP, sweep_json
from tumen.sweep import run_sweep


def test_the_report_hook_reads_a_sweep_folder(uncertain_yaml: Path, tmp_path: Path) -> None:
    results = tmp_path / "results"
    run_sweep(uncertain_yaml, draws=4, seed=3, workers=1, progress=False,
              out=results / "sweep")  # fmt: skip
    data = sweep_json(results)
    assert data is not None
    metrics = {s["metric"] for s in data["series"]}
    assert {"throughput_t_yr", "link_flow_t_yr"} <= metrics
    q = pd.read_parquet(results / "sweep" / "quantiles.parquet")
    for series in data["series"]:
        assert 0 < len(series["points"]) <= SWEEP_TOP
        for point in series["points"]:
            values = [point[c] for c in QUANTILES]
            assert values == sorted(values)
    # the busiest facility's median throughput is the sweep's own figure
    fac = next(s for s in data["series"] if s["metric"] == "throughput_t_yr")
    first = fac["points"][0]
    row = q[(q["metric"] == "constraint_flow_t_yr")
            & (q["element_id"] == f"facility:{first['x']}")].iloc[0]  # fmt: skip
    assert first["q50"] == row["q50"]
    binding = pd.read_parquet(results / "sweep" / "binding.parquet")
    ids = [b["element_id"] for b in data["binding"]]
    assert len(ids) == len(set(ids)) == binding["element_id"].nunique()
    for b in data["binding"]:
        assert b["p_binding"] == binding.loc[binding["element_id"] == b["element_id"],
                                             "p_binding"].max()  # fmt: skip
