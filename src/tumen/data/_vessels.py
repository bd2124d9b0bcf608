"""The optional ``transfer`` and ``vessel_flag`` columns: what a row declares about ships.

``transfer`` says how the goods changed hands (``ship_to_ship`` for a transfer at sea
between two vessels); ``vessel_flag`` gives the flag State(s) of the vessel(s) involved as
ISO 3166 alpha-2 codes, ``;``-separated (both vessels of a ship-to-ship transfer). The
measures that turn on them (2375 para 11; the export bans' "using its flag vessels")
apply only where a row declares them: an empty cell is never taken to mean anything.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tumen.errors import Problem

__all__ = ["TRANSFERS", "parse_vessels"]

#: Accepted ``transfer`` values and their spellings.
TRANSFERS = {
    "ship_to_ship": "ship_to_ship", "ship-to-ship": "ship_to_ship",
    "ship to ship": "ship_to_ship", "sts": "ship_to_ship",
    "port": "port", "rail": "rail", "road": "road", "pipeline": "pipeline", "air": "air",
}  # fmt: skip


def _text(frame: pd.DataFrame, col: str) -> pd.Series:
    if col not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    s = frame[col]
    return s.astype(object).where(s.notna(), "").astype(str).str.strip()


def parse_vessels(frame: pd.DataFrame, file: str) -> tuple[pd.Series, pd.Series, list[Problem]]:
    """Read ``transfer`` and ``vessel_flag``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    file : str
        Name used in messages.

    Returns
    -------
    transfer : pandas.Series of str
        Canonical transfer word or empty.
    vessel_flag : pandas.Series of str
        ``;KP;PA;`` form, empty if not declared.
    problems : list of Problem
        Unknown transfer words and codes that are not alpha-2 country codes.
    """
    problems: list[Problem] = []
    raw_t = _text(frame, "transfer")
    low = raw_t.str.lower()
    transfer = low.map(lambda w: TRANSFERS.get(w, "")).astype(object)
    for pos in np.flatnonzero((low.ne("") & transfer.eq("")).to_numpy()):
        problems.append(
            Problem(
                file,
                int(pos) + 1,
                "transfer",
                "one of ship_to_ship, port, rail, road, pipeline, air (or empty)",
                str(raw_t.iloc[pos]),
            )
        )
    from tumen.data._shipments import country_codes  # that module reads through this one

    raw_f = _text(frame, "vessel_flag")
    codes = country_codes()
    flags = raw_f.str.upper().str.replace(r"[\s,]+", ";", regex=True)
    uniq = {v: [c for c in v.split(";") if c] for v in flags.unique()}
    bad = {v for v, parts in uniq.items() if not all(c in codes for c in parts)}
    for pos in np.flatnonzero(flags.isin(bad).to_numpy()):
        problems.append(
            Problem(
                file,
                int(pos) + 1,
                "vessel_flag",
                "ISO 3166 alpha-2 flag codes separated by ';' (e.g. KP;PA)",
                str(raw_f.iloc[pos]),
            )
        )
    form = {v: (";" + ";".join(p) + ";" if p else "") for v, p in uniq.items()}
    return transfer, flags.map(form).astype(object), problems
