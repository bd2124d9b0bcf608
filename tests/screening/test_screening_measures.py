"""Each measure applies from its date and until it is replaced, and covers what it says."""

from __future__ import annotations

import pandas as pd
import pytest
from screening_flows import flow, table

import tumen.data
from tumen.screening import screen

MEASURES = tumen.data.load().measures


def _flow_for(m: pd.Series, day: pd.Timestamp) -> dict[str, str]:
    """A flow that the measure's goods and direction cover, on ``day``."""
    goods = m["goods_commodities"].split(";")[0] if m["goods_commodities"] else ""
    hs = "" if goods else m["goods_hs"].split(";")[0]
    kw = {"date": day.strftime("%Y-%m-%d"), "commodity": goods, "hs": hs}
    if m["direction"] == "supply_to_kp":
        kw.update(origin="CN", destination="KP", quantity="10", unit="t")
        if goods in ("oil_products", "aviation_fuel", "crude_oil"):
            kw.update(unit="bbl", purpose="livelihood", notified_1718="true")
    elif m["direction"] == "to_or_from_kp":
        kw.update(
            origin="CN",
            destination="KP",
            commodity="wheat",
            quantity="10",
            unit="t",
            transfer="ship_to_ship",
            vessel_flag="KP;PA",
        )
    elif m["direction"] == "labour":
        kw.update(origin="KP", destination="RU", quantity="10", unit="persons")
    elif m["direction"] == "transit":
        kw.update(
            origin="RU",
            destination="CN",
            transit="KP",
            via="Rajin",
            origin_confirmed_non_kp="true",
            notified_1718="true",
        )
    else:
        kw.update(origin="KP", destination="CN", quantity="10", unit="t")
        if m["measure_id"].startswith("2321-26-coal"):
            kw.update(purpose="livelihood")
    return flow(**kw)


@pytest.mark.parametrize("mid", list(MEASURES["measure_id"]))
def test_measure_applies_from_its_date_and_not_before(mid: str) -> None:
    m = MEASURES.set_index("measure_id").loc[mid]
    m = pd.concat([m, pd.Series({"measure_id": mid})])
    start = pd.Timestamp(m["applies_from"])
    before = screen(table(_flow_for(m, start - pd.Timedelta(days=1))))
    on = screen(table(_flow_for(m, start)))
    assert m["citation"] in on["measures"].iloc[0]
    # A measure never applies before its date: the day before, either nothing covers
    # the flow or only the measure it replaced (a different paragraph) or an older one.
    cited_before = before["measures"].iloc[0]
    if m["citation"] in cited_before:
        # Same citation can only come from an earlier row of the same paragraph
        # (e.g. 2321 para 26(b) 2016 window, then 2017).
        same = MEASURES[(MEASURES["citation"] == m["citation"]) & (MEASURES["measure_id"] != mid)]
        assert (pd.to_datetime(same["applies_from"]) < start).any()


@pytest.mark.parametrize(
    "mid",
    [
        i
        for i, u in zip(MEASURES["measure_id"], MEASURES["applies_until"], strict=True)
        if pd.notna(u)
    ],
)
def test_measure_stops_after_it_is_replaced(mid: str) -> None:
    m = MEASURES.set_index("measure_id").loc[mid]
    m = pd.concat([m, pd.Series({"measure_id": mid})])
    end = pd.Timestamp(m["applies_until"])
    last = screen(table(_flow_for(m, end)))
    after = screen(table(_flow_for(m, end + pd.Timedelta(days=1))))
    assert m["citation"] in last["measures"].iloc[0]
    successor = MEASURES.set_index("measure_id").loc[m["replaced_by"]]
    # The day after, the successor is in force and the replaced row no longer is.
    assert successor["citation"] in after["measures"].iloc[0]
    assert pd.Timestamp(successor["applies_from"]) == end + pd.Timedelta(days=1)


def test_coal_chain_by_date() -> None:
    """Coal from the DPRK: nothing before 2 Mar 2016, 2270 ban, 2321 cap, 2371 full ban."""
    days = ["2016-03-01", "2016-03-02", "2016-11-29", "2016-11-30", "2017-08-04", "2017-08-05"]
    res = screen(table(*[flow(date=d, purpose="livelihood") for d in days]))
    assert res["measures"].tolist() == [
        "",
        "UNSCR 2270 para 29",
        "UNSCR 2270 para 29",
        "UNSCR 2321 para 26(b)",
        "UNSCR 2321 para 26(b)",
        "UNSCR 2371 para 8",
    ]
    # Livelihood exemption of 2270, cap allowance of 2321, none in 2371.
    assert res["verdict"].tolist() == [
        "not_covered",
        "exempt",
        "exempt",
        "within_cap",
        "within_cap",
        "prohibited",
    ]


def test_refined_petroleum_2017_window_and_september_gap() -> None:
    rows = [
        flow(
            date=d,
            origin="RU",
            destination="KP",
            commodity="oil_products",
            quantity="1000",
            unit="bbl",
            purpose="livelihood",
            notified_1718="true",
        )
        for d in ("2017-09-10", "2017-09-20", "2017-10-05", "2017-12-31", "2018-01-01")
    ]
    res = screen(table(*rows))
    assert res["verdict"].tolist() == [
        "not_covered",
        "prohibited",
        "within_cap",
        "within_cap",
        "within_cap",
    ]
    assert "no cap period" in res["reason"].iloc[1]
    assert res["measures"].tolist()[2:] == ["UNSCR 2375 para 14"] * 2 + ["UNSCR 2397 para 5"]


def test_workers_chain() -> None:
    base = {
        "origin": "KP",
        "destination": "RU",
        "commodity": "workers",
        "unit": "persons",
        "quantity": "10",
    }
    rows = [
        flow(date="2017-08-04", **base),
        flow(date="2017-08-05", **base),
        flow(date="2017-09-11", **base),
        flow(date="2017-09-11", authorised_on="2017-09-01", **base),
        flow(date="2019-12-22", authorised_on="2017-01-01", **base),
        flow(date="2019-12-23", authorised_on="2017-01-01", **base),
    ]
    res = screen(table(*rows))
    assert res["verdict"].tolist() == [
        "not_covered",
        "needs_review",
        "prohibited",
        "needs_review",
        "needs_review",
        "prohibited",
    ]
    assert res["measures"].iloc[2].startswith("UNSCR 2375 para 17")
    assert res["measures"].iloc[5].startswith("UNSCR 2397 para 8")


@pytest.mark.parametrize(
    ("commodity", "hs", "origin", "destination", "citation"),
    [
        ("gold", "", "KP", "CN", "UNSCR 2270 para 30"),
        ("rare earth", "", "KP", "CN", "UNSCR 2270 para 30"),
        ("copper", "", "KP", "CN", "UNSCR 2321 para 28"),
        ("zinc ore", "", "KP", "CN", "UNSCR 2321 para 28"),
        ("statues", "", "KP", "CN", "UNSCR 2321 para 29"),
        ("lead", "", "KP", "CN", "UNSCR 2371 para 10"),
        ("", "0303", "KP", "JP", "UNSCR 2371 para 9"),
        ("textiles", "", "KP", "CN", "UNSCR 2375 para 16"),
        ("", "0808", "KP", "CN", "UNSCR 2397 para 6"),
        ("magnesite", "", "KP", "CN", "UNSCR 2397 para 6"),
        ("wood", "", "KP", "RU", "UNSCR 2397 para 6"),
        ("electrical_equipment", "", "KP", "CN", "UNSCR 2397 para 6"),
        ("condensate", "", "RU", "KP", "UNSCR 2375 para 13"),
        ("jet fuel", "", "RU", "KP", "UNSCR 2270 para 31"),
        ("", "8609", "CN", "KP", "UNSCR 2397 para 7"),
        ("", "7308", "RU", "KP", "UNSCR 2397 para 7"),
        ("vessels", "", "CN", "KP", "UNSCR 2397 para 14"),
    ],
)
def test_goods_fall_under_their_paragraph_in_2023(
    commodity: str, hs: str, origin: str, destination: str, citation: str
) -> None:
    res = screen(
        table(
            flow(
                date="2023-05-01",
                commodity=commodity,
                hs=hs,
                origin=origin,
                destination=destination,
            )
        )
    )
    assert citation in res["measures"].iloc[0].split("; ")
    assert res["verdict"].iloc[0] == "prohibited"


def test_condensate_is_not_counted_as_crude() -> None:
    res = screen(
        table(flow(date="2023-05-01", commodity="condensate", origin="RU", destination="KP"))
    )
    assert "UNSCR 2397 para 4" not in res["measures"].iloc[0]


def test_luxury_goods_always_need_review() -> None:
    res = screen(
        table(
            flow(
                date="2010-01-01",
                commodity="jewellery",
                origin="CN",
                destination="KP",
                quantity="2",
                unit="units",
            )
        )
    )
    assert res["verdict"].iloc[0] == "needs_review"
    assert res["measures"].iloc[0] == "UNSCR 1718 para 8(a)(iii)"
