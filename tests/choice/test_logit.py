"""Logit probabilities and their derivatives, against closed forms and finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from tumen.choice import ChoiceSet, log_probability_jacobian, probabilities, stack
from tumen.choice._sets import _path_size

GROUP = np.array([0, 0, 0, 0, 1, 1, 1, 2, 2])
NEST = np.array([0, 0, 1, 1, 2, 2, 3, 4, 5])


def test_multinomial_logit_closed_form() -> None:
    v = np.array([1.0, 0.0, -1.0])
    p = probabilities(v, np.zeros(3, dtype=np.int64))
    assert p == pytest.approx(np.exp(v) / np.exp(v).sum())


def test_nested_logit_closed_form() -> None:
    # Two nests {a, b} and {c}; scale 0.5.
    v = np.array([0.0, 0.0, 0.0])
    p = probabilities(v, np.zeros(3, dtype=np.int64), np.array([0, 0, 1]), 0.5)
    top = np.exp(0.5 * np.log(2.0))  # exp(I) of the two-route nest
    assert p[2] == pytest.approx(1.0 / (1.0 + top))
    assert p[0] == pytest.approx(p[1]) and p[0] == pytest.approx(top / (1 + top) / 2)


def test_probabilities_sum_to_one_and_survive_large_utilities() -> None:
    v = np.array([-5000.0, -5001.0, 0.0, 800.0, 799.0, -3.0, -2.0, 1e3, -1e3])
    p = probabilities(v, GROUP, NEST, 0.3)
    assert np.all(np.isfinite(p))
    assert np.bincount(GROUP, weights=p) == pytest.approx(np.ones(3))


@pytest.mark.parametrize("scale", [1.0, 0.6, 0.2])
def test_log_probability_jacobian_matches_finite_differences(scale: float) -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(GROUP.size, 3))
    theta = rng.normal(size=3)

    def logp(t: np.ndarray, s: float) -> np.ndarray:
        return np.log(probabilities(x @ t, GROUP, NEST, s))

    _, d, dscale = log_probability_jacobian(x @ theta, x, GROUP, NEST, scale)
    h = 1e-6
    eye = np.eye(3)
    num = np.column_stack(
        [(logp(theta + h * eye[j], scale) - logp(theta - h * eye[j], scale)) / (2 * h)
         for j in range(3)]
    )  # fmt: skip
    assert d == pytest.approx(num, abs=1e-7)
    if scale < 1.0:
        num_s = (logp(theta, scale + h) - logp(theta, scale - h)) / (2 * h)
        assert dscale == pytest.approx(num_s, abs=1e-6)


def test_path_size_of_overlapping_routes() -> None:
    # Routes 0: edges {0, 1}, 1: edges {0, 2}, 2: edge {3}; unit lengths.
    routes = [np.array([0, 1]), np.array([0, 2]), np.array([3])]
    ps = _path_size(routes, np.ones(4))
    assert ps == pytest.approx([0.75, 0.75, 1.0])


def test_stack_nests_routes_of_one_mode_chain() -> None:
    a = ChoiceSet("a", (np.array([0]), np.array([1]), np.array([2])), np.array([1.0, 2, 3]),
                  (frozenset({"x"}), frozenset({"y"}), frozenset()), ("rail", "rail", "road"),
                  np.ones(3))  # fmt: skip
    b = ChoiceSet("b", (np.array([0]),), np.array([4.0]), (frozenset(),), ("rail",), np.ones(1))
    alts = stack([a, b])
    assert alts.group.tolist() == [0, 0, 0, 1]
    assert alts.nest.tolist() == [0, 0, 1, 2]
    x = alts.design(["cost", "asc_gateway:x", "asc_mode:road"])
    assert x.tolist() == [[-1, 1, 0], [-2, 0, 0], [-3, 0, 1], [-4, 0, 0]]
