"""Equilibrium runs: border delay grows with volume through the engine's queue function."""

from __future__ import annotations

import pytest

from tumen.scenario import load_scenario, run_scenario


def equilibrium(scale: float):
    base = load_scenario("2026-road-bridge-trade-park")
    spec = base.model_dump()
    spec["name"] = f"eq-{scale:g}"
    spec["assignment"] = {"method": "equilibrium", "gap": 1e-5, "max_iterations": 500}
    spec["demand"]["scale_by_category"] = {"ru_kp_bilateral": scale}
    spec["source"] = ""
    return run_scenario(type(base).model_validate(spec))


def crossing_hours(result) -> float:
    routes = result.routes
    people = routes[(routes["commodity"] == "passengers") & routes["links"].str.contains(
        "road_khasan_tumangang")]  # fmt: skip
    assert len(people) > 0
    return float((people["time_h"] * people["flow"]).sum() / people["flow"].sum())


def test_equilibrium_border_delay_grows_with_volume() -> None:
    light = equilibrium(1.0)
    heavy = equilibrium(30.0)
    for result in (light, heavy):
        meta = result.meta.iloc[0]
        assert meta["method"] == "equilibrium"
        assert meta["status"] == "converged"
        assert result.bottlenecks["shadow_price_usd_per_t"].isna().all()
    assert crossing_hours(heavy) > crossing_hours(light)
    assert light.unmet.empty
    # Scaling applies to the demand table; the scenario's additions are added unscaled.
    light_d, heavy_d = light.demand, heavy.demand
    table = light_d["basis"] != "scenario"
    scaled = table & (light_d["category"] == "ru_kp_bilateral")
    expected = 30 * light_d.loc[scaled, "quantity"].sum() + light_d.loc[~scaled, "quantity"].sum()
    assert heavy_d["quantity"].sum() == pytest.approx(expected)
