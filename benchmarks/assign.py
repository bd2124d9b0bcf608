"""Benchmark Tumen's assignment engine against AequilibraE and tap-b, side by side, in one run.

Usage::

    python benchmarks/assign.py [TNTP_DIR ...] [--gaps 1e-4,1e-6] [--tight 1e-10]
                                [--synthetic | --no-synthetic] [--aeq-python PYTHON]
                                [--tapb-gaps 1e-4,1e-12] [--repeat 2] [--no-tapb]

Two tables. The first runs Tumen and AequilibraE on the same input arrays (below). The
second runs tap-b (Algorithm B in C, built from ``$TUMEN_SHARED_DIR/anchors/tap-b`` with its
``build.sh`` into a temporary folder; skipped with the reason when there is no C compiler)
and the ``tumen assign`` command on the same TNTP files and gaps, interleaved (tap-b,
Tumen, tap-b, Tumen ...), both on time alone (tap-b reads no README weights): whole-process
seconds (start to exit, as a user waits), solve seconds (as each tool logs them), peak
memory of the process, and the Tumen/tap-b ratios of the quickest runs.

Without directories it runs the TNTP networks under ``$TUMEN_SHARED_DIR/data/tntp`` (default
``../shared/data/tntp``) that have a best-known ``_flow.tntp``, plus a synthetic network the
size of Berlin-Center (12,996 nodes, about 28,400 links, 865 zones; seed 20261125).

Every solve runs in its own child process (so that peak memory is that solve's process),
on the same input arrays, prepared once by the parent: Tumen in this Python, AequilibraE in
``--aeq-python`` (default: this Python if it has ``aequilibrae``, else ``/tmp/aeq-venv``;
``benchmarks/README.md`` says how to make that environment). Seconds are the solve call
alone (reading files, building the graph and numba's first-call compilation excluded: the
Tumen worker first solves a tiny network with the same algorithm). L1 flow error is
``sum |x - x*| / sum x*`` against the best-known flows ``x*`` where the folder has them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
SEED = 20261125


# ----------------------------------------------------------------------------- inputs
def prepare_tntp(folder: Path, out: Path) -> dict:
    """Read a TNTP folder with Tumen's readers and save the neutral input arrays."""
    from tumen.assign import read_tntp_flow, read_tntp_net, read_tntp_trips, read_tntp_weights

    net_file = next(iter(sorted(folder.glob("*_net.tntp"))))
    stem = net_file.name[: -len("_net.tntp")]
    net = read_tntp_net(net_file)
    toll_w, dist_w = read_tntp_weights(folder)
    trips = read_tntp_trips(folder / f"{stem}_trips.tntp", net)
    best_file = folder / f"{stem}_flow.tntp"
    best = read_tntp_flow(best_file, net) if best_file.is_file() else np.zeros(0)
    z = net.num_zones
    zone_of = np.full(net.num_nodes, -1)
    zone_of[net.zones] = np.arange(z)
    matrix = np.zeros((z, z))
    np.add.at(matrix, (zone_of[trips.origins], zone_of[trips.destinations]), trips.volumes)
    first_thru = int(np.flatnonzero(~net.no_thru)[0]) + 1 if net.no_thru.any() else 1
    np.savez(
        out,
        a_node=net.node_ids[net.from_node],
        b_node=net.node_ids[net.to_node],
        fft=net.free_flow_time,
        capacity=net.capacity,
        alpha=net.alpha,
        beta=net.beta,
        fixed=toll_w * net.toll + dist_w * net.length,
        zones=z,
        first_thru=first_thru,
        num_nodes=net.num_nodes,
        matrix=matrix,
        best=best,
    )
    return {"name": folder.name, "nodes": net.num_nodes, "links": net.num_links, "zones": z}


def prepare_synthetic(out: Path, side: int = 114, zones: int = 865, seed: int = SEED) -> dict:
    """A Manhattan-style grid the size of Berlin-Center, with documented random draws.

    ``side x side`` intersections; rows and columns are one-way streets in alternating
    directions (strongly connected), and a random 10% of streets also run the other way.
    Free-flow times are uniform in [0.5, 2] minutes, capacities uniform in [600, 1800]
    veh/h (BPR 0.15/4). ``zones`` intersections, drawn at random, are the zones (renumbered
    first, so node ids 1..zones are zones; all nodes may be passed through). Demand from
    zone i to j is ``P_i A_j exp(-d_ij / 20)`` (d: grid distance), the smallest 60% of
    pairs dropped, scaled to 180,000 trips.
    """
    rng = np.random.default_rng(seed)
    n = side * side
    r, c = np.divmod(np.arange(n), side)
    tails, heads = [], []
    right = c < side - 1
    east = r % 2 == 0
    a, b = np.arange(n)[right], np.arange(n)[right] + 1
    tails.append(np.where(east[right], a, b))
    heads.append(np.where(east[right], b, a))
    down = r < side - 1
    south = c % 2 == 0
    a, b = np.arange(n)[down], np.arange(n)[down] + side
    tails.append(np.where(south[down], a, b))
    heads.append(np.where(south[down], b, a))
    tail, head = np.concatenate(tails), np.concatenate(heads)
    both = rng.random(tail.size) < 0.10
    tail, head = np.concatenate([tail, head[both]]), np.concatenate([head, tail[both]])
    m = tail.size
    zone_nodes = rng.choice(n, zones, replace=False)
    order = np.concatenate([zone_nodes, np.setdiff1d(np.arange(n), zone_nodes)])
    new_id = np.empty(n, dtype=np.int64)
    new_id[order] = np.arange(1, n + 1)
    zr, zc = r[zone_nodes], c[zone_nodes]
    dist = np.abs(zr[:, None] - zr[None, :]) + np.abs(zc[:, None] - zc[None, :])
    prod = rng.uniform(0.5, 1.5, zones)
    attr = rng.uniform(0.5, 1.5, zones)
    matrix = prod[:, None] * attr[None, :] * np.exp(-dist / 20.0)
    np.fill_diagonal(matrix, 0.0)
    matrix[matrix < np.quantile(matrix, 0.60)] = 0.0
    matrix *= 180_000.0 / matrix.sum()
    np.savez(
        out,
        a_node=new_id[tail],
        b_node=new_id[head],
        fft=rng.uniform(0.5, 2.0, m),
        capacity=rng.uniform(600.0, 1800.0, m),
        alpha=np.full(m, 0.15),
        beta=np.full(m, 4.0),
        fixed=np.zeros(m),
        zones=zones,
        first_thru=1,
        num_nodes=n,
        matrix=matrix,
        best=np.zeros(0),
    )
    return {"name": f"synthetic-grid-{side}x{side}", "nodes": n, "links": m, "zones": zones}


# ----------------------------------------------------------------------------- workers
def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def worker_tumen(npz: str, algorithm: str, gap: float, max_iter: int, out: str) -> dict:
    import warnings

    from tumen.assign import EquilibriumSettings, Network, TrafficClass, solve_equilibrium
    from tumen.errors import ConvergenceWarning

    d = np.load(npz)
    z = int(d["zones"])
    net = Network.from_arrays(
        d["a_node"] - 1,
        d["b_node"] - 1,
        d["fft"],
        d["capacity"],
        alpha=d["alpha"],
        beta=d["beta"],
        num_nodes=int(d["num_nodes"]),
        zones=z,
        first_thru_node=int(d["first_thru"]) - 1,
    )
    trips = TrafficClass.from_matrix("trips", d["matrix"], net.zones, fixed_cost=d["fixed"])
    # load the compiled kernels (numba cache) on a tiny network first
    tiny = Network.from_arrays([0, 0, 1], [1, 1, 2], [1.0, 2.0, 1.0], [1.0, 1.0, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        solve_equilibrium(
            tiny,
            TrafficClass("t", [0], [2], [3.0]),
            EquilibriumSettings(algorithm, gap=1e-8, max_iter=5),
        )
    before = _rss_mb()
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        res = solve_equilibrium(
            net, trips, EquilibriumSettings(algorithm, gap=gap, max_iter=max_iter)
        )
    seconds = time.perf_counter() - start
    np.save(out, res.link_flow)
    return {
        "iterations": len(res.iteration_log),
        "seconds": seconds,
        "gap": res.relative_gap,
        "peak_mb": _peak_mb(),
        "before_mb": before,
    }


def worker_aeq(npz: str, algorithm: str, gap: float, max_iter: int, out: str) -> dict:
    import logging

    import pandas as pd
    from aequilibrae.matrix import AequilibraeMatrix
    from aequilibrae.paths import Graph, TrafficAssignment, TrafficClass

    logging.disable(logging.WARNING)
    d = np.load(npz)
    z = int(d["zones"])
    m = d["a_node"].size
    fft = np.where(d["fft"] > 0, d["fft"], 1e-8)  # AequilibraE refuses zero times
    network = pd.DataFrame(
        {
            "link_id": np.arange(1, m + 1),
            "a_node": d["a_node"],
            "b_node": d["b_node"],
            "direction": np.ones(m, dtype=np.int64),
            "free_flow_time": fft,
            "capacity": d["capacity"],
            "alpha": d["alpha"],
            "beta": d["beta"],
            "fixed": d["fixed"],
        }
    )
    graph = Graph()
    graph.network = network
    graph.prepare_graph(np.arange(1, z + 1))
    graph.set_graph("free_flow_time")
    graph.set_blocked_centroid_flows(int(d["first_thru"]) > 1)
    mat = AequilibraeMatrix()
    mat.create_empty(zones=z, matrix_names=["trips"], memory_only=True)
    mat.index = np.arange(1, z + 1)
    mat.matrices[:, :, 0] = d["matrix"]
    mat.computational_view(["trips"])
    cls = TrafficClass("trips", graph, mat)
    if np.any(d["fixed"] > 0):
        cls.set_fixed_cost("fixed", 1.0)
    assig = TrafficAssignment()
    assig.set_classes([cls])
    assig.set_vdf("BPR")
    assig.set_vdf_parameters({"alpha": "alpha", "beta": "beta"})
    assig.set_capacity_field("capacity")
    assig.set_time_field("free_flow_time")
    assig.set_algorithm(algorithm)
    assig.max_iter = max_iter
    assig.rgap_target = gap
    assig.set_cores(os.cpu_count() or 1)
    before = _rss_mb()
    start = time.perf_counter()
    assig.execute(log_specification=False)
    seconds = time.perf_counter() - start
    report = assig.report()
    flows = assig.results()["PCE_tot"].reindex(np.arange(1, m + 1)).to_numpy()
    np.save(out, flows)
    return {
        "iterations": len(report),
        "seconds": seconds,
        "gap": float(report["rgap"].iloc[-1]),
        "peak_mb": _peak_mb(),
        "before_mb": before,
    }


# ----------------------------------------------------------------------------- driver
def run_child(
    python: str, tool: str, npz: Path, algorithm: str, gap: float, max_iter: int, timeout: float
) -> dict:
    flows = npz.with_name(f"{npz.stem}-{tool}-{algorithm}-{gap:g}.npy")
    cmd = [
        python,
        str(Path(__file__).resolve()),
        "--worker",
        tool,
        "--input",
        str(npz),
        "--algorithm",
        algorithm,
        "--gap",
        repr(gap),
        "--max-iter",
        str(max_iter),
        "--flows",
        str(flows),
    ]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), env.get("PYTHONPATH", "")])
    proc = run_measured(cmd, env, timeout, cwd=None)
    if "error" in proc:
        return proc
    lines = [x for x in proc["stdout"].splitlines() if x.startswith("{")]
    if proc["returncode"] != 0 or not lines:
        tail = (proc["stderr"] or proc["stdout"]).strip().splitlines()[-1:] or ["no output"]
        return {"error": tail[0][:120]}
    result = json.loads(lines[-1])
    result["flows"] = str(flows)
    result["process_seconds"] = proc["wall"]
    return result


def run_measured(cmd: list[str], env: dict, timeout: float, cwd: str | None) -> dict:
    """Run a command; return its output, exit status, wall seconds and peak memory (MB).

    The peak is the resident set of that one child (``os.wait4``), so several runs in one
    parent do not mix.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=cwd, text=True)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                child.kill()
                os.wait4(child.pid, 0)
                return {"error": f"timed out after {timeout:.0f} s"}
            time.sleep(0.005)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {
            "stdout": out.read(),
            "stderr": err.read(),
            "returncode": child.returncode,
            "wall": wall,
            "peak_mb": usage.ru_maxrss / 1024.0,
        }


# ----------------------------------------------------------------------------- tap-b
_TAPB_LINE = re.compile(r"Iteration (\d+): gap ([-+.\deE]+), obj ([-+.\deE]+), time ([-+.\deE]+)")
_TUMEN_ROW = re.compile(r"^│\s*(\d+)\s*│\s*(\S+)\s*│\s*(\S+)\s*│\s*(\S+)\s*│\s*(\S+)\s*│\s*$")


def build_tapb(shared: Path, build_dir: Path) -> tuple[str | None, str]:
    """Build tap-b with its ``build.sh`` into ``build_dir``; return (binary, "") or (None, why)."""
    script = shared / "anchors" / "tap-b" / "build.sh"
    if not script.is_file():
        return None, f"no tap-b sources at {script.parent}"
    if not (shutil.which("cc") or shutil.which("gcc")) or not shutil.which("make"):
        return None, "no C compiler (cc or gcc) and make on this machine"
    env = dict(os.environ, TMPDIR=str(build_dir))
    done = subprocess.run(
        ["sh", str(script)], capture_output=True, text=True, env=env, check=False, timeout=600
    )
    if done.returncode != 0 or not done.stdout.strip():
        why = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return None, f"tap-b build failed: {why}"
    return done.stdout.strip().splitlines()[-1], ""


def tntp_files(folder: Path) -> tuple[Path, Path]:
    """Return a TNTP folder's net and trips files."""
    net_file = next(iter(sorted(folder.glob("*_net.tntp"))))
    stem = net_file.name[: -len("_net.tntp")]
    return net_file, folder / f"{stem}_trips.tntp"


def run_tapb(
    binary: str, folder: Path, gap: float, max_iter: int, work: Path, timeout: float
) -> dict:
    """Run tap-b on a TNTP folder to ``gap``; its log and flows go to ``work``."""
    net_file, trips_file = tntp_files(folder)
    params = work / "params.txt"
    params.write_text(
        f"<NETWORK FILE> {net_file.name}\n<TRIPS FILE> {trips_file.name}\n"
        f"<CONVERGENCE GAP> {gap!r}\n<MAX ITERATIONS> {max_iter}\n"
        f"<FILE PATH> {folder.resolve()}/\n<DATA PATH> {folder.resolve()}/\n"
        f"<FLOWS FILE> {work.resolve()}/flows.txt\n",
        encoding="utf-8",
    )
    proc = run_measured([binary, str(params)], dict(os.environ), timeout, cwd=str(work))
    if "error" in proc:
        return proc
    found = _TAPB_LINE.findall(proc["stdout"])
    if proc["returncode"] != 0 or not found:
        tail = (proc["stderr"] or proc["stdout"]).strip().splitlines()[-1:] or ["no output"]
        return {"error": tail[0][:120]}
    it, rgap, obj, seconds = found[-1]
    return {
        "algorithm": "algorithm-b",
        "iterations": int(it),
        "gap": float(rgap),
        "objective": float(obj),
        "seconds": float(seconds),
        "process_seconds": proc["wall"],
        "peak_mb": proc["peak_mb"],
    }


def run_tumen_cli(folder: Path, gap: float, max_iter: int, timeout: float) -> dict:
    """Run ``python -m tumen assign`` on a TNTP folder to ``gap``, on time alone."""
    net_file, trips_file = tntp_files(folder)
    cmd = [
        sys.executable,
        "-m",
        "tumen",
        "assign",
        "--net",
        str(net_file),
        "--trips",
        str(trips_file),
        "--gap",
        repr(gap),
        "--max-iter",
        str(max_iter),
        "--toll-weight",
        "0",
        "--distance-weight",
        "0",
    ]
    env = dict(os.environ, COLUMNS="200")
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), env.get("PYTHONPATH", "")])
    proc = run_measured(cmd, env, timeout, cwd=None)
    if "error" in proc:
        return proc
    rows = [_TUMEN_ROW.match(line) for line in proc["stdout"].splitlines()]
    rows = [m for m in rows if m]
    algorithm = re.search(r"^algorithm: (\S+)", proc["stdout"], re.MULTILINE)
    if proc["returncode"] != 0 or not rows or not algorithm:
        tail = (proc["stderr"] or proc["stdout"]).strip().splitlines()[-1:] or ["no output"]
        return {"error": tail[0][:120]}
    it, rgap, _, obj, seconds = rows[-1].groups()
    return {
        "algorithm": algorithm.group(1),
        "iterations": int(it),
        "gap": float(rgap),
        "objective": float(obj),
        "seconds": float(seconds),
        "process_seconds": proc["wall"],
        "peak_mb": proc["peak_mb"],
    }


def tapb_table(
    binary: str,
    dirs: list[Path],
    gaps: list[float],
    repeat: int,
    max_iter: int,
    timeout: float,
) -> None:
    """Print tap-b against ``tumen assign``, interleaved, on every folder and gap."""
    header = (
        f"{'network':<22}{'target':>8}  {'tool':<7}{'algorithm':<13}{'iters':>6}"
        f"{'gap':>10}{'objective':>18}{'vs best':>10}{'solve s':>9}{'process s':>10}"
        f"{'peak MB':>9}  {'Tumen/tap-b':>13}"
    )
    print(header)
    print("-" * len(header))
    for folder in dirs:
        done: list[tuple[float, dict[str, dict]]] = []
        for gap in gaps:
            best: dict[str, dict] = {}
            with tempfile.TemporaryDirectory(prefix="tumen-tapb-run-") as work:
                for _ in range(repeat):
                    for tool in ("tap-b", "Tumen"):
                        if tool == "tap-b":
                            res = run_tapb(binary, folder, gap, max_iter, Path(work), timeout)
                        else:
                            res = run_tumen_cli(folder, gap, max_iter, timeout)
                        old = best.get(tool)
                        if (
                            old is None
                            or "error" in old
                            or (
                                "error" not in res
                                and res["process_seconds"] < old["process_seconds"]
                            )
                        ):
                            best[tool] = res
            done.append((gap, best))
        objectives = [r["objective"] for _, b in done for r in b.values() if "error" not in r]
        lowest = min(objectives) if objectives else float("nan")
        for gap, best in done:
            for tool in ("tap-b", "Tumen"):
                res = best[tool]
                label = f"{folder.name[:21]:<22}{gap:>8.0e}  {tool:<7}"
                if "error" in res:
                    print(f"{label}{res['error']}")
                    continue
                ratio = ""
                ref = best.get("tap-b", {})
                if tool == "Tumen" and "error" not in ref:
                    ratio = (
                        f"{res['process_seconds'] / ref['process_seconds']:.2f}x/"
                        f"{res['seconds'] / max(ref['seconds'], 1e-9):.2f}x"
                    )
                above = (res["objective"] - lowest) / abs(lowest) if lowest else 0.0
                print(
                    f"{label}{res['algorithm']:<13}{res['iterations']:>6}{res['gap']:>10.2e}"
                    f"{res['objective']:>18.10g}{above:>10.1e}{res['seconds']:>9.3f}"
                    f"{res['process_seconds']:>10.3f}{res['peak_mb']:>9.0f}  {ratio:>13}",
                    flush=True,
                )
    print(
        "Tumen/tap-b: whole process / solve, quickest of the runs of each tool; vs best: "
        "objective above the lowest any run reached on that network, relative"
    )


def find_aeq_python(given: str | None) -> str | None:
    candidates = [given] if given else [sys.executable, "/tmp/aeq-venv/bin/python"]
    for python in candidates:
        if python and Path(python).exists():
            ok = subprocess.run(
                [python, "-c", "import aequilibrae"], capture_output=True, check=False
            )
            if ok.returncode == 0:
                return python
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dirs", nargs="*", type=Path, help="TNTP network folders")
    parser.add_argument("--gaps", default="1e-4,1e-6", help="target gaps run by both tools")
    parser.add_argument(
        "--tight", type=float, default=1e-10, help="gap for Tumen's Algorithm B alone (0 to skip)"
    )
    parser.add_argument(
        "--synthetic",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run the Berlin-Center-sized synthetic grid (gap 1e-4)",
    )
    parser.add_argument(
        "--no-tntp",
        action="store_true",
        help="skip the shared TNTP networks (e.g. with --synthetic alone)",
    )
    parser.add_argument("--aeq-python", default=None, help="Python with aequilibrae 1.7.2")
    parser.add_argument("--no-aeq", action="store_true", help="run Tumen only")
    parser.add_argument(
        "--tapb-gaps",
        default="1e-4,1e-12",
        help="target gaps run by tap-b and tumen assign (empty to skip)",
    )
    parser.add_argument("--no-tapb", action="store_true", help="skip the tap-b table")
    parser.add_argument(
        "--no-aeq-table",
        action="store_true",
        help="skip the AequilibraE table (e.g. with the tap-b table alone)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=2,
        help="runs of each tool per row of the tap-b table (interleaved)",
    )
    parser.add_argument("--max-iter", type=int, default=20000)
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per solve")
    parser.add_argument("--worker", choices=["tumen", "aeq"], help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--algorithm", help=argparse.SUPPRESS)
    parser.add_argument("--gap", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--flows", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        work = worker_tumen if args.worker == "tumen" else worker_aeq
        print(json.dumps(work(args.input, args.algorithm, args.gap, args.max_iter, args.flows)))
        return 0

    shared = Path(os.environ.get("TUMEN_SHARED_DIR", REPO.parent / "shared"))
    dirs = args.dirs or [p.parent for p in sorted((shared / "data" / "tntp").glob("*/*_flow.tntp"))]
    if args.no_tntp:
        dirs = []
    gaps = [float(g) for g in args.gaps.split(",") if g]
    aeq = None if args.no_aeq else find_aeq_python(args.aeq_python)
    if not args.no_aeq and aeq is None:
        print("AequilibraE not found (see benchmarks/README.md); running Tumen only")
    load = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} "
        f"{load[2]:.2f}; Tumen python {sys.executable}; AequilibraE python {aeq}"
    )
    header = (
        f"{'network':<26}{'tool':<12}{'algorithm':<13}{'target':>8}{'iters':>7}"
        f"{'gap':>10}{'seconds':>9}{'process s':>10}{'peak MB':>9}{'L1 error':>10}"
        f"{'AEQ/Tumen':>10}{'process':>9}"
    )
    rows: list[str] = []
    tapb_gaps = [float(g) for g in args.tapb_gaps.split(",") if g]
    if not args.no_tapb and tapb_gaps and dirs:
        with tempfile.TemporaryDirectory(prefix="tumen-tapb-build-") as build:
            binary, why = build_tapb(shared, Path(build))
            if binary is None:
                print(f"tap-b table skipped: {why}")
            else:
                print(
                    f"tap-b ({binary}) against tumen assign, time-only cost, interleaved, "
                    f"{args.repeat} run(s) each:"
                )
                tapb_table(binary, dirs, tapb_gaps, args.repeat, args.max_iter, args.timeout)
        print()
    if args.no_aeq_table:
        dirs = []
        args.synthetic = False
    with tempfile.TemporaryDirectory(prefix="tumen-bench-") as tmp:
        specs = []
        for i, folder in enumerate(dirs):
            npz = Path(tmp) / f"net{i}.npz"
            specs.append((prepare_tntp(folder, npz), npz, gaps))
        if args.synthetic:
            npz = Path(tmp) / "synthetic.npz"
            specs.append((prepare_synthetic(npz), npz, [1e-4]))
        print(header)
        print("-" * len(header))
        for info, npz, net_gaps in specs:
            best = np.load(npz)["best"]
            label = info["name"][:25]
            runs = []
            for gap in net_gaps:
                runs += [("aeq", "bfw", gap), ("tumen", "bfw", gap), ("tumen", "algorithm-b", gap)]
            if args.tight and best.size:
                runs.append(("tumen", "algorithm-b", args.tight))
            aeq_seconds: dict[float, tuple[float, float]] = {}
            for tool, algorithm, gap in runs:
                if tool == "aeq" and aeq is None:
                    continue
                python = aeq if tool == "aeq" else sys.executable
                res = run_child(python, tool, npz, algorithm, gap, args.max_iter, args.timeout)
                name = "AequilibraE" if tool == "aeq" else "Tumen"
                if "error" in res:
                    line = f"{label:<26}{name:<12}{algorithm:<13}{gap:>8.0e}  {res['error']}"
                else:
                    if tool == "aeq":
                        aeq_seconds[gap] = (res["seconds"], res["process_seconds"])
                    l1 = "-"
                    if best.size:
                        flows = np.load(res["flows"])
                        l1 = f"{np.abs(flows - best).sum() / best.sum():.1e}"
                    ratio = whole = "-"
                    if tool == "tumen" and gap in aeq_seconds:
                        ratio = f"{aeq_seconds[gap][0] / res['seconds']:.1f}x"
                        whole = f"{aeq_seconds[gap][1] / res['process_seconds']:.1f}x"
                    line = (
                        f"{label:<26}{name:<12}{algorithm:<13}{gap:>8.0e}"
                        f"{res['iterations']:>7}{res['gap']:>10.2e}{res['seconds']:>9.3f}"
                        f"{res['process_seconds']:>10.3f}{res['peak_mb']:>9.0f}{l1:>10}"
                        f"{ratio:>10}{whole:>9}"
                    )
                print(line, flush=True)
                rows.append(line)
            print(f"  ({info['nodes']} nodes, {info['links']} links, {info['zones']} zones)")
    load = os.getloadavg()
    print(f"load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
