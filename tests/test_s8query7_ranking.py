"""Ranking (issue 7 of session 8): a name's pinyin typed syllable by syllable, or its initials, shows the
named record first; hits of equal score keep one meaningful order (newer first) whatever order the index
wrote them in. (`hua dong yi dong` on the demo data: tests/relevance_judgements.py.)"""
from __future__ import annotations

from datetime import date

import pytest

from kb.search.pinyin import whole_pinyin
from models import Interaction, UserRole
from tests.search_support import find


@pytest.fixture
def admin(create_user):
    return create_user(role=UserRole.ADMIN, name="管理员")


@pytest.mark.parametrize("typed", ["xing he shu ju", "xinghe shuju", "xinghe shu ju", "xhsj", "XHSJ"])
def test_a_name_said_syllable_by_syllable_shows_that_account_first(app, admin, create_account, typed):
    branch = create_account(name="星河数据苏州分公司", aliases=["星河苏州"])
    named = create_account(name="星河数据")  # made later: the tie order alone would put it first
    other = create_account(name="星河数据研究院")
    found = find(app, typed, admin)
    assert [h.key for h in found.hits][:1] == [f"account:{named.id}"]
    assert {f"account:{branch.id}", f"account:{other.id}"} <= {h.key for h in found.hits}


@pytest.mark.parametrize("typed", ["zeng zhi qiang", "zzq", "ceng zhi qiang"])
def test_a_person_said_syllable_by_syllable_comes_before_the_notes_naming_them(app, admin, create_account,
                                                                              create_stakeholder,
                                                                              create_interaction, typed):
    account = create_account(name="星河数据")
    person = create_stakeholder(account, name="曾志强")
    create_stakeholder(account, name="曾志强森")
    for n in range(3):
        create_interaction(account, title=f"曾志强 第{n}次", summary="曾志强 zeng zhi qiang " * 5)
    assert find(app, typed, admin).hits[0].key == f"stakeholder:{person.id}"


def test_whole_pinyin_is_the_name_only():
    assert whole_pinyin("华东移动通信有限公司") == ("huadongyidongtongxinyouxiangongsi", "huadongyidongtongxin",
                                                  "hdydtxyxgs", "hdydtx")
    assert whole_pinyin("沈涛", person=True) == ("shentao",)  # two initials (st) are not a name's key
    assert whole_pinyin("ECMC") == ()


# -- equal scores ------------------------------------------------------------------------------------------
@pytest.fixture
def twins(app, create_account, create_interaction):
    """Three visits with the same text (equal scores); the first is then moved to a later day, so the index
    rewrites it after the others (its document number becomes the highest)."""
    account = create_account(name="锦程物流")
    made = [create_interaction(account, title="同分拜访", summary="讨论冷链仓储扩容。", occurred_on=date(2026, 10, 1))
            for _ in range(3)]
    with app.app_context():
        from kb.db import session
        session.get(Interaction, made[0].id).occurred_on = date(2026, 10, 9)
        session.commit()
    return [f"interaction:{i.id}" for i in made]


def _order(app, user, **params):
    found = find(app, "冷链仓储", user, **params)
    assert len({h.score for h in found.hits}) == 1  # all tied
    return [h.key for h in found.hits]


def test_equal_scores_show_newer_first_then_higher_id_before_and_after_a_reindex(app, runner, admin, twins):
    first, second, third = twins
    expected = [first, third, second]  # first: the later day; then the newer record
    assert _order(app, admin) == expected
    assert runner.invoke(args=["kb", "reindex"]).exit_code == 0  # writes them in id order
    assert _order(app, admin) == expected


def test_equal_scores_keep_their_order_across_pages(app, runner, admin, twins):
    pages = [_order(app, admin, per_page=1, page=n)[0] for n in (1, 2, 3)]
    assert pages == [twins[0], twins[2], twins[1]]


def test_the_api_gives_equal_scores_in_the_same_order(app, client, login_as, admin, twins):
    login_as(admin)
    body = client.get("/api/v1/search", query_string={"q": "冷链仓储"}).get_json()
    assert [f"interaction:{r['id']}" for r in body["results"]] == [twins[0], twins[2], twins[1]]
