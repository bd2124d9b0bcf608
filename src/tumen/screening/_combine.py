"""Fold the (row, measure) findings of a screening into one verdict per row."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tumen.screening._findings import Pairs

__all__ = ["combine"]


def combine(
    pairs: Pairs,
    f: pd.DataFrame,
    label: pd.Series,
    com_id: pd.Series,
    when: pd.Series,
    touches: pd.Series,
    ends: tuple[pd.Series, pd.Series],
) -> pd.DataFrame:
    """Fold the (row, measure) findings into one verdict per row."""
    n = len(f)
    result = pd.DataFrame(
        {
            "verdict": "not_covered",
            "measures": "",
            "reason": "",
            "conditions": "",
            "cap_total": np.nan,
            "cap": np.nan,
            "cap_unit": "",
            "cap_period": "",
        },
        index=f.index,
    )
    default = pd.Series(
        np.where(
            touches,
            "No UN Security Council measure in force "
            + when
            + " covers "
            + label
            + " from "
            + ends[0]
            + " to "
            + ends[1]
            + ".",
            "The flow neither leaves nor enters DPRK territory, so no UN Security Council "
            "DPRK measure covers it.",
        ),
        index=f.index,
        dtype=object,
    )
    people = com_id.eq("passengers")
    default[people] = (
        "Passengers and tourists are not restricted by UN Security Council "
        "measures; the travel ban on designated individuals (UNSCR 1718 para "
        "8(e)) is outside Tumen's screening."
    )
    result["reason"] = default
    if not pairs.parts or n == 0:
        return result
    p = pd.concat(pairs.parts, ignore_index=True)
    p = p.sort_values(["pos", "rank", "order"], ascending=[True, False, True], kind="stable")
    top = p.drop_duplicates("pos", keep="first").set_index("pos")
    top_rank = top["rank"].reindex(p["pos"]).to_numpy()
    best = p[p["rank"].to_numpy() == top_rank]
    reasons = _join_by_pos(best, "reason", " ")
    cites = _join_by_pos(p[p["cite"].ne("")], "cite", "; ")
    conds = _join_by_pos(p[p["conditions"].ne("")], "conditions", " | ")
    capped = p[p["cap_total"].notna()].drop_duplicates("pos", keep="first").set_index("pos")
    idx = top.index.to_numpy()
    result.loc[idx, "verdict"] = top["verdict"].to_numpy()
    result.loc[reasons.index.to_numpy(), "reason"] = reasons.to_numpy()
    result.loc[cites.index.to_numpy(), "measures"] = cites.to_numpy()
    result.loc[conds.index.to_numpy(), "conditions"] = conds.to_numpy()
    cidx = capped.index.to_numpy()
    for col in ("cap_total", "cap"):
        result.loc[cidx, col] = capped[col].astype(float).to_numpy()
    for col in ("cap_unit", "cap_period"):
        result.loc[cidx, col] = capped[col].astype(str).to_numpy()
    return result


def _join_by_pos(p: pd.DataFrame, col: str, sep: str) -> pd.Series:
    """Join the distinct texts of ``col`` per row position, in the frame's order."""
    out: dict[int, str] = {}
    seen: set[tuple[int, str]] = set()
    for k, t in zip(p["pos"].tolist(), p[col].tolist(), strict=True):
        if (k, t) in seen:
            continue
        seen.add((k, t))
        out[k] = out[k] + sep + t if k in out else t
    return pd.Series(list(out.values()), index=list(out.keys()), dtype=object)
