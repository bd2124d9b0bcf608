"""Ship-to-ship transfers with DPRK-flagged vessels (UNSCR 2375 para 11), declared only."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tumen.screening._exemptions import evaluate
from tumen.screening._findings import Pairs
from tumen.screening._records import Measure
from tumen.screening._timing import span

__all__ = ["ship_to_ship"]


def ship_to_ship(
    pairs: Pairs,
    m: Measure,
    order: int,
    f: pd.DataFrame,
    live: tuple[pd.Series, pd.Series],
    direction: dict[str, pd.Series],
    kp_flag: pd.Series,
    label: pd.Series,
    com_id: pd.Series,
) -> None:
    """2375 para 11: ship-to-ship transfers to or from DPRK-flagged vessels (declared only)."""
    full, part = live
    sts = f["transfer"].eq("ship_to_ship")
    kp_goods = direction[m.direction]
    flags_given = f["vessel_flag"].ne("")
    flags = f["vessel_flag"].str.strip(";").str.replace(";", ", ", regex=False)
    text = (
        m.citation + " (" + span(m) + ") prohibits ship-to-ship transfers to or from "
        "DPRK-flagged vessels of any goods supplied to or from the DPRK"
    )
    rows = sts & kp_goods & kp_flag & full
    if rows.any():
        sub = f[rows]
        ex = evaluate(m.exemptions, sub, com_id[rows], m)
        pos = np.flatnonzero(rows.to_numpy())
        met = ex.met.to_numpy()
        said = (
            text
            + "; the row declares such a transfer of "
            + label[rows]
            + " with a DPRK-flagged vessel (vessel_flag "
            + flags[rows]
            + ")"
        )
        pairs.add(
            pos[met],
            "exempt",
            m.citation,
            order,
            said[met] + "; the row declares what its exemption requires.",
            ex.text[met],
        )
        pairs.add(
            pos[~met],
            "prohibited",
            m.citation,
            order,
            said[~met] + ", and no exemption's conditions are met by the row.",
            ex.text[~met],
        )
    rows = sts & kp_goods & kp_flag & part
    pairs.add(
        np.flatnonzero(rows.to_numpy()),
        "needs_review",
        m.citation,
        order,
        text + " only for part of " + f["period"][rows] + "; the row does not say "
        "when in the period the transfer took place.",
        "Give the date of the transfer.",
    )
    rows = sts & kp_goods & ~flags_given & (full | part)
    pairs.add(
        np.flatnonzero(rows.to_numpy()),
        "needs_review",
        m.citation,
        order,
        "The row declares a ship-to-ship transfer of goods to or from the DPRK but not "
        "the vessels' flags; " + text + ".",
        "Give vessel_flag: the flag codes of both vessels, ';'-separated (e.g. KP;PA).",
    )
    rows = sts & ~kp_goods & kp_flag & (full | part)
    pairs.add(
        np.flatnonzero(rows.to_numpy()),
        "needs_review",
        m.citation,
        order,
        "The row declares a ship-to-ship transfer with a DPRK-flagged vessel, but its "
        "origin, destination and transit do not show the goods going to or from the "
        "DPRK; " + text + ".",
        "Give the goods' origin and destination (KP where they go to or come from the DPRK).",
    )
