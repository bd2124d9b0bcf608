"""Property tests of the data boundary: any broken input gives Tumen's own error, nothing else.

For every table of a dataset, the sample shipment table and the scenario files, at least
1,000 generated inputs are checked. Each starts from a small valid piece of the bundled
file, takes up to two random edits (any cell, any line, any bytes), then one edit that
surely breaks it (one of the kinds ``tumen check`` must catch). The loader must raise
:class:`~tumen.errors.DataError` (:class:`~tumen.errors.ScenarioError` for a scenario),
never another exception, and never accept the input. Hypothesis draws one random
generator per input (``st.randoms``), which keeps a thousand inputs a table fast.
"""

from __future__ import annotations

import csv
import functools
import io
import random
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tumen.data
from tumen.data._scenario_file import _TextDateLoader, parse_scenario, scenario_problems
from tumen.data._schema import SHIPMENTS, TABLES, Column, Table
from tumen.data._shipments import check_shipment_file
from tumen.data._validate import check_table
from tumen.errors import DataError, ScenarioError

#: Generated inputs per table (the issue asks for at least 1,000).
EXAMPLES = 1000
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
BUNDLED = tumen.data.bundled_dir()
DATASET = tumen.data.load()
FRAMES = {name: getattr(DATASET, name) for name in TABLES}
IDS = {name: set(frame.index.astype(str)) for name, frame in FRAMES.items()}
Rows = list[list[str]]

RANDOMS = st.randoms(use_true_random=True)
_ALPHABET = 'ab1-;,."\n\r\t é\x00:[]{}#'
_YAML_ALPHABET = "ab1-:[]{}#&*!|>'\" \n\t."


def text(rnd: random.Random, alphabet: str = _ALPHABET, size: int = 8) -> str:
    """A short random text (it may hold quotes, separators, newlines and NUL)."""
    return "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, size)))


def read_rows(rel: str) -> Rows:
    with (BUNDLED / rel).open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def dump(rows: Rows) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


@functools.cache
def _base(name: str) -> tuple[tuple[str, ...], ...]:
    table = SHIPMENTS if name == SHIPMENTS.name else TABLES[name]
    return tuple(tuple(r) for r in _base_rows(table))


def base_rows(table: Table) -> Rows:
    """A fresh copy of :func:`_base_rows`."""
    return [list(r) for r in _base(table.name)]


def _base_rows(table: Table) -> Rows:
    """Header and three data rows that are valid on their own (small, so tests are fast).

    A table whose ids the model reads (cost parameters) is kept whole.
    """
    rows = read_rows(table.file)
    header, data = rows[0], rows[1:]
    if table.required_ids:
        return rows
    if table.name == "shipments":
        return rows[:4]
    if table.name == "measures":  # keep rows whose successor is not cut away
        data = [r for r in data if not r[header.index("replaced_by")]]
    return [header, *data[:3]]


def noise(rnd: random.Random, rows: Rows) -> Rows:
    """Up to two random edits of cells or lines."""
    for _ in range(rnd.randint(0, 2)):
        i = rnd.randint(0, len(rows) - 1)
        kind = rnd.choice(["cell", "drop cell", "add cell", "drop line", "dup line"])
        if kind == "cell" and rows[i]:
            rows[i][rnd.randint(0, len(rows[i]) - 1)] = text(rnd)
        elif kind == "drop cell" and rows[i]:
            del rows[i][rnd.randint(0, len(rows[i]) - 1)]
        elif kind == "add cell":
            rows[i].insert(rnd.randint(0, len(rows[i])), text(rnd))
        elif kind == "drop line" and len(rows) > 2:
            del rows[i]
        elif kind == "dup line":
            rows.insert(i, list(rows[i]))
    return rows


def _column(table: Table, rows: Rows, test: Callable[[Column], bool]) -> int | None:
    names = [c.name for c in table.columns if test(c) and c.name in rows[0]]
    return rows[0].index(names[0]) if names else None


def _set(rows: Rows, col: int | None, value: str) -> bytes | None:
    if col is None or len(rows) < 2 or col >= len(rows[1]):
        return None
    rows[1][col] = value
    return dump(rows)


def _breaks(table: Table, rows: Rows, rnd: random.Random) -> dict[str, Callable[[], bytes | None]]:
    """The edits that surely break a table (None where one does not apply to ``rows``)."""
    header = rows[0]
    required = [i for i, h in enumerate(header) if h in table.column_names
                and table.column(h).required]  # fmt: skip
    width = len(header)

    def rename() -> bytes | None:
        if not required:
            return None
        rows[0][rnd.choice(required)] = "zz_" + text(rnd).replace("\x00", "")
        return dump(rows)

    def drop() -> bytes | None:
        if not required:
            return None
        col = rnd.choice(required)
        return dump([r[:col] + r[col + 1 :] for r in rows])

    def resize(n: int) -> bytes | None:
        if len(rows) < 2:
            return None
        rows[1] = (rows[1] + ["x"] * (n + 1))[:n]
        return dump(rows)

    def number() -> bytes | None:
        col = _column(table, rows, lambda c: c.kind in ("float", "int"))
        return _set(rows, col, rnd.choice(["NaN", "inf", "-inf", "1e999", "abc"]))

    def negative() -> bytes | None:
        col = _column(table, rows, lambda c: c.kind in ("float", "int")
                      and (c.positive or (c.low or -1) >= 0))  # fmt: skip
        return _set(rows, col, rnd.choice(["-5", "-0.001", "-1e9"]))

    def enum() -> bytes | None:
        col = _column(table, rows, lambda c: c.kind in ("enum", "enums", "bool"))
        return _set(rows, col, "zz" + text(rnd).replace(";", "").replace("\x00", ""))

    def empty_required() -> bytes | None:
        return _set(rows, rnd.choice(required) if required else None, "")

    def duplicate() -> bytes | None:
        return dump([*rows, rows[1]]) if table.key_columns and len(rows) > 1 else None

    def dangling() -> bytes | None:
        col = _column(table, rows, lambda c: c.kind in ("ref", "refs"))
        return _set(rows, col, "zz_no_such_" + rnd.choice(["id", "place", "x"]))

    def source() -> bytes | None:
        return _set(rows, _column(table, rows, lambda c: c.kind == "sources"), "NO-SUCH-SRC")

    def bad_date() -> bytes | None:
        col = _column(table, rows, lambda c: c.kind == "date")
        return _set(rows, col, rnd.choice(["2021-02-30", "2021-13-01", "soon"]))

    def binary() -> bytes:
        data = dump(rows)
        at = rnd.randint(0, len(data))
        return data[:at] + b"\x00" + rnd.randbytes(rnd.randint(0, 6)) + data[at:]

    return {
        "empty": lambda: b"",
        "header only": lambda: dump(rows[:1]),
        "binary": binary,
        "rename": rename,
        "drop column": drop,
        "short row": lambda: resize(width - 1),
        "long row": lambda: resize(width + 1),
        "number": number,
        "negative": negative,
        "enum": enum,
        "empty required": empty_required,
        "duplicate": duplicate,
        "dangling": dangling,
        "source": source,
        "date": bad_date,
    }


def broken_table(rnd: random.Random, table: Table) -> bytes:
    """A table with random edits, then one edit that surely breaks it."""
    rows = noise(rnd, base_rows(table))
    breaks = _breaks(table, rows, rnd)
    broken = breaks[rnd.choice(sorted(breaks))]()
    return broken if broken is not None else dump(rows[:1])


@pytest.mark.parametrize("name", list(TABLES))
def test_the_small_base_is_valid(name: str) -> None:
    frame = check_table(name, dump(base_rows(TABLES[name])), IDS)
    assert len(frame) == (3 if not TABLES[name].required_ids else len(FRAMES[name]))


@pytest.mark.parametrize("name", list(TABLES))
def test_a_broken_table_gives_a_data_error(name: str) -> None:
    table = TABLES[name]
    rejected: list[int] = []

    @PROPERTY
    @given(RANDOMS)
    def check(rnd: random.Random) -> None:
        data = broken_table(rnd, table)
        with pytest.raises(DataError) as info:
            check_table(name, data, IDS)
        assert all(p.file == table.file for p in info.value.problems)
        rejected.append(len(info.value.problems))

    check()
    assert len(rejected) >= EXAMPLES


def _shipment_breaks(rows: Rows, rnd: random.Random) -> dict[str, Callable[[], bytes | None]]:
    breaks = _breaks(SHIPMENTS, rows, rnd)
    for key in ("duplicate", "dangling", "source", "enum", "empty required"):
        del breaks[key]

    def cell(column: str, value: str) -> Callable[[], bytes | None]:
        return lambda: _set(rows, rows[0].index(column) if column in rows[0] else None, value)

    breaks["country"] = cell("origin", "ZZ")
    breaks["unit"] = cell("unit", "bushels")
    breaks["hs"] = cell("hs", "1234567")  # 8 digits once its lost zero is restored
    breaks["boolean"] = cell("notified_1718", "maybe")
    breaks["no quantity"] = cell("quantity", "")
    return breaks


def broken_shipments(rnd: random.Random) -> bytes:
    rows = noise(rnd, base_rows(SHIPMENTS))
    breaks = _shipment_breaks(rows, rnd)
    broken = breaks[rnd.choice(sorted(breaks))]()
    return broken if broken is not None else dump(rows[:1])


def test_a_broken_shipment_table_gives_a_data_error(tmp_path: Path) -> None:
    path = tmp_path / "shipments.csv"
    rejected: list[int] = []

    @PROPERTY
    @given(RANDOMS)
    def check(rnd: random.Random) -> None:
        path.write_bytes(broken_shipments(rnd))
        with pytest.raises(DataError):
            check_shipment_file(path, "shipments.csv")
        rejected.append(1)

    check()
    assert len(rejected) >= EXAMPLES


SCENARIO_TEXT = (BUNDLED / "scenarios" / "2026-road-bridge-trade-park.yaml").read_text("utf-8")


def _edit(text: str, path: str, value: object) -> bytes:
    try:
        data = yaml.load(text, Loader=_TextDateLoader)  # the loader Tumen reads with
    except yaml.YAMLError:
        return text.encode("utf-8")  # already broken
    if not isinstance(data, dict):
        return text.encode("utf-8")
    *parents, last = path.split(".")
    node = data
    for key in parents:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    node[last] = value
    return yaml.safe_dump(data, sort_keys=False).encode("utf-8")


def broken_scenario(rnd: random.Random) -> bytes:
    source = SCENARIO_TEXT
    for _ in range(rnd.randint(0, 2)):
        at = rnd.randint(0, len(source))
        source = source[:at] + text(rnd, _YAML_ALPHABET, 6) + source[at:]
    kind = rnd.choice([
        "empty", "binary", "syntax", "unknown key", "duplicate key", "wrong type", "bad date",
        "negative", "nan", "inf", "dangling link", "dangling place", "unknown source",
    ])  # fmt: skip
    if kind == "empty":
        return b""
    if kind == "binary":
        return source.encode("utf-8") + b"\x00\xff" + rnd.randbytes(rnd.randint(0, 6))
    if kind == "syntax":
        return (source + "\nbroken: [unclosed\n").encode("utf-8")
    if kind == "unknown key":
        return (source + "\nzz_colour: red\n").encode("utf-8")
    if kind == "duplicate key":
        return (source + "\ntitle: again\n").encode("utf-8")
    addition = {"commodity": "coal", "origin": "khasan", "destination": "rajin",
                "quantity": 10, "category": "ru_kp_bilateral", "source": "SEED-000"}  # fmt: skip
    path, value = {
        "wrong type": ("demand.base_year", rnd.choice(["soon", "[1]", "2019.5"])),
        "bad date": ("date", rnd.choice(["2021-02-30", "soon", "2021-1-1"])),
        "negative": ("demand.scale_all", -rnd.uniform(0.001, 1e6)),
        "nan": ("overrides.link_capacity.rail_khasan_tumangang", float("nan")),
        "inf": ("demand.scale_all", float("inf")),
        "dangling link": ("overrides.close_links", ["zz_no_such_link"]),
        "dangling place": ("demand.add", [{**addition, "origin": "atlantis"}]),
        "unknown source": ("demand.add", [{**addition, "source": "NO-SUCH-SRC"}]),
    }[kind]
    return _edit(source, path, value)


def _check_scenario(data: bytes) -> None:
    """The path a scenario takes through ``tumen check`` and ``tumen run``."""
    scenario, problems = parse_scenario(data, Path("x.yaml"), "x.yaml")
    if scenario is not None:
        problems = scenario_problems(scenario, "x.yaml", FRAMES)
    if problems:
        raise ScenarioError(problems)


def test_the_base_scenario_is_valid() -> None:
    _check_scenario(SCENARIO_TEXT.encode("utf-8"))


def test_a_broken_scenario_gives_a_scenario_error() -> None:
    rejected: list[int] = []

    @PROPERTY
    @given(RANDOMS)
    def check(rnd: random.Random) -> None:
        with pytest.raises(ScenarioError) as info:
            _check_scenario(broken_scenario(rnd))
        assert info.value.problems
        assert all(p.file == "x.yaml" for p in info.value.problems)
        rejected.append(1)

    check()
    assert len(rejected) >= EXAMPLES
