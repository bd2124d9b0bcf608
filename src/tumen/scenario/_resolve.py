"""Resolve once: turn a scenario with distributions into a scenario of plain numbers.

A scenario's uncertain inputs are every number written as a distribution, every
``uncertainty.open_links`` / ``open_facilities`` probability and every
``uncertainty.shared`` multiplier. :func:`uncertain_inputs` lists them in a fixed
order; :func:`draw_values` draws one value of each for a draw index (seeded by the
index alone, so any worker draws the same numbers); :func:`resolve` writes the values
into a copy of the scenario, which then holds plain numbers only and runs as usual.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from tumen.data._scenario import (
    Discrete,
    Lognormal,
    Normal,
    Scenario,
    Triangular,
    UncertaintySpec,
    Uniform,
    base_value,
)
from tumen.errors import Problem, ScenarioError

__all__ = [
    "ResolvePlan",
    "UncertainInput",
    "draw_values",
    "grid_points",
    "resolve",
    "resolve_plan",
    "uncertain_inputs",
]

_Dist = Triangular | Uniform | Normal | Lognormal | Discrete
_DISTS = (Triangular, Uniform, Normal, Lognormal, Discrete)


@dataclass(frozen=True)
class UncertainInput:
    """One input a draw samples.

    Attributes
    ----------
    key : str
        Key path in the scenario file (``overrides.facility_capacity.fac_rajin_port``,
        ``uncertainty.open_links.rail_khasan_tumangang``, ``uncertainty.shared.demand``).
    dist : Triangular or Uniform or Normal or Lognormal or Discrete
        Its distribution (an open probability ``p`` is ``discrete`` over 1 and 0).
    base : float
        The value a single run uses.
    """

    key: str
    dist: _Dist
    base: float


def uncertain_inputs(scenario: Scenario) -> list[UncertainInput]:
    """List a scenario's uncertain inputs in a fixed order (the order draws use).

    Parameters
    ----------
    scenario : Scenario
        A scenario as read from its file.

    Returns
    -------
    list of UncertainInput
        Sorted by key path.
    """
    found: dict[str, _Dist] = {}
    spec, ov = scenario.demand, scenario.overrides
    places: list[tuple[str, Any]] = [("demand.scale_all", spec.scale_all)]
    places += [(f"demand.scale_by_category.{k}", v) for k, v in spec.scale_by_category.items()]
    places += [(f"demand.scale_by_commodity.{k}", v) for k, v in spec.scale_by_commodity.items()]
    places += [(f"demand.add[{i}].quantity", a.quantity) for i, a in enumerate(spec.add)]
    for name in ("link_capacity", "facility_capacity", "cost", "zone_fee_usd_per_t"):
        places += [(f"overrides.{name}.{k}", v) for k, v in getattr(ov, name).items()]
    places += [
        (f"overrides.add_facilities[{i}].capacity", f.capacity)
        for i, f in enumerate(ov.add_facilities)
    ]
    for key, value in places:
        if isinstance(value, _DISTS):
            found[key] = value
    unc = scenario.uncertainty
    for name in ("open_links", "open_facilities"):
        for k, p in getattr(unc, name).items():
            found[f"uncertainty.{name}.{k}"] = Discrete(dist="discrete", values=(1.0, 0.0),
                                                         p=(p, 1.0 - p))  # fmt: skip
    for shared in unc.shared:
        found[f"uncertainty.shared.{shared.name}"] = shared.dist
    return [UncertainInput(k, found[k], _base(k, found[k])) for k in sorted(found)]


def _base(key: str, dist: _Dist) -> float:
    """Return the value a single run uses (open when the probability is at least 0.5)."""
    return base_value(dist)


def _rng(seed: int, index: int) -> np.random.Generator:
    """Return the generator of draw ``index``: child ``index`` of the seed sequence."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(index,)))


def draw_values(inputs: list[UncertainInput], seed: int, index: int) -> dict[str, float]:
    """Draw one value of every uncertain input for draw ``index``.

    The generator depends on ``seed`` and ``index`` only (numpy ``SeedSequence`` child
    ``index``), so a draw is the same on any worker and in any order.

    Parameters
    ----------
    inputs : list of UncertainInput
        From :func:`uncertain_inputs`.
    seed : int
        The sweep's seed.
    index : int
        The draw's index (0-based).

    Returns
    -------
    dict of str to float
        Key path -> value (a normal draw is cut at zero; an open flag is 1 or 0).
    """
    rng = _rng(seed, index)
    out: dict[str, float] = {}
    for item in inputs:
        d = item.dist
        if isinstance(d, Triangular):
            value = float(rng.triangular(d.low, d.mode, d.high))
        elif isinstance(d, Uniform):
            value = float(rng.uniform(d.low, d.high))
        elif isinstance(d, Normal):
            value = max(float(rng.normal(d.mean, d.sd)), 0.0)
        elif isinstance(d, Lognormal):
            value = float(rng.lognormal(np.log(d.median), d.sigma))
        else:
            u = float(rng.random())
            cum = np.cumsum(d.p)
            value = float(d.values[min(int(np.searchsorted(cum, u, side="right")),
                                       len(d.values) - 1)])  # fmt: skip
        out[item.key] = value
    return out


def grid_points(scenario: Scenario) -> list[tuple[str, float]]:
    """List the one-at-a-time grid points a scenario asks for.

    Parameters
    ----------
    scenario : Scenario

    Returns
    -------
    list of (str, float)
        Key path and value, in the file's order.
    """
    return [(g.key, float(v)) for g in scenario.uncertainty.grid for v in g.values]


def resolve(
    scenario: Scenario,
    values: Mapping[str, float] | None = None,
    *,
    fixed: Mapping[str, float] | None = None,
) -> Scenario:
    """Return the scenario with plain numbers: drawn values, or base values where none.

    Parameters
    ----------
    scenario : Scenario
        A scenario that may hold distributions.
    values : mapping of str to float, optional
        Drawn values by key path (from :func:`draw_values`); missing inputs take their
        base value.
    fixed : mapping of str to float, optional
        Key paths set to a value after the draw and the shared multipliers (a grid point).

    Returns
    -------
    Scenario
        The same scenario with every number plain, links and facilities drawn closed in
        ``overrides.close_links`` / ``close_facilities``, and an empty ``uncertainty``.
    """
    values = dict(values or {})
    raw = scenario.model_dump(mode="python")
    for item in uncertain_inputs(scenario):
        value = values.get(item.key, item.base)
        if item.key.startswith("uncertainty."):
            values[item.key] = value
            continue
        _set(raw, item.key, value)
    ov = raw["overrides"]
    unc = scenario.uncertainty
    for name, closed in (("open_links", "close_links"), ("open_facilities", "close_facilities")):
        for k in getattr(unc, name):
            is_open = values[f"uncertainty.{name}.{k}"] >= 0.5
            add, drop = (name, closed) if is_open else (closed, name)
            ov[drop] = tuple(x for x in ov[drop] if x != k)
            ov[add] = (*(x for x in ov[add] if x != k), k)
    for i, shared in enumerate(unc.shared):
        factor = values.get(f"uncertainty.shared.{shared.name}", base_value(shared.dist))
        for j, key in enumerate(shared.keys):
            try:
                _set(raw, key, _get(raw, key) * factor)
            except KeyError:
                where = scenario.source or scenario.name
                raise ScenarioError([Problem(
                    where, None, f"uncertainty.shared[{i}].keys[{j}]",
                    "a key the scenario sets (or a demand scale, 1 when unset)", key,
                )]) from None  # fmt: skip
    for key, value in (fixed or {}).items():
        _set(raw, key, float(value))
    raw["uncertainty"] = UncertaintySpec()
    return Scenario.model_validate(raw)


@dataclass(frozen=True, eq=False)
class ResolvePlan:
    """What :func:`resolve` writes for a draw, as plain key values (no scenario copy).

    Built once per scenario by :func:`resolve_plan`; :meth:`values` then gives, for one
    draw, the plain value of every key the draw sets: each uncertain input (its open
    flags included), each key a shared multiplier scales and each fixed key. A key a
    draw does not set keeps the value it has in ``resolve(scenario)``. This is the fast
    path of a sweep; :func:`resolve` stays the reference it must equal.

    Attributes
    ----------
    inputs : list of UncertainInput
        The scenario's uncertain inputs (:func:`uncertain_inputs`).
    shared : tuple of (str, float, tuple of str)
        Per shared multiplier: its input key, its base factor and the keys it scales.
    base : dict of str to float
        The file's plain value of each key a shared multiplier scales (1 for a demand
        scale the file does not set), before any multiplier.
    """

    inputs: list[UncertainInput]
    shared: tuple[tuple[str, float, tuple[str, ...]], ...]
    base: dict[str, float]

    def values(
        self, drawn: Mapping[str, float] | None = None, fixed: Mapping[str, float] | None = None
    ) -> dict[str, float]:
        """Return the plain value of every key a draw sets (see :func:`resolve`).

        Parameters
        ----------
        drawn : mapping of str to float, optional
            Drawn values by key path; missing inputs take their base value.
        fixed : mapping of str to float, optional
            Key paths set after the draw and the shared multipliers (a grid point).

        Returns
        -------
        dict of str to float
            Key path -> plain value; ``uncertainty.open_*`` keys hold 1 (open) or 0 and
            ``uncertainty.shared.*`` keys the multiplier itself.
        """
        drawn = drawn or {}
        out = {i.key: float(drawn.get(i.key, i.base)) for i in self.inputs}
        for name, base_factor, keys in self.shared:
            factor = float(drawn.get(name, base_factor))
            for key in keys:
                out[key] = out.get(key, self.base[key]) * factor
        for key, value in (fixed or {}).items():
            out[key] = float(value)
        return out


def resolve_plan(scenario: Scenario) -> ResolvePlan:
    """Return the :class:`ResolvePlan` of a scenario.

    Parameters
    ----------
    scenario : Scenario
        A scenario that may hold distributions.

    Returns
    -------
    ResolvePlan

    Raises
    ------
    ScenarioError
        If a shared multiplier names a key the scenario does not set.
    """
    raw = scenario.model_dump(mode="python")
    shared = []
    base: dict[str, float] = {}
    for i, item in enumerate(scenario.uncertainty.shared):
        for j, key in enumerate(item.keys):
            try:
                base[key] = _get(raw, key)
            except KeyError:
                where = scenario.source or scenario.name
                raise ScenarioError([Problem(
                    where, None, f"uncertainty.shared[{i}].keys[{j}]",
                    "a key the scenario sets (or a demand scale, 1 when unset)", key,
                )]) from None  # fmt: skip
        shared.append((f"uncertainty.shared.{item.name}", float(base_value(item.dist)),
                       tuple(item.keys)))  # fmt: skip
    return ResolvePlan(uncertain_inputs(scenario), tuple(shared), base)


def _split(key: str) -> tuple[list[str], str]:
    """Split ``a.b.c`` into its containers and last part; ``add[0]`` names a list item."""
    parts = key.split(".")
    scale = key.startswith(("demand.scale_by_", "overrides."))
    if scale and len(parts) > 3:  # an id may itself hold dots
        parts = [*parts[:2], ".".join(parts[2:])]
    return parts[:-1], parts[-1]


def _container(raw: dict[str, Any], parents: list[str]) -> Any:
    node: Any = raw
    for part in parents:
        if part.endswith("]"):
            name, index = part[:-1].split("[")
            items = list(node[name])
            node[name] = items
            node = items[int(index)]
        else:
            node = node[part]
    return node


def _get(raw: dict[str, Any], key: str) -> float:
    parents, last = _split(key)
    node = _container(raw, parents)
    if last in node:
        return float(base_value(node[last]) if not isinstance(node[last], int | float)
                     else node[last])  # fmt: skip
    if key.startswith("demand.scale"):
        return 1.0
    raise KeyError(key)


def _set(raw: dict[str, Any], key: str, value: float) -> None:
    parents, last = _split(key)
    node = _container(raw, parents)
    node[last] = float(value)
