"""Findings: one (row, measure) verdict with its reason, collected as column arrays."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["RANK", "VERDICTS", "Pairs", "fmt"]

#: Verdicts, most severe first.
VERDICTS = ("prohibited", "cap_exceeded", "needs_review", "within_cap", "exempt", "not_covered")
RANK = {v: len(VERDICTS) - i for i, v in enumerate(VERDICTS)}


class Pairs:
    """Collects (row, measure) findings as column arrays."""

    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []

    def add(
        self,
        pos: np.ndarray,
        verdict: str,
        cite: str,
        order: int,
        reason: pd.Series | str,
        conditions: pd.Series | str = "",
        cap: dict[str, object] | None = None,
    ) -> None:
        if len(pos) == 0:
            return
        conds = _values(conditions, len(pos))
        if cite:
            conds = np.where(conds != "", cite + ": " + conds.astype(str), "").astype(object)
        part = pd.DataFrame(
            {
                "pos": pos,
                "rank": RANK[verdict],
                "order": order,
                "verdict": verdict,
                "cite": cite,
                "reason": _values(reason, len(pos)),
                "conditions": conds,
            }
        )
        for key in ("cap_total", "cap", "cap_unit", "cap_period"):
            part[key] = _values(cap[key], len(pos)) if cap else None
        self.parts.append(part)


def _values(v: pd.Series | str | object, n: int) -> np.ndarray:
    if isinstance(v, pd.Series):
        return v.to_numpy(dtype=object)
    return np.full(n, v, dtype=object)


def fmt(x: float) -> str:
    """Format a number for a sentence: thousands separated, decimals only when small."""
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.2f}"
