"""Screening each distinct row profile once gives every row the verdict it gets alone."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from tumen.data._shipments import prepare
from tumen.screening import build_rules, screen, screen_file
from tumen.screening._engine import screen_rows
from tumen.screening._rules import RESULT_FIELDS


def _mixed_table() -> pd.DataFrame:
    """Trade statistics by month, quarter and year beside dated shipments, KP and not."""
    rng = np.random.default_rng(17)
    n = 100
    periods = ["2016-02", "2016-03", "2017-08", "2017-09", "2017-Q3", "2017-q4", "2018", "2019-12"]
    stats = pd.DataFrame(
        {
            "period": rng.choice(periods, n),
            "reporter": rng.choice(["CN", "RU"], n),
            "partner": rng.choice(["KP", "KP", "JP"], n),
            "flow": rng.choice(["import", "export"], n),
            "hs": rng.choice(["2701", "270112", "2601", "0302", "8703", "84", "5208"], n),
            "quantity": rng.choice(["", "1200", "50"], n),
            "unit": "t",
            "value_usd": rng.choice(["2,500,000", "90000", ""], n),
        }
    )
    stats.loc[stats["quantity"].eq("") & stats["value_usd"].eq(""), "value_usd"] = "1000"
    days = ["2016-02-28", "2016-03-03", "2017-08-05", "2017-09-12", "2017-12-23", "2019-05-01"]
    ships = pd.DataFrame(
        {
            "date": rng.choice(days, n),
            "origin": rng.choice(["KP", "CN", "RU"], n),
            "destination": rng.choice(["KP", "CN", "VN"], n),
            "commodity": rng.choice(["coal", "diesel", "wheat", "seafood", "textiles"], n),
            "quantity": rng.choice(["100", "20000"], n),
            "unit": "t",
            "purpose": rng.choice(["", "livelihood"], n),
            "notified_1718": rng.choice(["", "true"], n),
        }
    )
    ships.loc[ships["commodity"].eq("diesel"), "unit"] = "bbl"
    return pd.concat([stats, ships], ignore_index=True).fillna("")


def test_profiles_give_each_row_its_own_verdict_and_reason() -> None:
    frame = _mixed_table()
    rules = build_rules()
    fast = screen(frame)
    alone, _ = screen_rows(prepare(frame), rules)
    for col in RESULT_FIELDS:
        got, want = fast[col].to_numpy(), alone[col].to_numpy()
        if col in ("cap_total", "cap"):
            np.testing.assert_array_equal(got.astype(float), want.astype(float))
        else:
            assert [str(x) for x in got] == [str(x) for x in want], col
    # Months of one epoch share a profile but keep their own label and days.
    assert fast["screened_on"].str.contains(r"2017-08-01\.\.2017-08-31").any()
    assert (
        fast["reason"].str.contains("2017-Q3").any() or fast["reason"].str.contains("2017-08").any()
    )


def test_chunked_and_whole_screening_agree_on_every_column(tmp_path: Path) -> None:
    frame = _mixed_table()
    src = tmp_path / "flows.parquet"
    frame.to_parquet(src, index=False)
    whole = screen(frame)
    for chunk in (37, 150):
        out = tmp_path / f"out-{chunk}.parquet"
        screen_file(src, out, build_rules(), chunk_rows=chunk, progress=False)
        got = pd.read_parquet(out)
        for col in RESULT_FIELDS:
            if col in ("cap_total", "cap"):
                np.testing.assert_array_equal(got[col].to_numpy(float), whole[col].to_numpy(float))
            else:
                assert got[col].astype(str).tolist() == whole[col].astype(str).tolist(), col
