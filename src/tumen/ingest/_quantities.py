"""Find quantities with units: "30 horses", "100 million tons", "$2.2 billion"."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Quantity", "find_quantities"]

_SCALE = {
    "thousand": 1e3,
    "million": 1e6,
    "mln": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
}
_CURRENCY = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "CNY", "₩": "KRW", "₽": "RUB"}
#: Unit words, each with the unit written in the output.
_UNITS = {
    "us dollars": "USD",
    "dollars": "USD",
    "usd": "USD",
    "rubles": "RUB",
    "roubles": "RUB",
    "rub": "RUB",
    "yuan": "CNY",
    "won": "KRW",
    "euros": "EUR",
    "tons": "t",
    "tonnes": "t",
    "ton": "t",
    "tonne": "t",
    "t": "t",
    "mt": "Mt",
    "kt": "kt",
    "teu": "TEU",
    "km": "km",
    "kilometres": "km",
    "kilometers": "km",
    "miles": "mi",
    "mile": "mi",
    "m": "m",
    "metres": "m",
    "meters": "m",
    "%": "%",
    "percent": "%",
    "per cent": "%",
    "horses": "horses",
    "wagons": "wagons",
    "railcars": "railcars",
    "cars": "cars",
    "containers": "containers",
    "vehicles": "vehicles",
    "trucks": "trucks",
    "trains": "trains",
    "passengers": "passengers",
    "people": "people",
    "travellers": "travellers",
    "travelers": "travellers",
    "workers": "workers",
    "visits": "visits",
    "lanes": "lanes",
    "bridges": "bridges",
    "tunnels": "tunnels",
    "voyages": "voyages",
    "flights": "flights",
    "head": "head",
}
_RATE = r"(?P<rate>\s+(?:per|a|an)\s+(?:year|day|week|month|annum)|/(?:yr|year|day))?"
_NUM = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_SCALE_RE = r"(?:\s*(?P<scale>thousand|million|billion|trillion|mln|bn)\b)?"
_UNIT_RE = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
_PATTERN = re.compile(
    rf"(?P<cur>US\$|\$|€|£|¥|₩|₽)?{_NUM}{_SCALE_RE}"
    rf"(?:[\s-]*(?:(?:[a-z]+[\s-]){{0,2}}?)(?P<unit>{_UNIT_RE})(?![a-z]))?{_RATE}",
    re.IGNORECASE,
)
_YEAR = re.compile(r"^(19|20)\d{2}$")


@dataclass(frozen=True)
class Quantity:
    """A number with its unit as stated.

    Attributes
    ----------
    value : float
        The number, with any scale word applied ("100 million" is 1e8).
    unit : str
        Normalised unit (``t``, ``USD``, ``km``, ``horses``, ``%``; a rate appends
        ``/yr`` or ``/day``).
    text : str
        The words as written.
    """

    value: float
    unit: str
    text: str


def find_quantities(sentence: str) -> list[Quantity]:
    """Return the quantities with units that a sentence states.

    Parameters
    ----------
    sentence : str
        One sentence.

    Returns
    -------
    list of Quantity
        In order; bare numbers without a unit (and years) are left out.

    Examples
    --------
    >>> [(q.value, q.unit) for q in find_quantities("a rail shipment of 30 horses")]
    [(30.0, 'horses')]
    >>> [(q.value, q.unit) for q in find_quantities("Trade amounted to $2.2 billion.")]
    [(2200000000.0, 'USD')]
    """
    found: list[Quantity] = []
    for match in _PATTERN.finditer(sentence):
        g = match.groupdict()
        start = match.start()
        glued = start > 0 and (sentence[start - 1].isalnum() or sentence[start - 1] in "-.")
        if glued and not g["cur"]:
            continue
        unit_word = (g["unit"] or "").lower()
        currency = _CURRENCY.get((g["cur"] or "").lower(), "")
        if not unit_word and not currency:
            continue
        if _YEAR.match(g["num"]) and not currency and unit_word in ("", "m", "t"):
            continue
        value = float(g["num"].replace(",", ""))
        if g["scale"]:
            value *= _SCALE[g["scale"].lower()]
        unit = currency or _UNITS[unit_word]
        if currency and unit_word and _UNITS[unit_word] not in ("USD", "RUB", "CNY", "KRW", "EUR"):
            unit = currency
        if g["rate"]:
            rate = g["rate"].strip().lower()
            unit += "/day" if "day" in rate else "/month" if "month" in rate else "/yr"
            if "week" in rate:
                unit = unit.replace("/yr", "/week")
        found.append(Quantity(value, unit, match.group(0).strip()))
    return found
