"""Issue 9 (scale): the account list's "last activity" and the stakeholder page's visits, flat in data size.

The last activity of each listed account is one statement of index seeks (the latest visit of each
visibility the reader may see), and the stakeholder page's visits and their total come from one statement
(a window count). These tests pin what a reader sees — the right date for each reader, the right visits
and totals on every page of the person's visits — and the statement counts at two sizes.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event, select, update

from kb import clock
from kb.services import interactions
from kb.services.counted import page_and_total
from models import Account, Interaction, User
from tests.test_scale_query_counts import populate


def _row_date(html: str, name: str) -> str:
    row = re.search(rf"<tr[^>]*>\s*<td>\s*<a[^>]*><strong>{name}</strong>.*?</tr>", html, re.S).group(0)
    return re.findall(r"\d{4}-\d{2}-\d{2}", row)[-1]


def _set_updated(app, account_ids, when):
    with app.app_context():
        from kb.db import session
        session.execute(update(Account).where(Account.id.in_(account_ids)).values(updated_at=when))
        session.commit()


@pytest.fixture
def visited(app, create_user, create_group, create_account, create_interaction):
    """Two accounts last edited in 2021: one with org and team-only visits (one archived, one planned
    ahead), one with team-only visits only."""
    member, outsider, admin = create_user(), create_user(), create_user(role="admin")
    group = create_group()
    mixed = create_account(group=group, name="华北电力", members=[member])
    secret = create_account(group=group, name="东海证券", members=[member])
    _set_updated(app, [mixed.id, secret.id], datetime(2021, 3, 1, 4, tzinfo=timezone.utc))
    today = clock.today()
    days = {k: today - timedelta(days=d) for k, d in (("org", 40), ("team", 10), ("archived", 3),
                                                       ("secret", 5))}
    create_interaction(mixed, occurred_on=days["org"])
    create_interaction(mixed, occurred_on=days["org"] - timedelta(days=30))  # older org visit
    create_interaction(mixed, occurred_on=days["team"], visibility="team")
    gone = create_interaction(mixed, occurred_on=days["archived"])
    create_interaction(mixed, occurred_on=today + timedelta(days=3))  # planned ahead: not activity yet
    create_interaction(mixed, occurred_on=today + timedelta(days=4), visibility="team")
    for k in range(3):
        create_interaction(secret, occurred_on=days["secret"] - timedelta(days=k), visibility="team")
    with app.app_context():
        from kb.db import session
        session.get(Interaction, gone.id).archived_at = datetime.now(timezone.utc)
        session.commit()
    return {"member": member, "outsider": outsider, "admin": admin, "days": days, "mixed": mixed}


@pytest.mark.parametrize("who, mixed_day, secret_day", [
    ("outsider", "org", None),  # team-only visits are team content: not even their dates
    ("member", "team", "secret"),
    ("admin", "team", "secret"),
])
def test_last_activity_is_the_latest_visit_the_reader_may_see(app, client, login_as, visited, who, mixed_day,
                                                               secret_day):
    login_as(visited[who])
    html = client.get("/accounts").get_data(as_text=True)
    assert _row_date(html, "华北电力") == visited["days"][mixed_day].isoformat()  # never the archived visit
    assert _row_date(html, "东海证券") == (visited["days"][secret_day].isoformat() if secret_day
                                       else "2021-03-01")  # the record's own edit


def test_a_later_plan_save_wins_over_the_visits(app, client, login_as, visited, create_plan):
    create_plan(visited["mixed"], period="FY2027")  # saved today
    login_as(visited["outsider"])
    assert _row_date(client.get("/accounts").get_data(as_text=True), "华北电力") == clock.today().isoformat()


def _statements(app, client, url):
    engine = app.extensions["kb.db"].engine
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(" ".join(statement.split()))
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200, url
    return seen, response.get_data(as_text=True)


def _sign_in(app, client, user_id):
    with app.app_context():
        from kb.db import session
        email = session.get(User, user_id).email
    client.post("/logout")
    assert client.post("/login", data={"email": email, "password": "password123"}).status_code == 302


@pytest.mark.parametrize("page, url, expected", [
    ("account list", "/accounts", 13),  # 17 before: last activity 3, the plan meters 3, the groups 1
    ("stakeholder page", "/stakeholders/{stakeholder}", 11),  # 19, then 15 before (h/s9stk9: owners, erasure
    # with the person; the team check from the risk rule's team read; no empty reporting-lines read)
])
def test_statements_are_pinned_and_flat(app, client, page, url, expected):
    counts = []
    for tag, n in (("s", 3), ("l", 30)):  # 3 accounts, then 33: more than a page of the list
        world = populate(app, tag=tag, n=n)
        _sign_in(app, client, world["ar"])
        client.get(url.format(**world))  # warm-up: caches, lazy imports
        seen, html = _statements(app, client, url.format(**world))
        counts.append(len(seen))
        # the statements that read visits themselves (not the risk rule's last contacts, which only
        # aggregate dates: kb.services.relationship_risk)
        visits = [s for s in seen if re.search(r"FROM interaction\b", s) and not s.startswith("WITH")
                  and "recent_visits" not in s]
        assert not [s for s in visits if s.startswith("SELECT count(*)")]  # no separate count of the visits
        assert len(visits) == 1, [v[:300] for v in visits]  # last activity, or the person's page of visits: one statement
    assert counts == [expected, expected], counts


@pytest.fixture
def met(app, create_user, create_group, create_account, create_stakeholder, create_interaction):
    """A person met in 13 org and 4 team-only visits (one archived), and in none of another person's."""
    member, outsider = create_user(), create_user()
    account = create_account(group=create_group(), name="西部航空", members=[member])
    person, other = create_stakeholder(account, name="王总"), create_stakeholder(account, name="李处")
    start = clock.today() - timedelta(days=100)
    for k in range(13):
        create_interaction(account, occurred_on=start + timedelta(days=k), title=f"公开拜访{k:02d}",
                           stakeholders=[person])
    for k in range(4):
        create_interaction(account, occurred_on=start + timedelta(days=50 + k), title=f"内部拜访{k}",
                           visibility="team", stakeholders=[person])
    create_interaction(account, occurred_on=start, title="别人的拜访", stakeholders=[other])
    gone = create_interaction(account, occurred_on=start + timedelta(days=60), title="已归档拜访",
                              stakeholders=[person])
    with app.app_context():
        from kb.db import session
        session.get(Interaction, gone.id).archived_at = datetime.now(timezone.utc)
        session.commit()
    return {"member": member, "outsider": outsider, "person": person}


def _titles(html):
    return re.findall(r"(公开拜访\d\d|内部拜访\d|别人的拜访|已归档拜访)", html)


@pytest.mark.parametrize("who, total", [("outsider", 13), ("member", 17)])
def test_stakeholder_page_lists_the_visits_the_reader_may_see_page_by_page(client, login_as, met, who, total):
    login_as(met[who])
    url = f"/stakeholders/{met['person'].id}"
    first = _titles(client.get(url).get_data(as_text=True))
    second = _titles(client.get(url + "?page=2").get_data(as_text=True))
    past = _titles(client.get(url + "?page=9").get_data(as_text=True))  # past the end: the last page
    junk = _titles(client.get(url + "?page=abc").get_data(as_text=True))  # junk: the first page
    assert len(first) == 10 and len(set(first + second)) == total
    assert past == second and junk == first
    assert "别人的拜访" not in first + second and "已归档拜访" not in first + second
    assert any(t.startswith("内部拜访") for t in first + second) is (who == "member")
    newest = ([f"内部拜访{k}" for k in (3, 2, 1, 0)] if who == "member" else []) + [
        f"公开拜访{k:02d}" for k in range(12, -1, -1)]
    assert first + second == newest  # newest first, across the pages


def test_page_and_total_agrees_with_a_separate_count(app, met):
    with app.test_request_context("/"):
        from kb.db import session
        for who, total in (("outsider", 13), ("member", 17)):
            viewer = session.get(User, met[who].id)
            person = met["person"]
            stmt = interactions.stakeholder_interactions_stmt(stakeholder=person, viewer=viewer)
            for raw, number, shown in (("1", 1, 10), ("2", 2, total - 10), ("5", 2, total - 10),
                                       ("-3", 1, 10), (None, 1, 10)):
                page = page_and_total(stmt, raw_page=raw, per_page=10)
                assert (page.number, len(page.items), page.total) == (number, shown, total), (who, raw)
            whole = page_and_total(stmt, raw_page="1", per_page=100)
            assert [i.id for i in whole.items] == [i.id for i in session.scalars(stmt)]
        nobody = page_and_total(stmt.where(Interaction.id < 0), raw_page="3", per_page=10)
        assert (nobody.number, nobody.items, nobody.total) == (1, [], 0)


def test_plan_meters_give_what_plan_status_gives(app, client, login_as, create_user, create_account,
                                                 create_stakeholder, create_plan):
    """The list's meters read "has linked decision-makers" as an EXISTS instead of loading the people: the
    same answered and stale counts as kb.services.accounts.plan_status, for plans answered by links only,
    stale plans (populate's answers were written in 2025), older periods and accounts without a plan."""
    world = populate(app, tag="pm", n=3)
    linked = create_account(name="南方航空")
    boss = create_stakeholder(linked, name="赵总")
    plan = create_plan(linked, period="FY2027", strategy="战略")
    create_plan(linked, period="FY2026", strategy="旧", profit_model="旧", weakest_product="旧")
    bare = create_account(name="北方重工")
    with app.app_context():
        from kb.db import session
        from models import AccountPlan, Stakeholder
        session.get(AccountPlan, plan.id).decision_maker_links = [session.get(Stakeholder, boss.id)]
        session.commit()
    from kb.services import accounts
    with app.test_request_context("/"):
        from kb.db import session
        ids = list(session.scalars(select(Account.id)))
        assert {world["account"], linked.id, bare.id} <= set(ids)
        meters = accounts.plan_meters(ids, stale_after_days=365)
        assert meters == accounts.plan_status(ids, stale_after_days=365)
        answered, stale = meters
        assert (answered[linked.id], stale[linked.id]) == (2, 0)  # strategy, and "who decides" by link
        assert (answered[world["account"]], stale[world["account"]]) == (4, 3)
        assert (answered[bare.id], stale[bare.id]) == (0, 0)
    login_as(create_user())
    html = client.get("/accounts").get_data(as_text=True)
    row = re.search(r"<strong>南方航空</strong>.*?</tr>", html, re.S).group(0)
    assert "2/5" in row
