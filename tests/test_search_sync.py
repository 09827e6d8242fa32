"""The index never disagrees with the database for long: every committed write is findable by the next
search, rolled-back writes never are, and a failed, lost or stale index heals from the outbox."""
from __future__ import annotations

import shutil
import time
from datetime import date

import pytest
from sqlalchemy import func, select

from kb.search import SearchIndex
from models import Account, AccountPlan, IndexEvent, Interaction, InteractionKind, Stakeholder, UserRole

from .search_support import find, keys


@pytest.fixture
def admin(create_user):
    return create_user(role=UserRole.ADMIN)


def _events(app) -> int:
    with app.app_context():
        from kb.db import session

        return session.scalar(select(func.count()).select_from(IndexEvent))


def test_committed_edit_is_found_by_the_next_search(app, admin, create_account, create_plan):
    account = create_account(name="远景能源")
    plan = create_plan(account, strategy="风电整机")
    assert f"plan:{plan.id}" in keys(find(app, "风电", admin))
    with app.app_context():
        from kb.db import session

        session.get(AccountPlan, plan.id).strategy = "储能电站"
        session.commit()
    assert f"plan:{plan.id}" in keys(find(app, "储能", admin))
    assert find(app, "风电", admin).total == 0


def test_rolled_back_transaction_indexes_nothing(app, admin, create_account):
    account = create_account(name="远景能源")
    before = _events(app)
    with app.app_context():
        from kb.db import session

        session.add(Interaction(account_id=account.id, occurred_on=date(2026, 5, 1), kind=InteractionKind.CALL,
                                title="幽灵记录", summary="phantom"))
        session.get(Account, account.id).name = "幽灵客户"
        session.flush()  # the documents are built and the outbox rows written here...
        session.rollback()  # ...and all of it is undone here
    assert _events(app) == before
    assert find(app, "幽灵", admin).total == 0
    assert find(app, "phantom", admin).total == 0
    assert f"account:{account.id}" in keys(find(app, "远景能源", admin))


def test_autoflushed_then_committed_object_is_found(app, admin, create_account):
    account = create_account()
    with app.app_context():
        from kb.db import session

        session.add(Stakeholder(account_id=account.id, name="欧阳娜娜", notes="autoflushed early"))
        # A query autoflushes the new stakeholder long before the commit.
        assert session.scalar(select(Stakeholder.id).where(Stakeholder.name == "欧阳娜娜")) is not None
        session.get(Account, account.id).description = "changed after the autoflush"
        session.commit()
    assert keys(find(app, "欧阳娜娜", admin)) == {"stakeholder:1"}
    assert f"account:{account.id}" in keys(find(app, "autoflush", admin))


def test_account_changes_reach_its_plans_and_interactions(app, admin, create_group, create_account, create_plan,
                                                          create_interaction):
    group = create_group()
    account = create_account(name="旧名称", industry="能源")
    plan = create_plan(account, strategy="海上风电")
    visit = create_interaction(account, summary="海上风电 visit")
    with app.app_context():
        from kb.db import session

        a = session.get(Account, account.id)
        a.name, a.industry, a.customer_group_id = "新名称", "电力", group.id
        session.commit()
    found = find(app, "海上风电", admin)
    assert {h.title for h in found.hits if h.type == "plan"} == {"新名称 FY2027"}
    assert found.facets["industry"] == {"电力": 2}
    assert found.facets["group_id"] == {str(group.id): 2}
    assert keys(find(app, "海上风电", admin, industry="能源")) == set()
    assert f"interaction:{visit.id}" in keys(find(app, "海上风电", admin, group=str(group.id)))
    assert plan.id


def test_deleted_and_emptied_records_leave_the_index(app, admin, create_account, create_stakeholder,
                                                     create_interaction):
    account = create_account()
    person = create_stakeholder(account, name="李娜", private_notes="喜欢打网球")
    visit = create_interaction(account, summary="季度回顾 review")
    assert keys(find(app, "网球", admin)) == {f"stakeholder_note:{person.id}"}
    with app.app_context():
        from kb.db import session

        session.get(Stakeholder, person.id).private_notes = ""
        session.delete(session.get(Interaction, visit.id))
        session.commit()
    assert find(app, "网球", admin).total == 0
    assert find(app, "季度回顾", admin).total == 0
    assert keys(find(app, "李娜", admin)) == {f"stakeholder:{person.id}"}


def test_failed_index_write_heals_at_the_first_search_after_the_back_off(app, admin, create_account,
                                                                          monkeypatch):
    account = create_account(name="宁德时代")
    find(app, "宁德时代", admin)  # the index exists and is current
    now = [1000.0]
    with app.app_context():
        from kb.search import get_index

        get_index().backoff.clock = lambda: now[0]
    calls = {"n": 0}
    real_writer = SearchIndex.writer

    def failing_once(self, path, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("disk full")
        return real_writer(self, path, **kwargs)

    monkeypatch.setattr(SearchIndex, "writer", failing_once)
    with app.app_context():
        from kb.db import session

        session.get(Account, account.id).description = "固态电池 roadmap"
        session.commit()  # the index write fails; the commit does not
    assert calls["n"] == 1
    with app.app_context():
        from kb.search import get_index

        assert get_index().bookmark().last_id < get_index().database_head()  # really behind
    within_back_off = find(app, "固态电池", admin)
    assert calls["n"] == 1  # no retry while the back-off lasts ...
    assert within_back_off.total == 0 and within_back_off.freshness.stale  # ... and the search says so
    now[0] += 1.0
    healed = find(app, "固态电池", admin)
    assert keys(healed) == {f"account:{account.id}"}
    assert calls["n"] == 2 and not healed.freshness.stale


def test_deleted_index_folder_is_rebuilt_without_losing_documents(app, admin, create_account, create_plan,
                                                                  create_interaction, create_stakeholder):
    account = create_account(name="比亚迪")
    plan = create_plan(account, strategy="刀片电池")
    visit = create_interaction(account, summary="刀片电池 产线")
    person = create_stakeholder(account, name="王传福", notes="刀片电池")
    expected = {f"plan:{plan.id}", f"interaction:{visit.id}", f"stakeholder:{person.id}"}
    assert keys(find(app, "刀片电池", admin)) == expected
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    assert keys(find(app, "刀片电池", admin)) == expected
    assert keys(find(app, "比亚迪", admin)) >= {f"account:{account.id}"}


def test_edit_from_another_process_is_found_through_the_outbox(app, admin, app_config, create_account):
    from kb import create_app

    account = create_account(name="海尔智家")
    assert find(app, "海尔", admin).total == 1  # this process has a searcher open
    other = create_app(dict(app_config))
    try:
        with other.app_context():
            from kb.db import session
            from kb.search import get_index

            get_index().writer = lambda path: (_ for _ in ()).throw(OSError("other process crashed"))
            session.get(Account, account.id).description = "卡奥斯 platform"
            session.commit()
    finally:
        other.extensions["kb.db"].engine.dispose()
    assert keys(find(app, "卡奥斯", admin)) == {f"account:{account.id}"}


def test_search_answers_even_if_catching_up_fails(app, admin, create_account, monkeypatch):
    account = create_account(name="中国中车")
    assert find(app, "中车", admin).total == 1

    def locked(self, path, **kwargs):
        raise OSError("index locked")

    monkeypatch.setattr(SearchIndex, "writer", locked)
    with app.app_context():
        from kb.db import session

        session.get(Account, account.id).description = "高铁"
        session.commit()
    assert find(app, "中车", admin).total == 1  # stale but answering
    assert find(app, "高铁", admin).total == 0
    monkeypatch.undo()
    with app.app_context():
        from kb.search import get_index

        get_index().backoff.clock = lambda: time.monotonic() + 3600  # the back-off has passed
    assert find(app, "高铁", admin).total == 1  # caught up as soon as it could
