"""HS codes as text, whatever shape a user's table gave them.

A shipment table read with plain :func:`pandas.read_csv` holds HS codes as numbers:
``2701`` becomes ``2701.0``, ``0301`` becomes ``301`` and ``8471.30`` becomes ``8471.3``.
:func:`hs_text` turns such a column back into the codes it held:

* an integer-valued number is its digits (``2701.0`` -> ``2701``; the text ``'2701.0'``
  left by a float written back to CSV, likewise);
* a number with a fraction is a heading with its subheading after the dot, two digits
  (``8471.3`` -> ``8471.30``);
* **a code with an odd number of digits (1, 3 or 5) is taken to have lost its leading
  zero** — HS chapters 01 to 09 (live animals, meat, fish, dairy, plants, vegetables,
  fruit, coffee and tea) begin with one, which numbers and spreadsheets drop — and gets it
  back: ``301`` -> ``0301``, ``30111`` -> ``030111``. No valid HS code has an odd number
  of digits, so no valid code is changed by this.

Codes are ``;``-separated; dots and spaces inside a code are dropped.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

__all__ = ["hs_code", "hs_text"]

_FLOAT_TEXT = re.compile(r"^(\d+)\.0+$")


def _one(code: str) -> str:
    """Return one code without dots or spaces, a lost leading zero put back."""
    code = _FLOAT_TEXT.sub(r"\1", code.strip())
    code = re.sub(r"[.\s]", "", code)
    if code.isdigit() and len(code) in (1, 3, 5):
        code = "0" + code
    return code


def hs_code(value: object) -> str:
    """Return an HS cell (text or number) as ``;``-separated codes of digits.

    Parameters
    ----------
    value : object
        A cell: text such as ``'2701; 2702'`` or ``'2701.0'``, a number, or missing.

    Returns
    -------
    str
        The codes (``''`` for a missing cell). Text that is not a code is returned
        cleaned but otherwise as it was, for the screening checks to refuse.

    Examples
    --------
    >>> hs_code(2701.0), hs_code(301), hs_code(8471.3), hs_code("2701.0; 301")
    ('2701', '0301', '847130', '2701;0301')
    """
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
        if math.isnan(number):
            return ""
        if number.is_integer():
            return _one(str(int(number)))
        return _one(f"{number:.2f}")
    parts = [_one(p) for p in str(value).split(";")]
    return ";".join(p for p in parts if p)


def hs_text(frame: pd.DataFrame) -> pd.Series:
    """Return the ``hs`` column of a shipment table as text codes (see the module notes).

    Parameters
    ----------
    frame : pandas.DataFrame
        A shipment table, as read by :func:`~tumen.screening.read_shipments` or by plain
        :func:`pandas.read_csv`.

    Returns
    -------
    pandas.Series
        Same index; ``''`` where there is no code or no ``hs`` column.
    """
    if "hs" not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    column = frame["hs"]
    uniques = {v: hs_code(v) for v in column.dropna().unique()}
    return column.map(uniques).astype(object).where(column.notna(), "").astype(str)
