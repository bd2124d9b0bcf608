"""The one ``--data`` rule: a full copy of the bundle, every table of it honoured by every command.

``docs/data.md`` states the rule: ``--data DIR`` (and ``tumen.load(DIR)``) names a full
copy of the bundled dataset; each file is read from the copy and nothing falls back to
the bundle.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import tumen
import tumen.data as td
from tumen.cli import app
from tumen.errors import DataError

runner = CliRunner()


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    folder = tmp_path / "mydata"
    shutil.copytree(td.bundled_dir(), folder)
    return folder


def set_cell(path: Path, row_id: str, column: str, value: str) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    col = rows[0].index(column)
    hit = [r for r in rows[1:] if r[0] == row_id]
    assert hit, row_id
    hit[0][col] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def test_a_copy_is_read_whole_and_only_from_itself(copy: Path) -> None:
    set_cell(copy / "demand.csv", "D001", "quantity", "123")
    set_cell(copy / "commodities.csv", "coal", "value_usd_per_t", "99")
    ds = tumen.load(copy)
    assert ds.data_dir == copy
    assert ds.demand.loc["D001", "quantity"] == 123
    assert ds.commodities.loc["coal", "value_usd_per_t"] == 99
    assert sorted(ds.scenarios) == sorted(p.stem for p in (copy / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("rel", ["measures.csv", "demand.csv", "samples/shipments.csv"])
def test_a_file_missing_from_the_copy_is_an_error_not_a_fallback(copy: Path, rel: str) -> None:
    (copy / rel).unlink()
    result = runner.invoke(app, ["check", str(copy)])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [f"error: {copy}/{rel}: expected " + (
        f"a file {rel} in the dataset folder" if rel.count("/") == 0
        else "the sample shipment table")]  # fmt: skip


def test_a_copy_without_scenarios_is_an_error(copy: Path) -> None:
    shutil.rmtree(copy / "scenarios")
    assert [str(p) for p in td.check(copy)] == [
        f"{copy}/scenarios: expected a folder of scenario files"
    ]


def test_a_folder_that_does_not_exist_is_one_line(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    what = "expected an existing dataset folder (a full copy of the bundled one, see docs/data.md)"
    for args, line in (
        (["check", "nowhere"], f"error: nowhere: {what}"),
        (["network", "--on", "2021-06-01", "--data", "nowhere"],
         f"error: --data: {what}, got 'nowhere'"),
    ):  # fmt: skip
        result = runner.invoke(app, args)
        assert result.exit_code == 2
        assert result.stderr.strip() == line


def test_check_of_the_bundle_and_of_a_copy_writes_nothing(copy: Path, tmp_path: Path) -> None:
    before = sorted(p for p in tmp_path.rglob("*"))
    result = runner.invoke(app, ["check", str(copy)])
    assert result.exit_code == 0
    assert "40 measures" in " ".join(result.stdout.split())
    assert "14 luxury goods" in " ".join(result.stdout.split())
    assert "7 scenarios" in " ".join(result.stdout.split())
    assert sorted(p for p in tmp_path.rglob("*")) == before
    assert td.check() == []


def test_run_screens_with_the_measures_of_the_copy(copy: Path, tmp_path: Path) -> None:
    bundled = tumen.run_scenario("2023-reopened").findings
    assert "UNSCR 2397 para 5" in set(bundled["measures"])
    # In the copy, the cap on refined petroleum ends in 2020: the 2023 flow meets nothing.
    set_cell(copy / "measures.csv", "2397-5", "applies_until", "2020-12-31")
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", "2023-reopened", "--data", str(copy), "--out", str(out)])
    assert result.exit_code == 0, result.output
    edited = pd.read_parquet(out / "findings.parquet")
    assert "UNSCR 2397 para 5" not in set(edited["measures"])
    assert len(edited) < len(bundled)


def test_screen_sample_uses_the_copy(
    copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    sample = copy / "samples" / "shipments.csv"
    frame = pd.read_csv(sample, dtype=str, keep_default_na=False)
    frame.head(2).to_csv(sample, index=False)
    result = runner.invoke(app, ["screen", "--sample", "--data", str(copy)])
    assert result.exit_code == 0, result.output
    assert "Screened 2 flows" in result.stdout


def test_screen_sample_with_an_empty_commodity_table_is_one_line(
    copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (copy / "commodities.csv").write_bytes(b"")
    result = runner.invoke(app, ["screen", "--sample", "--data", str(copy)])
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert result.stderr.strip() == (
        f"error: {copy}/commodities.csv, row 0: expected a header row naming the columns, got ''"
    )
    assert not list(tmp_path.glob("*_screened.*"))


def test_a_users_scenario_names_unknown_ids_in_the_words_of_check(
    copy: Path, tmp_path: Path
) -> None:
    scenario = copy / "scenarios" / "2021-closed.yaml"
    text = scenario.read_text(encoding="utf-8").replace("road_quanhe_wonjong", "road_nowhere")
    scenario.write_text(text, encoding="utf-8")
    check = runner.invoke(app, ["check", str(copy)])
    own = tmp_path / "mine.yaml"
    own.write_text(text.replace("name: 2021-closed", "name: mine"), encoding="utf-8")
    run = runner.invoke(app, ["run", str(own), "--out", str(tmp_path / "o")])
    assert check.exit_code == run.exit_code == 2
    words = "key 'overrides.close_links[0]': expected a link id, got 'road_nowhere'"
    assert f"error: {scenario}, {words}" in check.stderr
    assert run.stderr.strip() == f"error: {own}, {words}"


def test_load_raises_every_problem_of_every_file(copy: Path) -> None:
    set_cell(copy / "measures.csv", "2397-5", "cap_quantity", "lots")
    set_cell(copy / "demand.csv", "D001", "origin", "atlantis")
    (copy / "scenarios" / "2021-closed.yaml").write_text("date: [", encoding="utf-8")
    with pytest.raises(DataError) as info:
        td.load(copy)
    files = {Path(p.file).name for p in info.value.problems}
    assert files == {"measures.csv", "demand.csv", "2021-closed.yaml"}
