"""Every page runs as many SQL statements for a big organisation as for a small one (n and 3n records)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import event, insert, select

from models import (
    Account, AccountPlan, CustomerGroup, Interaction, InteractionKind, NextStep, PlanRevision, SeatRole,
    Stakeholder, StakeholderOwner, TriangleSeat, User, Visibility, interaction_attendee,
    interaction_stakeholder, plan_decision_maker,
)
from models.enums import UserRole

OLD = datetime(2025, 1, 2, 3, 4, tzinfo=timezone.utc).isoformat()  # answers this old are stale


def populate(app, *, tag: str, n: int) -> dict[str, int]:
    """A customer group of n accounts (plans by n different writers, people, visits, next steps), in bulk.

    The group's AR is the returned "ar" user; every plan answer was last written by another user, so a
    page that looks up "who changed it" per plan would grow with n.
    """
    with app.app_context():
        from kb.db import session
        from kb.auth import hash_password
        pw = hash_password("password123")
        session.execute(insert(User), [dict(email=f"{tag}{i}@example.com", name=f"{tag}写作者{i}",
                                            password_hash=pw, role=UserRole.MEMBER) for i in range(n + 1)])
        users = list(session.scalars(select(User.id).where(User.email.like(f"{tag}%")).order_by(User.id)))
        ar = users[0]
        session.execute(insert(CustomerGroup), [dict(name=f"{tag}客户群", name_en=f"{tag} group")])
        gid = session.scalar(select(CustomerGroup.id).where(CustomerGroup.name == f"{tag}客户群"))
        session.execute(insert(TriangleSeat), [dict(customer_group_id=gid, user_id=ar, role=SeatRole.AR,
                                                    started_on=date(2025, 1, 1))]
                        + [dict(customer_group_id=gid, user_id=u, role=SeatRole.SR, started_on=date(2025, 1, 1),
                                ended_on=date(2025, 6, 1)) for u in users[1:]])
        session.execute(insert(Account), [dict(name=f"{tag}客户{i:03d}", name_en=f"{tag} account {i}",
                                               customer_group_id=gid, sort_key=f"{tag}{i:03d}", aliases=[])
                                          for i in range(n)])
        accounts = list(session.scalars(select(Account.id).where(Account.customer_group_id == gid)
                                        .order_by(Account.id)))
        changes = {k: {"by": None, "at": OLD} for k in ("strategy", "customers_customer", "profit_model")}
        session.execute(insert(AccountPlan), [dict(
            account_id=a, period="FY2027", strategy=f"战略{i}", customers_customer="客户的客户", profit_model="盈利",
            sections={"competitors": "竞争对手"}, version=1,
            field_changes={k: dict(v, by=users[1 + i]) for k, v in changes.items()}) for i, a in enumerate(accounts)])
        plans = list(session.scalars(select(AccountPlan.id).where(AccountPlan.account_id.in_(accounts))
                                     .order_by(AccountPlan.id)))
        session.execute(insert(PlanRevision), [dict(plan_id=p, number=k, content={"strategy": f"v{k}"},
                                                    author_id=users[1 + i]) for i, p in enumerate(plans)
                                               for k in (1, 2, 3)])
        session.execute(insert(Stakeholder), [dict(account_id=a, name=f"{tag}关键人{i}-{j}", title="处长")
                                              for i, a in enumerate(accounts) for j in range(3)])
        people = list(session.scalars(select(Stakeholder.id, ).where(Stakeholder.account_id.in_(accounts))
                                      .order_by(Stakeholder.id)))
        session.execute(insert(StakeholderOwner), [dict(stakeholder_id=s, user_id=users[k % len(users)],
                                                        is_primary=True) for k, s in enumerate(people)])
        session.execute(insert(plan_decision_maker), [dict(plan_id=p, stakeholder_id=people[3 * i])
                                                      for i, p in enumerate(plans)])
        session.execute(insert(Interaction), [dict(
            account_id=a, occurred_on=date(2026, 1, 1) + timedelta(days=j), kind=InteractionKind.VISIT,
            title=f"拜访{i}-{j}", summary="**纪要** 跟进", visibility=Visibility.TEAM if j % 2 else Visibility.ORG)
            for i, a in enumerate(accounts) for j in range(3)])
        visits = list(session.scalars(select(Interaction.id).where(Interaction.account_id.in_(accounts))
                                      .order_by(Interaction.id)))
        session.execute(insert(interaction_stakeholder), [dict(interaction_id=v, stakeholder_id=people[k])
                                                          for k, v in enumerate(visits)])
        session.execute(insert(interaction_attendee), [dict(interaction_id=v, user_id=users[k % len(users)])
                                                       for k, v in enumerate(visits)])
        session.execute(insert(NextStep), [dict(interaction_id=v, text=f"跟进{k}", owner_id=ar if k % 2 else
                                                users[k % len(users)], due_on=date(2026, 12, 1))
                                           for k, v in enumerate(visits)])
        session.commit()
        return {"ar": ar, "group": gid, "account": accounts[0], "stakeholder": people[0]}


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
    assert response.status_code == 200, url
    return len(statements), response.get_data(as_text=True)


PAGES = {
    "home": ("/", "id=\"stale-answers\""),  # "answers to review" of every plan on the team
    "account list": ("/accounts", "客户000"),
    "group list": ("/groups", "客户群"),
    "group page": ("/groups/{group}", "客户000"),
    "account page": ("/accounts/{account}", "关键人0-0"),
    "onboarding": ("/accounts/{account}/onboarding", "纪要"),
    "plan list": ("/accounts/{account}/plans", "FY2027"),
    "plan page": ("/accounts/{account}/plans/FY2027", "战略0"),
    "plan history": ("/accounts/{account}/plans/FY2027/history", "写作者1"),
    "stakeholder page": ("/stakeholders/{stakeholder}", "关键人0-0"),
    "stakeholder list": ("/accounts/{account}/stakeholders", "关键人0-0"),
    "visit list": ("/accounts/{account}/interactions", "拜访0-0"),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_statements_per_page_do_not_grow_with_the_organisation(app, client, page):
    url, shown = PAGES[page]
    small = populate(app, tag="s", n=4)
    large = populate(app, tag="l", n=12)
    counts = []
    for world, tag in ((small, "s"), (large, "l")):
        with app.app_context():
            from kb.db import session
            email = session.get(User, world["ar"]).email
        client.post("/logout")
        assert client.post("/login", data={"email": email, "password": "password123"}).status_code == 302
        client.get(url.format(**world))  # warm-up: caches, lazy imports
        n, html = count_statements(app, client, url.format(**world))
        assert tag + shown in html or shown in html, (page, shown)
        counts.append(n)
    assert counts[1] <= counts[0], (page, counts)
    assert counts[1] < 42, (page, counts)  # the account page runs 40 with plan targets and the cash panel
