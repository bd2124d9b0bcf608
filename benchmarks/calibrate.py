"""Out-of-sample check of the calibrated choice model: held-out years, crossing by crossing.

Usage::

    python benchmarks/calibrate.py [--holdout-year Y] [--nested]

Without ``--holdout-year``, every year with a non-zero observation is held out in turn
(the fit uses the other years: the leave-one-year-out fits of
:func:`tumen.choice.calibrate`), and that year's observed crossings and ports are
predicted. Prints one row per held-out
observation (observed, modelled, ratio, within ±25 %) and the share of non-zero
observations modelled within ±25 % of observed; the goal is at least 70 %. Zero
observations (years a route was closed) are shown but not counted in the share.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

GOAL = 0.70


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holdout-year", type=int, default=None)
    parser.add_argument("--nested", action="store_true")
    args = parser.parse_args()

    import tumen.data
    from tumen.choice import calibrate, observations

    start = time.perf_counter()
    ds = tumen.data.load()
    obs = observations(ds)
    used = obs[obs["used"]]
    years = (
        [args.holdout_year]
        if args.holdout_year is not None
        else sorted(int(y) for y in used.loc[used["observed"] > 0, "year"].unique())
    )
    if args.holdout_year is not None:
        result = calibrate(dataset=ds, holdout_year=args.holdout_year, nested=args.nested)
    else:
        # Leave-one-year-out: each year's out-of-sample rows come from the fit on the
        # other years, the same fit ``holdout_year=year`` makes, with the years' networks
        # built once.
        result = calibrate(dataset=ds, nested=args.nested)
    out = result.fit[~result.fit["in_sample"] & result.fit["year"].isin(years)]
    rows = out.sort_values(["year", "facility"], kind="stable").to_dict("records")
    seconds = time.perf_counter() - start
    print(f"{'held out':>8}  {'crossing or port':<16} {'scope':<12} {'observed t':>12} "
          f"{'modelled t':>12} {'ratio':>6}  within ±25 %")  # fmt: skip
    hits = counted = 0
    for r in rows:
        ratio = r["modelled"] / r["observed"] if r["observed"] > 0 else float("nan")
        within = abs(ratio - 1.0) <= 0.25 if r["observed"] > 0 else None
        if within is not None:
            counted += 1
            hits += int(within)
        mark = "-" if within is None else ("yes" if within else "no")
        print(f"{r['year']:>8}  {r['facility']:<16} {r['scope']:<12} {r['observed']:>12,.0f} "
              f"{r['modelled']:>12,.0f} {ratio:>6.2f}  {mark}")  # fmt: skip
    share = hits / counted if counted else float("nan")
    verdict = "meets" if share >= GOAL else "misses"
    print(f"\n{hits} of {counted} non-zero held-out observations within ±25 % "
          f"({share:.0%}); goal >= {GOAL:.0%}: {verdict} it. {seconds:.0f} s.")  # fmt: skip


if __name__ == "__main__":
    main()
