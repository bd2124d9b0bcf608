"""Run a Monte Carlo sweep: chunks of draws on local processes or a Dask cluster.

Draw ``i`` is seeded by the sweep's seed and ``i`` alone (numpy ``SeedSequence`` child
``i``), and the draws are cut into chunks of a fixed size that each start from the base
solution, so the result is the same for any number or kind of workers. Each finished
chunk is written at once (atomically) into a chunk folder beside the output; an
interrupted sweep keeps them and ``resume=True`` runs only the chunks missing. When every
chunk is done the summaries are written to the output folder atomically and the chunk
folder is removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tumen._atomic import check_output_dir, write_dir_atomically, write_file_atomically
from tumen.errors import ScenarioError
from tumen.sweep._chunk import ChunkSpec, run_chunk
from tumen.sweep._tables import join_chunks, sweep_tables

__all__ = ["SweepInterrupted", "SweepResult", "chunk_dir", "run_sweep"]

#: Draws per chunk (fixed: it shapes the warm starts, so results do not depend on it
#: changing between runs of one sweep; it is recorded in the chunk folder).
CHUNK_SIZE = 100
_MANIFEST = "sweep.json"
#: Version of the chunk files (a chunk folder of another version is not resumed).
_FORMAT = 2
_ARRAYS = "arrays.npz"


class SweepInterrupted(KeyboardInterrupt):
    """Raised when a sweep is interrupted; the finished chunks are kept for ``--resume``."""

    def __init__(self, done: int, total: int, chunks: Path) -> None:
        super().__init__(f"interrupted after {done} of {total} draws")
        self.done = done
        self.total = total
        self.chunks = chunks


@dataclass(frozen=True, eq=False)
class SweepResult:
    """A sweep's tables (see docs/sweep.md for every column).

    Attributes
    ----------
    tables : dict of str to pandas.DataFrame
        ``meta``, ``quantiles``, ``binding``, ``sensitivity``, ``grid``, ``draws``,
        ``draw_inputs``, ``draw_constraints``, ``draw_links``, ``draw_unmet``.
    folder : pathlib.Path or None
        Where they were written.
    """

    tables: dict[str, pd.DataFrame]
    folder: Path | None = None

    def __getitem__(self, name: str) -> pd.DataFrame:
        """Return one table by name."""
        return self.tables[name]


def chunk_dir(out: Path) -> Path:
    """Return the folder holding an unfinished sweep's chunks for output folder ``out``."""
    return out.parent / f"{out.name}.chunks"


def _digest(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]


def _specs(
    scenario: dict[str, Any], data_dir: str | None, seed: int, draws: int, grid: int, size: int
) -> list[ChunkSpec]:
    total = draws + grid
    return [
        ChunkSpec(scenario, data_dir, seed, start, min(start + size, total), draws)
        for start in range(0, total, size)
    ]


def _name(spec: ChunkSpec) -> str:
    return f"chunk-{spec.start:08d}"


def _save_chunk(folder: Path, spec: ChunkSpec, arrays: dict[str, Any]) -> None:
    def fill(tmp: Path) -> None:
        with open(tmp / _ARRAYS, "wb") as handle:
            np.savez(handle, **arrays)

    write_dir_atomically(folder / _name(spec), fill)


def _load_chunk(folder: Path) -> dict[str, Any] | None:
    from tumen._atomic import MARKER

    if not (folder / MARKER).is_file():
        return None
    try:
        with np.load(folder / _ARRAYS, allow_pickle=False) as data:
            return {k: data[k] for k in data.files}
    except (OSError, ValueError, KeyError):
        return None


def _executor(
    workers: int, scheduler: str | None
) -> tuple[Callable[[list[ChunkSpec]], Iterator[tuple[ChunkSpec, Any]]], Callable[[], None]]:
    """Return a function yielding (spec, tables) as chunks finish, and a closer."""
    if scheduler is not None:
        if not re.match(r"^(tcp|tls|inproc|ucx|ws|wss)://\S+$", scheduler):
            raise ScenarioError(f"--scheduler: expected a Dask scheduler address such as "
                                f"tcp://host:8786, got {scheduler!r}")  # fmt: skip
        try:
            from distributed import Client, as_completed
        except ImportError:  # pragma: no cover - pinned dependency
            raise ScenarioError("--scheduler needs the 'distributed' package") from None
        try:
            client = Client(scheduler, timeout="10s", set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ScenarioError(f"--scheduler {scheduler}: cannot reach the Dask "
                                f"scheduler ({exc})") from None  # fmt: skip

        def run_dask(specs: list[ChunkSpec]) -> Iterator[tuple[ChunkSpec, Any]]:
            futures = {client.submit(run_chunk, s, pure=False): s for s in specs}
            try:
                for fut in as_completed(futures):
                    yield futures[fut], fut.result()
            finally:
                for fut in futures:
                    fut.cancel()

        return run_dask, client.close
    if workers <= 1:
        return (lambda specs: ((s, run_chunk(s)) for s in specs)), (lambda: None)
    import multiprocessing as mp
    import threading
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    # fork starts a worker in milliseconds with Tumen already imported; it is safe only
    # while this process runs no other thread, else the workers start fresh (spawn)
    fork = "fork" in mp.get_all_start_methods() and threading.active_count() == 1
    context = mp.get_context("fork" if fork else "spawn")
    if fork:  # what every worker needs, imported once here (importing starts no thread)
        import highspy  # noqa: F401
        import scipy.sparse.csgraph  # noqa: F401

        import tumen.scenario._compiled  # noqa: F401
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_quiet_worker)

    def run_pool(specs: list[ChunkSpec]) -> Iterator[tuple[ChunkSpec, Any]]:
        pending = {pool.submit(run_chunk, s): s for s in specs}
        try:
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    yield pending.pop(fut), fut.result()
        finally:
            for fut in pending:
                fut.cancel()

    def close() -> None:
        pool.shutdown(wait=True, cancel_futures=True)

    return run_pool, close


def _quiet_worker() -> None:
    """Leave Ctrl-C and SIGTERM to the parent, which stops the pool after the running chunks."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def run_sweep(
    scenario: str | Path | Any,
    draws: int,
    *,
    seed: int = 0,
    workers: int | None = None,
    scheduler: str | None = None,
    out: str | Path | None = None,
    resume: bool = False,
    data_dir: str | Path | None = None,
    progress: bool | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> SweepResult:
    """Run ``draws`` Monte Carlo draws of a scenario (and its grid points) and summarise.

    Parameters
    ----------
    scenario : str or pathlib.Path or Scenario
        A bundled scenario's name, a scenario YAML file, or a loaded scenario.
    draws : int
        Number of random draws (>= 1).
    seed : int
        Seed; the same seed gives the same tables for any ``workers`` or ``scheduler``.
    workers : int, optional
        Local worker processes; all cores when None; 1 runs in this process.
    scheduler : str, optional
        Address of an existing Dask ``distributed`` scheduler (``tcp://host:port``);
        the chunks run there instead of on local processes.
    out : path-like, optional
        Output folder to write (Parquet files and ``results.duckdb``); chunks are kept in
        ``<out>.chunks`` until the sweep is complete. None keeps nothing on disk.
    resume : bool
        Finish an interrupted sweep from the chunks in ``<out>.chunks``.
    data_dir : path-like, optional
        Dataset folder; bundled when None.
    progress : bool, optional
        Show a progress bar on stderr; by default only when stderr is a terminal.
    chunk_size : int
        Draws per chunk (the unit of work, of warm starts and of what ``resume`` keeps);
        results depend on it only through the solver's warm starts, which can pick
        another of several equally cheap solutions.

    Returns
    -------
    SweepResult

    Raises
    ------
    ScenarioError
        For a bad scenario or distribution (one line naming the file and key), or a
        chunk folder that belongs to another sweep.
    SweepInterrupted
        On Ctrl-C or SIGTERM; the finished chunks stay in ``<out>.chunks``.
    """
    import tumen.data
    from tumen.scenario._load import load_scenario
    from tumen.scenario._resolve import grid_points, uncertain_inputs

    start_time = time.perf_counter()
    if draws < 1:
        raise ScenarioError(f"--draws: expected a whole number >= 1, got {draws}")
    if chunk_size < 1:
        raise ScenarioError(f"chunk_size: expected a whole number >= 1, got {chunk_size}")
    out_path = None if out is None else check_output_dir(out)
    dataset = tumen.data.load(data_dir)
    sc = load_scenario(scenario, dataset=dataset)
    from tumen.scenario._compiled import check_ids
    from tumen.scenario._ranges import with_capacity_ranges

    check_ids(sc, dataset)
    sc = with_capacity_ranges(sc, dataset)  # dataset ranges as capacity distributions
    inputs = uncertain_inputs(sc)
    grid = grid_points(sc)
    payload = sc.model_dump(mode="json")
    data_str = None if data_dir is None else str(Path(data_dir).resolve())
    specs = _specs(payload, data_str, seed, draws, len(grid), chunk_size)
    manifest = {"scenario": _digest(payload), "data_dir": data_str, "seed": seed,
                "draws": draws, "grid": len(grid), "chunk_size": chunk_size,
                "format": _FORMAT}  # fmt: skip
    store = None if out_path is None else chunk_dir(out_path)
    done: dict[int, dict[str, Any]] = {}
    created = store is not None and not store.exists()
    if store is not None:
        done = _open_store(store, manifest, resume, specs)
    todo = [s for s in specs if s.start not in done]
    n_workers = workers if workers is not None else (os.cpu_count() or 1)
    total = draws + len(grid)
    finished = sum(s.stop - s.start for s in specs if s.start in done)
    show = sys.stderr.isatty() if progress is None else progress
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    bar = Progress("sweep", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                   console=Console(stderr=True), disable=not show, transient=True)  # fmt: skip
    task = bar.add_task("draws", total=total, completed=finished)
    submit, close = (None, None)
    try:
        if todo:
            submit, close = _executor(min(n_workers, len(todo)), scheduler)
            with bar:
                for spec, tables in submit(todo):
                    if store is not None:
                        _save_chunk(store, spec, tables)
                    done[spec.start] = tables
                    finished += spec.stop - spec.start
                    bar.update(task, completed=finished)
    except Exception:
        if created and store is not None and not any(store.glob("chunk-*")):
            shutil.rmtree(store, ignore_errors=True)  # nothing done: leave no chunk folder
        raise
    except KeyboardInterrupt:
        if store is not None:  # what is on disk is what a resume will find
            finished = sum(s.stop - s.start for s in specs
                           if _load_chunk(store / _name(s)) is not None)  # fmt: skip
        raise SweepInterrupted(finished, total, store or Path(".")) from None
    finally:
        if close is not None:
            close()
    seconds = time.perf_counter() - start_time
    tables = _summarise(sc, done, inputs, grid, seed, draws, chunk_size, seconds)
    tables["meta"]["workers"] = n_workers if scheduler is None else 0
    tables["meta"]["scheduler"] = scheduler or ""
    result = SweepResult(tables=tables)
    if out_path is not None:
        from tumen.scenario._io import write_tables

        folder = write_dir_atomically(out_path, lambda tmp: write_tables(tmp, tables))
        if store is not None:
            shutil.rmtree(store, ignore_errors=True)
        result = SweepResult(tables=tables, folder=folder)
    return result


def _open_store(
    store: Path, manifest: dict[str, Any], resume: bool, specs: list[ChunkSpec]
) -> dict[int, dict[str, Any]]:
    """Prepare the chunk folder and return the chunks already done (when resuming)."""
    path = store / _MANIFEST
    if store.exists() and not resume:
        raise ScenarioError(f"{store}: holds the chunks of an unfinished sweep; run again "
                            "with --resume to finish it, or delete the folder")  # fmt: skip
    done: dict[int, dict[str, Any]] = {}
    if store.exists():
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = None
        if old != manifest:
            raise ScenarioError(f"{store}: the unfinished sweep there has another scenario, "
                                "seed, draw count or dataset, or was written by another "
                                "version of Tumen; it cannot be resumed with these")  # fmt: skip
        for spec in specs:
            tables = _load_chunk(store / _name(spec))
            if tables is not None:
                done[spec.start] = tables
        return done
    store.mkdir(parents=True)
    text = json.dumps(manifest, sort_keys=True, indent=1) + "\n"
    write_file_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return done


def _summarise(
    sc: Any,
    done: dict[int, dict[str, Any]],
    inputs: list[Any],
    grid: list[tuple[str, float]],
    seed: int,
    draws: int,
    chunk_size: int,
    seconds: float,
) -> dict[str, pd.DataFrame]:
    tables = sweep_tables(join_chunks(list(done.values())), draws, grid)
    method, note = sc.assignment.method, ""
    if method == "logit":
        # The compiled draws know the LP and the equilibrium only (docs/calibration.md).
        method = "capacity_constrained"
        note = ("the scenario says method: logit; its draws were solved by the "
                "capacity-constrained LP, which sweeps use for logit scenarios")  # fmt: skip
    meta = pd.DataFrame([{
        "scenario": sc.name, "title": sc.label, "counterfactual": sc.counterfactual,
        "date": sc.date.isoformat(), "method": method, "note": note, "seed": seed,
        "draws": draws, "grid_points": len(grid), "chunk_size": chunk_size,
        "inputs": ";".join(i.key for i in inputs), "seconds": seconds,
    }])  # fmt: skip
    tables["quantiles"] = _with_scenario(sc.name, tables["quantiles"])
    return {"meta": meta, **tables}


def _with_scenario(name: str, table: pd.DataFrame) -> pd.DataFrame:
    """Put the scenario's name first (the report's sweep hook reads it)."""
    return table.assign(scenario=name)[["scenario", *table.columns]]
