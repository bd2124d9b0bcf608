"""Sensitivity measures on cases with known answers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from tumen.sweep import first_order
from tumen.sweep._summary import binding_table


def test_first_order_of_a_function_of_x_alone_is_one() -> None:
    x = np.random.default_rng(0).uniform(size=4000)
    assert first_order(x, 3 * x + 1) == pytest.approx(1.0, abs=0.01)


def test_first_order_of_an_unrelated_input_is_near_zero() -> None:
    rng = np.random.default_rng(1)
    assert first_order(rng.uniform(size=4000), rng.normal(size=4000)) < 0.01


def test_first_order_of_two_equal_additive_inputs_is_a_half() -> None:
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=20000), rng.normal(size=20000)
    assert first_order(a, a + b) == pytest.approx(0.5, abs=0.03)


def test_first_order_sees_a_symmetric_effect_rank_correlation_misses() -> None:
    x = np.random.default_rng(3).uniform(-1, 1, size=4000)
    assert first_order(x, x**2) > 0.9


def test_first_order_of_a_constant_is_nan() -> None:
    assert math.isnan(first_order(np.arange(10.0), np.ones(10)))


def test_binding_probability_and_shadow_price() -> None:
    frame = pd.DataFrame({
        "draw": [0, 1, 2, 3], "constraint": ["c"] * 4, "kind": ["facility"] * 4,
        "element_id": ["f"] * 4, "binding": [True, False, True, True],
        "shadow_price_usd_per_t": [2.0, 0.0, 4.0, 6.0],
    })  # fmt: skip
    row = binding_table(frame).iloc[0]
    assert row["p_binding"] == 0.75
    assert row["shadow_price_mean"] == 3.0
    assert row["shadow_price_mean_when_binding"] == 4.0
