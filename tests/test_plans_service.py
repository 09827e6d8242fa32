"""kb.services.plans: saving, revisions, field changes, staleness, periods, diffs and restore."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from kb import clock
from kb.services import plans
from kb.services.errors import Conflict, ValidationFailed
from models import Account, AccountPlan, PlanRevision, PlanStatus, Stakeholder, User, UserRole


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


@pytest.fixture
def world(ctx, create_user, create_account, create_stakeholder):
    """(session, account, author, other_author, stakeholder of the account, stakeholder of another account)."""
    from kb.db import session

    author, other = create_user(name="王磊"), create_user(name="李娜")
    # Both are named members of the account: save_plan checks the author's edit rights first.
    account, elsewhere = create_account(name="华东电网", members=[author, other]), create_account(name="南方航空")
    ours, theirs = create_stakeholder(account, name="陈总"), create_stakeholder(elsewhere, name="外部")
    return (session, session.get(Account, account.id), session.get(User, author.id), session.get(User, other.id),
            ours.id, theirs.id)


def save(account, author, version, period="FY2027", status=PlanStatus.DRAFT, comment="", dms=(), sections=None,
         **answers):
    return plans.save_plan(account=account, period=period, author=author, base_version=version,
                           answers=answers, sections=sections or {}, decision_maker_ids=list(dms), status=status,
                           comment=comment)


@pytest.mark.parametrize("period, ok", [
    ("FY2027", True), ("2027", True), ("2027H1", True), ("2027h2", True), ("2027Q3", True), ("fy2027q4", True),
    (" FY2027 ", True), ("", False), ("FY27", False), ("2027Q5", False), ("2027H3", False), ("二〇二七", False),
    ("2027-Q1", False), ("FY2027" * 4, False), (None, False),
    ("FY2000", True), ("2100Q4", True), ("FY1999", False), ("FY0001", False), ("FY9999", False), ("2101", False),
])
def test_valid_period(period, ok):
    assert plans.valid_period(period) is ok


def test_first_save_creates_plan_and_revision_one(world):
    session, account, author, *_ = world
    plan = save(account, author, None, period="fy2027", strategy="  聚焦新能源  \r\n", comment="首版")
    assert (plan.period, plan.version, plan.strategy) == ("FY2027", 1, "  聚焦新能源")
    revision = session.scalar(select(PlanRevision).where(PlanRevision.plan_id == plan.id))
    assert (revision.number, revision.comment, revision.author_id) == (1, "首版", author.id)
    assert revision.content["strategy"] == "  聚焦新能源"
    assert set(revision.content) >= {"strategy", "customers_customer", "profit_model", "weakest_product",
                                     "decision_makers", "sections", "decision_maker_ids", "status", "period"}
    assert plan.created_by_id == author.id


def test_field_changes_only_for_changed_fields(world):
    session, account, author, other, *_ = world
    plan = save(account, author, None, strategy="战略一", profit_model="电费")
    first = dict(plan.field_changes)
    assert set(first) == {"strategy", "profit_model"}
    plan = save(account, other, 1, strategy="战略一", profit_model="电费与服务", sections={"competitors": "甲公司"})
    assert plan.version == 2
    assert plan.field_changes["strategy"] == first["strategy"]  # untouched: still the first author
    assert plan.field_changes["profit_model"]["by"] == other.id
    assert plan.field_changes["competitors"]["by"] == other.id
    assert "customers_customer" not in plan.field_changes


def test_nothing_changed_records_no_revision_but_a_comment_does(world):
    session, account, author, *_ = world
    plan = save(account, author, None, strategy="战略")
    assert save(account, author, 1, strategy="战略").version == 1
    assert save(account, author, 1, strategy="战略\r\n").version == 1  # line endings are not a change
    plan = save(account, author, 1, strategy="战略", comment="与客户复核，无变化")
    assert plan.version == 2
    assert "strategy" in plan.field_changes and plan.field_changes["strategy"]["at"]
    plan = save(account, author, 2, strategy="战略", status=PlanStatus.REVIEWED)
    assert plan.version == 3 and plan.status == PlanStatus.REVIEWED and plan.reviewed_on is not None
    numbers = session.scalars(select(PlanRevision.number).where(PlanRevision.plan_id == plan.id)).all()
    assert sorted(numbers) == [1, 2, 3]


def test_stale_answer_after_thirteen_months(world):
    session, account, author, *_ = world
    plan = save(account, author, None, strategy="战略", profit_model="电费")
    today = clock.today()
    assert not any(s.stale for s in plans.answer_states(plan, today=today))
    later = today + timedelta(days=396)  # about 13 months
    states = {s.key: s for s in plans.answer_states(plan, today=later)}
    assert states["strategy"].stale and states["profit_model"].stale
    assert not states["weakest_product"].stale and not states["weakest_product"].answered
    assert states["strategy"].changed_by.name == "王磊"
    # changing one answer makes only that one fresh again
    plan = save(account, author, 1, strategy="新战略", profit_model="电费")
    states = {s.key: s for s in plans.answer_states(plan, today=clock.today() + timedelta(days=200))}
    assert not states["strategy"].stale
    assert not plans.answer_states(plan, today=clock.today() + timedelta(days=365))[0].stale


def test_stale_threshold_follows_config(app, world):
    session, account, author, *_ = world
    plan = save(account, author, None, strategy="战略")
    assert plans.answer_states(plan, today=clock.today() + timedelta(days=31), stale_after_days=30)[0].stale
    assert not plans.answer_states(plan, today=clock.today() + timedelta(days=29), stale_after_days=30)[0].stale


def test_answer_states_and_completeness_without_plan(world):
    states = plans.answer_states(None)
    assert [s.key for s in states] == ["strategy", "customers_customer", "profit_model", "weakest_product",
                                       "decision_makers"]
    assert not any(s.answered or s.stale for s in states)
    assert plans.completeness(None) == 0


def test_completeness_counts_answers_and_linked_decision_makers(world):
    session, account, author, other, ours, _ = world
    plan = save(account, author, None, strategy="a", customers_customer="b", profit_model="   ")
    assert plans.completeness(plan) == 2
    plan = save(account, author, 1, strategy="a", customers_customer="b", dms=[ours])
    assert plans.completeness(plan) == 3


def test_conflict_on_stale_version(world):
    session, account, author, other, *_ = world
    save(account, author, None, strategy="一")
    save(account, other, 1, strategy="二")
    with pytest.raises(Conflict) as info:
        save(account, author, 1, strategy="三")
    assert info.value.current.strategy == "二" and info.value.current.version == 2
    with pytest.raises(Conflict):
        save(account, author, None, strategy="三")  # "new plan" while one exists


@pytest.mark.parametrize("kwargs, field", [
    ({"period": "明年"}, "period"),
    ({"strategy": "长" * 20_001}, "strategy"),
    ({"sections": {"objectives": "x" * 20_001}}, "objectives"),
    ({"sections": {"secret": "x"}}, "secret"),
    ({"comment": "评" * 501}, "comment"),
])
def test_validation_errors(world, kwargs, field):
    session, account, author, *_ = world
    with pytest.raises(ValidationFailed) as info:
        save(account, author, None, **kwargs)
    assert field in info.value.fields
    assert session.scalar(select(AccountPlan.id)) is None


def test_decision_makers_must_belong_to_the_account(world):
    session, account, author, other, ours, theirs = world
    with pytest.raises(ValidationFailed) as info:
        save(account, author, None, dms=[ours, theirs])
    assert "decision_maker_ids" in info.value.fields
    with pytest.raises(ValidationFailed):
        save(account, author, None, dms=[987654])
    plan = save(account, author, None, dms=[ours])
    assert [s.id for s in plan.decision_maker_links] == [ours]
    assert plan.field_changes["decision_maker_ids"]["by"] == author.id


def test_current_plan_is_latest_period(world, create_plan):
    session, account, author, *_ = world
    assert plans.current_plan(account_id=account.id) is None
    for period in ("2027Q4", "FY2026", "2028H1", "2027"):
        save(account, author, None, period=period, strategy=period)
    assert plans.current_plan(account_id=account.id).period == "2028H1"
    assert [p.period for p in plans.list_plans(account_id=account.id)] == ["2028H1", "2027", "2027Q4", "FY2026"]
    assert plans.get_plan(account_id=account.id, period="2027q4").period == "2027Q4"
    assert plans.get_plan(account_id=account.id, period="nonsense") is None


def test_diff_shows_inserted_and_deleted_chinese_text(world):
    session, account, author, *_ = world
    plan = save(account, author, None, strategy="第一段：保持现状\n第二段：稳定供电\n第三段：不变")
    save(account, author, 1, strategy="第一段：全面数字化\n第二段：稳定供电\n第三段：不变\n新增：储能", status=PlanStatus.REVIEWED)
    diffs = plans.diff_revisions(plan, 1, 2)
    by_key = {d.key: d for d in diffs}
    assert set(by_key) == {"strategy", "status"}
    html = str(by_key["strategy"].html)
    assert "<del>保持现状</del>" in html and "<ins>全面数字化</ins>" in html
    assert "第一段：" in html and "<del>第一段" not in html  # only the changed characters are marked
    assert "<ins>新增：储能</ins>" in html
    assert "第二段：稳定供电" in html
    assert plans.diff_revisions(plan, 1, 1) == []
    assert "<del>" in str(plans.diff_revisions(plan, 2, 1)[0].html)


def test_diff_escapes_user_text(world):
    session, account, author, *_ = world
    plan = save(account, author, None, strategy="<b>旧</b>")
    save(account, author, 1, strategy="<script>alert(1)</script>新")
    html = str(plans.diff_revisions(plan, 1, 2)[0].html)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;" in html and re.search(r"<ins>[^<]*alert\(1\)[^<]*</ins>", html)


def test_diff_unknown_revision(world):
    session, account, author, *_ = world
    plan = save(account, author, None, strategy="a")
    with pytest.raises(plans.RevisionNotFound):
        plans.diff_revisions(plan, 1, 7)


def test_restore_makes_new_revision_with_old_content(world):
    session, account, author, other, ours, _ = world
    plan = save(account, author, None, strategy="最初", dms=[ours], sections={"competitors": "甲"})
    save(account, other, 1, strategy="改过", sections={"competitors": "乙"}, status=PlanStatus.REVIEWED)
    plan = plans.restore_revision(plan=plan, number=1, author=other, base_version=2)
    assert plan.version == 3
    assert plan.strategy == "最初" and plan.sections["competitors"] == "甲"
    assert [s.id for s in plan.decision_maker_links] == [ours] and plan.status == PlanStatus.DRAFT
    latest = plans.list_revisions(plan)[0]
    assert (latest.number, latest.restored_from, latest.author_id) == (3, 1, other.id)
    assert plan.field_changes["strategy"]["by"] == other.id
    assert [r.number for r in plans.list_revisions(plan)] == [3, 2, 1]  # nothing rewritten or deleted


def test_restore_checks_version_and_number(world):
    session, account, author, *_ = world
    plan = save(account, author, None, strategy="a")
    save(account, author, 1, strategy="b")
    with pytest.raises(Conflict):
        plans.restore_revision(plan=plan, number=1, author=author, base_version=1)
    with pytest.raises(plans.RevisionNotFound):
        plans.restore_revision(plan=plan, number=9, author=author, base_version=2)
    assert plan.version == 2 and plan.strategy == "b"


def test_restore_drops_decision_makers_moved_away(world):
    session, account, author, other, ours, theirs = world
    plan = save(account, author, None, dms=[ours])
    save(account, author, 1, dms=[])
    session.get(Stakeholder, ours).account_id = session.scalar(select(Stakeholder.account_id).where(
        Stakeholder.id == theirs))
    session.flush()
    plan = plans.restore_revision(plan=plan, number=1, author=author, base_version=2)
    assert plan.decision_maker_links == [] and plan.version == 3


def test_save_overtaken_by_a_concurrent_commit_is_a_conflict(app, world):
    """Two requests read version 1; the other one commits first: ours must not overwrite it."""
    session, account, author, other, *_ = world
    plan = save(account, author, None, strategy="一")
    session.commit()
    assert plans.get_plan(account_id=account.id, period="FY2027").version == 1  # this request has read v1
    with app.app_context():  # another request, with its own session, saves and commits in between
        from kb.db import session as other_session

        save(other_session.get(Account, account.id), other_session.get(User, other.id), 1, strategy="二")
        other_session.commit()
    with pytest.raises(Conflict) as info:
        save(account, author, 1, strategy="三")
    assert info.value.current.strategy == "二" and info.value.current.version == 2
    session.rollback()
    assert session.scalar(select(AccountPlan.strategy)) == "二"
    assert len(session.scalars(select(PlanRevision.id)).all()) == 2


def test_plan_created_by_a_concurrent_request_is_a_conflict(app, world, monkeypatch):
    session, account, author, other, *_ = world
    assert plans.get_plan(account_id=account.id, period="FY2027") is None
    with app.app_context():
        from kb.db import session as other_session

        save(other_session.get(Account, account.id), other_session.get(User, other.id), None, strategy="先建的")
        other_session.commit()
    original_get_plan = plans.get_plan
    calls = []

    def get_plan_missing_once(**kwargs):  # our request read "no plan yet" just before the other committed
        calls.append(kwargs)
        return None if len(calls) == 1 else original_get_plan(**kwargs)

    monkeypatch.setattr(plans, "get_plan", get_plan_missing_once)
    with pytest.raises(Conflict) as info:
        save(session.get(Account, account.id), session.get(User, author.id), None, strategy="后建的")
    assert info.value.current.strategy == "先建的"


def test_nothing_changed_writes_nothing(world):
    session, account, author, *_ = world
    plan = save(account, author, None, strategy="战略")
    session.commit()
    updated_at = plan.updated_at
    save(account, author, 1, strategy="战略")
    assert not session.dirty and plan.updated_at == updated_at
