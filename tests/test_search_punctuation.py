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
    ('"华东 移动"', '("华东 移动" OR "华东移动")'),  # spaced or written together
    ('title:"华东 移动" 5G', 'title:("华东 移动" OR "华东移动") 5G'),
    ('"华东 移动', '"华东 移动'),               # an unclosed quote stays as typed
    ("type：account 客户、战略", "type:account 客户 战略"),
    ("138-0013-8000，客户", "13800138000 客户"),
])
def test_ime_to_ascii_separates_words_only_where_people_mean_it(typed, expected):
    assert ime_to_ascii(typed) == expected


# -- the second tester's D1-D3, D6, D7 (session 7) -----------------------------------------------------------
@pytest.mark.parametrize("typed", ['"客户 战略"', '"客户  战略"', '"客户战略"'])
def test_a_quoted_phrase_with_spaces_between_chinese_words_is_the_words_together(app, admin, visits, typed):
    assert keys(find(app, typed, admin)) == {visits["together"]}


@pytest.mark.parametrize("typed", ["客户-战略", "客户/战略", "客户 - 战略", "客户—战略", "客户－战略"])
def test_a_hyphen_or_slash_between_chinese_words_separates_them(app, admin, visits, typed):
    assert keys(find(app, typed, admin)) == {visits["apart"], visits["together"]}


def test_invisible_characters_in_text_and_query_do_not_split_words(app, admin, create_account,
                                                                    create_interaction):
    account = create_account(name="云岭广电")
    pasted = create_interaction(account, title="周会", summary="讨论融\u200b合\u00ad通信的试点。")
    for typed in ("融合通信", "融合", "融\u200b合通信", "融\ufeff合", "融\u00ad合通信"):
        assert f"interaction:{pasted.id}" in keys(find(app, typed, admin)), typed


def test_textnorm_drops_invisible_characters_and_keeps_offsets():
    from kb import textnorm
    text = "融\u200b合\u00ad通信\u200d"
    assert textnorm.normalize(text) == "融合通信"
    out, offsets = textnorm.normalize_with_offsets(text)
    assert out == "融合通信" and offsets == [0, 2, 4, 5]  # each character points at its source
    assert textnorm.normalize(textnorm.normalize(text)) == textnorm.normalize(text)


def test_the_help_offers_private_notes_only_to_readers_who_may_find_them(app, client, create_user, login_as):
    login_as(create_user(role=UserRole.VIEWER))
    viewer_page = client.get("/search").get_data(as_text=True)
    assert "type:account" in viewer_page and "type:stakeholder_note" not in viewer_page
    login_as(create_user(role=UserRole.ADMIN))
    assert "type:stakeholder_note" in client.get("/search").get_data(as_text=True)


def test_the_search_boxes_stop_where_a_chinese_query_still_fits_the_request_line(app, client, admin):
    # 400 Chinese characters are 3,600 bytes URL-encoded: under gunicorn's 4,094-byte request line (a longer
    # query answered a raw 414 page); the server shortens anything over 200 with a message.
    page = client.get("/search").get_data(as_text=True)
    assert page.count('maxlength="200"') == 2  # the limit the server applies (kb.search.query.MAX_QUERY_LENGTH)
