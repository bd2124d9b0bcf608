"""The screening step of a scenario run: every routed flow goes through :func:`tumen.screen`.

Screening reports which UN Security Council measures cover a flow; it never changes a
route. A counterfactual (regime ``none``) is screened under its own regime, which
covers nothing, and also, for reference, under the measures in force on its date, so
that a reader sees what those flows would meet; both kinds of row say which they are.
"""

from __future__ import annotations

import pandas as pd

from tumen.data._scenario import Scenario
from tumen.scenario._inputs import Inputs

__all__ = ["FINDING_COLUMNS", "screen_routes", "shipments_from_routes"]

#: Columns of the findings table (screening's result columns follow ``unit``).
FINDING_COLUMNS = [
    "screening",
    "origin_place",
    "destination_place",
    "path",
    "commodity",
    "quantity",
    "unit",
    "date",
    "origin",
    "destination",
    "transit",
    "via",
]

_SCENARIO_REGIME = "scenario regime"
_REFERENCE = "reference: measures in force, not applied in this counterfactual"


def shipments_from_routes(sc: Scenario, routes: pd.DataFrame, inputs: Inputs) -> pd.DataFrame:
    """Turn routed flows into screening's shipment rows.

    Parameters
    ----------
    sc : Scenario
        The scenario (its date is every row's date).
    routes : pandas.DataFrame
        The result's routes table (one row per OD path with ``flow``).
    inputs : Inputs
        The run's inputs (places, demand flags).

    Returns
    -------
    pandas.DataFrame
        One shipment per route: ``origin_place, destination_place, path, commodity,
        quantity`` (tonnes or persons a year), ``unit`` (``t`` or ``persons``), ``date``,
        ``origin, destination`` (ISO alpha-2; the onward country for cargo that leaves
        by sea beyond the network where its category names one), ``transit`` (countries
        crossed between them, ``;``-separated) and ``via`` (place names on the path), plus
        any declarations the scenario makes for the flow's category
        (``origin_confirmed_non_kp``, ``notified_1718``, ``committee_approved``,
        ``purpose``).
    """
    country = dict(zip(inputs.places["place_id"], inputs.places["country"], strict=True))
    name = dict(zip(inputs.places["place_id"], inputs.places["name_en"], strict=True))
    onward: dict[tuple[str, str, str, str], str] = {}
    for row in inputs.demand.to_dict("records"):
        if bool(row["destination_sea"]) and row["onward_country"]:
            key = (row["origin"], row["destination"], row["commodity"], row["category"])
            onward[key] = str(row["onward_country"])
    declared = {k: v.model_dump(exclude_none=True) for k, v in sc.sanctions.declarations.items()}
    rows = []
    for r in routes.to_dict("records"):
        places = str(r["path"]).split(">")
        o = country.get(r["origin"], "")
        key = (r["origin"], r["destination"], r["commodity"], r["category"])
        d = onward.get(key, country.get(r["destination"], ""))
        crossed: list[str] = []
        for p in places:
            c = country.get(p, "")
            if c and c not in (o, d) and c not in crossed:
                crossed.append(c)
        rows.append({
            "origin_place": r["origin"],
            "destination_place": r["destination"],
            "path": r["path"],
            "commodity": r["commodity"],
            "quantity": float(r["flow"]),
            "unit": "persons" if r["unit"] == "persons/yr" else "t",
            "date": sc.date.isoformat(),
            "origin": o,
            "destination": d,
            "transit": ";".join(crossed),
            "via": ";".join(name.get(p, p) for p in places),
            **declared.get(str(r["category"]), {}),
        })  # fmt: skip
    extra = ["origin_confirmed_non_kp", "notified_1718", "committee_approved", "purpose"]
    frame = pd.DataFrame(rows)
    for col in extra:
        if col in frame.columns:  # screening reads empty text as "not declared"
            frame[col] = [
                "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v).lower()
                for v in frame[col]
            ]
    return frame.reindex(columns=FINDING_COLUMNS[1:] + [c for c in extra if c in frame.columns])


def screen_routes(sc: Scenario, routes: pd.DataFrame, inputs: Inputs) -> pd.DataFrame:
    """List every routed flow that a UN Security Council measure covers.

    Parameters
    ----------
    sc : Scenario
        The scenario; its ``sanctions.regime`` is passed to :func:`tumen.screen`.
    routes : pandas.DataFrame
        The result's routes.
    inputs : Inputs
        The run's inputs.

    Returns
    -------
    pandas.DataFrame
        :data:`FINDING_COLUMNS` and screening's result columns (``verdict, measures,
        reason, conditions, cap_total, cap, cap_unit, cap_period, screened_on,
        regime``) for each flow whose verdict is not ``not_covered``. For a
        counterfactual, rows screened under the measures in force for reference say so
        in ``screening``.
    """
    from tumen.screening import RESULT_COLUMNS, screen

    shipments = shipments_from_routes(sc, routes, inputs)
    columns = FINDING_COLUMNS + [c for c in RESULT_COLUMNS if c not in FINDING_COLUMNS]
    if shipments.empty:
        return pd.DataFrame(columns=columns)
    parts = []
    regimes = [(sc.sanctions.regime, _SCENARIO_REGIME)]
    if sc.sanctions.regime == "none":
        regimes.append(("in_force", _REFERENCE))
    for regime, label in regimes:
        screened = screen(
            shipments, regime=regime, measures=inputs.measures, commodities=inputs.commodities
        )
        covered = screened[screened["verdict"] != "not_covered"].copy()
        covered.insert(0, "screening", label)
        parts.append(covered)
    found = pd.concat(parts, ignore_index=True)
    return found.reindex(columns=columns + [c for c in found.columns if c not in columns])
