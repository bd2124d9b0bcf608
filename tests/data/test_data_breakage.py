"""Every bundled file, broken in each way a user can break it, fails ``tumen check``.

One case per (file, kind of breakage) that applies to the file: a full copy of the
bundle with that one file broken must give exit 2, name the file, show no traceback and
write nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from tumen.cli import app
from tumen.data import bundled_dir
from tumen.data._schema import SHIPMENTS, TABLES, Table

BUNDLED = bundled_dir()
SCHEMAS: dict[str, Table] = {t.file: t for t in (*TABLES.values(), SHIPMENTS)}
SCENARIOS = sorted(f"scenarios/{p.name}" for p in (BUNDLED / "scenarios").glob("*.yaml"))
Rows = list[list[str]]


def read_rows(rel: str) -> Rows:
    with (BUNDLED / rel).open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def dump(rows: Rows) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def first(table: Table, test: Callable[..., bool]) -> str | None:
    return next((c.name for c in table.columns if test(c)), None)


def number_column(table: Table) -> str | None:
    return first(table, lambda c: c.kind in ("float", "int"))


def non_negative_column(table: Table) -> str | None:
    return first(table, lambda c: c.kind in ("float", "int") and (c.positive or (c.low or -1) >= 0))


def reference_column(table: Table) -> str | None:
    special = {"events": "target_id", "conflicts": "id", "shipments": "origin"}
    return special.get(table.name) or first(table, lambda c: c.kind in ("ref", "refs"))


def set_cell(rows: Rows, column: str | None, value: str) -> bytes | None:
    if column is None or column not in rows[0]:  # e.g. an optional column the file leaves out
        return None
    col = rows[0].index(column)
    rows[1][col] = value
    return dump(rows)


def drop_column(rows: Rows, column: str) -> bytes:
    col = rows[0].index(column)
    return dump([r[:col] + r[col + 1 :] for r in rows])


def rename_column(rows: Rows, column: str) -> bytes:
    rows[0][rows[0].index(column)] = column + "_renamed"
    return dump(rows)


def required_column(table: Table) -> str:
    return next(c.name for c in table.columns if c.required)


CSV_KINDS: dict[str, Callable[[Table, Rows], bytes | None]] = {
    "empty file": lambda t, r: b"",
    "header only": lambda t, r: dump(r[:1]),
    "binary garbage": lambda t, r: bytes(range(256)) * 4,
    "renamed column": lambda t, r: rename_column(r, required_column(t)),
    "missing column": lambda t, r: drop_column(r, required_column(t)),
    "short row": lambda t, r: dump([r[0], r[1][:-1], *r[2:]]),
    "long row": lambda t, r: dump([r[0], [*r[1], "extra"], *r[2:]]),
    "text in a number": lambda t, r: set_cell(r, number_column(t), "twelve"),
    "NaN": lambda t, r: set_cell(r, number_column(t), "NaN"),
    "inf": lambda t, r: set_cell(r, number_column(t), "inf"),
    "negative value": lambda t, r: set_cell(r, non_negative_column(t), "-5"),
    "duplicate id": lambda t, r: dump([*r, r[1]]) if t.key_columns else None,
    "dangling reference": lambda t, r: set_cell(r, reference_column(t), "XX_no_such_id"),
    "unknown source id": lambda t, r: set_cell(
        r, "source" if "source" in t.column_names else None, "NO-SUCH-SOURCE"
    ),
    "bad date": lambda t, r: set_cell(r, first(t, lambda c: c.kind == "date"), "2021-02-30"),
    "point without a source": lambda t, r: set_cell(
        r, "coord_source" if t.name == "places" else None, ""
    ),
}

_ADDITION = {
    "commodity": "coal",
    "origin": "khasan",
    "destination": "rajin",
    "quantity": 10,
    "category": "ru_kp_bilateral",
    "source": "NO-SUCH-SOURCE",
}


def edit_yaml(text: str, change: Callable[[dict], None]) -> bytes:
    data = yaml.safe_load(text)
    change(data)
    return yaml.safe_dump(data, sort_keys=False).encode("utf-8")


def _set(path: str, value: object) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        *parents, last = path.split(".")
        node = data
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = value

    return change


YAML_KINDS: dict[str, Callable[[str], bytes]] = {
    "empty file": lambda t: b"",
    "binary garbage": lambda t: bytes(range(256)) * 4,
    "YAML syntax error": lambda t: (t + "\nbroken: [unclosed\n").encode("utf-8"),
    "unknown key": lambda t: (t + "\ncolour: red\n").encode("utf-8"),
    "duplicate key": lambda t: (t + "\ntitle: again\n").encode("utf-8"),
    "wrong type": lambda t: edit_yaml(t, _set("demand.base_year", "soon")),
    "bad date": lambda t: edit_yaml(t, _set("date", "2021-02-30")),
    "negative value": lambda t: edit_yaml(t, _set("demand.scale_all", -1)),
    "NaN": lambda t: edit_yaml(t, _set("demand.scale_all", float("nan"))),
    "inf": lambda t: edit_yaml(t, _set("demand.scale_all", float("inf"))),
    "dangling reference": lambda t: edit_yaml(t, _set("overrides.close_links", ["no_link"])),
    "unknown source id": lambda t: edit_yaml(t, _set("demand.add", [_ADDITION])),
}


def _cases() -> list[tuple[str, str, bytes]]:
    cases = []
    for rel, table in SCHEMAS.items():
        for kind, make in CSV_KINDS.items():
            broken = make(table, read_rows(rel))
            if broken is not None:
                cases.append((rel, kind, broken))
    for rel in SCENARIOS:
        text = (BUNDLED / rel).read_text(encoding="utf-8")
        cases.extend((rel, kind, make(text)) for kind, make in YAML_KINDS.items())
    return cases


CASES = _cases()


def test_the_matrix_covers_every_file_and_kind() -> None:
    files = {rel for rel, _, _ in CASES}
    assert files == set(SCHEMAS) | set(SCENARIOS)
    kinds = {kind for _, kind, _ in CASES}
    assert kinds == set(CSV_KINDS) | set(YAML_KINDS)
    # Every CSV file meets at least the eight kinds that apply to any table.
    for rel in SCHEMAS:
        assert sum(r == rel for r, _, _ in CASES) >= 8, rel


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pristine") / "data"
    shutil.copytree(BUNDLED, folder)
    return folder


@pytest.mark.parametrize(
    ("rel", "kind", "broken"), CASES, ids=[f"{rel}-{kind}" for rel, kind, _ in CASES]
)
def test_check_rejects_the_broken_file(
    pristine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rel: str, kind: str,
    broken: bytes,
) -> None:  # fmt: skip
    folder = tmp_path / "copy"
    shutil.copytree(pristine, folder)
    (folder / rel).write_bytes(broken)
    before = _snapshot(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["check", str(folder)])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert f"{folder}/{rel}" in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("error: ")
    assert all(line.startswith(("error: ", "  ")) for line in lines)
    assert result.stdout == ""
    assert _snapshot(tmp_path) == before
