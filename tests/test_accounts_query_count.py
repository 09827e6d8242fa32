"""The account page, brief and onboarding run the same number of SQL statements for 5 or 500 people/visits."""
from datetime import date, timedelta

import pytest
from sqlalchemy import event, insert, select, update

from models import (
    Attitude, DecisionRole, Influence, Interaction, InteractionKind, NextStep, RelationshipLayer, Stakeholder,
    StakeholderOwner, Visibility, interaction_attendee, interaction_stakeholder,
)


def populate(app, account, owners, n):
    """Insert n stakeholders (each with owners, half reporting to the first) and n interactions in bulk."""
    with app.app_context():
        from kb.db import session
        session.execute(insert(Stakeholder), [dict(
            account_id=account.id, name=f"关键人{i:03d}", title="处长", department="信息部",
            decision_role=DecisionRole.DECISION_MAKER if i % 10 == 0 else DecisionRole.INFLUENCER,
            attitude=Attitude.SUPPORT, influence=Influence.HIGH if i % 3 == 0 else Influence.LOW,
            layer=list(RelationshipLayer)[i % 3], relationship_level=1 + i % 5) for i in range(n)])
        ids = list(session.scalars(select(Stakeholder.id).where(Stakeholder.account_id == account.id)
                                   .order_by(Stakeholder.id)))
        session.execute(update(Stakeholder).where(Stakeholder.id.in_(ids[1::2])).values(reports_to_id=ids[0]))
        session.execute(insert(StakeholderOwner), [
            dict(stakeholder_id=sid, user_id=owners[i % len(owners)].id, is_primary=True)
            for i, sid in enumerate(ids)
        ] + [dict(stakeholder_id=sid, user_id=owners[(i + 1) % len(owners)].id, is_primary=False)
             for i, sid in enumerate(ids)])
        session.execute(insert(Interaction), [dict(
            account_id=account.id, occurred_on=date(2026, 1, 1) + timedelta(days=i % 300),
            kind=InteractionKind.VISIT, title=f"拜访{i}", summary="纪要",
            visibility=Visibility.TEAM if i % 2 else Visibility.ORG) for i in range(n)])
        iids = list(session.scalars(select(Interaction.id).where(Interaction.account_id == account.id)))
        session.execute(insert(interaction_stakeholder), [
            dict(interaction_id=iid, stakeholder_id=ids[i % len(ids)]) for i, iid in enumerate(iids)])
        session.execute(insert(interaction_attendee), [
            dict(interaction_id=iid, user_id=owners[i % len(owners)].id) for i, iid in enumerate(iids)])
        session.execute(insert(NextStep), [dict(
            interaction_id=iid, position=0, text=f"跟进{i}", owner_id=owners[i % len(owners)].id,
            due_on=date(2026, 6, 1) + timedelta(days=i % 90)) for i, iid in enumerate(iids)])
        session.commit()


def count_statements(app, client, url):
    engine = app.extensions["kb.db"].engine
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200
    return len(statements), response.get_data(as_text=True)


@pytest.mark.parametrize("page", ["", "/brief", "/onboarding"])
@pytest.mark.parametrize("role", ["admin", "member"])
def test_statement_count_does_not_grow_with_people_and_visits(app, client, login_as, create_user,
                                                              create_group, create_seat, create_account,
                                                              create_plan, page, role):
    group = create_group()
    owners = [create_user(name="负责人甲"), create_user(name="负责人乙", active=False), create_user(name="负责人丙")]
    create_seat(group, owners[0], "AR")
    small, large = create_account(group=group, name="小客户"), create_account(group=group, name="大客户")
    for account in (small, large):
        create_plan(account, strategy="战略", profit_model="盈利模式")
    populate(app, small, owners, 5)
    populate(app, large, owners, 500)
    login_as(owners[0] if role == "member" else create_user(role="admin"))
    client.get(f"/accounts/{small.id}{page}")  # warm-up: caches, lazy imports
    n_small, html_small = count_statements(app, client, f"/accounts/{small.id}{page}")
    n_large, html_large = count_statements(app, client, f"/accounts/{large.id}{page}")
    assert "关键人000" in html_small and "关键人490" in html_large  # decision-makers: on every page
    assert n_large <= n_small, (n_small, n_large)  # a loader may skip a query when nothing is left to load
    assert n_large < 42  # 40 before the plan targets (one statement) and the contracts panel (one SELECT)
