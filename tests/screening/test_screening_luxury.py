"""Luxury goods: the UN annex lists settle the items they name; the rest needs review."""

from __future__ import annotations

import pandas as pd
from screening_flows import flow, table

import tumen.data
from tumen.screening import load_luxury_goods, screen


def _to_kp(**kw: object) -> dict[str, str]:
    base = {
        "origin": "CN",
        "destination": "KP",
        "commodity": "",
        "quantity": "1",
        "unit": "units",
        "date": "2015-06-01",
    }
    base.update({k: str(v) for k, v in kw.items()})
    return flow(**base)


def test_every_item_is_sourced_and_its_measure_lists_its_codes() -> None:
    items = load_luxury_goods()
    assert len(items) == 14
    measures = tumen.data.load().measures.set_index("citation")
    for rec in items.to_dict("records"):
        assert f"UNSCR-{rec['resolution']}" in rec["source"].split(";")
        assert "UN-S39" in rec["source"].split(";")
        m = measures.loc[rec["citation"]]
        assert m["kind"] == "luxury_list"
        assert set(rec["hs_codes"].split(";")) <= set(m["goods_hs"].split(";"))
    thresholds = dict(zip(items["item_id"], items["threshold_usd"], strict=True))
    assert thresholds["2270-snowmobiles"] == 2000
    assert thresholds["2321-rugs-tapestries"] == 500
    assert thresholds["2321-porcelain-tableware"] == 100


def test_a_named_item_is_prohibited_and_the_annex_cited() -> None:
    res = screen(
        table(
            _to_kp(commodity="yacht"),
            _to_kp(hs="8703"),
            _to_kp(commodity="luxury watches", date="2016-06-01"),
        )
    )
    assert res["verdict"].tolist() == ["prohibited"] * 3
    assert res["measures"].iloc[0].startswith("UNSCR 2094 para 23")
    assert "annex IV, item 2(a)" in res["reason"].iloc[0]
    assert res["measures"].iloc[2].startswith("UNSCR 2270 para 39")


def test_before_the_annex_or_unnamed_goods_stay_needs_review() -> None:
    res = screen(
        table(
            _to_kp(commodity="yacht", date="2012-06-01"),
            _to_kp(commodity="jewellery"),
            _to_kp(commodity="luxury goods"),
        )
    )
    assert res["verdict"].tolist() == ["needs_review"] * 3
    assert all(m == "UNSCR 1718 para 8(a)(iii)" for m in res["measures"])


def test_value_thresholds_are_checked_on_the_value_per_item() -> None:
    rows = [
        _to_kp(hs="870310", quantity="2", value_usd="10000", date="2017-01-10"),  # 5000 each
        _to_kp(hs="870310", quantity="4", value_usd="6000", date="2017-01-10"),  # 1500 each
        _to_kp(hs="870310", quantity="4", date="2017-01-10"),  # no value
        _to_kp(commodity="rugs", quantity="3", value_usd="1800", date="2016-12-15"),
        _to_kp(commodity="bone china", quantity="10", value_usd="500", date="2017-01-10"),
    ]
    res = screen(table(*rows))
    assert res["verdict"].tolist() == [
        "prohibited",
        "needs_review",
        "needs_review",
        "prohibited",
        "needs_review",
    ]
    assert "US$5,000 per item" in res["reason"].iloc[0]
    assert "could not be checked" in res["reason"].iloc[2]
    assert "below" in res["reason"].iloc[1]


def test_exports_from_the_dprk_are_not_luxury_supply() -> None:
    res = screen(table(_to_kp(commodity="yacht", origin="KP", destination="CN", date="2015-06-01")))
    assert res["verdict"].iloc[0] == "not_covered"


def test_committee_exemption_applies_to_listed_items() -> None:
    res = screen(pd.DataFrame([_to_kp(hs="9101", date="2018-01-05", committee_approved="true")]))
    assert res["verdict"].iloc[0] == "exempt"
