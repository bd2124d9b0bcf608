from __future__ import annotations

import pytest

import tumen.data as td
from tumen.ingest import Gazetteer


@pytest.fixture(scope="module")
def gazetteer(dataset: td.Dataset) -> Gazetteer:
    return Gazetteer.from_dataset(dataset)


@pytest.mark.parametrize(
    ("text", "refs"),
    [
        # Tumangang / Tumen River / Tumannaya
        ("a railroad bridge across the Tumangang River", ["tumangang"]),
        ("the Khasan-Tumen River passage", ["khasan", "tumangang"]),
        ("along the Tumannaya (Tumangan) River", ["tumangang", "tumangang"]),
        ("станция Туманган", ["tumangang"]),
        # Rajin / Rason / Najin
        ("the port of Rajin", ["rajin_port"]),
        ("trains to Najin", ["rajin"]),
        ("North Korea's Rason city bordering Russia", ["zone_rason_sez"]),
        ("the free trade zone Rajin-Sonbong", ["zone_rason_sez"]),
        # Primorye / Primorsky Krai / Primorsky region
        ("governor of Primorsky Krai", ["region_primorye"]),
        ("the Russia's Primorsky region", ["region_primorye"]),
        ("Primorye and the DPRK", ["region_primorye"]),
        ("Приморский край", ["region_primorye"]),
        # Khasan, and the longest name winning
        ("the border station Khasan", ["khasan"]),
        ("Development of the Tumen River Basin", ["zone_golden_triangle"]),
        ("the city of Tumen and Yanji", ["tumen", "yanji"]),
        ("the Vostochny Cosmodrome in the Amur Region", ["region_amur", "region_amur"]),
        ("Rajin (DPRK), Hongchun (PRC) and the port of Posyet", ["rajin", "hunchun", "posyet"]),
    ],
)
def test_names_aliases_and_transliterations(
    gazetteer: Gazetteer, text: str, refs: list[str]
) -> None:
    assert [m.ref for m in gazetteer.find(text)] == refs


def test_every_dataset_name_is_known(gazetteer: Gazetteer, dataset: td.Dataset) -> None:
    for row in dataset.places.itertuples():
        assert [m.ref for m in gazetteer.find(f"near {row.name_ru} today")] == [row.place_id]


def test_names_inside_words_do_not_match(gazetteer: Gazetteer) -> None:
    assert gazetteer.find("Tumenskaya oblast and Khasanovo") == []


def test_aliases_name_known_rows(dataset: td.Dataset) -> None:
    aliases = dataset.aliases
    assert {"table", "id", "alias", "script", "source", "confidence"} <= set(aliases.columns)
    places = set(dataset.places.index)
    zones = set(dataset.zones.index)
    for row in aliases.itertuples():
        if row.table == "places":
            assert row.id in places
        elif row.table == "zones":
            assert row.id in zones
        else:
            assert row.id.startswith("region_")
