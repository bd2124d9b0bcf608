"""Escaping and the page builder: data can never become markup or script."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tumen.report import (
    DATA_ELEMENT_ID,
    Section,
    asset_text,
    escape_attr,
    escape_text,
    json_for_script,
    render_page,
)

NASTY = '</script><script>alert("x")</script><!-- \u2028\u2029 & <img onerror=alert(1)>'


def test_json_for_script_has_no_markup_characters_and_round_trips() -> None:
    text = json_for_script({"title": NASTY, "n": 1.5, "nan": float("nan")})
    for char in "<>&\u2028\u2029":
        assert char not in text
    assert json.loads(text) == {"title": NASTY, "n": 1.5, "nan": None}


@given(st.text())
def test_json_for_script_round_trips_any_text(value: str) -> None:
    text = json_for_script([value])
    assert not re.search("[<>&\u2028\u2029]", text)
    assert json.loads(text) == [value]


def test_escape_text_and_attr() -> None:
    assert escape_text('<b a="1">&') == "&lt;b a=&quot;1&quot;&gt;&amp;"
    assert escape_attr("\" onload='x'") == "&quot; onload=&#x27;x&#x27;"


def test_render_page_escapes_title_and_embeds_data_once() -> None:
    page = render_page(NASTY, [Section("one", NASTY, NASTY)], {"t": NASTY}, ["core.js"])
    assert page.count("<script") == 2  # the JSON data and core.js; nothing from the text
    assert "<img" not in page
    match = re.search(
        rf'<script type="application/json" id="{DATA_ELEMENT_ID}">(.*?)</script>', page, re.S
    )
    assert match is not None
    assert json.loads(match.group(1)) == {"t": NASTY}
    assert 'http-equiv="Content-Security-Policy"' in page
    assert "default-src &#x27;none&#x27;" in page


def test_section_ids_are_checked() -> None:
    with pytest.raises(ValueError, match="section id"):
        Section('x" onclick="y', "t")


@pytest.mark.parametrize("name", ["core.js", "charts.js", "map.js", "report.js"])
def test_packaged_scripts_never_parse_text_as_markup(name: str) -> None:
    code = asset_text(name)
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in code, f"{name} uses {sink}"
    assert "http://" not in code.replace('"http://www.w3.org/2000/svg"', "")
