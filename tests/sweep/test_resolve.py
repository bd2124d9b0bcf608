"""Resolve once: distributions become plain numbers, seeded by draw index."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tumen.data._scenario import Discrete, Lognormal, base_value
from tumen.data._scenario_file import read_scenario
from tumen.errors import ScenarioError
from tumen.scenario._resolve import draw_values, grid_points, resolve, uncertain_inputs


def test_inputs_are_listed_in_key_order(uncertain_yaml: Path) -> None:
    keys = [i.key for i in uncertain_inputs(read_scenario(uncertain_yaml))]
    assert keys == sorted(keys)
    assert "uncertainty.open_links.rail_khasan_tumangang" in keys
    assert "uncertainty.shared.coal_and_wheat" in keys
    assert "overrides.cost.border_fee_usd_per_t" in keys


def test_a_draw_depends_on_seed_and_index_only(uncertain_yaml: Path) -> None:
    inputs = uncertain_inputs(read_scenario(uncertain_yaml))
    forward = [draw_values(inputs, 7, i) for i in range(5)]
    backward = [draw_values(inputs, 7, i) for i in reversed(range(5))][::-1]
    assert forward == backward
    assert draw_values(inputs, 8, 0) != forward[0]


def test_resolved_scenario_holds_plain_numbers(uncertain_yaml: Path) -> None:
    sc = read_scenario(uncertain_yaml)
    values = draw_values(uncertain_inputs(sc), 1, 3)
    values["uncertainty.open_links.rail_khasan_tumangang"] = 0.0
    r = resolve(sc, values)
    assert r.overrides.facility_capacity["fac_posyet_port"] == pytest.approx(
        values["overrides.facility_capacity.fac_posyet_port"]
    )
    assert "rail_khasan_tumangang" in r.overrides.close_links
    shared = values["uncertainty.shared.coal_and_wheat"]
    assert r.demand.scale_by_commodity == {"coal": shared, "wheat": shared}
    assert not r.uncertainty.open_links and not r.uncertainty.shared
    assert all(isinstance(v, float) for v in r.overrides.cost.values())


def test_base_values_of_new_distributions() -> None:
    assert base_value(Lognormal(dist="lognormal", median=2.5, sigma=0.3)) == 2.5
    d = Discrete(dist="discrete", values=(1.0, 0.0), p=(0.3, 0.7))
    assert base_value(d) == 0.0


def test_open_probability_is_drawn_at_its_rate(uncertain_yaml: Path) -> None:
    inputs = uncertain_inputs(read_scenario(uncertain_yaml))
    key = "uncertainty.open_links.rail_khasan_tumangang"
    opened = np.mean([draw_values(inputs, 0, i)[key] for i in range(2000)])
    assert opened == pytest.approx(0.8, abs=0.03)  # 4 standard errors


def test_grid_points_set_one_key(uncertain_yaml: Path) -> None:
    sc = read_scenario(uncertain_yaml)
    points = grid_points(sc)
    assert points == [("overrides.facility_capacity.fac_posyet_port", 4e6),
                      ("overrides.facility_capacity.fac_posyet_port", 6e6)]  # fmt: skip
    r = resolve(sc, fixed=dict([points[0]]))
    assert r.overrides.facility_capacity["fac_posyet_port"] == 4e6
    assert r.overrides.facility_capacity["fac_kraskino_checkpoint"] == 580000.0


def test_shared_key_the_scenario_does_not_set_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "name: s\ntitle: t\ndate: 2023-10-05\ndemand: {base_year: 2023}\n"
        "uncertainty:\n  shared:\n    - name: m\n      dist: {dist: uniform, low: 1, high: 2}\n"
        "      keys: [overrides.cost.border_fee_usd_per_t]\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as info:
        resolve(read_scenario(path))
    text = str(info.value)
    assert "\n" not in text
    assert str(path) in text and "uncertainty.shared[0].keys[0]" in text


def test_a_single_run_keeps_open_what_is_likelier_open(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "name: s\ntitle: t\ndate: 2023-10-05\ndemand: {base_year: 2023}\n"
        "overrides: {close_links: [rail_khasan_tumangang]}\n"
        "uncertainty:\n  open_links: {rail_khasan_tumangang: 0.6, road_kraskino_khasan: 0.2}\n",
        encoding="utf-8",
    )
    base = resolve(read_scenario(path))
    assert "rail_khasan_tumangang" not in base.overrides.close_links
    assert "rail_khasan_tumangang" in base.overrides.open_links
    assert "road_kraskino_khasan" in base.overrides.close_links
