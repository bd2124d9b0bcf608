"""The report in a real browser (Debian's Chromium via Playwright), opened from disk offline."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from report_pages import HOSTILE_SOURCE, HOSTILE_TITLE, OfflinePage

#: Each chart: its CSS class and the SVG elements it must have drawn.
CHARTS = {
    "chart-throughput": "rect.bar",
    "chart-observed": "path.series",
    "chart-bottlenecks": "rect.bar",
    "chart-unmet": "rect.bar",
    "chart-costs": "rect.bar",
    "chart-distance-cost": "rect.marker.step",
    "chart-distance-time": "path.series",
}


def _link_flows(page) -> dict[str, str]:
    return page.eval_on_selector_all(
        "svg.map path[data-link]",
        "els => Object.fromEntries(els.map(e => [e.dataset.link, e.dataset.flow + ' ' + "
        "e.getAttribute('class')]))",
    )


def test_map_and_charts_draw_offline(
    offline: OfflinePage, report_path: Path, tmp_path: Path
) -> None:
    page = offline.open(report_path)
    assert len(page.get_attribute("svg.map path.land", "d") or "") > 10_000
    assert page.locator("svg.map path.river").count() == 1
    assert page.locator("svg.map path[data-link]").count() >= 40
    assert page.locator("svg.map [data-facility]").count() >= 15
    labels = page.locator("svg.map text.label").all_text_contents()
    assert "Khasan" in labels and "Tumangang" in labels and "khasan" not in labels
    # The two Tumen bridges (rail and road, Khasan–Tumangang) are drawn apart.
    rail = page.get_attribute("path[data-link='rail_khasan_tumangang']", "d")
    road = page.get_attribute("path[data-link='road_khasan_tumangang']", "d")
    assert rail and road and rail != road
    # Sea legs follow the water: a polyline of several points, not one curve.
    ferry = page.get_attribute("path[data-link='ferry_rajin_vladivostok']", "d") or ""
    assert ferry.startswith("M") and ferry.count("L") >= 3 and "Q" not in ferry
    # Zones with places are outlined; the Rason zone is in force, the trilateral park
    # (no location in the sources) is not drawn.
    assert page.locator("svg.map path.zone[data-zone='zone_rason_sez'].open").count() == 1
    assert page.locator("svg.map path[data-zone='zone_primorye_trilateral_park']").count() == 0
    # Flows are sized: some link carries a flow and is wider than an idle one.
    widths = page.eval_on_selector_all(
        "svg.map path[data-link]", "els => els.map(e => +e.getAttribute('stroke-width'))"
    )
    assert max(widths) > 3 * min(widths)
    for cls, selector in CHARTS.items():
        count = page.locator(f".{cls} svg {selector}").count()
        assert count > 0, f"{cls} drew no {selector}"
    # Crossings and ports coloured by utilisation: more than one colour in use.
    fill_js = "els => els.map(e => e.getAttribute('fill'))"
    fills = set(page.eval_on_selector_all("svg.map [data-facility]", fill_js))
    assert len(fills) >= 2
    assert page.locator("#sanctions tr.finding").count() >= 5
    # Observed against modelled where a scenario's year has observations (2023: Posyet).
    assert page.locator("#throughput tr.obs-vs-model").count() >= 1
    assert page.locator("#sanctions tr.cf-row .badge.cf").count() >= 1
    assert page.locator("#sources tr.source-row").count() > 100
    assert page.locator("#sweep-empty").count() == 1
    page.screenshot(path=str(tmp_path / "report.png"), full_page=False)
    assert (tmp_path / "report.png").stat().st_size > 10_000


def _scenario_index(page: object, name: str) -> int:
    """The picker's option index of the scenario ``name`` (options follow the data's order)."""
    index = page.evaluate(  # type: ignore[attr-defined]
        "(n) => JSON.parse(document.getElementById('tumen-data').textContent)"
        ".scenarios.map((s) => s.name).indexOf(n)",
        name,
    )
    assert index >= 0, name
    return int(index)


def test_scenario_and_date_controls_redraw_the_map(
    offline: OfflinePage, report_path: Path, tmp_path: Path
) -> None:
    page = offline.open(report_path)
    before = _link_flows(page)
    date_before = page.text_content("#date-label")
    page.select_option("#scenario-picker", index=_scenario_index(page, "2021-closed"))
    after = _link_flows(page)
    assert after != before
    assert page.text_content("#date-label") != date_before
    assert "closed" in after["rail_khasan_tumangang"]
    # Move the date back before the 2020 closure: the crossing is drawn open again.
    index = page.evaluate(
        "() => JSON.parse(document.getElementById('tumen-data').textContent)"
        ".ledger.dates.indexOf('2019-01-01')"
    )
    assert index >= 0
    page.eval_on_selector(
        "#date-slider",
        "(el, i) => { el.value = i; el.dispatchEvent(new Event('input')); }",
        index,
    )
    assert page.text_content("#date-label") == "2019-01-01"
    moved = _link_flows(page)
    assert "closed" not in moved["rail_khasan_tumangang"]
    assert moved != after
    # A scenario with binding constraints ranks them by shadow price.
    page.select_option("#scenario-picker", index=_scenario_index(page, "primorye-2-expansion"))
    assert page.locator(".chart-shadow svg rect.bar").count() > 0
    # The counterfactual is labelled when picked.
    page.select_option(
        "#scenario-picker", index=_scenario_index(page, "sanctions-lifted-counterfactual")
    )
    assert "COUNTERFACTUAL" in page.text_content("#scenario-banner")
    # Hover shows numbers; clicking a crossing lists its sources, one click to the registry.
    page.hover("svg.map [data-facility='fac_kraskino_checkpoint']")
    assert "utilisation" in page.text_content("#tooltip")
    page.click("svg.map [data-facility='fac_kraskino_checkpoint']", force=True)
    button = page.locator("#details button.src-btn").first
    source_id = button.text_content()
    button.click()
    visible = page.eval_on_selector_all(
        "#sources tr.source-row",
        "rows => rows.filter(r => !r.hidden).map(r => r.dataset.sourceRow)",
    )
    assert visible == [source_id]
    page.click("#view-bridges")
    page.screenshot(path=str(tmp_path / "bridges.png"))


def test_hostile_text_shows_as_text_and_runs_nothing(
    offline: OfflinePage, hostile_report: Path, tmp_path: Path
) -> None:
    page = offline.open(hostile_report)
    assert page.evaluate("() => window.__pwned") is None
    assert offline.dialogs == []
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 5  # the data and four packaged scripts only
    title = page.text_content(f"#sources tr[data-source-row='{HOSTILE_SOURCE}'] .source-title")
    assert title == HOSTILE_TITLE
    # The javascript: address is shown as text, never made a link.
    assert page.locator(f"#sources tr[data-source-row='{HOSTILE_SOURCE}'] a").count() == 0
    labels = page.locator("svg.map text.label").all_text_contents()
    assert HOSTILE_TITLE in labels
    page.hover("svg.map [data-link-hit='rail_khasan_tumangang']", force=True)
    page.click("svg.map [data-place='khasan']", force=True)
    assert page.evaluate("() => window.__pwned") is None
    page.screenshot(path=str(tmp_path / "hostile.png"))


def test_sweep_hook_draws_fan_charts(
    offline: OfflinePage, demo_run: tuple[Path, str], tmp_path: Path
) -> None:
    from tumen.report import build_report

    folder = tmp_path / "results"
    shutil.copytree(demo_run[0] / "2023-reopened", folder / "2023-reopened")
    (folder / "sweep").mkdir()
    quantiles = pd.DataFrame({
        "metric": ["throughput_t_yr"] * 2, "element_id": ["fac_kraskino_checkpoint"] * 2,
        "x": [2023, 2026], "q05": [1e5, 2e5], "q25": [2e5, 3e5], "q50": [3e5, 4e5],
        "q75": [4e5, 5e5], "q95": [5e5, 6e5], "unit": ["t/yr"] * 2,
    })  # fmt: skip
    quantiles.to_parquet(folder / "sweep" / "quantiles.parquet")
    pd.DataFrame({"element_id": ["fac_kraskino_checkpoint"], "p_binding": [0.4]}).to_parquet(
        folder / "sweep" / "binding.parquet"
    )
    page = offline.open(build_report(folder))
    assert page.locator(".chart-sweep svg path.band").count() == 2
    assert page.locator("svg.map circle.binding-ring").count() == 1
    assert page.locator("#sweep-empty").count() == 0
