"""The dashboard's visit figures come from one statement (kb.services.dashboard_visits, issue 9) and stay
exact: visits per month count only the reader's visible, not archived, past visits and meetings; the latest
visit behind "not visited" follows the same rule; the next steps' lists and counts come from one statement
too."""
import re
from datetime import date, datetime, timedelta, timezone

import pytest

from kb import clock
from kb.services.dashboard import last_months
from models import InteractionKind, Visibility


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def month_cells(html, anchor, account_name):
    """The 12 monthly figures of an account's row in the visits table, oldest month first."""
    table = html.split(f'id="{anchor}"')[1].split("</table>")[0]
    row = table.split(f">{account_name}</th>")[1].split("</tr>")[0]
    return [int(n) for n in re.findall(r"<td>(\d+)</td>", row)]


def unvisited(html, anchor):
    return html.split(f'id="{anchor}"')[1].split("</details>")[0]


@pytest.fixture
def visited(app, create_user, create_group, create_seat, create_account, create_interaction):
    with app.app_context():
        today = clock.today()
    lead, outsider = create_user(name="组长"), create_user(name="别组组长")
    group, other = create_group(name="拜访统计客户群"), create_group(name="别的客户群")
    create_seat(group, lead, "AR")
    create_seat(other, outsider, "AR")
    account = create_account(group=group, name="月度拜访客户")
    secret = create_account(group=group, name="只有团队会见")
    day = today - timedelta(days=3)
    create_interaction(account, occurred_on=day)  # counted for everyone
    create_interaction(account, occurred_on=day, visibility=Visibility.TEAM,
                       kind=InteractionKind.EXECUTIVE_MEETING)  # the team's
    create_interaction(account, occurred_on=day, kind=InteractionKind.CALL)  # not a visit
    create_interaction(account, occurred_on=day, archived_at=datetime.now(timezone.utc))  # archived
    create_interaction(account, occurred_on=today + timedelta(days=2))  # planned, not yet a visit
    create_interaction(account, occurred_on=today - timedelta(days=400))  # before the chart's 12 months
    create_interaction(secret, occurred_on=today - timedelta(days=1), visibility=Visibility.TEAM)
    create_interaction(secret, occurred_on=date(2021, 3, 4))  # the latest the outsider may see
    months = last_months(today)
    return dict(lead=lead, outsider=outsider, group=group, today=today,
                at=months.index(date(day.year, day.month, 1)))


@pytest.mark.parametrize("url, prefix", [("/groups/{group}", "group"), ("/", "home")])
def test_the_team_counts_its_team_only_meeting_and_nobody_counts_calls_archived_or_planned_visits(
        client, login_as, visited, url, prefix):
    login_as(visited["lead"])
    html = html_of(client, url.format(group=visited["group"].id))
    cells = month_cells(html, f"{prefix}-visits-table", "月度拜访客户")
    assert len(cells) == 12 and cells[visited["at"]] == 2 and sum(cells) == 2
    assert sum(month_cells(html, f"{prefix}-visits-table", "只有团队会见")) == 1
    listed = unvisited(html, f"{prefix}-unvisited")
    assert "月度拜访客户" not in listed and "只有团队会见" not in listed  # both visited 1–3 days ago


def test_an_outsider_never_counts_a_team_only_visit(client, login_as, visited):
    login_as(visited["outsider"])
    html = html_of(client, f"/groups/{visited['group'].id}")
    cells = month_cells(html, "group-visits-table", "月度拜访客户")
    assert cells[visited["at"]] == 1 and sum(cells) == 1
    assert sum(month_cells(html, "group-visits-table", "只有团队会见")) == 0
    listed = unvisited(html, "group-unvisited")
    # the team-only visit yesterday is not theirs: the latest they may see is from 2021
    assert "只有团队会见" in listed and "2021-03-04" in listed.split("只有团队会见")[1].split("</li>")[0]
    assert "月度拜访客户" not in listed


def test_steps_lists_and_counts_from_one_statement_stay_exact(app, client, login_as, create_user,
                                                              create_group, create_seat, create_account,
                                                              create_interaction):
    with app.app_context():
        today = clock.today()
    lead, helper = create_user(name="组长"), create_user(name="已离职的同事", active=False)
    group = create_group(name="承诺客户群")
    create_seat(group, lead, "AR")
    account = create_account(group=group, name="承诺很多的客户")
    create_interaction(account, occurred_on=today - timedelta(days=30), next_steps=[
        dict(text=f"逾期承诺{i:02d}", owner_id=lead.id, due_on=today - timedelta(days=30 - i))
        for i in range(23)])
    create_interaction(account, occurred_on=today - timedelta(days=5), next_steps=[
        dict(text="没人负责的承诺", due_on=today + timedelta(days=1)),
        dict(text="离职同事的承诺", owner_id=helper.id, due_on=today + timedelta(days=2)),
        dict(text="已完成的承诺", owner_id=lead.id, due_on=today, done=True)])
    login_as(lead)
    html = html_of(client, f"/groups/{group.id}")
    overdue = html.split('id="group-overdue"')[1].split("</details>")[0]
    assert re.search(r'id="group-count-overdue"><a[^>]*><strong>23</strong>', html)
    assert overdue.count("逾期承诺") == 20 and "逾期承诺00" in overdue and "逾期承诺20" not in overdue
    assert overdue.index("逾期承诺00") < overdue.index("逾期承诺19")  # the earliest first
    upcoming = html.split('id="group-upcoming"')[1].split("</details>")[0]
    assert re.search(r'id="group-count-upcoming"><a[^>]*><strong>2</strong>', html)
    assert upcoming.index("没人负责的承诺") < upcoming.index("离职同事的承诺")
    assert "已离职的同事" in upcoming and "已完成的承诺" not in html
