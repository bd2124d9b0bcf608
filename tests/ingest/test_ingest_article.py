from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tumen.data as td
from tumen.errors import DataError
from tumen.ingest import MAX_BYTES, MAX_CHARS, ingest, read_article
from tumen.ingest._boilerplate import clean_lines, is_boilerplate

HELDOUT = Path(__file__).resolve().parent / "fixtures" / "heldout"


@pytest.mark.parametrize(
    "line",
    [
        "subscribe Support our award-winning journalism. The Premium package (digital only) is "
        "R30 for the first month and thereafter you pay R129 p/m now ad-free for all subscribers.",
        "Subscribe now",
        "Would you like to comment on this article?",
        "Sign up (it's quick and free) or sign in now.",
        "Please read our Comment Policy before commenting.",
        "Sign up to read this article",
        "Already a member? Sign in here",
        "Related Stories",
        "Top stories on inkl right now",
        "One subscription that gives you access to news from hundreds of sites",
        "Leave a Reply",
        "This site uses Akismet to reduce spam. Learn how your comment data is processed.",
        "By | June 27, 2022 | No Comments",
        "Oleg Kozhemyako and Ji Kyong-su in Pyongyang, December 13 2023. Picture: KCNA/REUTERS",
    ],
)
def test_seed_boilerplate_is_dropped(line: str) -> None:
    assert is_boilerplate(line) or clean_lines([line])[0] == []


def test_reporting_and_list_items_are_kept() -> None:
    lines = [
        "North Korean and Russian officials discuss economic ties as Seoul raises labor export "
        "concerns",
        "ASSOCIATED PRESS",
        "Senior North Korean economic officials met with the governor of a Russian region.",
        "- Treaty about comprehensive strategic partnership, 2024",
        "Senior North Korean economic officials met with the governor of a Russian region.",
    ]
    kept, heading = clean_lines(lines)
    assert heading.startswith("North Korean and Russian officials")
    assert kept == [lines[2], lines[3]]


def test_html_main_text_without_scripts_or_furniture() -> None:
    article = read_article(HELDOUT / "h2_road_bridge.html")
    assert article.title == "Work starts on the Tumen River road bridge"
    assert article.date == date(2025, 5, 1)
    text = article.text
    assert text.startswith("Construction of the first road bridge")
    for gone in ("alert", "Injected", "Sign up", "Related", "comment policy", "Home |", "©"):
        assert gone not in text


def test_text_header_date_and_title() -> None:
    article = read_article(HELDOUT / "h1_freight_train.txt")
    assert article.date == date(2022, 11, 4)
    assert article.title.startswith("Horses cross the Tumen")
    assert not any("newsletter" in line or "Related" in line for line in article.lines)


def test_given_date_wins(tmp_path: Path) -> None:
    assert read_article(HELDOUT / "h1_freight_train.txt", date(2022, 11, 5)).date == date(
        2022, 11, 5
    )


@pytest.mark.parametrize("encoding", ["utf-16", "cp1251", "latin-1", "utf-8-sig"])
def test_encodings(tmp_path: Path, encoding: str) -> None:
    body = "Rail freight resumed at Khasan in Nov. 2022 with 30 horses."
    if encoding == "cp1251":
        body += " Хасан — Туманган, грузовой поезд."
    if encoding == "latin-1":
        body += " Caf\u00e9 r\u00e9sum\u00e9 na\u00efve."
    path = tmp_path / "a.txt"
    path.write_bytes(body.encode(encoding))
    assert read_article(path).lines[0].startswith("Rail freight resumed at Khasan")


def test_invisible_characters_are_removed(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Rail freight resumed at Kha\u200bsan\u202e in Nov. 2022.\x07", "utf-8")
    assert read_article(path).lines == ("Rail freight resumed at Khasan in Nov. 2022.",)


def test_binary_file_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 20)
    with pytest.raises(DataError) as info:
        read_article(path)
    assert str(info.value) == f"{path}: expected a text or HTML article, got 'binary data'"


def test_missing_and_oversized_files(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="expected a readable article file"):
        read_article(tmp_path / "absent.txt")
    with pytest.raises(DataError, match="expected an article of at most"):
        read_article(tmp_path / "big.txt", raw=b"a" * (MAX_BYTES + 1))
    with pytest.raises(DataError, match="characters of text"):
        read_article(tmp_path / "long.txt", raw=b"Khasan " * (MAX_CHARS // 7 + 1))


def test_many_bad_files_reported_at_once(tmp_path: Path, dataset: td.Dataset) -> None:
    a, b = tmp_path / "a.bin", tmp_path / "b.bin"
    a.write_bytes(b"\x00\x01\x02" * 100)
    b.write_bytes(b"\x00\x03\x04" * 100)
    with pytest.raises(DataError) as info:
        ingest([a, b], dataset=dataset)
    assert [p.file for p in info.value.problems] == [str(a), str(b)]


def test_malformed_and_hostile_html_gives_a_clean_result(
    tmp_path: Path, dataset: td.Dataset
) -> None:
    page = (
        b"<html><head><script>while(1){}</script></head><body><div><p>Rail freight "
        b"resumed at Khasan on 2 November 2022 with 30 horses.<div><span><b><i>"
        + b"<div>" * 20000
        + b"<p>unclosed <a href='javascript:alert(1)'>x</a><!-- <script> -->"
        + b"\xff\xfe broken bytes"
    )
    path = tmp_path / "page.html"
    path.write_bytes(page)
    result = ingest([path], dataset=dataset)
    for p in result.proposals:
        for s in p.sources:
            assert "<script" not in s.sentence and "alert" not in s.sentence


_HTMLISH = st.lists(
    st.sampled_from(
        ["<p>", "</p>", "<div>", "<script>", "</script>", "<!--", "-->", "<", ">", "&amp;",
         "&#x0;", "\x00", "\ufffd", " resumed in Nov. 2022 ", " Khasan ", " 30 horses ",
         "Subscribe now", "\n", ". ", "<html>", "<body>", "<?xml?>", "\u202e", "on Sunday"]
    ),
    max_size=60,
).map("".join)  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    raw=st.one_of(st.binary(max_size=2000), _HTMLISH.map(lambda s: s.encode("utf-8", "replace")))
)
def test_hostile_input_never_crashes(tmp_path: Path, dataset: td.Dataset, raw: bytes) -> None:
    path = tmp_path / "hostile.html"
    path.write_bytes(raw)
    try:
        result = ingest([path], date(2023, 12, 13), dataset=dataset)
    except DataError as exc:
        assert "\n" not in str(exc)
        return
    for p in result.proposals:
        assert p.sources and p.kind
