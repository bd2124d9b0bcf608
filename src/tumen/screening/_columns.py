"""The result columns of a chunk, as Arrow arrays, from its rows' profiles.

Each row takes its profile's result by index (one ``take`` per column); rows screened
one by one (under caps and value thresholds) take their own; reasons written with slots
get each row's own day, countries, HS codes or period label joined in by Arrow's string
kernels. No Python loop runs over the rows.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from tumen.screening._rules import RESULT_FIELDS
from tumen.screening._wording import SLOTS

__all__ = ["ProfileColumns"]

_NUMBERS = ("cap_total", "cap")
_SPLIT = re.compile("([" + re.escape("".join(SLOTS)) + "])")


def _strings(values: np.ndarray) -> pa.Array:
    return pa.array(values, type=pa.string(), from_pandas=True)


class ProfileColumns:
    """The result of every profile, ready to be spread to the rows of chunks.

    Parameters
    ----------
    table : dict of str to numpy.ndarray
        Per result field (``RESULT_FIELDS``), one value per profile.
    """

    def __init__(self, table: dict[str, np.ndarray]) -> None:
        self.size = len(table["verdict"])
        self.table = table
        reasons = table["reason"]
        self.group = np.full(self.size, -1, dtype=np.int64)
        self.place = np.zeros(self.size, dtype=np.int64)
        orders: dict[tuple[str, ...], list[list[str]]] = {}
        index: dict[tuple[str, ...], int] = {}
        for p, text in enumerate(reasons.tolist()):
            text = str(text)
            if not any(m in text for m in SLOTS):
                continue
            parts = _SPLIT.split(text)
            order = tuple(parts[1::2])
            if order not in orders:
                orders[order] = []
                index[order] = len(index)
            members = orders[order]
            self.group[p] = index[order]
            self.place[p] = len(members)
            members.append(parts[0::2])
        self.orders = list(orders)
        self.segments = [
            [_strings(np.asarray([m[k] for m in members], dtype=object)) for k in range(len(o) + 1)]
            for o, members in orders.items()
        ]

    def chunk(
        self,
        ids: np.ndarray,
        own_where: np.ndarray,
        own: pd.DataFrame,
        values: dict[str, np.ndarray],
        screened_on: np.ndarray,
        regime: str,
    ) -> pa.Table:
        """Return the result columns (``RESULT_FIELDS`` and ``regime``) of one chunk.

        Parameters
        ----------
        ids : numpy.ndarray of int
            Profile of each row of the chunk.
        own_where : numpy.ndarray of int
            Rows of the chunk screened one by one.
        own : pandas.DataFrame
            Their results (``RESULT_FIELDS``), in the order of ``own_where``.
        values : dict of str to numpy.ndarray
            Per slot marker, each row's own text.
        screened_on : numpy.ndarray of str
            Each row's ``screened_on``.
        regime : str
            The regime's label.

        Returns
        -------
        pyarrow.Table
        """
        n = len(ids)
        idx = ids.astype(np.int64, copy=True)
        idx[own_where] = self.size + np.arange(len(own_where))
        take = pa.array(idx, type=pa.int64())
        cols: dict[str, pa.Array] = {}
        for c in RESULT_FIELDS:
            both = np.concatenate([self.table[c], own[c].to_numpy()]) if len(own) else self.table[c]
            if c in _NUMBERS:
                cols[c] = pa.array(both.astype(float)[idx], type=pa.float64())
            elif c == "screened_on":
                day = screened_on.astype(object, copy=True)
                day[own_where] = own[c].to_numpy(dtype=object)
                cols[c] = _strings(day)
            else:
                cols[c] = _strings(both.astype(object)).take(take)
        cols["reason"] = self._fill(cols["reason"], ids, own_where, values)
        cols["regime"] = pa.array([regime], type=pa.string()).take(
            pa.array(np.zeros(n, dtype=np.int64))
        )
        return pa.table(cols)

    def _fill(
        self,
        base: pa.Array,
        ids: np.ndarray,
        own_where: np.ndarray,
        values: dict[str, np.ndarray],
    ) -> pa.Array:
        """Put each row's own values into the slots of its profile's reason."""
        group = self.group[ids] if len(ids) else np.zeros(0, dtype=np.int64)
        group[own_where] = -1
        rows_all, texts = [], []
        for g, order in enumerate(self.orders):
            rows = np.flatnonzero(group == g)
            if len(rows) == 0:
                continue
            place = pa.array(self.place[ids[rows]], type=pa.int64())
            segs = self.segments[g]
            parts: list[pa.Array] = [segs[0].take(place)]
            for k, mark in enumerate(order):
                parts.append(_strings(np.asarray(values[mark], dtype=object)[rows]))
                parts.append(segs[k + 1].take(place))
            texts.append(pc.binary_join_element_wise(*parts, ""))
            rows_all.append(rows)
        if not rows_all:
            return base
        rows = np.concatenate(rows_all)
        sort = np.argsort(rows, kind="stable")
        filled = pa.concat_arrays(texts).take(pa.array(sort, type=pa.int64()))
        mask = np.zeros(len(ids), dtype=bool)
        mask[rows] = True
        return pc.replace_with_mask(base, pa.array(mask), filled)
