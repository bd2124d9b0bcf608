"""Ctrl-C and SIGTERM end a command with one line and exit status 130; nothing half-written.

Issue 13, item 3, with real processes: ``python -m tumen run`` is started, the signal is
sent while it computes or while it writes (DuckDB included), and the output folder (an
earlier Tumen result) must be unchanged, with no temporary entry left beside it. A run
killed with SIGKILL leaves its temporary folder; the next write beside it removes it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tumen._atomic import InterruptedAfterWrite, write_dir_atomically, write_file_atomically
from tumen.cli import app

SRC = Path(__file__).resolve().parent.parent / "src"
TIMEOUT_S = 300


def _env() -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path}


def _start(cwd: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "tumen", *args], cwd=cwd, env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip


def _wait_for(proc: subprocess.Popen[str], ready: Callable[[], bool]) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while not ready():
        if proc.poll() is not None:
            pytest.fail(f"tumen ended before the signal: {proc.communicate()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("tumen never reached the point to interrupt")
        time.sleep(0.002)


def _computing(proc: subprocess.Popen[str]) -> Callable[[], bool]:
    """Ready once the scenario code (and so DuckDB) is loaded: the command is running."""

    def ready() -> bool:
        try:
            return "duckdb" in Path(f"/proc/{proc.pid}/maps").read_text()
        except OSError:
            return False

    return ready


def _writing(cwd: Path) -> Callable[[], bool]:
    """Ready once DuckDB writes the result into its temporary folder."""

    def ready() -> bool:
        return any((p / "results.duckdb").exists() for p in cwd.glob(".r.tmp-*"))

    return ready


def _earlier_result(cwd: Path) -> dict[str, bytes]:
    write_dir_atomically(cwd / "r", lambda d: (d / "a.txt").write_text("old", encoding="utf-8"))
    return _snapshot(cwd)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("when", ["computing", "writing"])
def test_interrupt_is_one_line_exit_130_and_path_unchanged(
    tmp_path: Path, sig: signal.Signals, when: str
) -> None:
    before = _earlier_result(tmp_path)
    proc = _start(tmp_path, "run", "2021-closed", "--out", "r")
    _wait_for(proc, _computing(proc) if when == "computing" else _writing(tmp_path))
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=TIMEOUT_S)
    assert proc.returncode == 130, err
    assert err == "error: interrupted; r is unchanged\n"  # no traceback, no DuckDB message
    assert _snapshot(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]  # no temporary entry left


def test_sigkill_leftovers_removed_by_the_next_write_beside_them(tmp_path: Path,
                                                                 monkeypatch) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    proc = _start(tmp_path, "run", "2021-closed", "--out", "r")
    _wait_for(proc, _writing(tmp_path))
    proc.kill()
    proc.communicate(timeout=TIMEOUT_S)
    left = [p.name for p in tmp_path.iterdir()]
    assert len(left) == 1 and left[0].startswith(".r.tmp-"), left
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["export", "--on", "2023-06-01", "--format", "gmns",
                                      "--out", "r"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def test_a_live_runs_temporary_folder_is_left_alone(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Another Tumen process still writing beside the target keeps its temporary folder."""
    proc = _start(tmp_path, "run", "2021-closed", "--out", "r")
    try:
        _wait_for(proc, _writing(tmp_path))
        proc.send_signal(signal.SIGSTOP)
        monkeypatch.chdir(tmp_path)
        CliRunner().invoke(app, ["export", "--on", "2023-06-01", "--format", "gmns",
                                 "--out", "r"])  # fmt: skip
        assert [p for p in tmp_path.iterdir() if p.name.startswith(".r.tmp-")]
    finally:
        proc.send_signal(signal.SIGCONT)
        proc.kill()
        proc.communicate(timeout=TIMEOUT_S)


def test_interrupt_during_the_final_move_is_held_and_reported_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real SIGINT arriving while a result is moved into place waits until it is there."""
    target = tmp_path / "f.txt"
    real_replace = os.replace

    def replace_then_signal(src: str | Path, dst: str | Path) -> None:
        real_replace(src, dst)
        os.kill(os.getpid(), signal.SIGINT)  # arrives mid-commit

    monkeypatch.setattr(os, "replace", replace_then_signal)
    with pytest.raises(InterruptedAfterWrite) as info:
        write_file_atomically(target, lambda tmp: tmp.write_text("new", encoding="utf-8"))
    monkeypatch.undo()
    assert info.value.path == target
    assert target.read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".tumen-files", "f.txt"]
