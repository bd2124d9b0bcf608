"""Time ``tumen demo``: the whole command in a fresh process, and each scenario in it.

Usage::

    python benchmarks/demo.py [--runs 2] [--out DIR]

Each run starts a new Python process (``python -m tumen demo``), so the time includes
importing Tumen. The first run is *cold*: it points ``NUMBA_CACHE_DIR`` at a new empty
folder, so any numba kernel on the demo's path compiles as on the first run after
installing; later runs reuse that cache. Prints the wall time of every run and the
per-scenario seconds of the last one, and exits 1 if any run took 10 s or more.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

LIMIT_S = 10.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2, help="number of fresh-process runs")
    parser.add_argument("--out", type=Path, default=None, help="demo output folder")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="tumen-demo-bench-")) / "demo"
    walls = []
    env = dict(os.environ, NUMBA_CACHE_DIR=tempfile.mkdtemp(prefix="tumen-numba-cold-"))
    for i in range(args.runs):
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "tumen", "demo", "--out", str(out)],
            capture_output=True, text=True, check=False, env=env,
        )  # fmt: skip
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            print(proc.stdout, proc.stderr, file=sys.stderr)
            return proc.returncode
        walls.append(wall)
        kind = "cold numba cache" if i == 0 else "warm numba cache"
        print(f"run {i + 1}: tumen demo took {wall:.2f} s (fresh process, {kind})")
    summary = pd.read_parquet(out / "summary.parquet")
    print()
    print(f"{'scenario':<34} {'method':<22} {'seconds':>8}")
    for row in summary.itertuples():
        label = row.scenario + (" (COUNTERFACTUAL)" if row.counterfactual else "")
        print(f"{label:<34} {row.method:<22} {row.seconds:>8.2f}")
    print(f"{'all scenarios (in-process)':<57} {summary['seconds'].sum():>8.2f}")
    worst = max(walls)
    print(
        f"\nslowest run {worst:.2f} s; limit {LIMIT_S:.0f} s: {'OK' if worst < LIMIT_S else 'FAIL'}"
    )
    return 0 if worst < LIMIT_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
