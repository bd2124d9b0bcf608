"""Route and mode choice: logit models over generalised cost, fitted to observed volumes.

- :func:`choice_sets`: the cheapest distinct routes of each class, one per gateway;
- :func:`probabilities`: multinomial (path-size) or nested logit probabilities;
- :func:`solve_logit`: a scenario's assignment by logit choice, capacities held by
  shadow prices (scenario ``method: logit``);
- :func:`observations`: the observed volumes by gateway and year in a dataset;
- :func:`calibrate`: fit the parameters to them (weighted least squares), with
  standard errors, a fit table and out-of-sample checks (``tumen calibrate``);
  :func:`fit_parameters`, :func:`loss` and :func:`year_data` are its parts.
"""

from __future__ import annotations

from tumen.choice._assign import solve_logit
from tumen.choice._calibrate import (
    Calibration,
    Fit,
    YearData,
    calibrate,
    fit_parameters,
    fit_statistics,
    loss,
    year_data,
)
from tumen.choice._logit import log_probability_jacobian, probabilities
from tumen.choice._model import (
    Alternatives,
    ChoiceParameters,
    read_parameters,
    stack,
    write_parameters,
)
from tumen.choice._observe import observations
from tumen.choice._sets import ChoiceSet, choice_sets

__all__ = [
    "Alternatives",
    "Calibration",
    "ChoiceParameters",
    "ChoiceSet",
    "Fit",
    "YearData",
    "calibrate",
    "choice_sets",
    "fit_parameters",
    "fit_statistics",
    "log_probability_jacobian",
    "loss",
    "observations",
    "probabilities",
    "read_parameters",
    "solve_logit",
    "stack",
    "write_parameters",
    "year_data",
]
