"""Choice parameters, their file, and the stacked table of alternatives they price.

The utility of route ``r`` of a class is

``V_r = -cost * C_r + path_size * log(PS_r) + sum_{g in gateways(r)} asc_gateway[g]
+ asc_mode[modes(r)]``

with ``C_r`` the route's generalised cost in USD per unit (money plus free-flow time at
the class's value of time, plus any shadow prices of capacities), ``PS_r`` its path
size, a constant for each gateway place it passes (a port, or either end of a land
crossing) and one for its chain of modes (``rail>sea``). Routes of one mode chain form
a nest when ``nest_scale`` < 1.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from tumen._atomic import write_file_atomically
from tumen.choice._sets import ChoiceSet
from tumen.errors import ScenarioError

__all__ = [
    "Alternatives",
    "ChoiceParameters",
    "parameters_json",
    "read_parameters",
    "stack",
    "write_parameters",
]

#: What a parameters file says it is.
FORMAT = "tumen-choice-parameters/1"


@dataclass(frozen=True)
class ChoiceParameters:
    """Parameters of the route and mode choice model.

    Attributes
    ----------
    cost : float
        Utility lost per USD of generalised cost per unit (> 0).
    path_size : float
        Coefficient of ``log(path size)``; 1 is the classic path-size logit.
    nest_scale : float
        Nest scale in (0, 1]; 1 is the multinomial logit, less is nested (mode, route).
    asc_gateway : dict of str to float
        Gateway place id -> constant (utility units).
    asc_mode : dict of str to float
        Mode chain (``rail>sea``) -> constant (utility units).
    std_errors : dict of str to float
        Standard error of each fitted parameter, by parameter name (see :meth:`names`).
    """

    cost: float = 0.05
    path_size: float = 1.0
    nest_scale: float = 1.0
    asc_gateway: dict[str, float] = field(default_factory=dict)
    asc_mode: dict[str, float] = field(default_factory=dict)
    std_errors: dict[str, float] = field(default_factory=dict)

    def values(self) -> dict[str, float]:
        """Return every parameter by name (``cost``, ``asc_gateway:<id>`` ...)."""
        out = {"cost": self.cost, "path_size": self.path_size, "nest_scale": self.nest_scale}
        out.update({f"asc_gateway:{k}": v for k, v in sorted(self.asc_gateway.items())})
        out.update({f"asc_mode:{k}": v for k, v in sorted(self.asc_mode.items())})
        return out

    def with_values(self, values: dict[str, float]) -> ChoiceParameters:
        """Return a copy with the named parameters set (names as in :meth:`values`)."""
        top = {k: values[k] for k in ("cost", "path_size", "nest_scale") if k in values}
        gw = dict(self.asc_gateway)
        md = dict(self.asc_mode)
        for k, v in values.items():
            if k.startswith("asc_gateway:"):
                gw[k.split(":", 1)[1]] = float(v)
            elif k.startswith("asc_mode:"):
                md[k.split(":", 1)[1]] = float(v)
        return ChoiceParameters(
            cost=float(top.get("cost", self.cost)),
            path_size=float(top.get("path_size", self.path_size)),
            nest_scale=float(top.get("nest_scale", self.nest_scale)),
            asc_gateway=gw, asc_mode=md, std_errors=dict(self.std_errors),
        )  # fmt: skip


def parameters_json(params: ChoiceParameters, meta: dict[str, object]) -> str:
    """Return the text of a parameters file (JSON) for ``params`` and ``meta``."""
    body = {
        "format": FORMAT,
        "parameters": params.values(),
        "std_errors": {k: (None if not math.isfinite(v) else v)
                       for k, v in sorted(params.std_errors.items())},
        **meta,
    }  # fmt: skip
    return json.dumps(body, indent=2, default=_plain) + "\n"


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        v = value.item()
        return None if isinstance(v, float) and not math.isfinite(v) else v
    return str(value)


def write_parameters(path: str | Path, params: ChoiceParameters, meta: dict[str, object]) -> Path:
    """Write a parameters file (JSON) atomically.

    Parameters
    ----------
    path : str or Path
        The file.
    params : ChoiceParameters
        The parameters.
    meta : dict
        What the fit says about itself (observations, statistics), kept in the file.

    Returns
    -------
    Path
    """
    text = parameters_json(params, meta)
    return write_file_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def read_parameters(path: str | Path) -> ChoiceParameters:
    """Read a parameters file that ``tumen calibrate`` wrote.

    Parameters
    ----------
    path : str or Path
        The JSON file.

    Returns
    -------
    ChoiceParameters

    Raises
    ------
    ScenarioError
        If the file cannot be read or is not a parameters file.
    """
    try:
        body = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ScenarioError(f"choice parameters {path}: cannot read it ({exc})") from None
    values = body.get("parameters") if isinstance(body, dict) else None
    if body.get("format") != FORMAT or not isinstance(values, dict):
        raise ScenarioError(
            f"choice parameters {path}: expected a file tumen calibrate wrote ({FORMAT})"
        )
    bad = [k for k, v in values.items() if not isinstance(v, int | float) or not math.isfinite(v)]
    params = ChoiceParameters().with_values(
        {k: float(v) for k, v in values.items() if k not in bad}
    )
    if bad or params.cost <= 0 or not 0 < params.nest_scale <= 1:
        raise ScenarioError(
            f"choice parameters {path}: expected finite numbers, cost > 0 and 0 < nest_scale <= 1"
        )
    errors = body.get("std_errors") or {}
    return ChoiceParameters(
        params.cost, params.path_size, params.nest_scale, params.asc_gateway, params.asc_mode,
        {k: float(v) if isinstance(v, int | float) else math.nan for k, v in errors.items()},
    )  # fmt: skip


@dataclass(frozen=True, eq=False)
class Alternatives:
    """Every route of every choice set, stacked.

    Attributes
    ----------
    names : list of str
        Class name of each group.
    group : ndarray of int
        Group (choice set) of each alternative.
    nest : ndarray of int
        Nest of each alternative (its group's routes of one mode chain).
    cost_usd : ndarray
        Generalised cost, USD per unit.
    log_path_size : ndarray
    modes : list of str
    gateways : list of frozenset of str
    route : list of ndarray of int
        Edge indices of each alternative.
    """

    names: list[str]
    group: NDArray[np.int64]
    nest: NDArray[np.int64]
    cost_usd: NDArray[np.float64]
    log_path_size: NDArray[np.float64]
    modes: list[str]
    gateways: list[frozenset[str]]
    route: list[NDArray[np.int64]]

    def design(self, names: list[str], extra_cost: NDArray[np.float64] | None = None
               ) -> NDArray[np.float64]:  # fmt: skip
        """Return ``dV/dtheta`` for the named linear parameters, ``(n, len(names))``."""
        cost = self.cost_usd if extra_cost is None else self.cost_usd + extra_cost
        cols = []
        for name in names:
            if name == "cost":
                cols.append(-cost)
            elif name == "path_size":
                cols.append(self.log_path_size)
            elif name.startswith("asc_gateway:"):
                key = name.split(":", 1)[1]
                cols.append(np.array([key in g for g in self.gateways], dtype=np.float64))
            elif name.startswith("asc_mode:"):
                key = name.split(":", 1)[1]
                cols.append(np.array([m == key for m in self.modes], dtype=np.float64))
            else:
                raise ValueError(f"not a linear parameter: {name}")
        return np.column_stack(cols) if cols else np.zeros((self.group.size, 0))

    def utility(self, params: ChoiceParameters, extra_cost: NDArray[np.float64] | None = None
                ) -> NDArray[np.float64]:  # fmt: skip
        """Return each alternative's utility under ``params``."""
        names = [k for k in params.values() if k != "nest_scale"]
        theta = np.array([params.values()[k] for k in names])
        return self.design(names, extra_cost) @ theta


def stack(sets: list[ChoiceSet]) -> Alternatives:
    """Stack choice sets into one table of alternatives (groups in the order given).

    Parameters
    ----------
    sets : list of ChoiceSet

    Returns
    -------
    Alternatives
    """
    group: list[int] = []
    nest: list[int] = []
    modes: list[str] = []
    gateways: list[frozenset[str]] = []
    routes: list[NDArray[np.int64]] = []
    nests: dict[tuple[int, str], int] = {}
    for g, cs in enumerate(sets):
        for k, r in enumerate(cs.routes):
            group.append(g)
            nest.append(nests.setdefault((g, cs.modes[k]), len(nests)))
            modes.append(cs.modes[k])
            gateways.append(cs.gateways[k])
            routes.append(r)
    return Alternatives(
        names=[cs.name for cs in sets],
        group=np.asarray(group, dtype=np.int64),
        nest=np.asarray(nest, dtype=np.int64),
        cost_usd=np.concatenate([cs.cost_usd for cs in sets]) if sets else np.zeros(0),
        log_path_size=np.log(np.concatenate([cs.path_size for cs in sets]))
        if sets else np.zeros(0),
        modes=modes, gateways=gateways, route=routes,
    )  # fmt: skip
