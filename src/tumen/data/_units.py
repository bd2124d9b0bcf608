"""Every unit Tumen's tables use, in one registry, and the exact conversions between them.

Quantities (a shipment's ``unit``, a cap's ``cap_unit``, a commodity's ``default_unit``)
belong to one dimension each; conversion inside a dimension is by an exact factor
(REF-UNIT-DEFINITIONS). Conversion across dimensions (tonnes to barrels) needs a
commodity's density, which only the caller knows; :func:`convert` never does it silently.
Rates (a link's or facility's ``capacity_unit``, a demand row's ``unit``) are listed in
:data:`CAPACITY_UNITS` and :data:`DEMAND_UNITS`; the scenario model converts them to
tonne-equivalents a year with the cost parameters that say how.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "CAPACITY_UNITS",
    "DEMAND_UNITS",
    "UNITS",
    "UNIT_ALIASES",
    "canonical_unit",
    "convert",
]

#: Units a capacity may be given in: million tonnes a year, vehicles a day or a year,
#: passengers a day, trains a day, twenty-foot equivalent units a year.
CAPACITY_UNITS = ("Mt/yr", "veh/day", "veh/yr", "pax/day", "trains/day", "TEU/yr")
#: Units of demand: tonnes per year for goods, persons per year for people.
DEMAND_UNITS = ("t/yr", "persons/yr")

#: Barrels per cubic metre, from 1 US oil barrel = 0.158987294928 m3 exactly.
BBL_PER_M3 = 1.0 / 0.158987294928

#: unit -> (dimension, factor to the dimension's base unit). Bases: t, bbl, USD and counts.
UNITS: dict[str, tuple[str, float]] = {
    "t": ("mass", 1.0),
    "kg": ("mass", 1e-3),
    "kt": ("mass", 1e3),
    "Mt": ("mass", 1e6),
    "bbl": ("volume", 1.0),
    "kbbl": ("volume", 1e3),
    "m3": ("volume", BBL_PER_M3),
    "USD": ("value", 1.0),
    "kUSD": ("value", 1e3),
    "MUSD": ("value", 1e6),
    "head": ("head", 1.0),
    "persons": ("persons", 1.0),
    "units": ("units", 1.0),
    "TEU": ("TEU", 1.0),
}

#: Other spellings accepted (matched case-insensitively). "mt" is left out on purpose:
#: it means a metric ton to some and a megatonne to others.
UNIT_ALIASES: dict[str, str] = {
    "tonne": "t", "tonnes": "t", "ton": "t", "tons": "t", "metric tons": "t",
    "kilograms": "kg", "kilotonnes": "kt",
    "barrel": "bbl", "barrels": "bbl", "cubic metres": "m3", "m³": "m3",
    "usd": "USD", "us$": "USD", "dollars": "USD",
    "heads": "head", "person": "persons", "people": "persons",
    "unit": "units", "pieces": "units", "teu": "TEU",
}  # fmt: skip


def canonical_unit(text: str) -> str | None:
    """Return the canonical unit for ``text`` (``'tonnes'`` -> ``'t'``), or None if unknown."""
    text = str(text).strip()
    if text in UNITS:
        return text
    lowered = text.lower()
    if lowered in UNIT_ALIASES:
        return UNIT_ALIASES[lowered]
    for unit in UNITS:
        if unit.lower() == lowered and lowered not in ("mt",):
            return unit
    return None


def convert(
    quantity: pd.Series, unit: pd.Series, target: str, t_per_bbl: pd.Series | float | None = None
) -> tuple[pd.Series, pd.Series]:
    """Convert quantities to ``target``, across mass and volume only with a density.

    Parameters
    ----------
    quantity : pandas.Series of float
        Quantities in ``unit``.
    unit : pandas.Series of str
        Canonical units (keys of :data:`UNITS`).
    target : str
        Canonical unit to convert to.
    t_per_bbl : pandas.Series or float, optional
        Tonnes per barrel for each row (NaN where unknown); used only between mass and
        volume.

    Returns
    -------
    converted : pandas.Series of float
        Quantities in ``target``; NaN where no conversion is possible.
    crossed : pandas.Series of bool
        True where the conversion went between mass and volume (the caller must say so).
    """
    dim_t, fac_t = UNITS[target]
    dims = unit.map(lambda u: UNITS[u][0])
    facs = unit.map(lambda u: UNITS[u][1]).astype(float)
    base = quantity.astype(float) * facs
    out = pd.Series(np.nan, index=quantity.index, dtype=float)
    same = dims.eq(dim_t)
    out[same] = base[same] / fac_t
    density = (
        t_per_bbl
        if isinstance(t_per_bbl, pd.Series)
        else pd.Series(np.nan if t_per_bbl is None else t_per_bbl, index=quantity.index)
    ).astype(float)
    crossed = pd.Series(False, index=quantity.index)
    if dim_t == "volume":
        m = dims.eq("mass") & density.notna() & density.gt(0)
        out[m] = base[m] / density[m] / fac_t
        crossed |= m
    elif dim_t == "mass":
        m = dims.eq("volume") & density.notna() & density.gt(0)
        out[m] = base[m] * density[m] / fac_t
        crossed |= m
    return out, crossed
