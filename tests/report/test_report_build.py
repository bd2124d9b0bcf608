"""Building the report: what ``tumen demo`` and ``tumen report`` write, and its data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import shapely
from typer.testing import CliRunner

import tumen.data
from tumen.cli import app
from tumen.report import find_result_dirs, read_results, report_data
from tumen.report._geometry import map_geometry, project

#: Goal from the issue (also measured by benchmarks/report.py).
MAX_BYTES = 10_000_000


def _data(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="tumen-data">(.*?)</script>', html, re.S)
    assert match is not None
    return json.loads(match.group(1))


def test_demo_prints_the_report_and_next_steps(demo_run: tuple[Path, str]) -> None:
    out, printed = demo_run
    assert f"report written to {out / 'report.html'}" in printed.replace("\n", "")
    assert "next: open" in printed


def test_report_is_self_contained_and_small(report_path: Path) -> None:
    html = report_path.read_text(encoding="utf-8")
    assert report_path.stat().st_size < MAX_BYTES
    assert not re.search(r"<script[^>]+src=", html)
    assert "<link" not in html
    assert "@import" not in html and "url(" not in html
    assert "<iframe" not in html and "<img" not in html


def test_report_data_names_places_and_labels_counterfactuals(report_path: Path) -> None:
    data = _data(report_path.read_text(encoding="utf-8"))
    names = {s["name"]: s for s in data["scenarios"]}
    assert names["sanctions-lifted-counterfactual"]["counterfactual"] is True
    assert names["2019-pre-closure"]["counterfactual"] is False
    assert {p["id"]: p["name"] for p in data["places"]}["khasan"] == "Khasan"
    # The ledger's states: the Khasan–Tumangang rail crossing is open in 2019, shut in 2021.
    dates = data["ledger"]["dates"]
    changes = data["ledger"]["facilities"]["fac_khasan_tumangang_rail_freight"]

    def is_open(day: str) -> bool:
        index = max(i for i, d in enumerate(dates) if d <= day)
        return [c for c in changes if c[0] <= index][-1][2]

    assert is_open("2019-06-01") and not is_open("2021-06-01")
    # Every source cited by a link's hover card is in the registry.
    for link in data["links"]:
        for ids, _conf in link["src"].values():
            assert set(ids) <= set(data["sources"])


def test_distance_profiles_end_at_the_route_totals(report_path: Path) -> None:
    data = _data(report_path.read_text(encoding="utf-8"))
    for scenario in data["scenarios"]:
        for profile, route in zip(scenario["profiles"], scenario["routes"], strict=True):
            last = profile["points"][-1]
            assert np.isclose(last["usd"], route["total_usd"], rtol=1e-6, atol=1e-6)
            assert np.isclose(last["h"], route["time_h"], rtol=1e-6, atol=1e-6)
            kms = [p["km"] for p in profile["points"]]
            assert kms == sorted(kms)


def test_hunchun_route_steps_at_the_border_and_the_gauge_break(report_path: Path) -> None:
    data = _data(report_path.read_text(encoding="utf-8"))
    s = next(s for s in data["scenarios"] if s["name"] == "2019-pre-closure")
    coal = next(p for p in s["profiles"] if p["destination"] == "hunchun" and
                p["commodity"] == "coal")  # fmt: skip
    kinds = [p["kind"] for p in coal["points"]]
    assert "border" in kinds and "gauge" in kinds


def test_map_keeps_the_tumen_border_river_at_the_bridges() -> None:
    geo = map_geometry()
    assert len(geo.land) > 10_000 and geo.rivers and geo.borders
    # The river (border) passes between Khasan and Tumangang, within 2 km of the line
    # joining them: the bridges cross it.
    kx, ky = project(130.6449, 42.4301)
    tx, ty = project(130.6081, 42.4214)
    joining = shapely.LineString([(float(kx), float(ky)), (float(tx), float(ty))])
    lines = []
    for part in re.findall(r"M[^M]+", geo.rivers):
        nums = [int(v) for v in re.findall(r"-?\d+", part)]
        pts = np.cumsum(np.array(nums).reshape(-1, 2), axis=0)
        if len(pts) > 1:
            lines.append(shapely.LineString(pts))
    rivers = shapely.MultiLineString(lines)
    assert rivers.distance(joining) < 2000 / 11  # map units of about 11 m


def test_results_folders_found_in_demo_order(demo_run: tuple[Path, str]) -> None:
    out, _ = demo_run
    folders = find_result_dirs(out)
    assert [f.name for f in folders][:2] == ["2019-pre-closure", "2021-closed"]
    assert find_result_dirs(folders[0]) == [folders[0]]


def test_extra_columns_are_tolerated(demo_run: tuple[Path, str]) -> None:
    results = read_results(demo_run[0] / "2021-closed")
    frame = results[0].link_flows.copy()
    frame["something_new"] = "x"
    patched = type(results[0])(**{**results[0].__dict__, "link_flows": frame})
    data = report_data([patched], tumen.data.load())
    assert data["scenarios"][0]["name"] == "2021-closed"


def test_cli_report_writes_file_and_rejects_bad_folder(
    demo_run: tuple[Path, str], tmp_path: Path
) -> None:
    runner = CliRunner()
    target = tmp_path / "one.html"
    ok = runner.invoke(app, ["report", str(demo_run[0] / "2021-closed"), "-o", str(target)])
    assert ok.exit_code == 0, ok.output
    assert target.is_file() and len(_data(target.read_text())["scenarios"]) == 1
    bad = runner.invoke(app, ["report", str(tmp_path)])
    assert bad.exit_code == 2
    assert bad.output.startswith("error: ") and "Traceback" not in bad.output


def test_report_command_is_listed() -> None:
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert " report " in result.output


def test_zones_are_outlined_and_follow_the_ledger() -> None:
    from tumen.report._network import ledger_json, network_json

    ds = tumen.data.load()
    zones = {z["id"]: z for z in network_json(ds)["zones"]}
    rason = zones["zone_rason_sez"]
    assert rason["d"].startswith("M") and rason["d"].endswith("z")
    assert set(rason["places"]) >= {"rajin", "tumangang"}
    assert zones["zone_primorye_trilateral_park"]["d"] == ""
    # The trilateral park is proposed in 2023 (SEED-000): the ledger's zone timeline says so.
    ledger = ledger_json(ds, [])
    changes = ledger["zones"]["zone_primorye_trilateral_park"]
    statuses = [(ledger["dates"][i], status) for i, status, *_ in changes]
    assert any(day.startswith("2023") and status == "proposed" for day, status in statuses)


def test_demo_report_equals_one_built_again_from_its_results(
    demo_run: tuple[Path, str],
) -> None:
    """The demo computes the dataset's parts in a second process; the page is the same."""
    from datetime import date

    from tumen.report._build import dataset_parts

    out, _ = demo_run
    demo_page = _data((out / "report.html").read_text(encoding="utf-8"))
    ds = tumen.data.load()
    again = report_data(read_results(out), ds)
    for key in ("map", "places", "links", "facilities", "zones", "ledger", "scenarios"):
        assert demo_page[key] == json.loads(json.dumps(again[key])), key
    # Parts whose ledger lacks a scenario's date are not used: the ledger is rebuilt.
    stale = dataset_parts(ds, [])
    stale["ledger"] = {**stale["ledger"], "dates": ["1935-11-01"]}
    rebuilt = report_data(read_results(out), ds, parts=stale)
    assert rebuilt["ledger"] == again["ledger"]
    assert date(2019, 6, 1).isoformat() in rebuilt["ledger"]["dates"]
