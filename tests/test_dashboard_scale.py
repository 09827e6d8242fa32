"""Issue 9: the dashboard (home and group page) and the stakeholder page do the same work for a large
portfolio as for a small one — and still show the right figures: step counts beyond the listed 20, the
last visit a reader may see, people at risk beyond the listed 20, interactions with a person paged."""
import re
from types import SimpleNamespace
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, select

from kb import clock
from models import (
    Account, DecisionRole, Influence, Interaction, InteractionKind, NextStep, Stakeholder, StakeholderOwner,
    Visibility,
)
from tests.test_accounts_query_count import count_statements, populate


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def section(html, anchor):
    return html.split(f'id="{anchor}"')[1].split("</details>")[0]


def count(html, anchor):
    return int(re.search(rf'id="{anchor}"><a[^>]*><strong>(\d+)\+?</strong>', html).group(1))


def today_of(app):
    with app.app_context():
        return clock.today()


def bulk_accounts(app, group, n, prefix):
    """n accounts of `group` in one INSERT (names sort in creation order), as objects with their id."""
    with app.app_context():
        from kb.db import session
        session.execute(insert(Account), [dict(name=f"{prefix}{i:03d}", name_en=f"{prefix} {i:03d}", aliases=[],
                                               industry="电信", region="华东", customer_group_id=group.id,
                                               sort_key=f"{prefix}{i:03d}") for i in range(n)])
        session.commit()
        return [SimpleNamespace(id=i) for i in session.scalars(
            select(Account.id).where(Account.customer_group_id == group.id).order_by(Account.id))]


@pytest.mark.parametrize("url", ["/", "/groups/{group}"])
@pytest.mark.parametrize("role", ["admin", "member"])
def test_statements_are_the_same_for_2_and_60_accounts(app, client, login_as, create_user, create_group,
                                                       create_seat, create_plan, role, url):
    owners = [create_user(name="负责人甲"), create_user(name="负责人乙", active=False)]
    measured = {}
    for size in (2, 60):
        group, lead = create_group(), create_user(name=f"组长{size}")
        create_seat(group, lead, "AR")
        for i, account in enumerate(bulk_accounts(app, group, size, f"规模{size}客户")):
            create_plan(account, strategy="战略")
            populate(app, account, owners, 30 if i < 2 else 6)
        login_as(create_user(role="admin") if role == "admin" else lead)
        target = url.format(group=group.id)
        client.get(target)  # warm-up
        measured[size] = count_statements(app, client, target)
    (n_small, html_small), (n_large, html_large) = measured[2], measured[60]
    assert "-dashboard" in html_small and "-dashboard" in html_large
    assert n_large == n_small, (n_small, n_large)
    # coverage by layer: a page of the first 20 accounts, the rest counted
    scope = "home" if url == "/" else "group"
    covered = [f"规模60客户{i:03d}" for i in range(60)]
    if role == "admin" and url == "/":  # an admin's home covers every account, the small group's too
        covered = ["规模2客户000", "规模2客户001"] + covered
    layers = html_large.split(f'id="{scope}-layers"')[1].split("</table>")[0]
    assert re.findall(r">(规模\d+客户\d{3})</a></th>", layers) == covered[:20]
    more = len(covered) - 20
    assert f"{more} more accounts not shown" in html_large.split(f'id="{scope}-layers"')[1].split("</h3>")[0]


@pytest.fixture
def busy(app, create_user, create_group, create_seat, create_account, create_interaction):
    """A lead with one account holding 23 overdue and 21 upcoming open steps (plus some that never count),
    and another group's lead."""
    today = today_of(app)
    lead, outsider = create_user(name="忙碌组长"), create_user(name="别组组长")
    group, other = create_group(name="忙碌客户群"), create_group(name="别的客户群")
    create_seat(group, lead, "AR")
    create_seat(other, outsider, "AR")
    account = create_account(group=group, name="忙碌客户")
    steps = ([dict(text=f"逾期{i:02d}", owner_id=lead.id, due_on=today - timedelta(days=30 - i)) for i in range(23)]
             + [dict(text=f"将到期{i:02d}", owner_id=lead.id, due_on=today + timedelta(days=i % 15))
                for i in range(21)]
             + [dict(text="已完成的", owner_id=lead.id, due_on=today - timedelta(days=2), done=True),
                dict(text="没有日期的", owner_id=lead.id, due_on=None),
                dict(text="下个月的", owner_id=lead.id, due_on=today + timedelta(days=15))])
    create_interaction(account, occurred_on=today - timedelta(days=5), next_steps=steps)
    create_interaction(account, occurred_on=today - timedelta(days=6), visibility=Visibility.TEAM,
                       next_steps=[dict(text="团队内逾期", owner_id=lead.id, due_on=today - timedelta(days=1))])
    create_interaction(account, occurred_on=today - timedelta(days=7), archived_at=datetime.now(timezone.utc),
                       next_steps=[dict(text="已归档的逾期", owner_id=lead.id, due_on=today - timedelta(days=1))])
    return dict(lead=lead, outsider=outsider, group=group, account=account)


def test_step_counts_go_beyond_the_listed_20_and_lists_start_with_the_earliest(client, login_as, busy):
    login_as(busy["lead"])
    html = page(client, "/")
    assert count(html, "home-count-overdue") == 24  # 23 + the team-only one the lead may see
    overdue = section(html, "home-overdue")
    assert len(re.findall(r"<li>", overdue)) == 20
    assert overdue.index("逾期00") < overdue.index("逾期01") < overdue.index("逾期19")
    assert "逾期20" not in overdue and "4 more not listed" in overdue
    for never in ("已完成的", "没有日期的", "已归档的逾期", "将到期"):
        assert never not in overdue
    assert count(html, "home-count-upcoming") == 21
    upcoming = section(html, "home-upcoming")
    assert len(re.findall(r"<li>", upcoming)) == 20 and "下个月的" not in upcoming and "逾期" not in upcoming


def test_outsider_counts_no_team_only_step(client, login_as, busy):
    login_as(busy["outsider"])
    html = page(client, f"/groups/{busy['group'].id}")
    assert count(html, "group-count-overdue") == 23
    assert "团队内逾期" not in html
    login_as(busy["lead"])
    assert count(page(client, f"/groups/{busy['group'].id}"), "group-count-overdue") == 24


def test_not_visited_uses_the_latest_visit_the_reader_may_see(app, client, login_as, create_user, create_group,
                                                             create_seat, create_account, create_interaction):
    today = today_of(app)
    lead, outsider = create_user(name="组长"), create_user(name="外人")
    group, other = create_group(name="拜访客户群"), create_group(name="外人客户群")
    create_seat(group, lead, "AR")
    create_seat(other, outsider, "AR")
    secret = create_account(group=group, name="只有团队拜访")
    calls = create_account(group=group, name="只打电话")
    old = create_account(group=group, name="很久以前拜访")
    create_interaction(secret, occurred_on=today - timedelta(days=3), visibility=Visibility.TEAM,
                       kind=InteractionKind.EXECUTIVE_MEETING)
    create_interaction(secret, occurred_on=today - timedelta(days=300))
    create_interaction(calls, occurred_on=today - timedelta(days=2), kind=InteractionKind.CALL)
    create_interaction(calls, occurred_on=today + timedelta(days=3))  # planned, not yet a visit
    create_interaction(calls, occurred_on=today - timedelta(days=1), archived_at=datetime.now(timezone.utc))
    create_interaction(old, occurred_on=date(2020, 5, 4))
    create_interaction(old, occurred_on=date(2021, 6, 7))

    def unvisited(user):
        login_as(user)
        html = page(client, f"/groups/{group.id}")
        return count(html, "group-count-unvisited"), section(html, "group-unvisited")

    n, listed = unvisited(lead)
    assert n == 2 and "只有团队拜访" not in listed
    assert listed.index("只打电话") < listed.index("很久以前拜访")  # never visited first
    assert "never visited" in listed.split("只打电话")[1].split("</li>")[0]
    assert "2021-06-07" in listed.split("很久以前拜访")[1].split("</li>")[0]  # the latest of the two
    n, listed = unvisited(outsider)
    assert n == 3 and "只有团队拜访" in listed  # the team-only meeting is not theirs to count
    row = listed.split("只有团队拜访")[1].split("</li>")[0]
    assert "never visited" not in row  # the visit 300 days ago is org-visible


def test_people_at_risk_counted_beyond_the_listed_20(app, client, login_as, create_user, create_group, create_seat,
                                                      create_account):
    lead = create_user(name="风险组长")
    group = create_group(name="风险客户群")
    create_seat(group, lead, "AR")
    account = create_account(group=group, name="风险客户")
    today = today_of(app)
    with app.app_context():
        from kb.db import session
        session.execute(insert(Stakeholder), [dict(
            account_id=account.id, name=f"无人负责{i:02d}", decision_role=DecisionRole.INFLUENCER,
            influence=Influence.LOW, relationship_level=1) for i in range(25)] + [dict(
            account_id=account.id, name=f"照顾好的{i:02d}", decision_role=DecisionRole.INFLUENCER,
            influence=Influence.LOW, relationship_level=1) for i in range(5)])
        cared = list(session.scalars(select(Stakeholder.id).where(Stakeholder.name.like("照顾好的%"))))
        session.execute(insert(StakeholderOwner), [dict(stakeholder_id=s, user_id=lead.id, is_primary=True)
                                                   for s in cared])
        session.execute(insert(Interaction), [dict(account_id=account.id, occurred_on=today, kind=InteractionKind.VISIT,
                                                   title="见面", summary="", visibility=Visibility.ORG)])
        visit = session.scalar(select(Interaction.id).where(Interaction.account_id == account.id))
        from models import interaction_stakeholder
        session.execute(insert(interaction_stakeholder), [dict(interaction_id=visit, stakeholder_id=s)
                                                          for s in cared])
        session.commit()
    login_as(lead)
    html = page(client, f"/groups/{group.id}")
    assert count(html, "group-count-risk") == 25
    risk = section(html, "group-risk")
    assert len(re.findall(r"<li>", risk)) == 20 and "照顾好的" not in risk
    assert risk.count("No owner of ours") == 20 and risk.count("Never met") == 20  # both reasons, in words
    # the accounts table counts the same people with the same rule
    row = html.split('class="data accounts"')[1].split("风险客户")[1].split("</tr>")[0]
    assert "25 relationships at risk" in row


def test_stakeholder_page_pages_the_interactions_with_the_person(app, client, login_as, create_user, create_group,
                                                                 create_seat, create_account, create_stakeholder,
                                                                 create_interaction):
    lead, outsider = create_user(name="组长"), create_user(name="外人")
    group = create_group()
    create_seat(group, lead, "AR")
    account = create_account(group=group, name="常见客户")
    person = create_stakeholder(account, name="常见的人")
    for i in range(12):
        create_interaction(account, occurred_on=date(2026, 1, 1) + timedelta(days=i), title=f"第{i:02d}次见面",
                           stakeholders=[person])
    create_interaction(account, occurred_on=date(2026, 2, 1), title="团队内见面", stakeholders=[person],
                       visibility=Visibility.TEAM)
    create_interaction(account, occurred_on=date(2026, 2, 2), title="没见这个人")
    login_as(lead)
    first = page(client, f"/stakeholders/{person.id}")
    assert "13 interactions" in first and "团队内见面" in first and "没见这个人" not in first
    assert "第11次见面" in first and "第03次见面" in first and "第02次见面" not in first  # newest 10
    assert 'rel="next"' in first
    second = page(client, f"/stakeholders/{person.id}?page=2")
    assert "第02次见面" in second and "第00次见面" in second and "第03次见面" not in second
    login_as(outsider)
    html = page(client, f"/stakeholders/{person.id}")
    assert "12 interactions" in html and "团队内见面" not in html
    past_end = page(client, f"/stakeholders/{person.id}?page=99")  # past the end: the last page (s6 fix 2)
    assert "第01次见面" in past_end and "第00次见面" in past_end and "第02次见面" not in past_end


def test_stakeholder_page_statements_do_not_grow_with_interactions(app, client, login_as, create_user,
                                                                    create_group, create_seat, create_account,
                                                                    create_stakeholder, create_interaction):
    lead = create_user()
    group = create_group()
    create_seat(group, lead, "AR")
    counts = []
    for visits in (2, 40):
        account = create_account(group=group)
        person = create_stakeholder(account, owners=[lead])
        for i in range(visits):
            create_interaction(account, occurred_on=date(2026, 1, 1) + timedelta(days=i), stakeholders=[person],
                               attendees=[lead], next_steps=[dict(text="跟进", owner_id=lead.id)])
        login_as(lead)
        client.get(f"/stakeholders/{person.id}")
        counts.append(count_statements(app, client, f"/stakeholders/{person.id}")[0])
    assert counts[0] == counts[1], counts


def test_group_page_builds_whole_people_only_for_those_it_lists(app, client, login_as, create_user, create_group,
                                                                create_seat, create_plan):
    """The accounts table's risk counts and the dashboard's risk scan read people as plain rows: only the
    people the page lists are built as Stakeholder objects (before issue 9: every person of the page's
    accounts, 600 here, and the 100 the dashboard checked)."""
    from sqlalchemy import event
    owners = [create_user(name="负责人甲"), create_user(name="负责人乙", active=False)]
    group, lead = create_group(), create_user(name="组长")
    create_seat(group, lead, "AR")
    for account in bulk_accounts(app, group, 30, "人多客户"):
        create_plan(account, strategy="战略")
        populate(app, account, owners, 20)
    login_as(lead)
    built = []

    def record(target, context):
        built.append(target.id)
    event.listen(Stakeholder, "load", record)
    try:
        html = page(client, f"/groups/{group.id}")
    finally:
        event.remove(Stakeholder, "load", record)
    assert count(html, "group-count-risk") >= 20
    assert len(built) <= 20, len(built)
