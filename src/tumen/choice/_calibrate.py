"""Fit the choice parameters to the observed volumes by weighted least squares.

For each year with observations, the year's networks (the scenario on the first day
of each stretch of the year over which the ledger changes nothing, see
:func:`tumen.choice._years.year_stretches`) and demand (that base year, no gateway
pinned) give every class its choice sets, its volume weighted by each stretch's share
of the year.
A class's volume splits over its routes by logit; the modelled volume of an
observation is the flow of the classes in its scope over the routes through its
gateway place. The residual of each observation is ``(modelled - observed) / s`` with
``s = max(observed, floor)``, a relative error that does not explode at zero; the
parameters minimise half the sum of squared residuals (``scipy.optimize.least_squares``
with the analytic Jacobian). :func:`calibrate` adds a wide normal prior on each
constant (``PRIOR_SD``), without which the bundled observations have no finite
optimum. Standard errors come from ``sigma^2 (J'J + P)^-1`` with ``P`` the prior's
precision and ``sigma^2`` the residual variance ``RSS / (n - p)``.

A gateway constant is fitted only for a place with a non-zero observation in the fit
and a non-zero derivative (a place that every route of its classes passes cannot be
told apart); the others stay at zero and say why.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.optimize import least_squares

from tumen._atomic import write_dir_atomically
from tumen.choice._logit import log_probability_jacobian
from tumen.choice._model import Alternatives, ChoiceParameters, parameters_json, stack
from tumen.choice._observe import observations as observation_table
from tumen.choice._sets import ChoiceSet, choice_sets
from tumen.choice._years import year_stretches
from tumen.errors import DataError, Problem

__all__ = [
    "Calibration",
    "Fit",
    "YearData",
    "calibrate",
    "fit_parameters",
    "fit_statistics",
    "loss",
    "year_data",
]

#: Scale of a zero or small observation's residual, tonnes a year.
FLOOR_T = 100_000.0

#: Standard deviation of the normal prior on each constant in :func:`calibrate`, utility
#: units: wide (a constant of 10 multiplies an alternative's odds by 22,000), it only
#: keeps the constants finite where the observations alone do not.
PRIOR_SD = 10.0


@dataclass(frozen=True, eq=False)
class YearData:
    """One year's alternatives and the observations they are compared with.

    Attributes
    ----------
    year : int
    alternatives : Alternatives
        Every route of every goods class of the year.
    volume : ndarray
        The volume of each alternative's class, tonnes a year.
    incidence : ndarray
        ``(observations, alternatives)``: 1 where the alternative's flow counts in the
        observation.
    observed : ndarray
        Observed volumes, tonnes a year.
    keys : pandas.DataFrame
        ``facility, year, scope`` of each observation.
    """

    year: int
    alternatives: Alternatives
    volume: NDArray[np.float64]
    incidence: NDArray[np.float64]
    observed: NDArray[np.float64]
    keys: pd.DataFrame


def year_data(
    alternatives: Alternatives,
    volume: NDArray[np.float64],
    series: list[str],
    obs: pd.DataFrame,
    year: int,
) -> YearData:
    """Match a year's observations (``facility, scope, observed``) to its alternatives.

    An observation counts the flow of every alternative through its gateway place, or
    only of the alternatives of one demand series when its scope names one.

    Parameters
    ----------
    alternatives : Alternatives
    volume : ndarray
        Class volume of each alternative, t/yr.
    series : list of str
        Demand series of each alternative's class.
    obs : pandas.DataFrame
        The year's observations.
    year : int

    Returns
    -------
    YearData
    """
    inc = np.zeros((len(obs), alternatives.group.size))
    for k, (place, scope) in enumerate(zip(obs["facility"], obs["scope"], strict=True)):
        inc[k] = [
            place in g and (scope == "all" or c == scope)
            for g, c in zip(alternatives.gateways, series, strict=True)
        ]
    keys = obs[["facility", "scope"]].assign(year=year).reset_index(drop=True)
    return YearData(year, alternatives, volume, inc, obs["observed"].to_numpy(float), keys)


def _names(params: ChoiceParameters, free: list[str]) -> tuple[list[str], list[str]]:
    linear = [k for k in params.values() if k != "nest_scale"]
    return linear, free


def _model(
    theta: NDArray[np.float64], free: list[str], base: ChoiceParameters, data: list[YearData]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Modelled volumes of every observation and their Jacobian in the free parameters."""
    params = base.with_values(dict(zip(free, theta, strict=True)))
    values = params.values()
    linear = [k for k in values if k != "nest_scale"]
    index = {k: i for i, k in enumerate(linear)}
    out, jac = [], []
    for d in data:
        x = d.alternatives.design(linear)
        v = x @ np.array([values[k] for k in linear])
        p, dlogp, dscale = log_probability_jacobian(
            v, x, d.alternatives.group, d.alternatives.nest, params.nest_scale
        )
        w = d.volume * p
        out.append(d.incidence @ w)
        cols = [dlogp[:, index[k]] if k in index else dscale for k in free]
        dlog = np.column_stack(cols) if cols else np.zeros((w.size, 0))
        jac.append(d.incidence @ (w[:, None] * dlog))
    return np.concatenate(out), np.vstack(jac)


def _residuals(
    theta: NDArray[np.float64], free: list[str], base: ChoiceParameters, data: list[YearData]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    modelled, jac = _model(theta, free, base, data)
    observed = np.concatenate([d.observed for d in data])
    scale = np.maximum(observed, FLOOR_T)
    return (modelled - observed) / scale, jac / scale[:, None]


def loss(
    theta: NDArray[np.float64], free: list[str], base: ChoiceParameters, data: list[YearData]
) -> tuple[float, NDArray[np.float64]]:
    """Return the weighted least-squares loss and its analytic gradient.

    Parameters
    ----------
    theta : ndarray
        Values of the free parameters.
    free : list of str
        Their names (as in :meth:`ChoiceParameters.values`).
    base : ChoiceParameters
        Values of the other parameters.
    data : list of YearData
        The observations and alternatives.

    Returns
    -------
    loss : float
        Half the sum of squared relative residuals.
    gradient : ndarray
    """
    r, jac = _residuals(theta, free, base, data)
    return 0.5 * float(r @ r), jac.T @ r


@dataclass(frozen=True, eq=False)
class Fit:
    """Parameters fitted by :func:`fit_parameters`.

    Attributes
    ----------
    params : ChoiceParameters
        Fitted values, with standard errors.
    table : pandas.DataFrame
        ``parameter, value, std_error, fitted, note``.
    rss : float
        Sum of squared relative residuals at the fit (the prior's terms not included).
    status : str
        ``converged``, or ``stopped at the evaluation limit``.
    """

    params: ChoiceParameters
    table: pd.DataFrame
    rss: float
    status: str = "converged"


def fit_parameters(
    base: ChoiceParameters,
    free: list[str],
    data: list[YearData],
    *,
    prior_sd: float | None = None,
) -> Fit:
    """Fit the named parameters by weighted least squares.

    Parameters
    ----------
    base : ChoiceParameters
        Start values, and the values of the parameters not fitted.
    free : list of str
        Parameters to fit (names as in :meth:`ChoiceParameters.values`); a constant
        whose derivative is zero everywhere is left out and says so.
    data : list of YearData
        Observations and alternatives.
    prior_sd : float, optional
        When given, each constant (``asc_*``) also pays ``(value / prior_sd)^2`` in the
        sum of squares: a normal prior centred on zero (ridge), which keeps the fit
        finite where the data alone would push constants and the cost coefficient to
        the all-or-nothing limit. Pure least squares when None.

    Returns
    -------
    Fit

    Raises
    ------
    DataError
        If there are no more observations than parameters to fit.
    """
    n_obs = sum(d.observed.size for d in data)
    base = base.with_values({k: base.values().get(k, 0.0) for k in free})
    theta0 = np.array([base.values()[k] for k in free])
    _, jac0 = _residuals(theta0, free, base, data)
    notes = {}
    keep = []
    for j, k in enumerate(free):
        if k.startswith("asc_") and not np.any(np.abs(jac0[:, j]) > 1e-9):
            notes[k] = "not identified: every route of its classes passes it"
        else:
            keep.append(k)
    free = keep
    if n_obs <= len(free):
        raise DataError(Problem(
            "observations", None, None,
            f"more observations than the {len(free)} parameters to fit",
            f"{n_obs} used in the fit",
        ))  # fmt: skip
    lower = np.array([1e-6 if k == "cost" else 0.05 if k == "nest_scale" else -np.inf
                      for k in free])  # fmt: skip
    upper = np.array([1.0 if k == "nest_scale" else np.inf for k in free])
    theta0 = np.clip(np.array([base.values()[k] for k in free]), lower, upper)
    pen = np.array([1.0 / prior_sd if prior_sd and k.startswith("asc_") else 0.0 for k in free])

    def penalised(t: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        r, jac = _residuals(t, free, base, data)
        return np.concatenate([r, pen * t]), np.vstack([jac, np.diag(pen)])

    result = least_squares(
        lambda t: penalised(t)[0],
        theta0,
        jac=lambda t: penalised(t)[1],
        bounds=(lower, upper),
        x_scale="jac",
        xtol=1e-12, ftol=1e-12, gtol=1e-12, max_nfev=500,
    )  # fmt: skip
    r, jac = _residuals(result.x, free, base, data)
    rss = float(r @ r)
    sigma2 = rss / (n_obs - len(free))
    info = jac.T @ jac + np.diag(pen**2)
    try:
        cov = sigma2 * np.linalg.inv(info)
        se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
        if np.linalg.cond(info) > 1e12:
            se[:] = math.nan
    except np.linalg.LinAlgError:
        se = np.full(len(free), math.nan)
    fitted = dict(zip(free, result.x, strict=True))
    for k, x, lo, hi in zip(free, result.x, lower, upper, strict=True):
        if np.isclose(x, lo, rtol=1e-6, atol=1e-9) or np.isclose(x, hi, rtol=1e-6, atol=1e-9):
            notes[k] = "at its bound: the standard error does not apply"
    params = base.with_values(fitted)
    params = replace(params, std_errors=dict(zip(free, map(float, se), strict=True)))
    rows = []
    for k, v in params.values().items():
        rows.append({
            "parameter": k, "value": float(v),
            "std_error": params.std_errors.get(k, math.nan),
            "fitted": k in fitted, "note": notes.get(k, "" if k in fitted else "fixed"),
        })  # fmt: skip
    status = "converged" if result.status > 0 else "stopped at the evaluation limit"
    return Fit(params, pd.DataFrame(rows), rss, status)


def fit_statistics(fit: pd.DataFrame) -> pd.DataFrame:
    """Return R², RMSE and MAPE of a fit table, in and out of sample.

    Parameters
    ----------
    fit : pandas.DataFrame
        ``observed``, ``modelled`` (t/yr) and ``in_sample``.

    Returns
    -------
    pandas.DataFrame
        ``sample`` (``in`` or ``out``), ``n``, ``r2``, ``rmse_t``, ``mape`` (mean
        absolute percentage error over the non-zero observations) and ``within_25pct``
        (share of non-zero observations modelled within ±25 %).
    """
    rows = []
    for name, part in (("in", fit[fit["in_sample"]]), ("out", fit[~fit["in_sample"]])):
        if part.empty:
            continue
        obs = part["observed"].to_numpy(float)
        mod = part["modelled"].to_numpy(float)
        ss_tot = float(((obs - obs.mean()) ** 2).sum())
        ss_res = float(((obs - mod) ** 2).sum())
        nz = obs > 0
        rel = np.abs(mod[nz] - obs[nz]) / obs[nz]
        rows.append({
            "sample": name, "n": int(obs.size),
            "r2": 1.0 - ss_res / ss_tot if ss_tot > 0 else math.nan,
            "rmse_t": math.sqrt(ss_res / obs.size),
            "mape": float(rel.mean()) if nz.any() else math.nan,
            "within_25pct": float((rel <= 0.25).mean()) if nz.any() else math.nan,
        })  # fmt: skip
    return pd.DataFrame(rows, columns=["sample", "n", "r2", "rmse_t", "mape", "within_25pct"])


@dataclass(frozen=True, eq=False)
class Calibration:
    """A fitted choice model and how well it reproduces the observations.

    Attributes
    ----------
    parameters : ChoiceParameters
        Fitted on every year but the held-out one.
    table : pandas.DataFrame
        ``parameter, value, std_error, fitted, note``.
    fit : pandas.DataFrame
        ``facility, year, scope, observed, modelled, in_sample``: every observation used,
        modelled by the fit (in sample) and, out of sample, the held-out year's or each
        year left out in turn.
    statistics : pandas.DataFrame
        See :func:`fit_statistics`.
    observations : pandas.DataFrame
        Every observation of the dataset, used or not, and why.
    meta : dict
        Scenario, held-out year, counts.
    """

    parameters: ChoiceParameters
    table: pd.DataFrame
    fit: pd.DataFrame
    statistics: pd.DataFrame
    observations: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dir(self, folder: str | Path) -> Path:
        """Write the parameters, the fit and the observations into ``folder``, atomically.

        The files: ``parameters.json`` (for a scenario's ``choice_parameters``),
        ``parameters.csv``, ``fit.csv``, ``statistics.csv`` and ``observations.csv``.

        Parameters
        ----------
        folder : str or Path
            A new folder, or one Tumen wrote.

        Returns
        -------
        Path
        """
        stats = self.statistics.to_dict("records")
        text = parameters_json(self.parameters, {**self.meta, "statistics": stats})

        def fill(tmp: Path) -> None:
            (tmp / "parameters.json").write_text(text, encoding="utf-8")
            self.table.to_csv(tmp / "parameters.csv", index=False)
            self.fit.to_csv(tmp / "fit.csv", index=False)
            self.statistics.to_csv(tmp / "statistics.csv", index=False)
            self.observations.to_csv(tmp / "observations.csv", index=False)

        return write_dir_atomically(folder, fill)


def _default_scenario() -> Any:
    from tumen.data._scenario import DemandSpec, Scenario

    return Scenario(name="calibration", title="Calibration years", date=dt.date(2019, 7, 1),
                    demand=DemandSpec(base_year=2019))  # fmt: skip


def _year(scenario: Any, dataset: Any, year: int, obs: pd.DataFrame) -> YearData:
    """Build the year's alternatives over its stretches (:func:`year_stretches`).

    Each stretch has its own network (the scenario on the stretch's first day) and
    choice sets; a class's annual volume is weighted by the stretch's share of the year,
    so the flows of all stretches add up to the year's.
    """
    from tumen.scenario._compiled import demand_ends
    from tumen.scenario._graph import build_graph
    from tumen.scenario._inputs import prepare_inputs
    from tumen.scenario._resolve import resolve
    from tumen.scenario._run import _classes

    demand = scenario.demand.model_copy(update={"base_year": year, "pin_observed_gateways": False})
    sets: list[ChoiceSet] = []
    volume: list[float] = []
    series: list[str] = []
    for first_day, share in year_stretches(dataset.events, year):
        sc = scenario.model_copy(update={"date": first_day, "demand": demand})
        inputs = prepare_inputs(resolve(sc), dataset=dataset)
        graph = build_graph(
            inputs.links, inputs.facilities, inputs.places, inputs.zone_fees,
            demand_ends(inputs.demand), inputs.params, inputs.crossing_links,
        )  # fmt: skip
        classes, rows, unreachable = _classes(graph, inputs, choice=True)
        goods = [c for c in classes
                 if c.name not in unreachable and rows[c.name]["unit"] == "t/yr"]  # fmt: skip
        stretch = choice_sets(graph, goods)
        for c in goods:
            if c.name in stretch:
                sets.append(stretch[c.name])
                volume.append(c.volume * share)
                series.append(str(rows[c.name]["series"]))
    alts = stack(sets)
    return year_data(alts, np.array(volume)[alts.group] if sets else np.zeros(0),
                     [series[g] for g in alts.group], obs, year)  # fmt: skip


def _free(base: ChoiceParameters, obs: pd.DataFrame, nested: bool, path_size: bool) -> list[str]:
    places = sorted(set(obs.loc[obs["observed"] > 0, "facility"]))
    free = ["cost"] + [f"asc_gateway:{p}" for p in places]
    if path_size:
        free.append("path_size")
    if nested:
        free.append("nest_scale")
    return free


def _predict(params: ChoiceParameters, data: list[YearData], in_sample: bool) -> pd.DataFrame:
    modelled, _ = _model(np.zeros(0), [], params, data)
    keys = pd.concat([d.keys for d in data], ignore_index=True)
    return keys.assign(
        observed=np.concatenate([d.observed for d in data]), modelled=modelled,
        in_sample=in_sample,
    )[["facility", "year", "scope", "observed", "modelled", "in_sample"]]  # fmt: skip


def calibrate(
    scenario: Any = None,
    data_dir: str | Path | None = None,
    *,
    holdout_year: int | None = None,
    nested: bool = False,
    fit_path_size: bool = False,
    prior_sd: float | None = PRIOR_SD,
    dataset: Any = None,
) -> Calibration:
    """Fit the choice parameters to the dataset's observed volumes.

    Parameters
    ----------
    scenario : str or Path or Scenario, optional
        The scenario whose network changes and costs apply (its date and base year are
        replaced by each observation's year); a plain network when None.
    data_dir : path-like, optional
        Dataset folder; the bundled dataset when None.
    holdout_year : int, optional
        Leave this year's observations out of the fit and predict them. When None,
        every year is fitted and each year is also left out in turn (leave-one-year-out).
    nested : bool, default False
        Fit a nested logit (mode chain, then route): adds the nest scale.
    fit_path_size : bool, default False
        Fit the path-size coefficient (else fixed at 1).
    prior_sd : float or None, default :data:`PRIOR_SD`
        Standard deviation of the normal prior on each constant (see
        :func:`fit_parameters`); None for pure least squares.
    dataset : tumen.data.Dataset, optional
        The dataset already loaded.

    Returns
    -------
    Calibration

    Raises
    ------
    DataError
        If there are no more observations than parameters (no fit is reported).
    """
    import tumen.data
    from tumen.scenario._load import load_scenario

    if dataset is None:
        dataset = tumen.data.load(data_dir)
    base_sc = _default_scenario() if scenario is None else load_scenario(scenario, dataset=dataset)
    table = observation_table(dataset)
    used = table[table["used"]]
    years = sorted(int(y) for y in used["year"].unique())
    data = {y: _year(base_sc, dataset, y, used[used["year"] == y]) for y in years}
    base = ChoiceParameters()
    if holdout_year is not None and holdout_year not in data:
        raise DataError(Problem("--holdout-year", None, None,
                                f"a year with observations ({', '.join(map(str, years))})",
                                str(holdout_year)))  # fmt: skip
    fit_years = [y for y in years if y != holdout_year]
    fit_obs = used[used["year"].isin(fit_years)]
    main = fit_parameters(base, _free(base, fit_obs, nested, fit_path_size),
                          [data[y] for y in fit_years], prior_sd=prior_sd)  # fmt: skip
    parts = [_predict(main.params, [data[y] for y in fit_years], True)]
    skipped: list[int] = []
    if holdout_year is not None:
        parts.append(_predict(main.params, [data[holdout_year]], False))
    else:
        for y in years:
            rest = [z for z in years if z != y]
            rest_obs = used[used["year"].isin(rest)]
            try:
                loyo = fit_parameters(base, _free(base, rest_obs, nested, fit_path_size),
                                      [data[z] for z in rest], prior_sd=prior_sd)  # fmt: skip
            except DataError:
                skipped.append(y)
                continue
            parts.append(_predict(loyo.params, [data[y]], False))
    fit = pd.concat(parts, ignore_index=True)
    stats = fit_statistics(fit)
    meta = {
        "scenario": getattr(base_sc, "name", "calibration"),
        "holdout_year": holdout_year,
        "out_of_sample": "holdout year" if holdout_year is not None else "leave one year out",
        "years": years,
        "observations_used": len(fit_obs),
        "loss": 0.5 * main.rss,
        "optimiser": main.status,
        "prior_sd": prior_sd,
        "loyo_skipped_years": skipped,
        "floor_t": FLOOR_T,
    }
    return Calibration(main.params, main.table, fit, stats, table, meta)
