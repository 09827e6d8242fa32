"""The judged relevance set (tests/relevance_judgements.py) over the demo data: each query's expected
records are in its first three results; and name matches rank above mentions."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from kb.search.relevance import judge
from models import User
from tests.relevance_judgements import JUDGEMENTS
from tests.test_demo import demo_app, demo_template  # noqa: F401 — fixtures


def test_the_judged_set_is_big_and_varied():
    assert len(JUDGEMENTS) >= 40
    assert {kind.split()[0] for kind, _, _ in JUDGEMENTS} >= {"alias", "name", "pinyin", "person", "topic"}


@pytest.fixture
def judged(demo_app):
    with demo_app.test_request_context():
        from kb.db import session
        admin = session.scalar(select(User).where(User.email == "admin@demo.kb"))
        return judge(session, admin, JUDGEMENTS)


def test_every_judged_query_has_its_records_in_the_top_three(judged):
    misses = [(j.query, j.expected, j.top) for j in judged if not j.ok]
    assert not misses, f"{len(judged) - len(misses)} of {len(judged)} in top 3; misses: {misses}"



NAME_KINDS = ("alias", "name", "pinyin", "person")


def test_typing_a_name_shows_the_account_or_person_first(judged):
    named = [j for j in judged if j.kind.split()[0] in NAME_KINDS]
    assert len(named) >= 30
    wrong = [(j.query, j.expected[0], j.top[:1]) for j in named if j.top[:1] != j.expected[:1]]
    assert not wrong


def test_a_name_ranks_above_notes_that_mention_it_often(app, create_user, create_account, create_stakeholder,
                                                       create_interaction):
    from tests.search_support import find
    admin = create_user(role="admin")
    account = create_account(name="星河数据科技有限公司", aliases=["星河数据", "XHDT"], name_en="Xinghe Data")
    person = create_stakeholder(account, name="司马青")
    for n in range(4):
        create_interaction(account, title=f"星河数据 司马青 第{n}次拜访",
                           summary="星河数据 司马青 " * 10 + "XHDT Xinghe Data " * 5)
    for query, first in [("星河数据", f"account:{account.id}"), ("XHDT", f"account:{account.id}"),
                         ("Xinghe Data", f"account:{account.id}"), ("xhsj", f"account:{account.id}"),
                         ("司马青", f"stakeholder:{person.id}"), ("simaqing", f"stakeholder:{person.id}")]:
        found = find(app, query, admin)
        assert found.hits and found.hits[0].key == first, (query, [h.key for h in found.hits])
