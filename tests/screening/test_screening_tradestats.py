"""Trade-statistics tables: periods, reporter/partner/flow, value-only rows."""

from __future__ import annotations

import pandas as pd
import pytest

from tumen.data._periods import parse_period
from tumen.errors import DataError
from tumen.screening import screen


def _stats(**cols: list[object]) -> pd.DataFrame:
    n = len(next(iter(cols.values())))
    base: dict[str, list[object]] = {
        "reporter": ["CN"] * n,
        "partner": ["KP"] * n,
        "flow": ["import"] * n,
        "hs": ["2701"] * n,
    }
    base.update(cols)
    return pd.DataFrame(base)


def test_periods_parse_to_first_and_last_day() -> None:
    assert [str(d.date()) for d in parse_period("2018")] == ["2018-01-01", "2018-12-31"]
    assert [str(d.date()) for d in parse_period("2016-02")] == ["2016-02-01", "2016-02-29"]
    assert [str(d.date()) for d in parse_period("2017-Q4")] == ["2017-10-01", "2017-12-31"]
    assert parse_period("2018-13") is None
    assert parse_period("18") is None


def test_import_from_the_dprk_in_a_month_is_an_export_from_kp() -> None:
    res = screen(_stats(period=["2018-03"], value_usd=["2,500,000"]))
    row = res.iloc[0]
    assert row["verdict"] == "prohibited"
    assert row["measures"] == "UNSCR 2371 para 8"
    assert row["screened_on"] == "2018-03-01..2018-03-31"
    assert "from KP" not in row["reason"] or "KP" in row["reason"]


def test_year_and_month_columns_work_like_a_period() -> None:
    a = screen(_stats(period=["2018-03"], value_usd=["100"]))
    b = screen(_stats(year=["2018"], month=["3"], value_usd=["100"]))
    assert a["verdict"].tolist() == b["verdict"].tolist() == ["prohibited"]
    assert b["screened_on"].iloc[0] == "2018-03-01..2018-03-31"


def test_export_flow_makes_the_reporter_the_origin() -> None:
    res = screen(
        _stats(reporter=["KP"], partner=["CN"], flow=["export"], period=["2019"], value_usd=["10"])
    )
    assert res["verdict"].iloc[0] == "prohibited"
    # The mirror row: China exporting coal to the DPRK is not covered by any export ban.
    mirror = screen(
        _stats(reporter=["CN"], partner=["KP"], flow=["export"], period=["2019"], value_usd=["10"])
    )
    assert mirror["verdict"].iloc[0] == "not_covered"


def test_a_measure_in_force_for_part_of_the_period_needs_review() -> None:
    # Coal from the DPRK in 2017: the 2321 cap until 4 Aug, the 2371 ban from 5 Aug.
    res = screen(
        _stats(
            period=["2017", "2017-08", "2017-09"],
            value_usd=["1", "1", "1"],
            purpose=["livelihood"] * 3,
        )
    )
    assert res["verdict"].tolist() == ["needs_review", "needs_review", "prohibited"]
    reason = res["reason"].iloc[0]
    assert "for only part of 2017" in reason
    assert "UNSCR 2371 para 8" in res["measures"].iloc[0]
    assert "UNSCR 2321 para 26(b)" in res["measures"].iloc[0]


def test_value_only_row_against_a_barrel_cap_says_what_could_not_be_checked() -> None:
    res = screen(
        _stats(
            reporter=["CN"],
            partner=["KP"],
            flow=["export"],
            hs=["2710"],
            period=["2019-05"],
            value_usd=["1000000"],
            purpose=["livelihood"],
            notified_1718=["true"],
        )
    )
    row = res.iloc[0]
    assert row["verdict"] == "needs_review"
    assert "only a value in US dollars" in row["reason"]
    assert "Give the quantity in bbl" in row["conditions"]


def test_value_only_coal_is_counted_in_value_and_tonnage_is_estimated() -> None:
    # 2017 coal cap: US$400,870,018 or 7,500,000 t, whichever is lower.
    res = screen(
        _stats(
            period=["2017-02", "2017-03"],
            value_usd=["300000000", "150000000"],
            purpose=["livelihood"] * 2,
        )
    )
    assert res["verdict"].tolist() == ["within_cap", "cap_exceeded"]
    assert "t not given: estimated from the value" in res["conditions"].iloc[0]


def test_a_row_spanning_two_cap_periods_needs_review() -> None:
    # Crude oil: twelve-month periods from 22 Dec; December 2018 holds two of them.
    rows = pd.DataFrame(
        {
            "period": ["2018-12", "2018-11"],
            "origin": ["CN", "CN"],
            "destination": ["KP", "KP"],
            "commodity": ["crude_oil"] * 2,
            "quantity": ["1000", "1000"],
            "unit": ["t", "t"],
        }
    )
    res = screen(rows)
    # Both need review anyway (2375 para 15's per-State baseline); only November is counted.
    assert "not inside one cap period" in res["reason"].iloc[0]
    assert "not inside one cap period" not in res["reason"].iloc[1]
    assert pd.isna(res["cap_total"].iloc[0])
    assert res["cap_total"].iloc[1] > 0


def test_dated_rows_keep_their_date() -> None:
    rows = pd.DataFrame(
        {
            "date": ["2018-03-05"],
            "period": ["2017"],
            "origin": ["KP"],
            "destination": ["CN"],
            "commodity": ["coal"],
            "quantity": ["1"],
            "unit": ["t"],
        }
    )
    assert screen(rows)["screened_on"].iloc[0] == "2018-03-05"


def test_bad_period_flow_and_codes_are_reported_together() -> None:
    with pytest.raises(DataError) as err:
        screen(_stats(period=["2018-13", "2018"], flow=["import", "transit"], value_usd=["1", "1"]))
    fields = {(p.row, p.field) for p in err.value.problems}
    assert (1, "period") in fields
    assert (2, "flow") in fields


def test_default_date_fills_only_rows_without_date_or_period() -> None:
    rows = pd.DataFrame(
        {
            "date": ["", "", "2018-05-02"],
            "period": ["2019-02", "", ""],
            "origin": ["KP"] * 3,
            "destination": ["CN"] * 3,
            "commodity": ["wheat"] * 3,
            "quantity": ["1"] * 3,
            "unit": ["t"] * 3,
        }
    )
    res = screen(rows, on="2016-01-05")
    assert res["screened_on"].tolist() == ["2019-02-01..2019-02-28", "2016-01-05", "2018-05-02"]
    assert "on 2016-01-05" in res["reason"].iloc[1]
    assert "during 2019-02" in res["reason"].iloc[0]
