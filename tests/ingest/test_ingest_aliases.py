"""The aliases table: optional in a dataset folder, validated like every table."""

from __future__ import annotations

from pathlib import Path

import pytest

import tumen.data as td
from tumen.errors import DataError

HEADER = "table,id,alias,script,source,confidence,notes\n"


def test_a_folder_without_aliases_loads(data_copy: Path) -> None:
    (data_copy / "aliases.csv").unlink()
    assert td.load(data_copy).aliases.empty


@pytest.mark.parametrize(
    ("row", "field", "got"),
    [
        ("places,nowhere,Nowhere,latin,SEED-000,low,", "id", "nowhere"),
        ("zones,zone_x,X zone,latin,SEED-000,low,", "id", "zone_x"),
        ("towns,khasan,Hasan2,latin,SEED-000,low,", "table", "towns"),
        ("places,khasan,Hasan3,klingon,SEED-000,low,", "script", "klingon"),
        ("places,khasan,Hasan4,latin,NO-SUCH-SOURCE,low,", "source", "NO-SUCH-SOURCE"),
        ("places,rajin,Khasan station,latin,SEED-000,low,", "alias", "Khasan station"),
    ],
)
def test_bad_alias_rows(data_copy: Path, row: str, field: str, got: str) -> None:
    path = data_copy / "aliases.csv"
    path.write_text(path.read_text(encoding="utf-8") + row + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        td.load(data_copy)
    assert [(p.field, p.got) for p in info.value.problems] == [(field, got)]


def test_alias_file_must_have_its_columns(data_copy: Path) -> None:
    (data_copy / "aliases.csv").write_text("alias\nHasan\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"aliases\.csv, row 0, field 'table'"):
        td.load(data_copy)
