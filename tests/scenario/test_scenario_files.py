"""Bad scenario files: one line naming the file, the key path and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from tumen.cli import app
from tumen.errors import ScenarioError
from tumen.scenario import Triangular, Uniform, base_value, list_scenarios, load_scenario

BASE = {
    "name": "t",
    "title": "test",
    "date": "2021-06-01",
    "demand": {"base_year": 2019},
}


def write(tmp_path: Path, data: dict | str, name: str = "bad.yaml") -> Path:
    path = tmp_path / name
    text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def with_(**changes: object) -> dict:
    data = {k: (dict(v) if isinstance(v, dict) else v) for k, v in BASE.items()}
    data.update(changes)
    return data


def test_bundled_scenarios_all_load() -> None:
    names = list_scenarios()
    for required in (
        "2019-pre-closure",
        "2021-closed",
        "2023-reopened",
        "2026-road-bridge-trade-park",
        "primorye-2-expansion",
        "sanctions-lifted-counterfactual",
    ):
        assert required in names
    for name in names:
        scenario = load_scenario(name)
        assert scenario.name == name
        assert scenario.counterfactual == (scenario.sanctions.regime == "none")


def test_counterfactual_label() -> None:
    cf = load_scenario("sanctions-lifted-counterfactual")
    assert cf.counterfactual
    assert cf.label.startswith("COUNTERFACTUAL")
    assert not load_scenario("2021-closed").counterfactual


def test_distribution_base_values() -> None:
    assert base_value(3.0) == 3.0
    assert base_value(Triangular(dist="triangular", low=1, mode=2, high=5)) == 2
    assert base_value(Uniform(dist="uniform", low=2, high=4)) == 3


BAD_FILES = {
    "bad date": (with_(date="2021-13-01"), "key 'date': expected a date YYYY-MM-DD"),
    "bad distribution": (
        with_(demand={"base_year": 2019,
                      "scale_all": {"dist": "triangular", "low": 5, "mode": 2, "high": 3}}),
        "key 'demand.scale_all': expected a triangular distribution with low <= mode <= high",
    ),
    "unknown distribution": (
        with_(demand={"base_year": 2019, "scale_all": {"dist": "gamma", "mean": 1}}),
        "key 'demand.scale_all': expected a distribution with dist one of",
    ),
    "negative value": (
        with_(overrides={"link_capacity": {"rail_khasan_tumangang": -5}}),
        "key 'overrides.link_capacity.rail_khasan_tumangang': expected a non-negative number, "
        "got '-5'",
    ),
    "unknown regime": (
        with_(sanctions={"regime": "partial"}),
        "key 'sanctions.regime': expected one of 'in_force' or 'none', got 'partial'",
    ),
    "unknown key": (with_(colour="red"), "key 'colour': expected a known key"),
    "unlabelled counterfactual": (
        with_(sanctions={"regime": "none"}),
        "key 'sanctions': expected regime 'none' only with 'counterfactual: true'",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_raises_one_line(tmp_path: Path, case: str) -> None:
    data, expected = BAD_FILES[case]
    path = write(tmp_path, data)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    assert expected in message


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_cli_exit_2(tmp_path: Path, case: str) -> None:
    data, expected = BAD_FILES[case]
    path = write(tmp_path, data)
    result = CliRunner().invoke(app, ["run", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert lines[0].startswith("error: ")
    assert expected in lines[0]
    assert not (tmp_path / "out").exists()


UNKNOWN_IDS = {
    "link": (
        with_(overrides={"close_links": ["rail_nowhere"]}),
        "key 'overrides.close_links[0]': expected a link id, got 'rail_nowhere'",
    ),
    "commodity": (
        with_(demand={"base_year": 2019, "add": [{
            "commodity": "unobtainium", "origin": "khasan", "destination": "rajin",
            "quantity": 10, "category": "ru_kp_bilateral", "source": "SEED-000"}]}),
        "key 'demand.add[0].commodity': expected a commodity id, got 'unobtainium'",
    ),
    "place": (
        with_(demand={"base_year": 2019, "add": [{
            "commodity": "coal", "origin": "atlantis", "destination": "rajin",
            "quantity": 10, "category": "ru_kp_bilateral", "source": "SEED-000"}]}),
        "key 'demand.add[0].origin': expected a place id, got 'atlantis'",
    ),
    "source": (
        with_(demand={"base_year": 2019, "add": [{
            "commodity": "coal", "origin": "khasan", "destination": "rajin",
            "quantity": 10, "category": "ru_kp_bilateral", "source": "NOT-A-SOURCE"}]}),
        "key 'demand.add[0].source': expected a source id of sources.csv, got 'NOT-A-SOURCE'",
    ),
    "declaration category": (
        with_(sanctions={"declarations": {"moon_cargo": {"notified_1718": True}}}),
        "key 'sanctions.declarations.moon_cargo': expected a category id, got 'moon_cargo'",
    ),
    "cost parameter": (
        with_(overrides={"cost": {"warp_speed": 1}}),
        "key 'overrides.cost.warp_speed': expected a cost parameter id, got 'warp_speed'",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(UNKNOWN_IDS))
def test_unknown_id_cli_exit_2(tmp_path: Path, case: str) -> None:
    data, expected = UNKNOWN_IDS[case]
    path = write(tmp_path, data)
    result = CliRunner().invoke(app, ["run", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert str(path) in lines[0]
    assert expected in lines[0]


def test_unknown_bundled_name() -> None:
    result = CliRunner().invoke(app, ["run", "no-such-scenario"])
    assert result.exit_code == 2
    assert "expected a bundled scenario name" in result.output


def test_not_yaml(tmp_path: Path) -> None:
    path = write(tmp_path, "name: [unclosed\n")
    with pytest.raises(ScenarioError, match="expected valid YAML"):
        load_scenario(path)


def test_top_level_not_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "- a\n- b\n")
    with pytest.raises(ScenarioError, match="expected a mapping"):
        load_scenario(path)
