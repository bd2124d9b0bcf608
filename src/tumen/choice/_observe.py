"""The observed volumes of a dataset, by gateway place and year.

Two kinds of rows say how much passed a crossing or a port in a year:

- ``events.csv`` rows of kind ``volume_reported`` (a facility's or a place's throughput);
- ``demand.csv`` rows with basis ``observed`` and an ``observed_gateway`` (one series'
  volume at its gateway).

Each becomes one observation of a *gateway place* (a facility is replaced by its
place): ``facility, year, observed`` (tonnes a year), ``scope`` (``all`` cargo, or the
demand series observed), ``kind``, ``source`` and ``used`` with the ``reason`` when not.
An observation is not used in a fit when it covers part of a year only (a lower
bound); when a reported throughput of the same place and year is used instead; or
when the dataset's demand pinned to that gateway in that year is under half the
reported throughput (the observation then counts cargo the model does not carry,
such as the whole of a general port).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["COVERAGE", "observations"]

#: Least share of a reported throughput the dataset's demand must cover to be used.
COVERAGE = 0.5

_FACTOR = {"t": 1.0, "kt": 1e3, "Mt": 1e6, "t/yr": 1.0, "kt/yr": 1e3, "Mt/yr": 1e6}
_COLUMNS = ["facility", "year", "observed", "scope", "kind", "source", "used", "reason"]


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def observations(dataset: Any) -> pd.DataFrame:
    """Return the dataset's observed volumes by gateway place and year.

    Parameters
    ----------
    dataset : tumen.data.Dataset
        The loaded dataset.

    Returns
    -------
    pandas.DataFrame
        ``facility`` (a gateway place id), ``year``, ``observed`` (t/yr), ``scope``,
        ``kind`` (``event`` or ``demand``), ``source``, ``used`` (bool), ``reason``;
        sorted by facility and year.
    """
    place_of = dict(zip(dataset.facilities["facility_id"], dataset.facilities["place_id"],
                        strict=True))  # fmt: skip
    rows: list[dict[str, object]] = []
    ev = dataset.events
    for r in ev[ev["kind"] == "volume_reported"].to_dict("records"):
        factor = _FACTOR.get(_text(r.get("unit")))
        if factor is None or _text(r.get("field")) != "volume":
            continue
        target = _text(r["target_id"])
        place = place_of.get(target, target) if r["target_type"] == "facility" else target
        full = _text(r.get("date_precision")) == "year"
        rows.append({
            "facility": place, "year": pd.Timestamp(str(r["date"])).year,
            "observed": float(r["value"]) * factor, "scope": "all", "kind": "event",
            "source": _text(r.get("source")), "used": full,
            "reason": "" if full else "part of a year (a lower bound)",
        })  # fmt: skip
    dem = dataset.demand
    gateway = dem["observed_gateway"].map(_text)
    obs = dem[(dem["basis"] == "observed") & (gateway != "") & (dem["unit"] == "t/yr")]
    for r in obs.to_dict("records"):
        full = _text(r.get("period")) == ""
        rows.append({
            "facility": _text(r["observed_gateway"]), "year": int(r["year"]),
            "observed": float(r["quantity"]), "scope": _text(r["series"]), "kind": "demand",
            "source": _text(r.get("source")), "used": full,
            "reason": "" if full else "part of a year (a lower bound)",
        })  # fmt: skip
    table = pd.DataFrame(rows, columns=_COLUMNS)
    if table.empty:
        return table
    table["year"] = table["year"].astype("int64")
    events = table[(table["kind"] == "event") & table["used"]]
    reported = set(zip(events["facility"], events["year"], strict=True))
    pinned = (
        dem[(gateway != "") & (dem["unit"] == "t/yr")]
        .assign(g=gateway)
        .groupby(["g", "year"])["quantity"]
        .sum()
    )
    for i, r in table.iterrows():
        if not r["used"]:
            continue
        key = (r["facility"], int(r["year"]))
        if r["kind"] == "demand" and key in reported:
            table.loc[i, ["used", "reason"]] = [False, "a reported throughput of the place is used"]
        elif r["kind"] == "event":
            covered = float(pinned.get(key, 0.0))
            if covered < COVERAGE * r["observed"]:
                share = covered / r["observed"] if r["observed"] else 0.0
                table.loc[i, ["used", "reason"]] = [
                    False, f"the dataset's demand through it covers {share:.0%} of it",
                ]  # fmt: skip
    return table.sort_values(["facility", "year", "kind"], kind="stable").reset_index(drop=True)
