"""Punctuation typed between words separates them as a space does (the tester's D2 of session 7): with a
Chinese input method people type “客户，战略” or “客户、战略”; those searched as one phrase and found nothing."""
from __future__ import annotations

import pytest

from kb.search.query import ime_to_ascii
from models import UserRole
from tests.search_support import find, keys


@pytest.fixture
def admin(create_user, login_as):
    user = create_user(role=UserRole.ADMIN, name="管理员")
    login_as(user)
    return user


@pytest.fixture
def visits(create_account, create_interaction):
    account = create_account(name="华东移动")
    apart = create_interaction(account, title="年度复盘", summary="客户的战略是降本增效，明年重点是云网融合。")
    together = create_interaction(account, title="务虚会", summary="讨论了客户战略与组织调整。")
    neither = create_interaction(account, title="例会", summary="只谈了交付计划。")
    return {"apart": f"interaction:{apart.id}", "together": f"interaction:{together.id}",
            "neither": f"interaction:{neither.id}"}


@pytest.mark.parametrize("typed", ["客户，战略", "客户、战略", "客户。战略", "客户；战略", "客户,战略", "客户;战略",
                                   "客户!战略", "客户！战略", "客户 ， 战略", "客户，，战略"])
def test_words_joined_by_punctuation_are_two_words(app, admin, visits, typed):
    spaced = find(app, "客户 战略", admin)
    outcome = find(app, typed, admin)
    assert keys(outcome) == keys(spaced) == {visits["apart"], visits["together"]}
    assert outcome.total == 2


def test_a_quoted_phrase_keeps_its_punctuation(app, admin, visits):
    # in quotes the words must stand together: only the visit with 客户战略 adjacent ... and never the other
    assert visits["apart"] not in keys(find(app, '"客户，战略"', admin))
    assert keys(find(app, '"客户战略"', admin)) == {visits["together"]}


def test_a_question_mark_after_chinese_is_punctuation(app, admin, visits):
    assert keys(find(app, "客户战略？", admin)) == keys(find(app, "客户战略", admin)) == {visits["together"]}


@pytest.mark.parametrize("typed, expected", [
    ("客户，战略", "客户 战略"),
    ("1,000 元", "1,000 元"),                  # a comma inside a number stays
    ("S/4HANA 1.5", "S/4HANA 1.5"),            # product names and decimals stay whole
    ("example.com", "example.com"),
    ("what?", "what?"),                        # `?` between Latin letters stays a wildcard
    ("战略？", "战略 "),
    ('"客户，战略"', '"客户,战略"'),            # inside quotes: kept (only made ASCII)
    ("type：account 客户、战略", "type:account 客户 战略"),
    ("138-0013-8000，客户", "13800138000 客户"),
])
def test_ime_to_ascii_separates_words_only_where_people_mean_it(typed, expected):
    assert ime_to_ascii(typed) == expected
