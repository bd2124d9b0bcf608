"""Helpers shared by the screening tests: build small shipment tables."""

from __future__ import annotations

import pandas as pd

COLUMNS = (
    "date", "origin", "destination", "transit", "via", "commodity", "hs", "quantity", "unit",
    "value_usd", "purpose", "origin_confirmed_non_kp", "notified_1718", "committee_approved",
    "authorised_on", "contract_on", "transfer", "vessel_flag",
)  # fmt: skip


def flow(**kw: object) -> dict[str, str]:
    """One row with every column as text; defaults: 1000 t of coal from KP to CN in 2019."""
    row = {c: "" for c in COLUMNS}
    row.update(
        date="2019-06-01",
        origin="KP",
        destination="CN",
        commodity="coal",
        quantity="1000",
        unit="t",
    )
    row.update({k: str(v) for k, v in kw.items()})
    return row


def table(*rows: dict[str, str]) -> pd.DataFrame:
    """A shipment table from rows built by :func:`flow`."""
    return pd.DataFrame(list(rows), columns=list(COLUMNS))
