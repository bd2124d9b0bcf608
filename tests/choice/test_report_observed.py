"""The report's observed-against-modelled table for a scenario's year."""

from __future__ import annotations

import pytest

import tumen.data
import tumen.scenario
from tumen.report._scenarios import observed_vs_modelled, scenario_json


def test_observed_beside_modelled_for_the_scenario_year() -> None:
    ds = tumen.data.load()
    result = tumen.scenario.run_scenario("2023-reopened", dataset=ds)
    rows = observed_vs_modelled(result, ds)
    by_place = {r["facility"]: r for r in rows}
    assert set(by_place) == {"posyet"}  # the one whole-place observation of 2023 in use
    posyet = by_place["posyet"]
    assert posyet["year"] == 2023 and posyet["observed"] == pytest.approx(6.02e6)
    use = result.facility_use.set_index("facility_id")
    assert posyet["modelled"] == pytest.approx(use.loc["fac_posyet_port", "throughput_t_yr"])
    assert scenario_json(result, ds)["observed_vs_modelled"] == rows


def test_no_observations_no_rows() -> None:
    ds = tumen.data.load()
    result = tumen.scenario.run_scenario("2026-road-bridge-trade-park", dataset=ds)
    assert observed_vs_modelled(result, ds) == []
