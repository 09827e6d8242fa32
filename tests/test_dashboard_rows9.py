"""What the dashboard's rows print (issue 9: built as plain rows, links by kb.urls.id_url): each overdue or
upcoming next step links to its visit and names its account and owner (inactive owners marked; none when
nobody owns it); people at risk link to their page and account; the group page's accounts link to their page
and their risk count to the onboarding page's who's-who."""
import re
from datetime import timedelta

import pytest

from kb import clock
from models import DecisionRole, Influence


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def section(html, anchor):
    return html.split(f'id="{anchor}"')[1].split("</details>")[0]


@pytest.fixture
def world(app, create_user, create_group, create_seat, create_account, create_stakeholder,
          create_interaction):
    with app.app_context():
        today = clock.today()
    lead, gone = create_user(name="组长"), create_user(name="离职者", active=False)
    group = create_group(name="华东客户群")
    create_seat(group, lead, "AR")
    north, south = create_account(group=group, name="北方客户"), create_account(group=group, name="南方客户")
    orphan = create_stakeholder(south, name="孤儿决策人", owners=[gone], decision_role=DecisionRole.DECISION_MAKER,
                                influence=Influence.HIGH)
    visit = create_interaction(north, occurred_on=today - timedelta(days=10), next_steps=[
        dict(text="逾期的承诺", owner_id=gone.id, due_on=today - timedelta(days=3)),
        dict(text="没人管的事", due_on=today + timedelta(days=2)),
        dict(text="组长的事", owner_id=lead.id, due_on=today + timedelta(days=4)),
    ])
    return dict(lead=lead, group=group, north=north, south=south, orphan=orphan, visit=visit)


@pytest.mark.parametrize(("url", "scope"), [("/", "home"), ("/groups/{group}", "group")])
def test_step_rows_link_their_visit_and_name_account_and_owner(client, login_as, world, url, scope):
    login_as(world["lead"])
    html = client.get(url.format(group=world["group"].id)).get_data(as_text=True)
    overdue, upcoming = section(html, f"{scope}-overdue"), section(html, f"{scope}-upcoming")
    link = f'<a href="/interactions/{world["visit"].id}">'
    assert f"{link}逾期的承诺</a>" in overdue
    assert "· 北方客户" in overdue and "· 离职者 (inactive user)" in overdue
    items = re.findall(r"<li>.*?</li>", upcoming, flags=re.S)
    assert [bool(re.search("没人管的事", i)) for i in items] == [True, False]
    assert "· 组长" not in items[0] and "· 组长</span>" in items[1] and "inactive" not in items[1]
    assert upcoming.count(link) == 2
    risk = section(html, f"{scope}-risk")
    assert f'<a href="/stakeholders/{world["orphan"].id}"><strong>孤儿决策人</strong></a>' in risk
    assert f'<a class="small" href="/accounts/{world["south"].id}">南方客户</a>' in risk
    layers = html.split(f'id="{scope}-layers"')[1].split("</table>")[0]
    assert f'<a href="/accounts/{world["north"].id}">北方客户</a>' in layers


def test_group_accounts_table_links(client, login_as, world):
    login_as(world["lead"])
    html = client.get(f"/groups/{world['group'].id}").get_data(as_text=True)
    table = html.split('<table class="data accounts">')[1].split("</table>")[0]
    assert f'<a href="/accounts/{world["north"].id}">北方客户</a>' in table
    south = world["south"].id
    assert f'<a href="/accounts/{south}">南方客户</a>' in table
    assert f'<a href="/accounts/{south}/onboarding#whos-who">' in table  # its one person at risk
    assert f"/accounts/{world['north'].id}/onboarding" not in table  # nobody at risk: no link
