"""The account list's date is the account's last activity (a visit, a plan save), not the record's own edit."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from kb import clock
from models import Account


def _row_date(html: str, name: str) -> str:
    row = re.search(rf"<tr[^>]*>\s*<td>\s*<a[^>]*><strong>{name}</strong>.*?</tr>", html, re.S).group(0)
    return re.findall(r"\d{4}-\d{2}-\d{2}", row)[-1]


def test_list_shows_the_last_visit_or_plan_save(app, client, login_as, create_user, create_group, create_account,
                                                create_interaction, create_plan):
    member, outsider = create_user(), create_user()
    visited = create_account(group=create_group(), name="华东移动", members=[member])
    quiet = create_account(name="西部银行")
    planned = create_account(name="南方电网")
    with app.app_context():
        from kb.db import session
        today = clock.today()
        for account in (visited, quiet, planned):  # the records themselves were last edited in 2021
            session.get(Account, account.id).updated_at = datetime(2021, 3, 1, 4, tzinfo=timezone.utc)
        session.commit()
    month_ago, two_days_ago = today - timedelta(days=30), today - timedelta(days=2)
    create_interaction(visited, occurred_on=month_ago)
    create_interaction(visited, occurred_on=two_days_ago, visibility="team")  # only the team sees this one
    create_interaction(visited, occurred_on=today + timedelta(days=5))  # planned ahead: not activity yet
    create_plan(planned, period="FY2027")  # saved today

    login_as(outsider)
    html = client.get("/accounts", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Last activity" in html
    assert _row_date(html, "华东移动") == month_ago.isoformat()
    assert _row_date(html, "西部银行") == "2021-03-01"
    assert _row_date(html, "南方电网") == today.isoformat()

    login_as(member)
    html = client.get("/accounts").get_data(as_text=True)
    assert _row_date(html, "华东移动") == two_days_ago.isoformat()
