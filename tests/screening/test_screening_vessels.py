"""Ship-to-ship transfers and DPRK-flagged vessels apply only where a row declares them."""

from __future__ import annotations

import pytest
from screening_flows import flow, table

from tumen.errors import DataError
from tumen.screening import screen


def _sts(**kw: object) -> dict[str, str]:
    base = {
        "date": "2018-05-18",
        "origin": "CN",
        "destination": "KP",
        "commodity": "wheat",
        "quantity": "500",
        "unit": "t",
        "transfer": "ship_to_ship",
        "vessel_flag": "KP;PA",
    }
    base.update({k: str(v) for k, v in kw.items()})
    return flow(**base)


def test_ship_to_ship_with_a_dprk_flagged_vessel_is_prohibited_for_any_goods() -> None:
    res = screen(table(_sts(), _sts(transfer="", vessel_flag="")))
    assert res["verdict"].tolist() == ["prohibited", "not_covered"]
    assert res["measures"].iloc[0] == "UNSCR 2375 para 11"
    assert "KP, PA" in res["reason"].iloc[0]


def test_before_2375_or_without_a_dprk_flag_para_11_does_not_apply() -> None:
    res = screen(table(_sts(date="2017-09-10"), _sts(vessel_flag="PA;SL")))
    assert res["verdict"].tolist() == ["not_covered", "not_covered"]


def test_undeclared_flags_or_goods_direction_need_review() -> None:
    res = screen(table(_sts(vessel_flag=""), _sts(origin="CN", destination="CN")))
    assert res["verdict"].tolist() == ["needs_review", "needs_review"]
    assert "vessel_flag" in res["conditions"].iloc[0]


def test_oil_by_ship_to_ship_cites_both_the_transfer_and_the_cap() -> None:
    res = screen(table(_sts(commodity="diesel", quantity="4000", unit="bbl")))
    row = res.iloc[0]
    assert row["verdict"] == "prohibited"
    assert "UNSCR 2375 para 11" in row["measures"]
    assert "UNSCR 2397 para 5" in row["measures"]


def test_goods_on_a_dprk_flagged_vessel_fall_under_the_export_bans() -> None:
    res = screen(
        table(
            flow(origin="RU", destination="CN", vessel_flag="KP", date="2018-02-01"),
            flow(origin="RU", destination="CN", date="2018-02-01"),
        )
    )
    assert res["verdict"].tolist() == ["prohibited", "not_covered"]
    assert "DPRK-flagged vessel" in res["reason"].iloc[0]


def test_bad_transfer_and_flag_are_reported() -> None:
    with pytest.raises(DataError) as err:
        screen(table(_sts(transfer="teleport"), _sts(vessel_flag="KP;XX")))
    fields = {(p.row, p.field) for p in err.value.problems}
    assert fields == {(1, "transfer"), (2, "vessel_flag")}
