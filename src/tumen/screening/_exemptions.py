"""Exemptions and cap allowances: what each requires, tested on declared columns only.

Each exemption id is a list of requirements; a requirement is a test on the row's
declared columns and a label saying what it needs. A declaration that is missing is
never taken as true: the requirement then fails and its label is reported as what the
exemption would need.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tumen.screening._records import Measure

__all__ = ["EXEMPTION_TEXT", "Outcome", "evaluate", "join_nonempty"]

_RAJIN = ("rajin", "rason", "najin", "раджин", "расон", "나진", "라선", "罗津", "罗先")

#: Adoption of 2321, whose para 46 lets the Committee exempt any activity case by case.
GENERAL_EXEMPTION_FROM = pd.Timestamp("2016-11-30")

Requirement = Callable[[pd.DataFrame, pd.Series, Measure], tuple[pd.Series, str]]

#: What each exemption is, in words (used in reasons and conditions).
EXEMPTION_TEXT = {
    "rajin_transit_coal": "the exemption for coal of non-DPRK origin moved through the DPRK "
    "only for export from Rajin (Rason)",
    "rajin_transit_coal_ru": "the carve-out for trans-shipment of Russia-origin coal through "
    "the Rajin-Khasan port and rail project",
    "livelihood": "the exemption for transactions only for livelihood purposes",
    "origin_kp": "the allowance for coal originating in the DPRK",
    "notified_1718": "notice to the 1718 Committee",
    "contract_30d": "the 30-day allowance for written contracts finalised before adoption",
    "contract_90d": "the 90-day allowance for written contracts finalised before adoption",
    "aircraft_spare_parts": "the exception for spare parts for the DPRK's civil passenger aircraft",
    "civil_flight_fuel": "the exception for fuel sold to civil passenger aircraft outside the "
    "DPRK for the flight to the DPRK and back",
    "committee_approval": "approval by the 1718 Committee in advance, case by case",
    "committee_exemption": "a case-by-case exemption by the 1718 Committee (2321 para 46, "
    "2397 para 25)",
    "work_authorised_before_adoption": "the exception for work authorised under a written "
    "contract before adoption",
}


def _declared(col: str) -> Requirement:
    def req(f: pd.DataFrame, com: pd.Series, m: Measure) -> tuple[pd.Series, str]:
        return f[col].fillna(False).astype(bool), f"{col} = true"

    return req


def _purpose(word: str) -> Requirement:
    def req(f: pd.DataFrame, com: pd.Series, m: Measure) -> tuple[pd.Series, str]:
        return f["purpose"].str.contains(f";{word};", regex=False), f"purpose = {word}"

    return req


def _coal(f: pd.DataFrame, com: pd.Series, m: Measure) -> tuple[pd.Series, str]:
    return com.eq("coal"), "commodity coal"


def _via_rajin(f: pd.DataFrame, com: pd.Series, m: Measure) -> tuple[pd.Series, str]:
    via = f["via"]
    hit = pd.Series(False, index=f.index)
    for name in _RAJIN:
        hit |= via.str.contains(name, regex=False)
    crosses = f["origin"].eq("KP") | f["transit"].str.contains(";KP;", regex=False)
    return hit & crosses, "route through the DPRK declared via Rajin (via = Rajin)"


def _origin(code: str, label: str) -> Requirement:
    def req(f: pd.DataFrame, com: pd.Series, m: Measure) -> tuple[pd.Series, str]:
        return f["origin"].eq(code), label

    return req


def _contract(days: int) -> list[Requirement]:
    def signed(f: pd.DataFrame, com: pd.Series, m: Measure) -> tuple[pd.Series, str]:
        return (
            f["contract_on"].lt(m.adopted).fillna(False).astype(bool),
            f"contract_on before {m.adopted.date()}",
        )

    def window(f: pd.DataFrame, com: pd.Series, m: Measure) -> tuple[pd.Series, str]:
        last = m.adopted + pd.Timedelta(days=days)
        return f["date"].le(last), f"date on or before {last.date()} ({days} days after adoption)"

    return [signed, window, _declared("notified_1718")]


def _from_2321(f: pd.DataFrame, com: pd.Series, m: Measure) -> tuple[pd.Series, str]:
    return f["date"].ge(GENERAL_EXEMPTION_FROM), f"date on or after {GENERAL_EXEMPTION_FROM.date()}"


def _authorised_before(f: pd.DataFrame, com: pd.Series, m: Measure) -> tuple[pd.Series, str]:
    return (
        f["authorised_on"].lt(m.adopted).fillna(False).astype(bool),
        f"authorised_on before {m.adopted.date()}",
    )


_REQUIREMENTS: dict[str, list[Requirement]] = {
    "rajin_transit_coal": [
        _coal,
        _declared("origin_confirmed_non_kp"),
        _declared("notified_1718"),
        _via_rajin,
    ],
    "rajin_transit_coal_ru": [
        _coal,
        _declared("origin_confirmed_non_kp"),
        _declared("notified_1718"),
        _via_rajin,
        _origin("RU", "origin = RU (Russia-origin coal)"),
    ],
    "livelihood": [_purpose("livelihood")],
    "origin_kp": [_origin("KP", "origin = KP (coal of DPRK origin)")],
    "notified_1718": [_declared("notified_1718")],
    "contract_30d": _contract(30),
    "contract_90d": _contract(90),
    "aircraft_spare_parts": [_purpose("aircraft_spare_parts")],
    "civil_flight_fuel": [_purpose("civil_flight_fuel")],
    "committee_approval": [_declared("committee_approved")],
    "committee_exemption": [_declared("committee_approved"), _from_2321],
    "work_authorised_before_adoption": [_authorised_before],
}


def join_nonempty(parts: list[pd.Series], sep: str, index: pd.Index) -> pd.Series:
    """Join string Series element-wise, skipping empty strings."""
    out = np.full(len(index), "", dtype=object)
    for part in parts:
        p = part.to_numpy(dtype=object)
        has = p != ""
        both = has & (out != "")
        out = np.where(both, out + sep + p, np.where(has, p, out))
    return pd.Series(out, index=index, dtype=object)


@dataclass(frozen=True)
class Outcome:
    """Result of testing a set of exemptions on rows.

    ``met`` is True where one exemption has every requirement met; ``which`` names it;
    ``text`` says, per row, what was relied on (when met) or what each exemption would
    need and was not declared (when not met).
    """

    met: pd.Series
    which: pd.Series
    text: pd.Series


def evaluate(
    ids: tuple[str, ...], f: pd.DataFrame, com: pd.Series, m: Measure, all_of: bool = False
) -> Outcome:
    """Test exemptions (any one suffices) or allowance conditions (``all_of``) on rows.

    Parameters
    ----------
    ids : tuple of str
        Exemption ids from the measure row.
    f : pandas.DataFrame
        Normalised rows (see ``_shipments.normalise``).
    com : pandas.Series
        Resolved commodity id per row (None where unknown).
    m : Measure
        The measure, for its adoption date.
    all_of : bool
        False: the rows are exempt when any one exemption is met. True: the rows meet
        the conditions when every listed condition is met (a cap's allowance).
    """
    index = f.index
    if not ids or len(f) == 0:
        empty = pd.Series("", index=index, dtype=object)
        return Outcome(pd.Series(all_of, index=index, dtype=bool), empty, empty)
    met_any = pd.Series(False, index=index)
    met_all = pd.Series(True, index=index)
    which = pd.Series("", index=index, dtype=object)
    relied: list[pd.Series] = []
    lacking: list[pd.Series] = []
    for ex in ids:
        ok = pd.Series(True, index=index)
        labels_ok: list[pd.Series] = []
        labels_missing: list[pd.Series] = []
        for req in _REQUIREMENTS[ex]:
            mask, label = req(f, com, m)
            mask = mask.fillna(False).astype(bool)
            ok &= mask
            labels_ok.append(pd.Series(np.where(mask, label, ""), index=index, dtype=object))
            labels_missing.append(pd.Series(np.where(mask, "", label), index=index, dtype=object))
        newly = ok & ~met_any
        which = which.mask(newly, ex)
        met_any |= ok
        met_all &= ok
        used = join_nonempty(labels_ok, ", ", index)
        miss = join_nonempty(labels_missing, ", ", index)
        desc = EXEMPTION_TEXT[ex]
        relied.append(
            pd.Series(np.where(ok, desc + " relied on: " + used, ""), index=index, dtype=object)
        )
        need = desc + " requires " + miss + ", which the row does not show"
        lacking.append(pd.Series(np.where(ok, "", need), index=index, dtype=object))
    met = met_all if all_of else met_any
    relied_text = join_nonempty(relied, "; ", index)
    lacking_text = join_nonempty(lacking, "; ", index)
    text = pd.Series(np.where(met, relied_text, lacking_text), index=index, dtype=object)
    return Outcome(met, which, text)
