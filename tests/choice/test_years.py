"""A calibration year is split where the ledger changes the network."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import tumen.data
from tumen.choice._calibrate import _default_scenario, _year
from tumen.choice._years import year_stretches


def _ledger(*rows: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["date", "kind", "field"])


def test_a_year_without_changes_is_one_stretch() -> None:
    events = _ledger(("2015-11-01", "volume_reported", "volume"), ("2014-07-01", "opened", ""))
    assert year_stretches(events, 2015) == [(dt.date(2015, 1, 1), 1.0)]


def test_stretches_start_on_the_days_the_network_changes() -> None:
    events = _ledger(
        ("2020-02-03", "suspended", ""),
        ("2020-06-01", "capacity_changed", "capacity"),
        ("2020-03-01", "volume_reported", "volume"),  # a volume changes nothing
        ("2020-01-01", "opened", ""),  # applies from the year's first day
        ("2021-01-01", "resumed", ""),
    )
    stretches = year_stretches(events, 2020)
    assert [d for d, _ in stretches] == [dt.date(2020, 1, 1), dt.date(2020, 2, 3),
                                         dt.date(2020, 6, 1)]  # fmt: skip
    assert [s for _, s in stretches] == pytest.approx([33 / 366, 119 / 366, 214 / 366])
    assert sum(s for _, s in stretches) == pytest.approx(1.0)


def test_the_bundled_2014_is_split_when_rajin_pier_3_opens() -> None:
    dataset = tumen.data.load()
    assert year_stretches(dataset.events, 2014) == [
        (dt.date(2014, 1, 1), 181 / 365), (dt.date(2014, 7, 1), 184 / 365),
    ]  # fmt: skip
    obs = pd.DataFrame(columns=["facility", "scope", "observed"])
    data = _year(_default_scenario(), dataset, 2014, obs)
    names = np.array(data.alternatives.names)
    first = np.unique(data.alternatives.group, return_index=True)[1]
    volume = pd.Series(data.volume[first], index=names).groupby(level=0)
    # Every class is priced on both networks, and its volume over them is the year's.
    assert (volume.size() == 2).all()
    demand = dataset.demand
    rajin = demand[(demand["series"] == "rajin_coal") & (demand["year"] == 2014)]
    name = next(n for n in volume.groups if n.startswith(f"{rajin.index[0]}:"))
    assert volume.sum()[name] == pytest.approx(float(rajin["quantity"].iloc[0]))
