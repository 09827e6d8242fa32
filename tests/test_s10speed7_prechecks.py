"""Issue 7 §7, session 10: each query-rewriting step is skipped when its trigger characters are absent (a
plain word such as `zgyd` is parsed without a dozen regex passes); here, for each step that skips, a query
*with* its trigger: what it finds and what it says are what the step makes of it."""
from __future__ import annotations

import pytest

from kb.search.query import parse_user_query
from tests.api_support import world  # noqa: F401 — fixture
from tests.search_support import find
from tests.test_s8filt7_list_pinyin import found_by_search, named_accounts

EAST, SUZHOU, LOGI = "华东移动通信有限公司", "华东移动苏州分公司", "华东物流"


@pytest.fixture
def named(app, world, create_account):
    rows = [
        (EAST, "East China Mobile Communications Co., Ltd.", ["ECMC"]),
        (SUZHOU, "ECMC Suzhou Branch", []),
        (LOGI, "EastChina Logistics", []),
    ]
    return named_accounts(app, world, create_account, rows)


CASES = [
    # plain words of ASCII letters (every step skipped); a lower-case `or` between words is OR (kb.search.queryops)
    ("Suzhou", {SUZHOU}), ("ecmc", {EAST, SUZHOU}), ("ecmc or logistics", {EAST, SUZHOU, LOGI}),
    # operators (trim_operators, single_operators): AND, OR, NOT in capitals
    ("ECMC AND Suzhou", {SUZHOU}), ("ECMC OR Logistics", {EAST, SUZHOU, LOGI}), ("ECMC NOT Suzhou", {EAST}),
    ("ECMC OR OR Logistics", {EAST, SUZHOU, LOGI}), ("Suzhou AND", {SUZHOU}), ("OR Logistics", {LOGI}),
    # parentheses (balance_parentheses)
    ("(ECMC OR Logistics", {EAST, SUZHOU, LOGI}), ("Suzhou)", {SUZHOU}),
    # a field prefix (expand_lists, fold_fields) and types (merge_types)
    ("ECMC type:account,plan", {EAST, SUZHOU}), ("ECMC type:account，plan", {EAST, SUZHOU}),
    ("ECMC TYPE:account", {EAST, SUZHOU}), ("name:Suzhou", {SUZHOU}),
    ("ECMC type:account type:plan", {EAST, SUZHOU}), ("ECMC type:plan", set()),
    # a wildcard (short_glued_prefixes) and a prefix
    ("华东移动E*", {EAST, SUZHOU}), ("Suzh*", {SUZHOU}),
    # separators between ASCII words (, ;) and after Chinese (。-)
    ("ECMC,Suzhou", {SUZHOU}), ("Suzhou;ECMC", {SUZHOU}), ("华东。物流", {LOGI}), ("华东-物流", {LOGI}),
    # other than ASCII: IME quotes, full-width letters, an invisible character, a dash between letters
    ("“ECMC Suzhou”", {SUZHOU}), ("‘Suzhou ECMC’", set()), ("ＥＣＭＣ", {EAST, SUZHOU}),
    ("Suz\u200bhou", {SUZHOU}), ("China–East", {EAST}),
    # Latin and Chinese typed together (split_scripts)
    ("移动ECMC", {EAST, SUZHOU}),
]


@pytest.mark.parametrize("q, expected", CASES)
def test_each_step_applies_when_its_trigger_is_typed(app, world, named, q, expected):
    assert found_by_search(app, q, world.viewer, named) == expected


@pytest.mark.parametrize("typed, searched", [
    ("zgyd", "zgyd"), ("  zgyd  ", "zgyd"),
    ("138-0013-8000", "13800138000"), ("138 0013 8000", "13800138000"), ("+86 138 0013 8000", "13800138000"),
    ("(010) 8888-6666", "01088886666"), ("p?id=7&lang=zh", '"p?id=7&lang=zh"'), ("700 M", "700M"),
    ("Wi-Fi 6", "Wi-Fi6"), ("C++-ZS", "ZS-C++"), ("ECMC,Suzhou", "ECMC Suzhou"),
    ("ECMC OR OR Suzhou", "ECMC OR Suzhou"),
    ("TITLE:ECMC", "title:ECMC"), ("type:account,plan", "(type:account OR type:plan)"), ("(ECMC", "(ECMC)"),
])
def test_what_is_searched(typed, searched):
    assert parse_user_query(typed).text == searched


@pytest.mark.parametrize("q, says", [
    ("ECMC type:account type:plan", "type:account, type:plan"), ("ECMC type:acount", "acount"),
    ("华东移动E*", "E*"), ("Suzhou AND", "AND"), ("name:Suzhou", "name:"),
])
def test_what_the_steps_say(app, world, named, q, says):
    outcome = find(app, q, world.viewer, types=("account",))
    assert outcome.message and says in outcome.message


def test_a_plain_word_says_nothing(app, world, named):
    assert find(app, "zgyd", world.viewer).message is None
