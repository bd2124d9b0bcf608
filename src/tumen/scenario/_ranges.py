"""Capacity ranges: turn the dataset's ``capacity_low``/``capacity_high`` into distributions.

A scenario that sets ``uncertainty.capacity_ranges`` (``triangular`` or ``uniform``)
asks a sweep to draw every link's and facility's capacity from its range in the dataset.
:func:`with_capacity_ranges` writes those ranges into the scenario as ordinary
distributions under ``overrides.link_capacity`` and ``overrides.facility_capacity``
(tonne-equivalents per year, like every capacity override), so the resolve and compile
seams treat them as any other uncertain number.

Kept as they are: a capacity the scenario sets itself, one an event set on or before the
scenario's date (the range belongs to the table's own figure), links and facilities
neither open on the date nor named in ``uncertainty.open_links``/``open_facilities``,
and rows whose range is missing, not ordered (``low < high`` and, for ``triangular``,
``low <= capacity <= high``) or in an unknown unit.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from tumen.data._scenario import Scenario, Triangular, Uniform
from tumen.scenario._graph import capacity_t_per_yr

__all__ = ["capacity_ranges", "with_capacity_ranges"]


def capacity_ranges(
    scenario: Scenario, dataset: Any
) -> dict[tuple[str, str], Triangular | Uniform]:
    """Return the capacity distributions a scenario's ``capacity_ranges`` asks for.

    Parameters
    ----------
    scenario : Scenario
        A scenario as read from its file (ids already checked).
    dataset : tumen.data.Dataset
        The loaded dataset.

    Returns
    -------
    dict of (str, str) to Triangular or Uniform
        ``("link", id)`` or ``("facility", id)`` -> its capacity's distribution in
        tonne-equivalents per year; empty when ``capacity_ranges`` is ``off``.
    """
    kind = scenario.uncertainty.capacity_ranges
    if kind == "off":
        return {}
    from tumen.scenario._compiled import _maybe_open, _topology
    from tumen.scenario._inputs import prepare_inputs
    from tumen.scenario._resolve import resolve

    maybe_links, maybe_facilities = _maybe_open(scenario)
    inputs = prepare_inputs(
        _topology(resolve(scenario), maybe_links, maybe_facilities), dataset=dataset
    )
    ov = scenario.overrides
    out: dict[tuple[str, str], Triangular | Uniform] = {}
    for what, frame, id_col, own in (
        ("link", inputs.all_links, "link_id", set(ov.link_capacity)),
        ("facility", inputs.facilities, "facility_id", set(ov.facility_capacity)),
    ):
        if "capacity_low" not in frame.columns or "capacity_high" not in frame.columns:
            continue
        open_ = frame["is_open"].astype(bool)
        for row, is_open in zip(frame.to_dict("records"), open_, strict=True):
            ident = str(row[id_col])
            if not is_open or ident in own or (what, ident) in inputs.capacity_event_sources:
                continue
            dist = _dist(kind, row, inputs.params)
            if dist is not None:
                out[(what, ident)] = dist
    return out


def _dist(kind: str, row: dict[str, Any], params: dict[str, float]) -> Triangular | Uniform | None:
    """Return one row's capacity distribution in t/yr, or None if its range is unusable."""
    unit = "" if pd.isna(row.get("capacity_unit")) else str(row.get("capacity_unit"))
    values = []
    for col in ("capacity_low", "capacity", "capacity_high"):
        number = pd.to_numeric(pd.Series([row.get(col)]), errors="coerce").iloc[0]
        values.append(capacity_t_per_yr(float(number), unit, params))
    low, mode, high = values
    if any(math.isnan(v) for v in values) or not low < high:
        return None
    if kind == "uniform":
        return Uniform(dist="uniform", low=low, high=high)
    if not low <= mode <= high:
        return None
    return Triangular(dist="triangular", low=low, mode=mode, high=high)


def with_capacity_ranges(scenario: Scenario, dataset: Any) -> Scenario:
    """Return the scenario with its capacity ranges written in as distributions.

    Parameters
    ----------
    scenario : Scenario
        A scenario as read from its file (ids already checked).
    dataset : tumen.data.Dataset
        The loaded dataset.

    Returns
    -------
    Scenario
        The same scenario when ``uncertainty.capacity_ranges`` is ``off`` or no range
        applies; else a copy whose ``overrides.link_capacity`` and
        ``overrides.facility_capacity`` also hold the drawn ranges (applying it again
        changes nothing: the capacities it wrote are then the scenario's own).
    """
    ranges = capacity_ranges(scenario, dataset)
    if not ranges:
        return scenario
    ov = scenario.overrides
    links = dict(ov.link_capacity)
    facilities = dict(ov.facility_capacity)
    for (what, ident), dist in sorted(ranges.items()):
        (links if what == "link" else facilities)[ident] = dist
    return scenario.model_copy(
        update={
            "overrides": ov.model_copy(
                update={"link_capacity": links, "facility_capacity": facilities}
            )
        }
    )
