"""Each exemption with its conditions met and not met; a missing declaration is never true."""

from __future__ import annotations

import pytest
from screening_flows import flow, table

from tumen.screening import screen

RAJIN = {
    "origin": "RU",
    "destination": "CN",
    "transit": "KP",
    "via": "Rajin",
    "origin_confirmed_non_kp": "true",
    "notified_1718": "true",
}


@pytest.mark.parametrize("day", ["2016-05-01", "2017-03-01", "2018-03-01", "2024-03-01"])
def test_rajin_transit_coal_exempt_with_every_declaration(day: str) -> None:
    res = screen(table(flow(date=day, **RAJIN)))
    assert res["verdict"].iloc[0] == "exempt"
    assert "origin_confirmed_non_kp = true" in res["conditions"].iloc[0]
    assert "notified_1718 = true" in res["conditions"].iloc[0]


@pytest.mark.parametrize(
    ("drop", "needed"),
    [
        ({"notified_1718": ""}, "notified_1718 = true"),
        ({"notified_1718": "false"}, "notified_1718 = true"),
        ({"origin_confirmed_non_kp": ""}, "origin_confirmed_non_kp = true"),
        ({"via": ""}, "via = Rajin"),
        ({"via": "Chongjin"}, "via = Rajin"),
    ],
)
def test_rajin_transit_coal_prohibited_when_a_declaration_is_missing(
    drop: dict[str, str], needed: str
) -> None:
    res = screen(table(flow(date="2018-03-01", **{**RAJIN, **drop})))
    assert res["verdict"].iloc[0] == "prohibited"
    assert res["measures"].iloc[0] == "UNSCR 2371 para 8"
    assert needed in res["conditions"].iloc[0]
    assert "does not show" in res["conditions"].iloc[0]


def test_rajin_exemption_covers_coal_only() -> None:
    res = screen(table(flow(date="2018-03-01", commodity="machinery", **RAJIN)))
    assert res["verdict"].iloc[0] == "prohibited"
    assert "UNSCR 2397 para 6" in res["measures"].iloc[0]


def test_2397_para_16_cited_only_for_russia_origin_coal() -> None:
    ru = screen(table(flow(date="2018-03-01", **RAJIN)))
    cn = screen(table(flow(date="2018-03-01", **{**RAJIN, "origin": "MN"})))
    assert "UNSCR 2397 para 16" in ru["measures"].iloc[0]
    assert "UNSCR 2397 para 16" not in cn["measures"].iloc[0]
    assert cn["verdict"].iloc[0] == "exempt"  # 2371 para 8 itself allows any non-DPRK origin


def test_rajin_exemption_under_2321_also_in_force() -> None:
    res = screen(table(flow(date="2017-03-01", **RAJIN)))
    assert res["measures"].iloc[0] == "UNSCR 2321 para 26(b)"
    assert res["verdict"].iloc[0] == "exempt"
    assert pd_isnan(res["cap_total"].iloc[0])  # exempt coal is not counted in the cap


def pd_isnan(x: float) -> bool:
    return x != x


@pytest.mark.parametrize(
    ("purpose", "verdict"),
    [("livelihood", "exempt"), ("", "prohibited"), ("humanitarian", "prohibited")],
)
def test_livelihood_exemption_of_2270(purpose: str, verdict: str) -> None:
    res = screen(table(flow(date="2016-06-01", commodity="iron_ore", purpose=purpose)))
    assert res["verdict"].iloc[0] == verdict


@pytest.mark.parametrize(
    ("contract_on", "date", "notified", "verdict"),
    [
        ("2017-07-01", "2017-09-04", "true", "exempt"),
        ("2017-07-01", "2017-09-05", "true", "prohibited"),  # past 30 days
        ("2017-08-05", "2017-08-20", "true", "prohibited"),  # contract not before adoption
        ("2017-07-01", "2017-08-20", "", "prohibited"),  # notice not declared
        ("", "2017-08-20", "true", "prohibited"),
    ],
)
def test_thirty_day_contract_allowance_for_seafood(
    contract_on: str, date: str, notified: str, verdict: str
) -> None:
    res = screen(
        table(flow(date=date, commodity="seafood", contract_on=contract_on, notified_1718=notified))
    )
    assert res["verdict"].iloc[0] == verdict


@pytest.mark.parametrize(
    ("date", "verdict"), [("2017-12-10", "exempt"), ("2017-12-11", "prohibited")]
)
def test_ninety_day_contract_allowance_for_textiles(date: str, verdict: str) -> None:
    res = screen(
        table(flow(date=date, commodity="textiles", contract_on="2017-09-01", notified_1718="true"))
    )
    assert res["verdict"].iloc[0] == verdict


@pytest.mark.parametrize(
    ("approved", "verdict"), [("true", "exempt"), ("", "prohibited"), ("false", "prohibited")]
)
def test_committee_approval_for_statues(approved: str, verdict: str) -> None:
    res = screen(
        table(
            flow(
                date="2019-01-01",
                commodity="statues",
                quantity="1",
                unit="units",
                committee_approved=approved,
            )
        )
    )
    assert res["verdict"].iloc[0] == verdict


@pytest.mark.parametrize(
    ("purpose", "verdict"), [("aircraft_spare_parts", "exempt"), ("", "prohibited")]
)
def test_aircraft_spare_parts_exception_of_2397_para_7(purpose: str, verdict: str) -> None:
    res = screen(
        table(
            flow(
                date="2019-01-01",
                origin="RU",
                destination="KP",
                hs="8803",
                commodity="",
                quantity="2",
                purpose=purpose,
            )
        )
    )
    assert res["verdict"].iloc[0] == verdict
    assert res["measures"].iloc[0] == "UNSCR 2397 para 7"


@pytest.mark.parametrize(
    ("purpose", "verdict"), [("civil_flight_fuel", "within_cap"), ("", "prohibited")]
)
def test_civil_flight_fuel_exception_of_2270_para_31(purpose: str, verdict: str) -> None:
    # Aviation fuel is also a refined product: with the exception met, it still counts
    # against the refined cap, whose own conditions are declared here.
    res = screen(
        table(
            flow(
                date="2019-01-01",
                origin="RU",
                destination="KP",
                commodity="aviation_fuel",
                quantity="100",
                unit="bbl",
                purpose=f"livelihood;{purpose}",
                notified_1718="true",
            )
        )
    )
    assert res["verdict"].iloc[0] == verdict


@pytest.mark.parametrize(
    ("authorised_on", "verdict"),
    [("2017-09-10", "needs_review"), ("2017-09-11", "prohibited"), ("", "prohibited")],
)
def test_work_authorised_before_2375(authorised_on: str, verdict: str) -> None:
    res = screen(
        table(
            flow(
                date="2018-02-01",
                origin="KP",
                destination="RU",
                commodity="workers",
                quantity="5",
                unit="persons",
                authorised_on=authorised_on,
            )
        )
    )
    assert res["verdict"].iloc[0] == verdict


def test_refined_cap_conditions_must_be_declared() -> None:
    ok = flow(
        date="2019-01-01",
        origin="RU",
        destination="KP",
        commodity="oil_products",
        quantity="100",
        unit="bbl",
        purpose="livelihood",
        notified_1718="true",
    )
    res = screen(table(ok, {**ok, "notified_1718": ""}, {**ok, "purpose": ""}))
    assert res["verdict"].tolist() == ["within_cap", "prohibited", "prohibited"]
    assert "purpose = livelihood" in res["conditions"].iloc[2]


@pytest.mark.parametrize(
    ("day", "verdict"), [("2016-06-01", "prohibited"), ("2019-06-01", "exempt")]
)
def test_general_committee_exemption_only_from_2321(day: str, verdict: str) -> None:
    res = screen(table(flow(date=day, committee_approved="true")))
    assert res["verdict"].iloc[0] == verdict
    if verdict == "exempt":
        assert "2397 para 25" in res["conditions"].iloc[0]
