"""Issue 9, home and group page flat at 2,000 accounts: what the faster reads rest on stays right.

- next_step's kept copies of its interaction's account, visibility and archived time (migration 0018's
  triggers) equal the interaction's after every kind of write, and the dashboards' step counts follow them:
  a reader off the team never counts a team-only step;
- last contacts for the risk rule, read from the accounts' recent visits plus "ever met": the same risks
  as the rule over every interaction (met recently, long ago, never, only in archived visits, planned in the future);
- the plans' answered/stale figures read as plain rows agree with the plan page's rule.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, or_, select, update

from kb import clock
from models import (
    AccountPlan, Attitude, DecisionRole, Interaction, InteractionKind, NextStep, Visibility,
)
from tests.conftest import PG_URL


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def mismatched_steps(app) -> list[int]:
    """Ids of next steps whose kept columns differ from their interaction's (the recompute)."""
    with app.app_context():
        from kb.db import session
        return list(session.scalars(
            select(NextStep.id).join(Interaction, Interaction.id == NextStep.interaction_id).where(or_(
                NextStep.account_id.is_distinct_from(Interaction.account_id),
                NextStep.visibility.is_distinct_from(Interaction.visibility),
                NextStep.interaction_archived_at.is_distinct_from(Interaction.archived_at)))))


def kept(app, step_id: int) -> tuple:
    with app.app_context():
        from kb.db import session
        return session.execute(select(NextStep.account_id, NextStep.visibility, NextStep.interaction_archived_at)
                               .where(NextStep.id == step_id)).one()


def test_kept_step_columns_follow_every_kind_of_write(app, create_user, create_group, create_seat,
                                                      create_account):
    from kb.services import interactions as service
    group, lead = create_group(), create_user()
    create_seat(group, lead, "AR")
    account = create_account(group=group)
    with app.app_context():
        from kb.db import session
        from models import Account, User
        today = clock.today()
        author, acc = session.get(User, lead.id), session.get(Account, account.id)
        visit = service.create_interaction(account=acc, author=author, occurred_on=today, kind="visit",
                                           summary="纪要", next_steps=[{"text": "发方案", "owner_id": lead.id,
                                                                        "due_on": today}])
        session.commit()
        visit_id, first = visit.id, visit.next_steps[0].id
    assert kept(app, first) == (account.id, Visibility.ORG, None) and mismatched_steps(app) == []

    with app.app_context():  # an edit: team-only, and a second step added
        from kb.db import session
        visit = session.get(Interaction, visit_id)
        service.update_interaction(interaction=visit, author=session.get(User, lead.id),
                                   visibility="team",
                                   next_steps=[{"id": first, "text": "发方案", "owner_id": lead.id, "due_on": today},
                                               {"text": "约交流", "owner_id": lead.id, "due_on": today}])
        session.commit()
        second = [s.id for s in visit.next_steps if s.id != first][0]
    assert kept(app, first)[1] == Visibility.TEAM and kept(app, second)[1] == Visibility.TEAM
    assert mismatched_steps(app) == []

    with app.app_context():  # archive, then restore
        from kb.db import session
        service.archive_interaction(interaction=session.get(Interaction, visit_id), author=session.get(User, lead.id))
        session.commit()
    assert kept(app, first)[2] is not None and mismatched_steps(app) == []
    with app.app_context():
        from kb.db import session
        service.restore_interaction(interaction=session.get(Interaction, visit_id), author=session.get(User, lead.id))
        session.commit()
    assert kept(app, first)[2] is None and mismatched_steps(app) == []

    with app.app_context():  # bulk writes straight through the tables (imports, benchmark, tests)
        from kb.db import session
        other = session.execute(insert(Interaction).returning(Interaction.id), [dict(
            account_id=account.id, occurred_on=today, kind=InteractionKind.CALL, visibility=Visibility.TEAM,
            archived_at=datetime(2026, 1, 1, tzinfo=timezone.utc), version=1)]).scalar_one()
        session.execute(insert(NextStep), [dict(interaction_id=other, text=f"批量{i}", position=i, done=False,
                                                version=1) for i in range(3)])
        session.execute(update(Interaction).where(Interaction.id == visit_id).values(visibility=Visibility.ORG))
        session.execute(update(NextStep).where(NextStep.id == second).values(interaction_id=other))
        session.commit()
    assert kept(app, first)[1] == Visibility.ORG and kept(app, second)[1] == Visibility.TEAM
    assert kept(app, second)[2] is not None
    assert mismatched_steps(app) == []


def group_count(client, group_id: int, which: str) -> int:
    response = client.get(f"/groups/{group_id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return int(re.search(rf'id="group-count-{which}"><a[^>]*><strong>(\d+)', html).group(1))


def test_group_page_counts_team_only_steps_only_for_the_team(app, client, login_as, create_user, create_group,
                                                             create_seat, create_account, create_interaction):
    from kb.services import interactions as service
    group, lead, outsider = create_group(), create_user(name="组长"), create_user(name="外人")
    create_seat(group, lead, "AR")
    account = create_account(group=group)
    with app.app_context():
        today = clock.today()
    overdue = [dict(text=f"逾期{i}", owner_id=lead.id, due_on=today - timedelta(days=3)) for i in range(2)]
    create_interaction(account, next_steps=overdue)
    secret = create_interaction(account, visibility=Visibility.TEAM,
                                next_steps=[dict(text="团队内", owner_id=lead.id, due_on=today - timedelta(days=1)),
                                            dict(text="团队内将到期", owner_id=lead.id, due_on=today + timedelta(days=2))])
    login_as(outsider)
    assert (group_count(client, group.id, "overdue"), group_count(client, group.id, "upcoming")) == (2, 0)
    login_as(lead)
    assert (group_count(client, group.id, "overdue"), group_count(client, group.id, "upcoming")) == (3, 1)
    with app.app_context():  # opened to everyone: the outsider counts them now
        from kb.db import session
        from models import User
        service.update_interaction(interaction=session.get(Interaction, secret.id),
                                   author=session.get(User, lead.id), visibility="org")
        session.commit()
    login_as(outsider)
    assert (group_count(client, group.id, "overdue"), group_count(client, group.id, "upcoming")) == (3, 1)
    with app.app_context():  # archived: nobody counts them
        from kb.db import session
        from models import User
        service.archive_interaction(interaction=session.get(Interaction, secret.id),
                                    author=session.get(User, lead.id))
        session.commit()
    assert (group_count(client, group.id, "overdue"), group_count(client, group.id, "upcoming")) == (2, 0)


@pytest.mark.parametrize("met, key_person, key_days, expected", [
    ([10], False, 90, None),                                    # met recently
    ([400], False, 90, "Not met for more than 180 days."),      # only long ago (beyond the rule's window)
    ([], False, 90, "Never met in a recorded interaction."),
    (["archived:5"], False, 90, "Never met in a recorded interaction."),  # archived visits do not count
    (["archived:5", 300], False, 90, "Not met for more than 180 days."),
    ([-20], False, 90, "Never met in a recorded interaction."),  # a planned visit is no contact yet
    ([-20, 100], True, 90, "Not met for more than 90 days."),   # ... nor does it hide the last real one
    ([-20, 30], True, 90, None),
    ([100], True, 90, "Not met for more than 90 days."),        # a decision-maker: the key rule
    ([100], False, 90, None),
    ([300], True, 400, None),                                   # a key window longer than the other one
    ([500], True, 400, "Not met for more than 400 days."),
])
def test_last_contacts_give_the_rule_over_every_interaction(app, create_user, create_account, create_stakeholder,
                                                            create_interaction, met, key_person, key_days,
                                                            expected):
    from kb.services import relationship_risk
    owner, backup = create_user(), create_user()
    account = create_account(members=[owner, backup])
    person = create_stakeholder(account, owners=[owner, backup], attitude=Attitude.SUPPORT,
                                decision_role=DecisionRole.DECISION_MAKER if key_person else DecisionRole.USER)
    with app.app_context():
        today = clock.today()
    for when in met:
        archived = isinstance(when, str)
        days = int(when.split(":")[1]) if archived else when
        create_interaction(account, stakeholders=[person], occurred_on=today - timedelta(days=days),
                           archived_at=datetime.now(timezone.utc) if archived else None)
    with app.app_context():
        from kb.db import session
        from models import Stakeholder
        from kb.services.stakeholders import chain_options
        people = list(session.scalars(select(Stakeholder).where(Stakeholder.id == person.id)
                                      .options(*chain_options())))
        risks = relationship_risk.stakeholder_risks(stakeholders=people, today=today, key_days=key_days,
                                                    other_days=180)[person.id]
        counts = relationship_risk.at_risk_counts(account_ids=[account.id], today=today, key_days=key_days,
                                                  other_days=180)
    contact = [r.message for r in risks if r.code == "not_contacted"]
    assert contact == ([expected] if expected else [])
    assert counts == {account.id: 1 if expected else 0}


def test_plan_figures_agree_with_the_plan_pages_rule(app, create_user, create_account, create_plan,
                                                     create_stakeholder):
    from kb.services import plans
    from kb.services.plan_figures import current_plan_figures
    me = create_user()
    old, new = "2020-01-01T00:00:00+00:00", datetime.now(timezone.utc).isoformat()
    accounts = [create_account() for _ in range(4)]
    create_plan(accounts[0], strategy="旧战略", profit_model="新盈利")
    create_plan(accounts[1], strategy="只有决策链")
    create_plan(accounts[2], period="FY2025", strategy="旧的周期")
    create_plan(accounts[2], period="FY2027", strategy="当前周期", weakest_product="弱项")
    boss = create_stakeholder(accounts[1])
    with app.app_context():
        from kb.db import session
        from models import Stakeholder
        changes = {accounts[0].id: {"strategy": {"by": me.id, "at": old}, "profit_model": {"by": me.id, "at": new}},
                   accounts[1].id: {"decision_maker_ids": {"by": me.id, "at": old}},
                   accounts[2].id: {"weakest_product": {"by": me.id, "at": old}}}
        for plan in session.scalars(select(AccountPlan)):
            plan.field_changes = changes.get(plan.account_id, {})
            if plan.account_id == accounts[1].id:
                plan.decision_maker_links = [session.get(Stakeholder, boss.id)]
        session.commit()
        today = clock.today()
        figures = current_plan_figures([a.id for a in accounts], today=today, stale_after_days=365)
        current = {a.id: max(session.scalars(select(AccountPlan).where(AccountPlan.account_id == a.id)),
                             key=lambda p: plans.period_sort_key(p.period), default=None) for a in accounts}
        for account in accounts:
            plan = current[account.id]
            if plan is None:
                assert account.id not in figures
                continue
            states = plans.answer_states(plan, today=today, stale_after_days=365)
            assert figures[account.id].period == plan.period
            assert figures[account.id].answered == plans.completeness(plan)
            assert [s.key for s in figures[account.id].stale] == [s.key for s in states if s.stale]
    assert [s.key for s in figures[accounts[0].id].stale] == ["strategy"]
    assert [s.key for s in figures[accounts[1].id].stale] == ["decision_makers"]
    assert figures[accounts[2].id].period == "FY2027" and [s.key for s in figures[accounts[2].id].stale] == [
        "weakest_product"]


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL run only (KB_TEST_DATABASE_URL not set)")
@pytest.mark.parametrize("page", ["/", "/groups/{group}"])
def test_dashboard_steps_read_the_kept_index_on_postgresql(app, client, page):
    """The statement filters on next_step's kept columns alone: no interaction is read (it was a hash join
    of the accounts' interactions with the whole next_step table at 2,000 accounts). The test data is too
    small for PostgreSQL to choose between next_step's indexes by cost as it does at full size (there:
    ix_next_step_account_open, 2.7 ms), so this checks that an index serves it with sequential scans off."""
    from tests.test_scale_postgres_indexes import logged_in_statements
    engine, statements = logged_in_statements(app, client, page)
    steps = [(s, p) for s, p in statements if "row_number() OVER" in s and "FROM next_step" in s]
    assert len(steps) == 1
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN " + steps[0][0], steps[0][1])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    finally:
        raw.rollback()
        raw.close()
    assert "Index Scan using ix_next_step_" in plan or "Index Only Scan using ix_next_step_" in plan, plan
    assert " on interaction " not in plan + " " and "Seq Scan on next_step" not in plan, plan
