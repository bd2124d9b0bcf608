"""Size of the demo report and its time to drawn in headless Chromium.

Runs the demo (or takes ``--results DIR``), builds the report, then opens it from disk
in Debian's Chromium (Playwright, network blocked) ``--repeat`` times. "Drawn" is the
moment after the page's scripts have drawn the map, every chart and panel and the browser
has rendered that frame (``performance.now()`` when ``body[data-drawn]`` is set, counted
from the start of navigation); the wall time from ``goto`` to that attribute is shown too.

    python benchmarks/report.py [--results DIR] [--repeat 5]

Goals (issue 15): report < 10 MB; drawn < 2 s.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

MAX_MB = 10.0
MAX_DRAWN_S = 2.0


def main(argv: list[str] | None = None) -> int:
    """Print the table; return 0 when both goals are met, else 1."""
    from playwright.sync_api import sync_playwright

    from tumen.report import build_report
    from tumen.report._geometry import map_geometry
    from tumen.scenario import run_demo

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    browser_path = shutil.which("chromium") or "/usr/bin/chromium"
    with tempfile.TemporaryDirectory() as tmp:
        results = args.results
        if results is None:
            results = Path(tmp) / "demo"
            run_demo(results)
        out = Path(tmp) / "report.html"
        start = time.perf_counter()
        map_geometry()
        geometry_s = time.perf_counter() - start
        start = time.perf_counter()
        build_report(results, out)
        build_s = time.perf_counter() - start
        size_mb = out.stat().st_size / 1e6
        drawn, wall = [], []
        blocked: list[str] = []

        def route(r: object) -> None:
            url = r.request.url  # type: ignore[attr-defined]
            if url.startswith("file:"):
                r.continue_()  # type: ignore[attr-defined]
            else:
                blocked.append(url)
                r.abort()  # type: ignore[attr-defined]

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
            for _ in range(args.repeat + 1):
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                context.route("**/*", route)
                page = context.new_page()
                t0 = time.perf_counter()
                page.goto(out.as_uri())
                page.wait_for_selector("body[data-drawn='true']", timeout=60_000)
                wall.append(time.perf_counter() - t0)
                drawn.append(float(page.get_attribute("body", "data-drawn-ms") or "nan") / 1e3)
                assert not blocked, blocked
                context.close()
            browser.close()
        drawn, wall = drawn[1:], wall[1:]  # the first load warms the browser's caches
    rows = [
        ("report size", f"{size_mb:.2f} MB", f"< {MAX_MB:g} MB", size_mb < MAX_MB),
        ("build (cold map geometry)", f"{geometry_s:.2f} s", "", None),
        ("build (map cached)", f"{build_s:.2f} s", "", None),
        ("drawn, median (page clock)", f"{statistics.median(drawn):.3f} s",
         f"< {MAX_DRAWN_S:g} s", statistics.median(drawn) < MAX_DRAWN_S),
        ("drawn, worst (page clock)", f"{max(drawn):.3f} s", "", None),
        ("goto to drawn, median (wall)", f"{statistics.median(wall):.3f} s", "", None),
    ]  # fmt: skip
    print(f"report benchmark: {args.repeat} loads in headless Chromium ({browser_path})")
    print(f"{'measure':<30} {'value':>10}  {'goal':<10} met")
    for name, value, goal, met in rows:
        flag = "" if met is None else ("yes" if met else "NO")
        print(f"{name:<30} {value:>10}  {goal:<10} {flag}")
    return 0 if all(m is not False for *_, m in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
