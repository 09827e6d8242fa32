"""Issue 7 §1, session 11 (a tester's report): a landline written after +86 with the trunk 0 in brackets, as
business cards print it (`+86 (0)755 8888 1234`), is the same number as `0755-8888-1234` and
`+86 755 8888 1234`: typed, it finds a note or a stakeholder's phone written any of those ways, and a text
holding it is found by them (kb.search.wordforms: `_TRUNK`; index SCHEMA_VERSION 13). A stakeholder's phone
stays team-only.
"""
from __future__ import annotations

import pytest

from kb.search.wordforms import phone_digits_in_query, phone_numbers
from tests.api_support import world  # noqa: F401 — fixture
from tests.search_support import find, keys

TEXTS = {"area": "座机 0755-8888-1234", "abroad": "座机 +86 755 8888 1234", "trunk": "座机 +86 (0)755 8888 1234",
         "beijing": "座机 +86 (0)10 8888 1234", "mobile": "手机 +86 (0)138 0013 8000"}
SHENZHEN = {"area", "abroad", "trunk"}


@pytest.fixture
def notes(world, create_interaction) -> dict[str, str]:
    return {name: f"interaction:{create_interaction(world.account, title=f'联系方式{name}', summary=text).id}"
            for name, text in TEXTS.items()}


@pytest.mark.parametrize("typed, expected", [
    ("+86 (0)755 8888 1234", SHENZHEN),  # the tester's example
    ("+86(0)755-8888-1234", SHENZHEN), ("+86 (0) 755 8888 1234", SHENZHEN), ("0086 (0)755 88881234", SHENZHEN),
    ("＋86（0）755 8888 1234", SHENZHEN),  # full-width, as an input method types it
    ("0755-8888-1234", SHENZHEN), ("+86 755 8888 1234", SHENZHEN),  # the text written with (0) is found too
    ("+86 (0)10 8888 1234", {"beijing"}), ("010-8888-1234", {"beijing"}),
    ("13800138000", {"mobile"}), ("+86 (0)138 0013 8000", {"mobile"}),  # (a mobile has no trunk: still found)
    ("+86 (0)755 8888 1235", set()),
])
def test_search_finds_the_number_with_the_trunk_in_brackets(app, world, notes, typed, expected):
    outcome = find(app, typed, world.viewer)
    assert keys(outcome) == {notes[n] for n in expected}
    assert outcome.message is None


def test_the_search_page_and_api_find_it(client, login_as, world, notes):
    body = world.api(client, "viewer").get("/search", query_string={"q": "+86 (0)755 8888 1234",
                                                                    "per_page": 50}).get_json()
    assert {item["title"] for item in body["results"]} == {f"联系方式{n}" for n in SHENZHEN}
    login_as(world.viewer)
    html = client.get("/search", query_string={"q": "+86 (0)755 8888 1234"}).get_data(as_text=True)
    assert all(f"联系方式{n}" in html for n in SHENZHEN) and "联系方式beijing" not in html


def test_a_stakeholders_phone_is_found_by_the_team_only(app, world, create_stakeholder):
    person = create_stakeholder(world.account, name="钟启明", phone="0755-8888-1234")
    note = f"stakeholder_note:{person.id}"
    assert note in keys(find(app, "+86 (0)755 8888 1234", world.seated))
    assert note not in keys(find(app, "+86 (0)755 8888 1234", world.viewer))


@pytest.mark.parametrize("typed, digits", [
    ("+86 (0)755 8888 1234", "075588881234"), ("+86(0)10-8888-6666", "01088886666"),
    ("+86 (0)138 0013 8000", "13800138000"), ("(0)755 8888 1234", "(0)755 8888 1234"),  # (no +86: no number)
])
def test_the_query_rule(typed, digits):
    assert phone_digits_in_query(typed) == digits


def test_the_text_rule():
    assert [f for _s, _e, f in phone_numbers("座机 +86 (0)755 8888 1234")] == [("075588881234", "88881234")]
