"""Precision and recall of `tumen ingest` on the seed articles and held-out fixtures.

Run from the repository root:  PYTHONPATH=src python benchmarks/ingest.py [-v]

Scores proposals against the hand-made gold lists in tests/ingest/ (gold_seeds.yaml for
shared/seeds, gold_heldout.yaml for tests/ingest/fixtures/heldout, articles written by
the Tumen developers). Goal: recall >= 0.9 and precision >= 0.8 for events with the right
month and places.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from tumen.data import load
from tumen.ingest import ingest
from tumen.ingest._score import article_dates, read_gold, score

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TUMEN_SHARED_DIR", ROOT.parent / "shared"))
SETS = {
    "seeds": (SHARED / "seeds", ROOT / "tests/ingest/gold_seeds.yaml"),
    "held-out": (ROOT / "tests/ingest/fixtures/heldout", ROOT / "tests/ingest/gold_heldout.yaml"),
}


def main() -> None:
    verbose = "-v" in sys.argv
    dataset = load()
    print(f"{'set':9} {'metric':32} {'precision':>9} {'recall':>7}  proposals  gold  seconds")
    for name, (folder, gold_path) in SETS.items():
        if not folder.is_dir():
            print(f"{name:9} skipped: {folder} not found")
            continue
        gold = read_gold(gold_path)
        files = [str(folder / a["file"]) for a in gold["articles"]]
        start = time.perf_counter()
        result = ingest(files, article_dates(gold, folder), dataset=dataset)
        seconds = time.perf_counter() - start
        s = score(result.proposals, gold)
        for i, (metric, (p, r)) in enumerate(s.table().items()):
            extra = f"  {s.proposals:9d}  {s.gold:4d}  {seconds:7.2f}" if i == 0 else ""
            print(f"{name:9} {metric:32} {p:9.2f} {r:7.2f}{extra}")
        if verbose:
            for note in s.notes:
                print(f"    {note}")


if __name__ == "__main__":
    main()
