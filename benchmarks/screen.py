"""Time ``tumen screen`` on a large generated table: seconds and peak memory.

Usage::

    python benchmarks/screen.py [--rows 1000000] [--chunk 200000] [--seed 20261130]

The table mixes what analysts bring: half customs statistics (``period`` by month,
``reporter``/``partner``/``flow``, six-digit HS codes, tonnes and US dollars) and half
dated shipments (``date``, ``origin``/``destination``, a Tumen commodity or HS code,
``purpose`` and declarations), 2015-2024, a third of the rows touching the DPRK. It is
written once as CSV and as Parquet (not timed). Each case then runs in a fresh Python
process, which reports its own wall time for the screening call and its peak resident
memory (``resource.getrusage``: the whole process, Python and libraries included) and
the CPU seconds it used from the call's start (user + system; on a shared machine this
is closer to what the call costs than the wall time):

* ``csv -> parquet``: :func:`tumen.screening.screen_file`, streamed in chunks;
* ``parquet -> parquet``: the same from Parquet;
* ``screen(df)``: the in-memory API on the whole table, read beforehand (not timed).

A second table gives the agreement with the UN Panel of Experts on the real cases of
``tests/screening/data/panel_cases.csv``: of the cases the Panel found a violation, how
many screening calls ``prohibited`` or ``cap_exceeded``.

Goals (issue 17): 1,000,000 rows in under 10 s and under 1 GB peak, and at least 90 %
agreement on real cases. Exits 1 if a streamed case misses a goal.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

LIMIT_S = 10.0
LIMIT_MB = 1024.0
AGREEMENT = 0.9
CASES = Path(__file__).resolve().parent.parent / "tests" / "screening" / "data" / "panel_cases.csv"
_CASE_META = (
    "case_id", "panel_document", "paragraph", "source_url", "summary", "panel_finding",
    "expected_verdict", "expected_measure", "why_differs",
)  # fmt: skip

_CHILD = r"""
import json, resource, sys, time
import pandas as pd
from tumen.screening import build_rules, screen, screen_file
case, src, out, chunk = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rules = build_rules()
cpu0 = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
if case == "memory":
    df = pd.read_parquet(src)
    t = time.perf_counter()
    res = screen(df)
    secs = time.perf_counter() - t
    counts = res["verdict"].value_counts().to_dict()
else:
    t = time.perf_counter()
    summary = screen_file(src, out, rules, chunk_rows=chunk, progress=False)
    secs = time.perf_counter() - t
    counts = summary.counts
use = resource.getrusage(resource.RUSAGE_SELF)
peak = use.ru_maxrss / 1024
cpu = use.ru_utime + use.ru_stime - cpu0
print(json.dumps({"seconds": secs, "cpu": cpu, "peak_mb": peak, "counts": counts}))
"""


def generate(rows: int, seed: int) -> pd.DataFrame:
    """A mixed customs-statistics and shipment table of ``rows`` rows (see module doc)."""
    rng = np.random.default_rng(seed)
    half = rows // 2
    other = np.array(
        [
            "CN",
            "RU",
            "KR",
            "JP",
            "MN",
            "US",
            "DE",
            "VN",
            "TH",
            "SG",
            "IN",
            "BR",
            "AU",
            "CA",
            "FR",
            "IT",
            "NL",
            "MY",
            "ID",
            "PH",
        ]
    )
    months = np.array([f"{y}-{m:02d}" for y in range(2015, 2025) for m in range(1, 13)])
    chapters = np.arange(1, 98)
    chapters = chapters[chapters != 77]
    hs_pool = np.array(
        [f"{c:02d}{h:02d}{s:02d}" for c in chapters for h in range(1, 8) for s in (10, 20, 90)]
    )
    kp = rng.random(rows) < 1 / 3
    partner = np.where(kp[:half], "KP", rng.choice(other, half))
    stats = pd.DataFrame(
        {
            "period": rng.choice(months, half),
            "reporter": rng.choice(other[:6], half),
            "partner": partner,
            "flow": rng.choice(["import", "export"], half),
            "hs": rng.choice(hs_pool, half),
            "quantity": rng.integers(1, 50_000, half).astype(str),
            "unit": "t",
            "value_usd": rng.integers(100, 5_000_000, half).astype(str),
        }
    )
    n = rows - half
    days = pd.date_range("2015-01-01", "2024-12-31").strftime("%Y-%m-%d").to_numpy()
    goods = np.array(
        [
            "coal",
            "iron_ore",
            "oil_products",
            "crude_oil",
            "seafood",
            "textiles",
            "wheat",
            "corn",
            "machinery",
            "vehicles",
            "fertiliser",
            "containers",
            "construction_materials",
            "rice",
        ]
    )
    com = rng.choice(goods, n)
    oil = np.isin(com, ["oil_products", "crude_oil"])
    a = rng.choice(other[:5], n)
    b = rng.choice(other[:5], n)
    to_kp = kp[half:] & (rng.random(n) < 0.5)
    from_kp = kp[half:] & ~to_kp
    ships = pd.DataFrame(
        {
            "date": rng.choice(days, n),
            "origin": np.where(from_kp, "KP", a),
            "destination": np.where(to_kp, "KP", b),
            "commodity": com,
            "quantity": rng.integers(1, 20_000, n).astype(str),
            "unit": np.where(oil, "bbl", np.where(com == "containers", "TEU", "t")),
            "purpose": np.where(rng.random(n) < 0.2, "livelihood", ""),
            "notified_1718": np.where(rng.random(n) < 0.2, "true", ""),
        }
    )
    table = pd.concat([stats, ships], ignore_index=True).fillna("")
    return table.iloc[rng.permutation(rows)].reset_index(drop=True)


def agreement() -> tuple[int, int, int]:
    """Screen the real cases: (cases, Panel violations, violations screening also finds)."""
    from tumen.screening import screen

    cases = pd.read_csv(CASES, dtype=str, keep_default_na=False)
    result = screen(cases.drop(columns=list(_CASE_META)))
    violation = cases["panel_finding"].eq("violation").to_numpy()
    hit = result["verdict"].isin(["prohibited", "cap_exceeded"]).to_numpy()
    return len(cases), int(violation.sum()), int((violation & hit).sum())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=250_000)
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument(
        "--no-memory-case", action="store_true", help="skip the in-memory screen(df) case"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tumen-screen-bench-"))
    table = generate(args.rows, args.seed)
    csv_path, pq_path = work / "flows.csv", work / "flows.parquet"
    table.to_csv(csv_path, index=False)
    table.to_parquet(pq_path, index=False)
    del table
    cases = [("csv -> parquet", "stream", csv_path), ("parquet -> parquet", "stream", pq_path)]
    if not args.no_memory_case:
        cases.append(("screen(df)", "memory", pq_path))
    rows = []
    ok = True
    for label, case, src in cases:
        out = work / f"out-{case}-{src.suffix.lstrip('.')}.parquet"
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD, case, str(src), str(out), str(args.chunk)],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return 2
        res = json.loads(proc.stdout.strip().splitlines()[-1])
        passed = res["seconds"] < LIMIT_S and res["peak_mb"] < LIMIT_MB
        if case == "stream":
            ok &= passed
        rows.append(
            (
                label,
                args.rows,
                res["seconds"],
                res["cpu"],
                args.rows / res["seconds"],
                res["peak_mb"],
                "yes" if passed else "no",
            )
        )
        counts = res["counts"]
    print(
        f"\nscreening {args.rows:,} generated rows ({args.chunk:,} per chunk), "
        f"input {csv_path.stat().st_size / 1e6:.0f} MB CSV\n"
    )
    head = (
        f"{'case':<20} {'rows':>10} {'seconds':>8} {'cpu s':>7} {'rows/s':>10} "
        f"{'peak MB':>8}  goal met"
    )
    print(head)
    print("-" * len(head))
    for label, n, secs, cpu, rate, peak, passed in rows:
        print(
            f"{label:<20} {n:>10,} {secs:>8.2f} {cpu:>7.1f} {rate:>10,.0f} {peak:>8.0f}  {passed}"
        )
    print("\nverdicts:", ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    print(f"goals: < {LIMIT_S:.0f} s and < {LIMIT_MB:.0f} MB peak for the streamed cases")
    shutil.rmtree(work, ignore_errors=True)
    n, violations, agree = agreement()
    rate = agree / violations if violations else 1.0
    head = f"{'real cases':<12} {'Panel violations':>16} {'screening agrees':>17} {'agreement':>10}"
    print("\n" + head)
    print("-" * 58)
    print(f"{n:<12} {violations:>16} {agree:>17} {rate:>9.1%}")
    print(f"goal: >= {AGREEMENT:.0%} ({CASES.name}; each disagreement is explained there)")
    return 0 if ok and rate >= AGREEMENT else 1


if __name__ == "__main__":
    raise SystemExit(main())
