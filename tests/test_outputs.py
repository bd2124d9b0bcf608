"""Tumen replaces only what it wrote; a write that fails is one line; umask permissions.

Issue 13, items 1 and 2. Every command that writes is tried against a user's own folder
or file (refused before any work, the user's bytes unchanged) and against a path that
cannot be written (``error: cannot write PATH: REASON``, exit status 2).
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tumen._atomic import (
    MARKER,
    REGISTRY,
    check_output_dir,
    write_dir_atomically,
    write_file_atomically,
)
from tumen.cli import app
from tumen.errors import OutputError
from tumen.screening import sample_path

MINE = b"the user's own notes\n"
SRC = Path(__file__).resolve().parent.parent / "src"


def _env() -> dict[str, str]:
    """The environment for a child ``python``: this checkout's package first."""
    path = os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path}


def _user_folder(path: Path) -> dict[str, bytes]:
    (path / "sub").mkdir(parents=True)
    (path / "notes.txt").write_bytes(MINE)
    (path / "sub" / "deep.txt").write_bytes(MINE)
    return _snapshot(path)


def _snapshot(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes()
            for p in sorted(path.rglob("*")) if p.is_file()}  # fmt: skip


def _invoke(args: list[str]) -> object:
    return CliRunner().invoke(app, args, prog_name="tumen")


def _one_error_line(result: object, start: str = "error: cannot write ") -> str:
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    lines = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1, lines
    assert lines[0].startswith(start), lines[0]
    assert "Traceback" not in result.output  # type: ignore[attr-defined]
    return lines[0]


# --------------------------------------------------------------- item 1: folders


def test_folder_written_carries_a_marker_listing_its_entries(tmp_path: Path) -> None:
    target = tmp_path / "r"

    def fill(d: Path) -> None:
        (d / "a.txt").write_text("one", encoding="utf-8")
        (d / "sub").mkdir()
        (d / "sub" / "b.txt").write_text("two", encoding="utf-8")

    write_dir_atomically(target, fill)
    lines = (target / MARKER).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# Written by Tumen")
    assert lines[1:] == ["a.txt", "sub", "sub/b.txt"]
    # Tumen's own folder is replaced whole, atomically.
    write_dir_atomically(target, lambda d: (d / "c.txt").write_text("3", encoding="utf-8"))
    assert sorted(p.name for p in target.iterdir()) == [MARKER, "c.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]  # nothing left beside it


def test_empty_folder_is_used(tmp_path: Path) -> None:
    (tmp_path / "r").mkdir()
    write_dir_atomically(tmp_path / "r", lambda d: (d / "a").write_text("1", encoding="utf-8"))
    assert (tmp_path / "r" / "a").is_file()


@pytest.mark.parametrize("how", ["user folder", "user file added", "file", "symlink"])
def test_what_tumen_did_not_write_is_refused(tmp_path: Path, how: str) -> None:
    target = tmp_path / "r"
    if how == "user folder":
        _user_folder(target)
    elif how == "user file added":
        write_dir_atomically(target, lambda d: (d / "a").write_text("1", encoding="utf-8"))
        (target / "notes.txt").write_bytes(MINE)
    elif how == "file":
        target.write_bytes(MINE)
    else:
        _user_folder(tmp_path / "elsewhere")
        target.symlink_to(tmp_path / "elsewhere")
    before = _snapshot(tmp_path)
    called = []
    with pytest.raises(OutputError, match=r"^cannot write .*r: "):
        write_dir_atomically(target, called.append)
    assert not called  # refused before any work
    assert _snapshot(tmp_path) == before


def test_current_folder_and_above_are_refused(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    write_dir_atomically(inner / "r", lambda d: None)  # a Tumen folder, even so
    monkeypatch.chdir(inner / "r")
    for target in (Path("."), Path(".."), inner.parent):
        with pytest.raises(OutputError, match="current folder"):
            check_output_dir(target)


def test_cli_out_dot_and_user_folder_refused_in_one_line(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    before = _user_folder(tmp_path / "results")
    (tmp_path / "flows.csv").write_bytes(sample_path().read_bytes())
    (tmp_path / "net.tntp").write_text("not read\n", encoding="utf-8")
    (tmp_path / "notes.csv").write_bytes(MINE)
    commands = [
        ["run", "2021-closed", "--out", "results"],
        ["run", "2021-closed", "--out", "."],
        ["compare", "2019-pre-closure", "2021-closed", "--out", "results"],
        ["demo", "--out", "results"],
        ["demo", "--out", "."],
        ["export", "--on", "2023-06-01", "--format", "gmns", "--out", "results"],
        ["export", "--on", "2023-06-01", "--format", "gmns", "--out", "notes.csv"],
        ["export", "--on", "2023-06-01", "--format", "gmns", "--out", "."],
        ["export", "--on", "2023-06-01", "--format", "geojson", "--out", "notes.csv"],
        ["export", "--on", "2023-06-01", "--format", "geojson", "--out", "results"],
        ["screen", "flows.csv", "--out", "notes.csv"],
        ["screen", "flows.csv", "--out", "flows.csv"],  # its own input
        ["assign", "--net", "net.tntp", "--trips", "net.tntp", "--out", "notes.csv"],
    ]
    for args in commands:
        line = _one_error_line(_invoke(args))
        assert args[-1] in line
    assert _snapshot(tmp_path / "results") == before
    assert (tmp_path / "notes.csv").read_bytes() == MINE
    assert (tmp_path / "flows.csv").read_bytes() == sample_path().read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "flows.csv", "net.tntp", "notes.csv", "results"]  # fmt: skip


# ----------------------------------------------------------------- item 1: files


def test_file_replaced_only_while_it_is_as_tumen_wrote_it(tmp_path: Path) -> None:
    target = tmp_path / "f.csv"
    write_file_atomically(target, lambda t: t.write_text("one\n", encoding="utf-8"))
    assert (tmp_path / REGISTRY).is_file()
    write_file_atomically(target, lambda t: t.write_text("two\n", encoding="utf-8"))
    assert target.read_text(encoding="utf-8") == "two\n"
    with target.open("a", encoding="utf-8") as handle:  # the user edits the result
        handle.write("my note\n")
    with pytest.raises(OutputError, match="Tumen did not write it"):
        write_file_atomically(target, lambda t: t.write_text("three\n", encoding="utf-8"))
    assert target.read_text(encoding="utf-8") == "two\nmy note\n"
    foreign = tmp_path / "theirs.csv"
    foreign.write_bytes(MINE)
    with pytest.raises(OutputError, match=r"^cannot write .*theirs.csv: the file exists"):
        write_file_atomically(foreign, lambda t: t.write_text("x", encoding="utf-8"))
    assert foreign.read_bytes() == MINE
    assert sorted(p.name for p in tmp_path.iterdir()) == [REGISTRY, "f.csv", "theirs.csv"]


def test_screen_replaces_its_own_result(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    for _ in range(2):
        assert _invoke(["screen", "--sample"]).exit_code == 0
    assert (tmp_path / "shipments_screened.csv").is_file()


# ----------------------------------------------------------- item 2: failed writes


def _unwritable(tmp_path: Path) -> Path:
    """A folder this process cannot write in (read-only for a user; /sys for root)."""
    if os.geteuid() == 0:
        return Path("/sys")
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    return folder


def test_failed_write_is_cannot_write_path_reason(tmp_path: Path) -> None:
    locked = _unwritable(tmp_path)
    for target in (locked / "f.csv", locked / "r"):
        with pytest.raises(OutputError, match=rf"^cannot write {target}: \S"):
            if target.suffix:
                write_file_atomically(target, lambda t: t.write_text("x", encoding="utf-8"))
            else:
                write_dir_atomically(target, lambda d: None)
    blocker = tmp_path / "plain-file"
    blocker.write_bytes(MINE)
    with pytest.raises(OutputError, match="plain-file is a file, not a folder"):
        write_dir_atomically(blocker / "r", lambda d: None)

    def disk_full(path: Path) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    for write in (write_file_atomically, write_dir_atomically):
        target = tmp_path / f"full-{write.__name__}"
        with pytest.raises(OutputError) as info:
            write(target, disk_full)
        assert str(info.value) == f"cannot write {target}: No space left on device"
        assert info.value.path == target
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "locked") == ["plain-file"]


def test_cli_failed_write_is_one_line_exit_2(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    locked = _unwritable(tmp_path)
    (tmp_path / "net.tntp").write_text("not read\n", encoding="utf-8")
    commands = [
        ["run", "2021-closed", "--out", f"{locked}/r"],
        ["compare", "2019-pre-closure", "2021-closed", "--out", f"{locked}/r"],
        ["demo", "--out", f"{locked}/r"],
        ["screen", "--sample", "--out", f"{locked}/r.csv"],
        ["export", "--on", "2023-06-01", "--format", "geojson", "--out", f"{locked}/r.json"],
        ["export", "--on", "2023-06-01", "--format", "gmns", "--out", f"{locked}/r"],
        ["assign", "--net", "net.tntp", "--trips", "net.tntp", "--out", f"{locked}/r.csv"],
    ]
    for args in commands:
        line = _one_error_line(_invoke(args))
        assert line.startswith(f"error: cannot write {args[-1]}: "), line


# ----------------------------------------------------------- item 2: permissions


@pytest.mark.parametrize(("umask", "file_mode", "dir_mode"), [(0o022, 0o644, 0o755),
                                                               (0o077, 0o600, 0o700)])  # fmt: skip
def test_results_get_umask_permissions(tmp_path: Path, umask: int, file_mode: int,
                                       dir_mode: int) -> None:  # fmt: skip
    code = (
        "import os, sys; os.umask(int(sys.argv[1], 8)); from tumen.cli import main; "
        "sys.argv = ['tumen'] + sys.argv[2:]; main()"
    )
    for args in (["export", "--on", "2023-06-01", "--format", "gmns", "--out", "g"],
                 ["screen", "--sample", "--out", "s.csv"]):  # fmt: skip
        done = subprocess.run([sys.executable, "-c", code, oct(umask), *args], cwd=tmp_path,
                              capture_output=True, text=True, env=_env())  # fmt: skip
        assert done.returncode == 0, done.stderr
    modes = {p.relative_to(tmp_path).as_posix(): stat.S_IMODE(p.stat().st_mode)
             for p in tmp_path.rglob("*")}  # fmt: skip
    assert modes["g"] == dir_mode
    for name in ("g/node.csv", "g/link.csv", "g/config.csv", f"g/{MARKER}", "s.csv"):
        assert modes[name] == file_mode, name
    old = os.umask(umask)
    try:
        write_dir_atomically(tmp_path / "d", lambda d: (d / "sub").mkdir())
        write_file_atomically(tmp_path / "f", lambda t: t.write_text("x", encoding="utf-8"))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "d").stat().st_mode) == dir_mode
    assert stat.S_IMODE((tmp_path / "d" / "sub").stat().st_mode) == dir_mode
    assert stat.S_IMODE((tmp_path / "f").stat().st_mode) == file_mode


def test_a_file_tumen_wrote_into_its_folder_later_is_tumen_s(tmp_path: Path) -> None:
    # tumen demo writes its results folder, then report.html into it: a second demo
    # replaces both; once the user edits the report, the folder is theirs too.
    folder = tmp_path / "results"
    write_dir_atomically(folder, lambda t: (t / "a.parquet").write_bytes(b"x"))
    report = folder / "report.html"
    write_file_atomically(report, lambda t: t.write_text("<p>1</p>", encoding="utf-8"))
    assert check_output_dir(folder) == folder
    write_dir_atomically(folder, lambda t: (t / "a.parquet").write_bytes(b"y"))
    assert not report.exists()
    write_file_atomically(report, lambda t: t.write_text("<p>2</p>", encoding="utf-8"))
    with report.open("a", encoding="utf-8") as handle:
        handle.write("my note")
    with pytest.raises(OutputError, match=r"report\.html"):
        check_output_dir(folder)
