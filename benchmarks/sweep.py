"""Time ``tumen sweep``: draws per second on 1 and 2 workers, scaling and peak memory.

Usage::

    python benchmarks/sweep.py [--draws 10000] [--workers 1,2] [--scenario FILE]

Sweeps ``benchmarks/sweep-2023.yaml`` (the 2023 scenario with uncertain capacities, demand
and crossing) once per worker count, each in a fresh child process that calls
:func:`tumen.sweep.run_sweep` (summaries included, nothing written) and reports its wall
time and peak memory: the child's own peak resident set and the largest worker's. The
times include starting the workers and compiling the scenario in each. Prints one row
per worker count, and the goals: 10,000 draws in under 60 s (>= 170 draws/s) and
1 -> 2 workers >= 1.8x. Timings on a machine shared with other work are only indicative.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOAL_RATE = 170.0
GOAL_SCALING = 1.8

_CHILD = r"""
import json, resource, sys, time
from tumen.sweep import run_sweep
scenario, draws, workers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
start = time.perf_counter()
result = run_sweep(scenario, draws, seed=1, workers=workers, progress=False)
seconds = time.perf_counter() - start
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "own_mb": own, "worker_mb": kids,
                  "draws": int((result["draws"]["kind"] == "random").sum())}))
"""


def _run(scenario: Path, draws: int, workers: int) -> dict[str, float]:
    env = dict(os.environ)
    src = str(HERE.parent / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(scenario), str(draws), str(workers)],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        sys.exit(f"sweep with {workers} worker(s) failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--scenario", type=Path, default=HERE / "sweep-2023.yaml")
    args = parser.parse_args()
    counts = [int(x) for x in args.workers.split(",")]
    rows = []
    for k in counts:
        r = _run(args.scenario, args.draws, k)
        rows.append((k, r))
    base = rows[0][1]["seconds"]
    print(f"sweep of {args.scenario.name}: {args.draws} draws, {os.cpu_count()} cores "
          "(a shared machine: other work running makes these times slower)")  # fmt: skip
    print(f"{'workers':>7} {'seconds':>8} {'draws/s':>8} {'speed-up':>8} "
          f"{'peak MB':>8} {'worker MB':>9}")  # fmt: skip
    for k, r in rows:
        rate = args.draws / r["seconds"]
        print(f"{k:>7} {r['seconds']:>8.1f} {rate:>8.0f} {base / r['seconds']:>7.2f}x "
              f"{r['own_mb']:>8.0f} {r['worker_mb']:>9.0f}")  # fmt: skip
    best = max(args.draws / r["seconds"] for _, r in rows)
    print(f"goal >= {GOAL_RATE:.0f} draws/s: {'met' if best >= GOAL_RATE else 'NOT met'} "
          f"(best {best:.0f})")  # fmt: skip
    if len(rows) > 1 and counts[0] == 1 and counts[1] == 2:
        scaling = rows[0][1]["seconds"] / rows[1][1]["seconds"]
        print(f"goal 1 -> 2 workers >= {GOAL_SCALING}x: "
              f"{'met' if scaling >= GOAL_SCALING else 'NOT met'} ({scaling:.2f}x)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
