"""Units, and invariants that hold for any table (property tests)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from screening_flows import flow, table

from tumen.data._units import canonical_unit, convert
from tumen.screening import VERDICTS, screen


def test_exact_unit_conversions() -> None:
    q = pd.Series([1.0, 2.0, 3.0, 1.0])
    u = pd.Series(["m3", "kt", "Mt", "kbbl"])
    bbl, crossed = convert(q.iloc[[0, 3]], u.iloc[[0, 3]], "bbl")
    assert bbl.tolist() == pytest.approx([6.289810770432105, 1000.0])
    assert not crossed.any()
    t, _ = convert(q.iloc[[1, 2]], u.iloc[[1, 2]], "t")
    assert t.tolist() == [2000.0, 3_000_000.0]


def test_mass_to_volume_only_with_a_density() -> None:
    q = pd.Series([125.0, 125.0])
    u = pd.Series(["t", "t"])
    out, crossed = convert(q, u, "bbl", pd.Series([0.125, float("nan")]))
    assert out.iloc[0] == pytest.approx(1000.0)
    assert pd.isna(out.iloc[1])
    assert crossed.tolist() == [True, False]


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("tonnes", "t"),
        ("Barrels", "bbl"),
        ("TEU", "TEU"),
        ("teu", "TEU"),
        ("people", "persons"),
        ("MT", None),
        ("mt", None),
        ("furlongs", None),
    ],
)
def test_unit_spellings(text: str, unit: str | None) -> None:
    assert canonical_unit(text) == unit


POOL = [
    {"commodity": "coal", "origin": "KP", "destination": "CN", "purpose": "livelihood"},
    {
        "commodity": "coal",
        "origin": "RU",
        "destination": "CN",
        "transit": "KP",
        "via": "Rajin",
        "origin_confirmed_non_kp": "true",
        "notified_1718": "true",
    },
    {
        "commodity": "oil_products",
        "origin": "RU",
        "destination": "KP",
        "unit": "bbl",
        "purpose": "livelihood",
        "notified_1718": "true",
    },
    {"commodity": "wheat", "origin": "RU", "destination": "KP"},
    {"commodity": "workers", "origin": "KP", "destination": "RU", "unit": "persons"},
    {"commodity": "something odd", "origin": "KP", "destination": "CN"},
    {"commodity": "machinery", "origin": "CN", "destination": "KP"},
]

rows = st.lists(
    st.tuples(st.integers(0, len(POOL) - 1), st.integers(0, 3650), st.integers(1, 400_000)),
    min_size=1,
    max_size=12,
    unique_by=lambda r: r[1],
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows, st.randoms(use_true_random=False))
def test_verdicts_do_not_depend_on_row_order(spec: list[tuple[int, int, int]], rnd) -> None:
    day0 = pd.Timestamp("2015-01-01")
    built = [
        flow(
            **{
                **POOL[k],
                "date": (day0 + pd.Timedelta(days=d)).strftime("%Y-%m-%d"),
                "quantity": str(q),
                "note": str(i),
            }
        )
        for i, (k, d, q) in enumerate(spec)
    ]
    df = table(*built)
    df["note"] = [b["note"] for b in built]
    first = screen(df).set_index("note")
    perm = list(range(len(df)))
    rnd.shuffle(perm)
    second = screen(df.iloc[perm].reset_index(drop=True)).set_index("note")
    cols = ["verdict", "measures", "cap_total"]
    pd.testing.assert_frame_equal(first[cols], second.loc[first.index, cols])
    assert set(first["verdict"]) <= set(VERDICTS)
    none = screen(df, regime="none")
    assert set(none["verdict"]) == {"not_covered"}
