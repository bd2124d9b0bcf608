"""Transit, labour, free text, people, regimes and the public surface."""

from __future__ import annotations

import pandas as pd
import pytest
from screening_flows import flow, table

import tumen
import tumen.screening
from tumen.errors import ScenarioError
from tumen.screening import VERDICTS, screen


def test_public_names_exactly() -> None:
    assert tumen.screening.__all__ == [
        "RESULT_COLUMNS",
        "VERDICTS",
        "Summary",
        "build_rules",
        "load_luxury_goods",
        "parse_regime",
        "read_chunks",
        "read_shipments",
        "sample_path",
        "screen",
        "screen_file",
        "summarise",
        "write_result",
    ]
    assert tumen.screen is tumen.screening.screen


def test_export_ban_covers_transit_through_the_dprk_whatever_the_origin() -> None:
    rows = [
        flow(date="2020-01-01", origin="CN", destination="RU", transit="KP", commodity="machinery"),
        flow(date="2020-01-01", origin="CN", destination="RU", commodity="machinery"),
    ]
    res = screen(table(*rows))
    assert res["verdict"].tolist() == ["prohibited", "not_covered"]
    assert "UNSCR 2397 para 6" in res["measures"].iloc[0]
    assert res["reason"].iloc[1].startswith("The flow neither leaves nor enters")


def test_supply_ban_goods_crossing_the_dprk_need_review() -> None:
    res = screen(
        table(
            flow(date="2020-01-01", origin="RU", destination="CN", transit="KP", commodity="steel")
        )
    )
    assert res["verdict"].iloc[0] == "needs_review"
    assert "without a DPRK destination" in res["reason"].iloc[0]


def test_supply_of_food_to_the_dprk_is_not_covered() -> None:
    rows = [
        flow(date="2021-01-01", origin="RU", destination="KP", commodity=c)
        for c in ("wheat", "flour", "corn", "rice", "пшеница", "小麦")
    ]
    res = screen(table(*rows))
    assert set(res["verdict"]) == {"not_covered"}
    assert res["commodity_id"].tolist() == ["wheat", "flour", "corn", "rice", "wheat", "wheat"]


def test_dprk_export_of_food_in_hs_07_08_12_is_banned_but_not_grain() -> None:
    rows = [flow(date="2021-01-01", commodity=c) for c in ("soybeans", "apples", "wheat")]
    res = screen(table(*rows))
    assert res["verdict"].tolist() == ["prohibited", "prohibited", "not_covered"]


def test_passengers_are_not_covered_and_say_why() -> None:
    res = screen(
        table(
            flow(
                date="2024-12-20",
                origin="RU",
                destination="KP",
                commodity="tourists",
                quantity="30",
                unit="persons",
            )
        )
    )
    assert res["verdict"].iloc[0] == "not_covered"
    assert "designated individuals" in res["reason"].iloc[0]


def test_labour_needs_dprk_nationals_going_abroad() -> None:
    res = screen(
        table(
            flow(
                date="2021-01-01",
                origin="RU",
                destination="KP",
                commodity="workers",
                unit="persons",
            ),
            flow(
                date="2021-01-01",
                origin="KP",
                destination="RU",
                commodity="North Korean construction workers",
                unit="persons",
            ),
        )
    )
    assert res["verdict"].tolist() == ["not_covered", "prohibited"]
    assert res["commodity_id"].iloc[1] == "workers"


@pytest.mark.parametrize(
    ("text", "commodity_id"),
    [
        ("Russian steam coal", "coal"),
        ("iron ore concentrate", "iron_ore"),
        ("уголь каменный", "coal"),
        ("무연탄", "coal"),
        ("无烟煤", "coal"),
        ("frozen fish", "seafood"),
        ("unleaded gasoline", "oil_products"),
    ],
)
def test_free_text_mapped_when_one_commodity_matches(text: str, commodity_id: str) -> None:
    res = screen(table(flow(date="2021-01-01", commodity=text)))
    assert res["commodity_id"].iloc[0] == commodity_id


@pytest.mark.parametrize("text", ["general cargo", "fish and textiles", "spare parts", "XYZ-7"])
def test_free_text_that_cannot_be_mapped_needs_review(text: str) -> None:
    res = screen(table(flow(date="2021-01-01", commodity=text)))
    assert res["verdict"].iloc[0] == "needs_review"
    assert res["commodity_id"].iloc[0] == ""
    assert "could not be mapped" in res["reason"].iloc[0]


def test_free_text_is_never_silently_not_covered_even_where_no_measure_could_apply() -> None:
    res = screen(
        table(flow(date="2010-01-01", origin="RU", destination="CN", commodity="mystery goods"))
    )
    assert res["verdict"].iloc[0] == "needs_review"


def test_hs_matches_by_prefix_and_broader_codes_need_review() -> None:
    rows = [flow(date="2021-01-01", commodity="", hs=h) for h in ("270112", "2701", "27", "0101")]
    res = screen(table(*rows))
    assert res["verdict"].tolist() == ["prohibited", "prohibited", "needs_review", "not_covered"]
    assert "less precise" in res["reason"].iloc[2]


def test_hs_with_dots_is_accepted() -> None:
    res = screen(table(flow(date="2021-01-01", commodity="", hs="2701.12")))
    assert res["verdict"].iloc[0] == "prohibited"


def test_containers_with_unstated_contents_need_review() -> None:
    res = screen(
        table(
            flow(
                date="2021-01-01", commodity="containers", unit="TEU", origin="CN", destination="KP"
            ),
            flow(
                date="2021-01-01", commodity="containers", unit="TEU", origin="CN", destination="RU"
            ),
        )
    )
    assert res["verdict"].tolist() == ["needs_review", "not_covered"]


def test_regime_none_is_labelled_in_every_row() -> None:
    res = screen(table(flow(), flow(commodity="workers", unit="persons")), regime="none")
    assert set(res["verdict"]) == {"not_covered"}
    assert set(res["regime"]) == {"none (counterfactual: UN measures ignored)"}
    assert all("Counterfactual" in r for r in res["reason"])


def test_regime_in_force_is_labelled() -> None:
    assert set(screen(table(flow()))["regime"]) == {"in_force"}


def test_regime_as_of_uses_one_date_for_every_row() -> None:
    res = screen(table(flow(date="2015-01-01")), regime="as_of:2019-01-01")
    assert res["verdict"].iloc[0] == "prohibited"
    assert res["screened_on"].iloc[0] == "2019-01-01"
    assert res["regime"].iloc[0] == "as_of:2019-01-01"


def test_regime_of_listed_measures_only() -> None:
    rows = [flow(date="2021-01-01"), flow(date="2021-01-01", commodity="seafood")]
    res = screen(table(*rows), regime=["2371-9"])
    assert res["verdict"].tolist() == ["not_covered", "prohibited"]
    assert res["regime"].iloc[0] == "measures:2371-9"
    assert screen(table(*rows), regime="measures:2371-8-coal")["verdict"].tolist() == [
        "prohibited",
        "not_covered",
    ]


@pytest.mark.parametrize(
    "regime", ["sometimes", "as_of:2019-13-01", "measures:", [], ["no-such-measure"]]
)
def test_unknown_regime_is_refused(regime: object) -> None:
    with pytest.raises(ScenarioError):
        screen(table(flow()), regime=regime)  # type: ignore[arg-type]


def test_on_fills_missing_dates_only() -> None:
    res = screen(table(flow(date=""), flow(date="2015-01-01")), on="2019-01-01")
    assert res["screened_on"].tolist() == ["2019-01-01", "2015-01-01"]
    assert res["verdict"].tolist() == ["prohibited", "not_covered"]


def test_extra_columns_pass_through_and_rows_keep_their_order() -> None:
    df = table(flow(date="2015-01-01"), flow())
    df["shipment_ref"] = ["A-1", "B-2"]
    res = screen(df)
    assert res["shipment_ref"].tolist() == ["A-1", "B-2"]
    assert list(res.columns[: len(df.columns)]) == list(df.columns)
    assert set(res["verdict"]) <= set(VERDICTS)


def test_typed_frame_from_a_scenario_is_accepted() -> None:
    df = pd.DataFrame(
        {
            "date": pd.to_datetime(["2019-06-01", "2019-06-01"]),
            "origin": ["KP", "RU"],
            "destination": ["CN", "KP"],
            "transit": ["", ""],
            "commodity": ["coal", "wheat"],
            "quantity": [1000.0, 500.0],
            "unit": ["t", "t"],
            "origin_confirmed_non_kp": [False, False],
        }
    )
    res = screen(df)
    assert res["verdict"].tolist() == ["prohibited", "not_covered"]


def test_large_table_is_screened_in_reasonable_time() -> None:
    import time

    rows = [
        flow(
            date=f"20{15 + i % 10}-0{1 + i % 9}-15",
            commodity=c,
            origin=o,
            destination=d,
            quantity=str(100 + i),
            purpose="livelihood" if i % 3 else "",
        )
        for i, (c, o, d) in enumerate(
            [
                ("coal", "KP", "CN"),
                ("wheat", "RU", "KP"),
                ("oil_products", "RU", "KP"),
                ("machinery", "CN", "KP"),
                ("workers", "KP", "RU"),
                ("mixed cargo", "KP", "CN"),
            ]
            * 3334
        )
    ]
    df = table(*rows)
    start = time.perf_counter()
    res = screen(df)
    elapsed = time.perf_counter() - start
    assert len(res) == len(df) == 20004
    assert elapsed < 20  # about 1 s here; generous for a loaded 2-core machine


def test_empty_table_gives_empty_result_with_result_columns() -> None:
    from tumen.screening import RESULT_COLUMNS

    res = screen(table())
    assert len(res) == 0
    assert list(res.columns[-len(RESULT_COLUMNS) :]) == list(RESULT_COLUMNS)


def test_any_index_is_kept() -> None:
    df = table(
        flow(), flow(date="2015-01-01"), flow(commodity="wheat", origin="RU", destination="KP")
    )
    df.index = [10, 5, 10]
    res = screen(df)
    assert list(res.index) == [10, 5, 10]
    assert res["verdict"].tolist() == ["prohibited", "not_covered", "not_covered"]
