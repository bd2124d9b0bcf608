"""A compiled scenario solves after the engine's LP has started HiGHS in the same process."""

from __future__ import annotations

import highspy
import pytest

from tumen.scenario._compiled import compile_scenario
from tumen.scenario._load import load_scenario
from tumen.scenario._resolve import resolve


def test_a_sweep_model_solves_after_a_scenario_run(dataset) -> None:
    from tumen.scenario import run_scenario

    # as in a fresh process: the first solve sets HiGHS's global scheduler
    highspy.Highs.resetGlobalScheduler(True)
    sc = load_scenario("2023-reopened", dataset=dataset)
    result = run_scenario(sc, dataset=dataset)
    outcome = compile_scenario(sc, dataset).solve(resolve(sc))
    assert outcome.status == "optimal"
    assert outcome.objective_usd == pytest.approx(result.meta["objective_usd"][0], rel=1e-9)
