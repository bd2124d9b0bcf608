"""The sweep's fast path: drawn values straight into the kept programme."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tumen.scenario._compiled import compile_scenario
from tumen.scenario._load import load_scenario
from tumen.scenario._resolve import (
    _get,
    draw_values,
    grid_points,
    resolve,
    resolve_plan,
    uncertain_inputs,
)

_ARRAYS = ("class_volume", "class_unmet", "group_capacity", "group_flow", "group_shadow",
           "link_flow")  # fmt: skip


def test_plain_values_are_what_resolve_writes(uncertain_yaml: Path, dataset) -> None:
    sc = load_scenario(uncertain_yaml, dataset=dataset)
    plan = resolve_plan(sc)
    for index in range(5):
        drawn = draw_values(uncertain_inputs(sc), 3, index)
        raw = resolve(sc, drawn).model_dump(mode="python")
        for key, value in plan.values(drawn).items():
            if not key.startswith("uncertainty."):
                assert _get(raw, key) == value, key


def test_the_fast_path_equals_solving_the_resolved_scenario(uncertain_yaml: Path, dataset) -> None:
    sc = load_scenario(uncertain_yaml, dataset=dataset)
    fast, slow = compile_scenario(sc, dataset), compile_scenario(sc, dataset)
    inputs = uncertain_inputs(fast.scenario)
    draws = [(draw_values(inputs, 11, i), None) for i in range(12)]
    shut = "uncertainty.open_links.rail_khasan_tumangang"
    draws += [({**draws[0][0], shut: 0.0}, None), ({**draws[1][0], shut: 0.0}, None)]
    draws += [({}, {key: value}) for key, value in grid_points(fast.scenario)]
    for drawn, fixed in draws:
        a = fast.solve_draw(drawn, fixed)
        b = slow.solve(resolve(slow.scenario, drawn, fixed=fixed))
        assert a.objective_usd == pytest.approx(b.objective_usd, rel=1e-9)
        assert a.cost_usd == pytest.approx(b.cost_usd, rel=1e-9)
        for name in _ARRAYS:
            np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=1e-9, atol=1e-6)


def test_a_draw_closing_every_russia_china_route_lets_the_flow_transit_the_dprk(
    tmp_path: Path, dataset
) -> None:
    from tumen.scenario import run_scenario

    links = dataset.on("2023-10-05").links
    countries = links["countries"].astype(str)
    by_sea = links[links["mode"].isin(["sea", "ferry", "air"]) & countries.str.contains("RU")
                   & ~countries.str.contains("KP")]["link_id"]  # fmt: skip
    path = tmp_path / "rule.yaml"
    path.write_text(
        "name: rule\ntitle: t\ndate: 2023-10-05\ndemand: {base_year: 2023}\n"
        f"overrides:\n  close_links: [{', '.join(by_sea)}]\n"
        "uncertainty:\n  open_links:\n    rail_grodekovo_suifenhe: 0.5\n"
        "    road_grodekovo_suifenhe: 0.5\n    rail_kamyshovaya_hunchun: 0.5\n"
        "    road_kraskino_changlingzi: 0.5\n",
        encoding="utf-8",
    )
    sc = load_scenario(path, dataset=dataset)
    compiled = compile_scenario(sc, dataset)
    shut = {i.key: 0.0 for i in uncertain_inputs(compiled.scenario)}
    draw = compiled.solve_draw(shut)
    run = run_scenario(resolve(compiled.scenario, shut), dataset=dataset)
    assert draw.objective_usd == pytest.approx(run.meta["objective_usd"][0], rel=1e-9)
    assert draw.class_unmet.sum() == pytest.approx(run.unmet["unmet"].sum(), abs=1e-3)
    # the Russia–China classes may cross the DPRK only while no route avoids it
    lp = compiled._lp
    rule = [k for k, c in enumerate(lp.classes) if c.restricted is not None]
    closed = np.zeros(len(compiled.graph.edges), dtype=bool)
    for x in ("rail_grodekovo_suifenhe", "road_grodekovo_suifenhe", "rail_kamyshovaya_hunchun",
              "road_kraskino_changlingzi"):  # fmt: skip
        closed |= compiled._fast["open"][f"uncertainty.open_links.{x}"]
    assert rule and all((lp.pattern(closed).allowed[k] & lp.in_kp).any() for k in rule)
    closed &= ~compiled._fast["open"]["uncertainty.open_links.rail_grodekovo_suifenhe"]
    across = [k for k in rule if (lp.pattern(closed).allowed[k] & lp.in_kp).any()]
    assert len(across) < len(rule)
