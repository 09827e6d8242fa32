"""`?` inside a word is one character, as the "too broad" message presents it; a `?` ending a word is a
question mark (issue 7, session 10, tester's defect 5)."""
from __future__ import annotations

import pytest

from kb.search.query import parse_user_query
from tests.api_support import world  # noqa: F401 — fixture
from tests.search_support import find


@pytest.fixture
def visits(app, world, create_interaction):
    strategy = create_interaction(world.account, summary="Our cloud strategy for 2027 with 华为")
    other = create_interaction(world.account, summary="Stratus network review")
    return {"strategy": strategy.id, "other": other.id}


def _found(app, q, user, visits) -> set[str]:
    outcome = find(app, q, user, types=("interaction",), per_page=100)
    ids = {hit.id for hit in outcome.hits}
    return {name for name, i in visits.items() if i in ids}


@pytest.mark.parametrize("q, expected", [
    ("str?tegy", {"strategy"}), ("stra?egy", {"strategy"}), ("STR?TEGY", {"strategy"}),
    ("str?tegy cloud", {"strategy"}), ("stra?us", {"other"}), ("str?xyz", set()),
    ("strategy?", {"strategy"}), ("华为？", {"strategy"}), ("华为?", {"strategy"}),
    ("cloud? strategy", {"strategy"}),
])
def test_a_question_mark_in_a_word_is_one_character(app, world, visits, q, expected):
    assert _found(app, q, world.viewer, visits) == expected


def test_the_api_finds_the_same(client, world, visits):
    body = world.api(client, "viewer").get("/search", query_string={"q": "str?tegy", "type": "interaction"})
    body = body.get_json()
    assert [r["id"] for r in body["results"]] == [visits["strategy"]] and body["message"] is None


@pytest.mark.parametrize("q", ["s?rategy", "?trategy"])
def test_one_letter_before_a_question_mark_is_too_broad(q):
    parsed = parse_user_query(q)
    assert parsed.query is None and "too broad" in parsed.message
