from __future__ import annotations

import pytest

from tumen.ingest import find_quantities


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("with a rail shipment of 30 horses, the first", [(30.0, "horses")]),
        ("up to 100 million tons. However", [(1e8, "t")]),
        ("Trade turnover amounted to $2.2 billion.", [(2.2e9, "USD")]),
        ("debts on USSR loans (11 billion US dollars)", [(1.1e10, "USD")]),
        ("a 54 km long railway section", [(54.0, "km")]),
        ("53.3% of the DPRK's foreign trade", [(53.3, "%")]),
        ("up to 35 million tons per year", [(3.5e7, "t/yr")]),
        ("300 vehicles and 2,850 people a day", [(300.0, "vehicles"), (2850.0, "people/day")]),
        ("30 Orlov trotter horses", [(30.0, "horses")]),
        ("more than 5.5 bn RUB for the line", [(5.5e9, "RUB")]),
    ],
)
def test_quantities_with_units(text: str, expected: list[tuple[float, str]]) -> None:
    assert [(q.value, q.unit) for q in find_quantities(text)] == expected


@pytest.mark.parametrize(
    "text", ["In 2019, he came", "Resolution 2397 was adopted", "on December 13", "COVID-19"]
)
def test_years_and_bare_numbers_are_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


def test_quantity_keeps_the_words_as_written() -> None:
    (q,) = find_quantities("a rail shipment of 30 horses")
    assert q.text == "30 horses"
