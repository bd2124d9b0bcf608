from __future__ import annotations

from datetime import date

import pytest

from tumen.ingest import find_dates

WED = date(2023, 12, 13)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("trade resumed in Nov. 2022 with a rail shipment", date(2022, 11, 1), "month"),
        ("in Pyongyang, December 13 2023. Picture", date(2023, 12, 13), "day"),
        ("Interfax, June 24, 2022", date(2022, 6, 24), "day"),
        ("report of 24 Jun 2022 on rail", date(2022, 6, 24), "day"),
        ("In February, 2000, a new treaty", date(2000, 2, 1), "month"),
        ("the line opened on 2013-09-22", date(2013, 9, 22), "day"),
        ("In 2008-2014, basing on Russian funds", date(2008, 1, 1), "year"),
        ("Agreement on electric power, 2015;", date(2015, 1, 1), "year"),
    ],
)
def test_absolute_dates(text: str, value: date, precision: str) -> None:
    found = find_dates(text)
    assert [(m.value, m.precision, m.relative) for m in found] == [(value, precision, False)]


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("KCNA reported on Wednesday", date(2023, 12, 13), "day"),
        ("state media said Wednesday.", date(2023, 12, 13), "day"),
        ("the agency said on Tuesday", date(2023, 12, 12), "day"),
        ("announced the scheme on Sunday", date(2023, 12, 10), "day"),
        ("during a videoconference last Thursday", date(2023, 12, 7), "day"),
        ("met Kozlov last month", date(2023, 11, 1), "month"),
        ("In November, the governor told Tass", date(2023, 11, 1), "month"),
        ("In April, the governor called on", date(2023, 4, 1), "month"),
        ("the war in Ukraine last year", date(2022, 1, 1), "year"),
        ("since earlier this year", date(2023, 1, 1), "year"),
        ("on December 1", date(2023, 12, 1), "day"),
    ],
)
def test_relative_dates_resolve_against_the_article_date(
    text: str, value: date, precision: str
) -> None:
    (mention,) = find_dates(text, WED)
    assert (mention.value, mention.precision, mention.relative) == (value, precision, True)


def test_a_later_month_than_the_article_is_last_year() -> None:
    (mention,) = find_dates("In October, a delegation visited", date(2024, 3, 1))
    assert mention.value == date(2023, 10, 1)


def test_relative_dates_without_an_article_date_are_unresolved() -> None:
    (mention,) = find_dates("announced the scheme on Sunday")
    assert mention.value is None and mention.relative


@pytest.mark.parametrize(
    "text",
    [
        "U.N. Security Council Resolution 2397 bans",
        "up to 2,019 tons a year",
        "a 10-mile (17-km) border",
        "the COVID-19 outbreak",
        "the 1990s were hard",
        "May the talks succeed",
        "Sunday markets were busy",
    ],
)
def test_numbers_and_words_that_are_not_dates(text: str) -> None:
    assert find_dates(text, WED) == []


def test_range_records_its_end() -> None:
    (mention,) = find_dates("rebuilt in 2008–2014 with Russian funds")
    assert (mention.value, mention.until) == (date(2008, 1, 1), date(2014, 1, 1))


def test_two_dates_in_one_sentence() -> None:
    found = find_dates("created in 1991, first met in 1996, and last on November 16, 2023.")
    assert [m.value for m in found] == [date(1991, 1, 1), date(1996, 1, 1), date(2023, 11, 16)]
