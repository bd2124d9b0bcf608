"""Time one all-or-nothing round (shortest paths and loading) of Tumen's BFW on its own.

Builds the synthetic 114 x 114 grid of ``assign.py`` (865 zones) and times
``all_or_nothing`` at free-flow times and at congested ones, on 1 thread and on all of
numba's threads (best and median of ``--repeat`` runs, the first untimed).

    python benchmarks/aon_round.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numba
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from assign import prepare_synthetic


def main(argv: list[str] | None = None) -> int:
    """Print the round times; return 0."""
    from tumen.assign import Network, TrafficClass
    from tumen.assign._kernels_paths import all_or_nothing
    from tumen.assign._measure import link_times
    from tumen.assign._prepare import prepare_classes

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        npz = Path(tmp) / "synthetic.npz"
        prepare_synthetic(npz)
        d = dict(np.load(npz))
    net = Network.from_arrays(
        d["a_node"] - 1,
        d["b_node"] - 1,
        d["fft"],
        d["capacity"],
        alpha=d["alpha"],
        beta=d["beta"],
        num_nodes=int(d["num_nodes"]),
        zones=int(d["zones"]),
    )
    cls = prepare_classes(net, [TrafficClass.from_matrix("trips", d["matrix"], net.zones)])[0]
    flows = np.zeros(net.num_links)

    def round_(cost: np.ndarray, threads: int) -> float:
        start = time.perf_counter()
        all_or_nothing(
            cls.origins,
            cls.dem_ptr,
            cls.dem_dest,
            cls.dem_vol,
            net.out_ptr,
            net.out_links,
            net.from_node,
            net.to_node,
            cost,
            net.no_thru,
            threads,
            flows,
        )
        return time.perf_counter() - start

    free = net.free_flow_time.copy()
    round_(free, numba.get_num_threads())
    congested = link_times(net, flows)
    most = numba.get_num_threads()
    print(
        f"{net.num_nodes} nodes, {net.num_links} links, {cls.origins.size} origins; "
        f"numba threads {most} ({numba.threading_layer()})"
    )
    for label, cost in (("free flow", free), ("congested", congested)):
        for threads in sorted({1, most}):
            numba.set_num_threads(threads)
            round_(cost, threads)
            times = [round_(cost, threads) for _ in range(args.repeat)]
            print(
                f"{label:<10} {threads} thread(s): best {min(times):.4f} s, "
                f"median {float(np.median(times)):.4f} s"
            )
        numba.set_num_threads(most)
    return 0


if __name__ == "__main__":
    sys.exit(main())
