"""Issue 9: the home and group pages do the same work for a 5- or a 55-account portfolio.

"My accounts" lists the first MY_ACCOUNTS_SHOWN and says how many more there are; the group page lists its
accounts a page at a time (and counts relationships at risk for that page only); the dashboard's risk
scan stops at RISK_SCAN_LIMIT people and says so; the risk rule counts without putting reasons in words
and still agrees with the reasons it gives.
"""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import event, select

from kb.services import dashboard
from models import Attitude, DecisionRole, Influence, SeatRole
from views.groups.routes import ACCOUNTS_PER_PAGE
from views.home.routes import MY_ACCOUNTS_SHOWN


def _rows(html: str, section_id: str) -> list[str]:
    section = html.split(f'id="{section_id}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<tr>\s*<td>.*?</tr>', section, flags=re.S)


def test_home_lists_first_accounts_and_says_how_many_more(client, login_as, create_user, create_account):
    me = create_user(name="大客户经理")
    for n in range(MY_ACCOUNTS_SHOWN + 3):
        create_account(name=f"客户{n:02d}", members=[me])
    login_as(me)
    html = client.get("/").get_data(as_text=True)
    rows = _rows(html, "my-accounts")
    assert len(rows) == MY_ACCOUNTS_SHOWN
    assert "客户00" in rows[0] and f"客户{MY_ACCOUNTS_SHOWN - 1:02d}" in rows[-1]  # by name
    header = html.split('id="my-accounts"', 1)[1].split("</header>", 1)[0]
    assert f">{MY_ACCOUNTS_SHOWN + 3}<" in header  # the total, not the shown number
    more = html.split('id="my-accounts-more"', 1)[1].split("</p>", 1)[0]
    assert "3" in more and 'href="/accounts"' in more


def test_home_without_more_accounts_has_no_more_line(client, login_as, create_user, create_account):
    me = create_user()
    create_account(name="唯一客户", members=[me])
    login_as(me)
    html = client.get("/").get_data(as_text=True)
    assert len(_rows(html, "my-accounts")) == 1 and 'id="my-accounts-more"' not in html


def test_group_page_lists_accounts_a_page_at_a_time_with_risk_counts(
        app, client, login_as, create_user, create_group, create_account, create_stakeholder):
    per_page = ACCOUNTS_PER_PAGE
    viewer = create_user(role="viewer")
    group = create_group(name="大客户群")
    accounts = [create_account(group=group, name=f"群客户{n:02d}") for n in range(per_page + 2)]
    create_stakeholder(accounts[-1], name="无人维护的决策者", decision_role=DecisionRole.DECISION_MAKER)
    login_as(viewer)
    def accounts_section(path: str) -> str:
        return client.get(path).get_data(as_text=True).split('id="accounts-h"', 1)[1].split("</section>", 1)[0]

    first = accounts_section(f"/groups/{group.id}")
    assert f'<small class="muted">{per_page + 2}</small>' in first
    assert "群客户00" in first and f"群客户{per_page - 1:02d}" in first and f"群客户{per_page:02d}" not in first
    assert 'rel="next"' in first
    second = accounts_section(f"/groups/{group.id}?page=2")
    assert f"群客户{per_page:02d}" in second and f"群客户{per_page + 1:02d}" in second and "群客户00" not in second
    row = second.split(f"群客户{per_page + 1:02d}", 1)[1].split("</tr>", 1)[0]
    assert f"/accounts/{accounts[-1].id}/onboarding#whos-who" in row  # its one person at risk is counted
    assert client.get(f"/groups/{group.id}?page=abc").status_code == 200  # bad page → page 1


def test_group_page_statements_do_not_grow_with_the_group(
        app, client, login_as, create_user, create_group, create_account, create_stakeholder, create_seat):
    ar = create_user()
    small, big = create_group(), create_group()
    create_seat(small, ar, SeatRole.AR, started_on=date(2024, 1, 1))
    create_seat(big, ar, SeatRole.AR, started_on=date(2024, 1, 1))
    for group, n in ((small, 2), (big, 40)):
        for i in range(n):
            account = create_account(group=group)
            create_stakeholder(account, owners=[ar])
    login_as(ar)
    engine = app.extensions["kb.db"].engine

    def statements(path: str) -> int:
        client.get(path)  # warm
        seen: list[str] = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    assert statements(f"/groups/{big.id}") == statements(f"/groups/{small.id}")


def test_home_statements_do_not_grow_with_the_portfolio(app, client, login_as, create_user, create_account,
                                                        create_stakeholder):
    few, many = create_user(), create_user()
    for user, n in ((few, 2), (many, MY_ACCOUNTS_SHOWN + 5)):
        for _ in range(n):
            create_stakeholder(create_account(members=[user]), owners=[user])
    engine = app.extensions["kb.db"].engine

    def statements(user) -> int:
        login_as(user)
        client.get("/")  # warm
        seen: list[str] = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get("/").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    assert statements(many) == statements(few)


def test_dashboard_risk_scan_is_capped_and_says_so(app, create_user, create_account, create_stakeholder):
    me = create_user()
    account = create_account(members=[me])
    for _ in range(dashboard.RISK_SCAN_LIMIT + 1):
        create_stakeholder(account)  # no owner: every one at risk
    with app.test_request_context():
        from kb.db import session
        from models import Account, User
        user = session.get(User, me.id)
        dash = dashboard.build(accounts=[session.get(Account, account.id)], reader=user, stale_after_days=180)
    assert dash.at_risk.capped and dash.at_risk.count == dashboard.RISK_SCAN_LIMIT
    assert len(dash.at_risk.rows) == dashboard.LIST_LIMIT


def test_risk_counts_agree_with_the_reasons(app, create_user, create_account, create_stakeholder,
                                            create_interaction):
    """The count path (reasons never put in words) and the page path give the same people at risk,
    including the "supportive beside them" half of no_support_near."""
    me = create_user()
    account = create_account(members=[me])
    boss = create_stakeholder(account, owners=[me], attitude=Attitude.NEUTRAL)
    alone = create_stakeholder(account, owners=[me, create_user()],
                               decision_role=DecisionRole.DECISION_MAKER, attitude=Attitude.NEUTRAL)
    lonely = create_stakeholder(account, owners=[me, create_user()], reports_to=boss,
                                decision_role=DecisionRole.DECISION_MAKER, attitude=Attitude.NEUTRAL)
    helped = create_stakeholder(account, owners=[me, create_user()], reports_to=boss,
                                decision_role=DecisionRole.DECISION_MAKER, attitude=Attitude.NEUTRAL)
    create_stakeholder(account, owners=[me], reports_to=boss, attitude=Attitude.SUPPORT)
    create_stakeholder(account, attitude=Attitude.OPPOSE, influence=Influence.HIGH)
    create_interaction(account, stakeholders=[boss, lonely, helped], occurred_on=date(2026, 11, 1))
    with app.test_request_context():
        from kb.db import session
        from kb.services import relationship_risk
        from models import Stakeholder
        people = list(session.scalars(select(Stakeholder).where(Stakeholder.account_id == account.id)))
        risks = relationship_risk.stakeholder_risks(stakeholders=people, today=date(2026, 11, 30))
        counts = relationship_risk.at_risk_counts(account_ids=[account.id], today=date(2026, 11, 30))
    assert counts == {account.id: sum(1 for r in risks.values() if r)}
    assert "no_support_near" in {r.code for r in risks[alone.id]}  # nobody above or beside
    # a supportive colleague under the same boss: neither decision-maker lacks support nearby
    assert "no_support_near" not in {r.code for r in risks[lonely.id]}
    assert "no_support_near" not in {r.code for r in risks[helped.id]}
