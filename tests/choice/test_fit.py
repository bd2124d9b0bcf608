"""The weighted least-squares fit on synthetic data whose parameters are known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import check_grad

from tumen.choice import (
    ChoiceParameters,
    ChoiceSet,
    fit_parameters,
    loss,
    stack,
    year_data,
)
from tumen.choice._calibrate import _model
from tumen.errors import DataError

GATEWAYS = ("a", "b", "c", "d")
TRUE = {"cost": 0.08, "asc_gateway:a": 0.6, "asc_gateway:b": -0.4, "asc_gateway:c": 1.0}


def _year(rng: np.random.Generator, year: int, n_markets: int = 6) -> tuple:
    """Markets of four routes, one through each gateway; gateway totals observed."""
    sets = []
    for m in range(n_markets):
        cost = 100.0 + rng.uniform(0, 30, size=4)
        modes = ("rail", "rail", "road", "rail>sea")
        sets.append(ChoiceSet(f"m{m}", tuple(np.array([k]) for k in range(4)), cost,
                              tuple(frozenset({g}) for g in GATEWAYS), modes,
                              rng.uniform(0.4, 1.0, size=4)))  # fmt: skip
    alts = stack(sets)
    volume = rng.uniform(1e6, 5e6, size=n_markets)[alts.group]
    obs = pd.DataFrame({"facility": list(GATEWAYS), "scope": "all", "observed": 0.0})
    data = year_data(alts, volume, ["s"] * alts.group.size, obs, year)
    return data


def _synthetic(noise: float, years: int = 8, seed: int = 11) -> list:
    rng = np.random.default_rng(seed)
    truth = ChoiceParameters().with_values(TRUE)
    out = []
    for y in range(years):
        d = _year(rng, 2010 + y)
        free = list(TRUE)
        theta = np.array([TRUE[k] for k in free])
        modelled, _ = _model(theta, free, truth, [d])
        observed = modelled * np.exp(rng.normal(0.0, noise, size=modelled.size))
        out.append(type(d)(d.year, d.alternatives, d.volume, d.incidence, observed, d.keys))
    return out


def test_recovers_the_parameters_within_two_standard_errors() -> None:
    data = _synthetic(noise=0.05)
    fit = fit_parameters(ChoiceParameters(), list(TRUE), data)
    for name, value in TRUE.items():
        row = fit.table.set_index("parameter").loc[name]
        assert np.isfinite(row["std_error"]) and row["std_error"] > 0
        assert abs(row["value"] - value) < 2 * row["std_error"], name


def test_noise_free_data_gives_the_parameters_back() -> None:
    fit = fit_parameters(ChoiceParameters(), list(TRUE), _synthetic(noise=0.0))
    got = fit.params.values()
    for name, value in TRUE.items():
        assert got[name] == pytest.approx(value, rel=1e-5, abs=1e-6)


@pytest.mark.parametrize("extra", [[], ["path_size"], ["nest_scale"]])
def test_gradient_matches_finite_differences(extra: list[str]) -> None:
    data = _synthetic(noise=0.1, years=3)
    free = [*TRUE, *extra]
    base = ChoiceParameters(nest_scale=0.7).with_values(dict.fromkeys(TRUE, 0.0))
    theta = np.array([0.05, 0.3, -0.2, 0.4, *([0.8] * len(extra))])
    err = check_grad(lambda t: loss(t, free, base, data)[0],
                     lambda t: loss(t, free, base, data)[1], theta, epsilon=1e-7)  # fmt: skip
    scale = np.linalg.norm(loss(theta, free, base, data)[1])
    assert err < 1e-5 * max(scale, 1.0)


def test_a_fit_is_deterministic() -> None:
    data = _synthetic(noise=0.05)
    one = fit_parameters(ChoiceParameters(), list(TRUE), data)
    two = fit_parameters(ChoiceParameters(), list(TRUE), data)
    pd.testing.assert_frame_equal(one.table, two.table)


def test_too_few_observations_is_an_error_not_a_fit() -> None:
    data = _synthetic(noise=0.05, years=1)  # four observations, four parameters
    with pytest.raises(DataError, match="more observations than the 4 parameters"):
        fit_parameters(ChoiceParameters(), list(TRUE), data)


def test_an_unidentified_constant_is_left_out_and_says_so() -> None:
    data = _synthetic(noise=0.05)
    free = [*TRUE, "asc_gateway:nowhere"]
    fit = fit_parameters(ChoiceParameters(), free, data)
    row = fit.table.set_index("parameter").loc["asc_gateway:nowhere"]
    assert not row["fitted"] and "not identified" in row["note"]


def test_a_prior_keeps_constants_near_zero_and_still_fits() -> None:
    data = _synthetic(noise=0.05)
    wide = fit_parameters(ChoiceParameters(), list(TRUE), data, prior_sd=100.0)
    tight = fit_parameters(ChoiceParameters(), list(TRUE), data, prior_sd=0.1)
    a_wide = wide.params.asc_gateway["c"]
    a_tight = tight.params.asc_gateway["c"]
    assert a_wide == pytest.approx(TRUE["asc_gateway:c"], abs=0.1)
    assert abs(a_tight) < abs(a_wide) / 2
    assert wide.status == "converged"
