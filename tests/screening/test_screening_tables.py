"""The measures and commodity tables: sourced, checked, and every problem reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from tumen.errors import DataError
from tumen.screening import load_commodities, load_measures
from tumen.screening._tables import bundled_dir

SOURCES = set(pd.read_csv(bundled_dir() / "sources.csv", dtype=str)["source_id"])


def test_every_measure_names_its_source_and_paragraph() -> None:
    m = load_measures()
    assert len(m) >= 30
    for rec in m.to_dict("records"):
        ids = rec["source"].split(";")
        assert f"UNSCR-{rec['resolution']}" in ids
        assert "REF-UNSC-MEASURES" in ids
        assert set(ids) <= SOURCES
        assert rec["citation"] == f"UNSCR {rec['resolution']} para {rec['paragraph']}" or (
            rec["citation"].startswith(f"UNSCR {rec['resolution']} para {rec['paragraph']}(")
        )
        assert rec["check"] == "V"
        assert rec["notes"]


def test_required_measures_are_present() -> None:
    cites = set(load_measures()["citation"])
    for c in [
        "UNSCR 1718 para 8(a)(iii)",
        "UNSCR 2270 para 29",
        "UNSCR 2270 para 30",
        "UNSCR 2270 para 31",
        "UNSCR 2321 para 26(b)",
        "UNSCR 2321 para 28",
        "UNSCR 2321 para 29",
        "UNSCR 2321 para 30",
        "UNSCR 2371 para 8",
        "UNSCR 2371 para 9",
        "UNSCR 2371 para 10",
        "UNSCR 2371 para 11",
        "UNSCR 2375 para 13",
        "UNSCR 2375 para 14",
        "UNSCR 2375 para 15",
        "UNSCR 2375 para 16",
        "UNSCR 2375 para 17",
        "UNSCR 2397 para 4",
        "UNSCR 2397 para 5",
        "UNSCR 2397 para 6",
        "UNSCR 2397 para 7",
        "UNSCR 2397 para 8",
        "UNSCR 2397 para 14",
        "UNSCR 2397 para 16",
    ]:
        assert c in cites


def test_cap_values_are_the_resolutions_own() -> None:
    m = load_measures().set_index("measure_id")
    assert m.loc[
        "2397-4", ["cap_quantity", "cap_unit", "cap_alt_quantity", "cap_alt_unit"]
    ].tolist() == ["4000000", "bbl", "525000", "t"]
    assert m.loc["2397-5", ["cap_quantity", "cap_period"]].tolist() == ["500000", "calendar_year"]
    assert m.loc[
        "2321-26-coal-2016", ["cap_quantity", "cap_alt_quantity", "cap_period_end"]
    ].tolist() == ["1000866", "53495894", "2016-12-31"]
    assert m.loc["2321-26-coal-2017", ["cap_quantity", "cap_alt_quantity"]].tolist() == [
        "7500000",
        "400870018",
    ]


def test_commodities_cover_the_scenario_list_and_are_sourced() -> None:
    c = load_commodities()
    ids = set(c["commodity_id"])
    assert {
        "coal",
        "wheat",
        "corn",
        "fertiliser",
        "construction_materials",
        "containers",
        "oil_products",
        "crude_oil",
        "livestock",
        "machinery",
        "seafood",
        "textiles",
        "iron_ore",
        "passengers",
        "workers",
    } <= ids
    for rec in c.to_dict("records"):
        assert set(rec["source"].split(";")) <= SOURCES
    assert c.set_index("commodity_id").loc["coal", "value_usd_per_t"] == pytest.approx(
        400870018 / 7500000, abs=0.01
    )


def test_every_measure_commodity_exists() -> None:
    ids = set(load_commodities()["commodity_id"])
    for goods in load_measures()["goods_commodities"]:
        assert set(filter(None, goods.split(";"))) <= ids


def _copy(tmp_path: Path) -> Path:
    for name in ("measures.csv", "commodities.csv", "sources.csv"):
        shutil.copy(bundled_dir() / name, tmp_path / name)
    return tmp_path


def test_bad_measures_table_reports_every_problem(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    m = pd.read_csv(folder / "measures.csv", dtype=str, keep_default_na=False)
    m.loc[0, "direction"] = "sideways"
    m.loc[1, "applies_from"] = "2016-02-30"
    m.loc[2, "source"] = "NO-SUCH-SOURCE"
    m.loc[3, "exemptions"] = "wishful_thinking"
    m.loc[4, "measure_id"] = m.loc[5, "measure_id"]
    m.to_csv(folder / "measures.csv", index=False)
    with pytest.raises(DataError) as info:
        load_measures(folder)
    got = {(p.row, p.field) for p in info.value.problems}
    assert {
        (1, "direction"),
        (2, "applies_from"),
        (3, "source"),
        (4, "exemptions"),
        (6, "measure_id"),
    } <= got
    assert info.value.file == "measures.csv"


def test_bad_commodity_table_reports_every_problem(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    c = pd.read_csv(folder / "commodities.csv", dtype=str, keep_default_na=False)
    c.loc[0, "handling_class"] = "magic"
    c.loc[1, "value_usd_per_t"] = "-3"
    c.loc[2, "hs_codes"] = "1x"
    c.to_csv(folder / "commodities.csv", index=False)
    with pytest.raises(DataError) as info:
        load_commodities(folder)
    got = {(p.row, p.field) for p in info.value.problems}
    assert got == {(1, "handling_class"), (2, "value_usd_per_t"), (3, "hs_codes")}


def test_missing_table_in_a_data_folder(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"measures\.csv"):
        load_measures(tmp_path)


def test_loading_returns_a_copy() -> None:
    a = load_measures()
    a.loc[0, "measure_id"] = "changed"
    assert load_measures().loc[0, "measure_id"] != "changed"
