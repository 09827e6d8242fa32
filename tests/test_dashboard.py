"""The team dashboard (issue 8 §3): home of leads and admins, a section of each group page, viewer's home."""
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from kb import clock
from models import Attitude, DecisionRole, Influence, InteractionKind, RelationshipLayer, Visibility


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def page(client, url="/"):
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def section(html, anchor):
    return html.split(f'id="{anchor}"')[1].split("</details>")[0]


def count(html, anchor):
    return int(re.search(rf'id="{anchor}"><a[^>]*><strong>(\d+)\+?</strong>', html).group(1))


@pytest.fixture
def world(app, create_user, create_group, create_seat, create_account, create_stakeholder, create_interaction,
          create_plan):
    with app.app_context():
        today = clock.today()
    lead, other_lead, gone = create_user(name="组长"), create_user(name="别组组长"), create_user(name="离职者", active=False)
    group, other = create_group(name="华东客户群"), create_group(name="华南客户群")
    create_seat(group, lead, "AR")
    create_seat(other, other_lead, "AR")
    visited = create_account(group=group, name="常拜访客户")
    forgotten = create_account(group=group, name="久未拜访客户")
    elsewhere = create_account(group=other, name="别组客户")
    create_stakeholder(visited, name="孤儿决策人", owners=[gone], decision_role=DecisionRole.DECISION_MAKER,
                       influence=Influence.HIGH, layer=RelationshipLayer.KEY)
    looked_after = [create_stakeholder(visited, name="有人管的", owners=[lead], layer=RelationshipLayer.KEY),
                    create_stakeholder(visited, name="普通联系人", owners=[lead], layer=RelationshipLayer.BROAD)]
    create_stakeholder(elsewhere, name="别组孤儿", owners=[gone], attitude=Attitude.OPPOSE)
    create_interaction(visited, occurred_on=today - timedelta(days=10), stakeholders=looked_after, next_steps=[
        dict(text="逾期的承诺", owner_id=lead.id, due_on=today - timedelta(days=3)),
        dict(text="下周要交的方案", owner_id=lead.id, due_on=today + timedelta(days=5)),
        dict(text="明年的事", owner_id=lead.id, due_on=today + timedelta(days=60)),
    ])
    create_interaction(visited, occurred_on=today - timedelta(days=40))
    create_interaction(forgotten, occurred_on=today - timedelta(days=200))
    create_interaction(elsewhere, occurred_on=today - timedelta(days=400), visibility=Visibility.TEAM,
                       next_steps=[dict(text="别组的秘密承诺", owner_id=other_lead.id, due_on=today - timedelta(days=1))])
    plan = create_plan(forgotten, strategy="多年前写的战略")
    with app.app_context():
        from kb.db import session
        from models import AccountPlan
        session.get(AccountPlan, plan.id).field_changes = {
            "strategy": {"by": lead.id, "at": "2020-01-01T00:00:00+00:00"}}
        session.commit()
    return dict(lead=lead, other_lead=other_lead, group=group, other=other, visited=visited,
                forgotten=forgotten, elsewhere=elsewhere, today=today)


def test_lead_home_shows_counts_and_lists_for_their_accounts_only(client, login_as, world):
    login_as(world["lead"])
    html = page(client)
    assert 'id="home-dashboard"' in html
    assert count(html, "home-count-overdue") == 1 and "逾期的承诺" in section(html, "home-overdue")
    assert count(html, "home-count-upcoming") == 1
    assert "下周要交的方案" in section(html, "home-upcoming") and "明年的事" not in section(html, "home-upcoming")
    assert count(html, "home-count-risk") == 1 and "孤儿决策人" in section(html, "home-risk")
    assert "Owner" in section(html, "home-risk") or "owner" in section(html, "home-risk")  # the reason in words
    assert count(html, "home-count-stale") == 1 and "久未拜访客户" in section(html, "home-stale")
    unvisited = section(html, "home-unvisited")
    assert count(html, "home-count-unvisited") == 1 and "久未拜访客户" in unvisited and "常拜访客户" not in unvisited
    # coverage by layer: key 1 of 2 covered (the orphan's owner left), broad 1 of 1
    row = html.split('id="home-layers"')[1].split("常拜访客户")[1].split("</tr>")[0]
    assert re.findall(r"<td[^>]*>(\d+/\d+)</td>", row) == ["1/2", "1/1", "0/0"]
    # another group's account, person and team-only promise never show
    for text in ("别组客户", "别组孤儿", "别组的秘密承诺"):
        assert text not in html


def test_visits_chart_counts_visits_per_month(client, login_as, world):
    login_as(world["lead"])
    html = page(client)
    svg = html.split('<div class="visits-chart">')[1].split("</div>")[0]
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{ns}title").text and root.find(f"{ns}desc").text
    numbers = [int(t.text) for t in root.iter(f"{ns}text") if t.get("class") == "n"]
    assert sum(numbers) == 3  # two visits to one account, one 200 days ago to the other: all within 12 months
    table = html.split('id="home-visits-table"')[1].split("</table>")[0]
    assert "常拜访客户" in table and "久未拜访客户" in table
    assert 'style="' not in svg and "<script" not in svg


def test_admin_home_is_never_empty(client, login_as, create_user, world):
    login_as(create_user(role="admin"))
    html = page(client)
    assert 'id="home-dashboard"' in html
    assert "常拜访客户" in html and "别组客户" in html
    assert count(html, "home-count-overdue") == 2  # admins see team-only promises too
    assert "别组的秘密承诺" in section(html, "home-overdue")


def test_viewer_home_has_search_and_recent_plans_no_dashboard(client, login_as, create_user, world):
    login_as(create_user(role="viewer"))
    html = page(client)
    assert 'id="home-dashboard"' not in html
    assert 'id="home-search"' in html and 'action="/search"' in html
    assert "久未拜访客户" in html.split('id="recent-plans"')[1].split("</section>")[0]


def test_group_page_section_for_that_group_and_what_the_reader_may_see(client, login_as, world):
    login_as(world["lead"])
    html = page(client, f"/groups/{world['other'].id}")
    assert 'id="group-dashboard"' in html and "别组孤儿" in section(html, "group-risk")
    assert "别组的秘密承诺" not in html  # team-only promise of another team
    assert count(html, "group-count-overdue") == 0
    html = page(client, f"/groups/{world['group'].id}")
    assert "别组客户" not in html.split('id="group-dashboard"')[1]
    login_as(world["other_lead"])
    assert "别组的秘密承诺" in page(client, f"/groups/{world['other'].id}")


def test_chart_escapes_account_names(app):
    from kb.svg import visits_chart
    from kb.services.dashboard import last_months
    with app.test_request_context():
        months = last_months(clock.today())
        svg = str(visits_chart.render(rows=[("<b>&客户", [1] * 12)], months=months))
    assert "&lt;b&gt;&amp;客户" in svg
    ET.fromstring(svg)


def test_last_months_cross_the_year():
    from datetime import date

    from kb.services.dashboard import last_months
    months = last_months(date(2026, 2, 15))
    assert months[0] == date(2025, 3, 1) and months[-1] == date(2026, 2, 1) and len(months) == 12
