"""Did-you-mean on operator-like words (issue 7 §4, session 10): `not`, `the`, `and`, `or`, `near` typed
alone are what the user meant — no suggestion such as "net" — while a real misspelling (`stratgy`) is still
corrected (kb/search/suggestions.py: stop words, query keywords and words under four letters are never
corrected, and a stop word is never offered)."""
from __future__ import annotations

import pytest

from kb.search.suggestions import may_be_misspelt
from models import UserRole
from tests.search_support import find


@pytest.fixture
def viewer(create_user, create_account, create_interaction):
    account = create_account(name="网络客户", name_en="", region="", industry="")
    for summary in ["net gains on the network", "the strategy review", "a neat end to the year", "then and now"]:
        create_interaction(account, title="纪要", summary=summary)
    return create_user(role=UserRole.VIEWER)


@pytest.mark.parametrize("q", ["not", "NOT", "nor", "and", "or", "near", "NEAR", "the", "teh", "ned", "thes",
                               "with", "witj"])
def test_no_suggestion_for_operator_like_or_short_words(app, viewer, q):
    outcome = find(app, q, viewer)
    assert outcome.suggestion is None, (q, outcome.suggestion)


@pytest.mark.parametrize("q, suggestion", [("stratgy", "strategy"), ("netwrok", "network"),
                                           ("the stratgy", "the strategy"), ("stratgy review", "strategy review")])
def test_a_real_misspelling_is_still_corrected(app, viewer, q, suggestion):
    assert find(app, q, viewer).suggestion == suggestion


@pytest.mark.parametrize("word, expected", [("not", False), ("the", False), ("and", False), ("Near", False),
                                            ("with", False), ("net", False), ("stratgy", True), ("neil", True)])
def test_which_words_may_be_misspelt(word, expected):
    assert may_be_misspelt(word) is expected
