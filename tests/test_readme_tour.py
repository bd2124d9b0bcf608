"""The README's tour and Python snippet run as written, and never replace a user's file.

The tour's shell lines (making the user's own files) run in a shell; its ``tumen`` lines
run through the command line's runner, one by one, in a fresh folder. The ``assign`` line
needs the TNTP files of the shared folder.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tumen.cli import app

REPO_ROOT = Path(__file__).resolve().parent.parent
README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
WIDE = {"COLUMNS": "200"}


def _env() -> dict[str, str]:
    """The environment for a child ``python3``: this checkout's package first."""
    src = str(REPO_ROOT / "src")
    path = os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path}


def _section(title: str) -> str:
    start = README.index(f"## {title}")
    end = README.find("\n## ", start + 1)
    return README[start : end if end > 0 else None]


def _blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", text, flags=re.DOTALL)


def _commands(block: str) -> list[list[str]]:
    """Each ``$ ...`` line of a console block, split as a shell would (comments dropped)."""
    return [shlex.split(line[2:], comments=True) for line in block.splitlines()
            if line.startswith("$ ")]  # fmt: skip


TOUR = _section("A short tour")
SETUP, COMMANDS = (_commands(b) for b in _blocks(TOUR, "console"))
TUMEN = [c for c in COMMANDS if c[0] == "tumen"]
ASSIGN = [c for c in TUMEN if c[1] == "assign"]
LOCAL = [c for c in TUMEN if c[1] != "assign"]


@pytest.fixture
def here(tmp_path: Path) -> Iterator[Path]:
    """A fresh folder as the current folder, with the tour's set-up lines run in it."""
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        for args in SETUP:
            subprocess.run(args, check=True, cwd=tmp_path, capture_output=True, env=_env())
        yield tmp_path
    finally:
        os.chdir(old)


def _tumen(args: list[str]) -> object:
    return CliRunner().invoke(app, args[1:], env=WIDE, prog_name="tumen")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


def test_the_tour_is_what_this_test_runs() -> None:
    assert len(SETUP) == 3 and len(TUMEN) == 16 and len(ASSIGN) == 1
    assert all(c[0] in ("python3", "cp") for c in SETUP)


def test_tour_runs_as_written(here: Path) -> None:
    for args in LOCAL:
        result = _tumen(args)
        assert result.exit_code == 0, (args, result.output)
        assert "Traceback" not in result.output
    assert (here / "network.geojson").is_file()
    assert (here / "tumen-results" / "2021-closed" / "results.duckdb").is_file()
    assert (here / "out" / "unmet.parquet").is_file()
    assert (here / "tumen-results" / "2019-pre-closure--2021-closed").is_dir()
    assert (here / "shipments_screened.csv").is_file()
    assert (here / "screened.parquet").is_file()
    assert (here / "calib" / "fit.csv").is_file()
    # Running the tour's writing commands again replaces Tumen's own results.
    for args in LOCAL:
        if "--out" in args or args[1] == "screen":
            assert _tumen(args).exit_code == 0, args


def test_no_tour_command_replaces_a_users_file(here: Path) -> None:
    """Where every writing command writes, put the user's own files first: all are refused."""
    mine = b"the user's own notes\n"
    targets = {
        "network.geojson": "file",
        "tumen-results/2021-closed": "folder",
        "out": "folder",
        "tumen-results/2019-pre-closure--2021-closed": "folder",
        "shipments_screened.csv": "file",
        "screened.parquet": "file",
        "flows.csv": "file",
        "closed.html": "file",
        "sweep": "folder",
        "screened.html": "file",
        "calib": "folder",
    }
    for name, kind in targets.items():
        path = here / name
        if kind == "folder":
            (path / "sub").mkdir(parents=True)
            (path / "notes.txt").write_bytes(mine)
            (path / "sub" / "more.txt").write_bytes(mine)
        else:
            path.write_bytes(mine)
    before = _files(here)
    refused = 0
    for args in LOCAL:
        result = _tumen(args)
        if result.exit_code == 0:
            continue
        assert result.exit_code == 2, (args, result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: cannot write "), lines
        refused += 1
    assert refused == 9  # every writing command but assign (checked with the shared data)
    after = _files(here)
    for name, content in before.items():
        assert after[name] == content, name


def test_tour_assign_line(here: Path, tntp_dir: Path) -> None:
    for name in ("SiouxFalls_net.tntp", "SiouxFalls_trips.tntp"):
        found = next(tntp_dir.rglob(name))
        (here / name).write_bytes(found.read_bytes())
    (here / "flows.csv").write_text("the user's own\n", encoding="utf-8")
    refused = _tumen(ASSIGN[0])
    assert refused.exit_code == 2 and refused.stderr.startswith("error: cannot write flows.csv")
    assert (here / "flows.csv").read_text(encoding="utf-8") == "the user's own\n"
    (here / "flows.csv").unlink()
    result = _tumen(ASSIGN[0])
    assert result.exit_code == 0, result.output
    assert "converged: relative gap" in result.output
    assert (here / "flows.csv").read_text(encoding="utf-8").startswith("from,to,flow,cost")


def test_readme_python_snippet_runs_as_written(here: Path) -> None:
    (snippet,) = _blocks(TOUR, "python")
    namespace: dict[str, object] = {}
    exec(compile(snippet, "README.md", "exec"), namespace)
    screened = namespace["screened"]
    assert len(screened) == 31  # type: ignore[arg-type]
    assert set(screened["verdict"]) >= {"prohibited", "exempt"}  # type: ignore[index]
