"""Time ``tumen sweep``: draws per second on 1 and 2 workers, scaling and peak memory.

Usage::

    python benchmarks/sweep.py [--draws 10000] [--workers 1,2] [--repeat 3] [--scenario FILE]

Sweeps ``benchmarks/sweep-2023.yaml`` (the 2023 scenario with uncertain capacities, demand
and crossing) once per worker count and repeat, interleaved (1, 2, 1, 2 ...), each in a
fresh child process that calls :func:`tumen.sweep.run_sweep` (summaries included,
nothing written). Each run reports its wall time (starting the workers, compiling the
scenario in each and summarising included), its CPU seconds (the child and its workers,
user + system) and its peak resident memory: the child's own (the parent of the sweep)
and its largest worker's. Prints every run, then per worker count the best and the
median: seconds, draws/s, speed-up over the first count, peak MB, and draws per CPU
second (what one busy core gives, much less sensitive to other work on the machine than
the wall time). Then the goals: 10,000 draws in under 60 s (>= 170 draws/s) and 1 -> 2
workers >= 1.8x. The load average before and after says how busy the machine was.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
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
me = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
print(json.dumps({"seconds": seconds, "own_mb": me.ru_maxrss / 1024,
                  "worker_mb": kids.ru_maxrss / 1024, "cpu": cpu,
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
    parser.add_argument("--repeat", type=int, default=3, help="runs per worker count")
    parser.add_argument("--scenario", type=Path, default=HERE / "sweep-2023.yaml")
    args = parser.parse_args()
    counts = [int(x) for x in args.workers.split(",")]
    load0 = os.getloadavg()
    runs: dict[int, list[dict[str, float]]] = {k: [] for k in counts}
    print(f"sweep of {args.scenario.name}: {args.draws} draws, {os.cpu_count()} cores, "
          f"{args.repeat} run(s) per worker count, interleaved")  # fmt: skip
    print(f"{'run':>3} {'workers':>7} {'seconds':>8} {'draws/s':>8} {'CPU s':>7} "
          f"{'parent MB':>9} {'worker MB':>9}")  # fmt: skip
    for rep in range(args.repeat):
        for k in counts:
            r = _run(args.scenario, args.draws, k)
            runs[k].append(r)
            worker = f"{r['worker_mb']:>9.0f}" if k > 1 else f"{'-':>9}"
            print(f"{rep + 1:>3} {k:>7} {r['seconds']:>8.1f} {args.draws / r['seconds']:>8.0f} "
                  f"{r['cpu']:>7.1f} {r['own_mb']:>9.0f} {worker}", flush=True)  # fmt: skip
    load1 = os.getloadavg()
    print()
    print(f"{'workers':>7} {'best s':>7} {'median s':>8} {'best/s':>7} {'median/s':>8} "
          f"{'speed-up best':>13} {'speed-up median':>15} {'peak MB parent/worker':>21} "
          f"{'draws/CPU s':>11}")  # fmt: skip
    best = {k: min(r["seconds"] for r in v) for k, v in runs.items()}
    median = {k: statistics.median(r["seconds"] for r in v) for k, v in runs.items()}
    first = counts[0]
    for k in counts:
        parent = max(r["own_mb"] for r in runs[k])
        worker = f"{max(r['worker_mb'] for r in runs[k]):.0f}" if k > 1 else "-"
        cpu_rate = args.draws / statistics.median(r["cpu"] for r in runs[k])
        print(f"{k:>7} {best[k]:>7.1f} {median[k]:>8.1f} {args.draws / best[k]:>7.0f} "
              f"{args.draws / median[k]:>8.0f} {best[first] / best[k]:>12.2f}x "
              f"{median[first] / median[k]:>14.2f}x {f'{parent:.0f} / {worker}':>21} "
              f"{cpu_rate:>11.0f}")  # fmt: skip
    print(f"load average (1 min) {load0[0]:.1f} before, {load1[0]:.1f} after "
          f"({os.cpu_count()} cores; above ~{max(counts) - 1} the workers share cores "
          "with other work)")  # fmt: skip
    rate = max(args.draws / s for s in best.values())
    print(f"goal >= {GOAL_RATE:.0f} draws/s: {'met' if rate >= GOAL_RATE else 'NOT met'} "
          f"(best {rate:.0f}; {args.draws} draws in {args.draws / rate:.1f} s)")  # fmt: skip
    if 1 in best and 2 in best:
        scaling = best[1] / best[2]
        med = median[1] / median[2]
        print(f"goal 1 -> 2 workers >= {GOAL_SCALING}x: "
              f"{'met' if scaling >= GOAL_SCALING else 'NOT met'} (best {scaling:.2f}x, "
              f"median {med:.2f}x)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
