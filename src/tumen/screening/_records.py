"""Typed records of the two tables screening rests on: measures and commodities.

The tables themselves are declared, read and checked in :mod:`tumen.data` (a
:class:`~tumen.data.Dataset`'s ``measures`` and ``commodities``); here each checked row
becomes a frozen record the engine works on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = ["Commodity", "Measure", "commodity_objects", "measure_objects"]


@dataclass(frozen=True)
class Measure:
    """One measure row, typed: dates as timestamps, lists as tuples, caps as floats."""

    measure_id: str
    resolution: int
    paragraph: str
    adopted: pd.Timestamp
    applies_from: pd.Timestamp
    applies_until: pd.Timestamp | None
    direction: str
    goods_hs: tuple[str, ...]
    goods_commodities: tuple[str, ...]
    goods_words: tuple[str, ...]
    kind: str
    review_note: str
    cap_quantity: float | None
    cap_unit: str
    cap_alt_quantity: float | None
    cap_alt_unit: str
    cap_alt_rule: str
    cap_period: str
    cap_period_start: pd.Timestamp | None
    cap_period_end: pd.Timestamp | None
    cap_conditions: tuple[str, ...]
    exemptions: tuple[str, ...]
    citation: str


@dataclass(frozen=True)
class Commodity:
    """One commodity row, typed."""

    commodity_id: str
    name: str
    handling_class: str
    hs_codes: tuple[str, ...]
    value_usd_per_t: float | None
    default_unit: str
    t_per_bbl: float | None
    synonyms: tuple[str, ...]


def _split(text: str) -> tuple[str, ...]:
    return tuple(part for part in str(text).split(";") if part)


def _or_none(value: Any) -> Any:
    """Return None for a missing value (NaN, NaT), else the value."""
    return None if pd.isna(value) else value


def measure_objects(frame: pd.DataFrame) -> tuple[Measure, ...]:
    """Turn a dataset's measures table into typed :class:`Measure` records."""
    out = []
    for rec in frame.to_dict("records"):
        dates = {k: _or_none(rec[k]) for k in ("applies_until", "cap_period_start",
                                                "cap_period_end")}  # fmt: skip
        numbers = {k: _or_none(rec[k]) for k in ("cap_quantity", "cap_alt_quantity")}
        lists = {k: _split(rec[k]) for k in ("goods_hs", "goods_commodities", "goods_words",
                                             "cap_conditions", "exemptions")}  # fmt: skip
        text = {k: str(rec[k]) for k in ("measure_id", "paragraph", "direction", "kind",
                                         "review_note", "cap_unit", "cap_alt_unit",
                                         "cap_alt_rule", "cap_period", "citation")}  # fmt: skip
        out.append(Measure(
            resolution=int(rec["resolution"]), adopted=pd.Timestamp(rec["adopted"]),
            applies_from=pd.Timestamp(rec["applies_from"]), **dates, **numbers, **lists,
            **text,
        ))  # fmt: skip
    return tuple(out)


def commodity_objects(frame: pd.DataFrame) -> dict[str, Commodity]:
    """Turn a dataset's commodity table into typed :class:`Commodity` records by id."""
    out = {}
    for rec in frame.to_dict("records"):
        out[rec["commodity_id"]] = Commodity(
            commodity_id=rec["commodity_id"], name=rec["name"],
            handling_class=rec["handling_class"], hs_codes=_split(rec["hs_codes"]),
            value_usd_per_t=_or_none(rec["value_usd_per_t"]), default_unit=rec["default_unit"],
            t_per_bbl=_or_none(rec["t_per_bbl"]), synonyms=_split(rec["synonyms"]),
        )  # fmt: skip
    return out
