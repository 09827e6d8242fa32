"""Dates in the user's day: "today" is the date in KB_TIMEZONE (default Asia/Shanghai), not the server's.

At 18:05 UTC on 29 November 2026 it is already 02:05 on 30 November in Shanghai. The clock is frozen there
with time-machine; the same instant with KB_TIMEZONE=UTC gives the 29th.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from kb import clock, create_app
from models import AccountPlan, Stakeholder
from tests.api_support import Api, make_token
from tests.conftest import make_config

INSTANT = datetime(2026, 11, 29, 18, 5, tzinfo=timezone.utc)
DUE = "2026-11-29"
#: zone → (what "today" is at INSTANT, whether a step due on the 29th is overdue, INSTANT shown on a page)
ZONES = {
    "Asia/Shanghai": (date(2026, 11, 30), True, "2026-11-30 02:05"),
    "UTC": (date(2026, 11, 29), False, "2026-11-29 18:05"),
}


@pytest.fixture
def frozen():
    # tick=True: time runs on from INSTANT (a frozen clock would stall anything that waits on it).
    with time_machine.travel(INSTANT, tick=True) as traveller:
        yield traveller


@pytest.fixture(params=sorted(ZONES))
def zone(request, monkeypatch) -> SimpleNamespace:
    """Each test runs once per zone, set the way production sets it: the KB_TIMEZONE variable."""
    monkeypatch.setenv("KB_TIMEZONE", request.param)
    today, overdue, shown = ZONES[request.param]
    return SimpleNamespace(name=request.param, today=today, overdue=overdue, shown=shown)


@pytest.fixture
def app_config(tmp_path, database_url, zone):
    """The app of every page test is created after `zone` has set KB_TIMEZONE."""
    return make_config(tmp_path, database_url)


@pytest.fixture
def team(app, zone, frozen, client, create_user, create_group, create_seat, create_account, create_interaction):
    """A member seated on an account's group, signed in, with an open next step due on the 29th."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    group = create_group()
    member = create_user(name="钱经理")
    create_seat(group, member, "AR")
    account = create_account(group=group, name="华南港务")
    visit = create_interaction(account, next_steps=[{"text": "发送报价", "owner_id": member.id,
                                                     "due_on": date(2026, 11, 29)}])
    client.post("/login", data={"email": member.email, "password": "password123"})
    return SimpleNamespace(group=group, account=account, member=member, visit=visit)


def _due_mark(page: str) -> str:
    """The class of the "due 2026-11-29" mark: `overdue` or `muted`."""
    found = re.findall(r'class="small (\w+)">· due ' + DUE, page)
    assert found, page
    assert len(set(found)) == 1, found
    return found[0]


# --- the clock itself -------------------------------------------------------------------------------------

def test_today_and_now_at_the_frozen_instant(frozen):
    assert clock.today(ZoneInfo("Asia/Shanghai")) == date(2026, 11, 30)
    assert clock.today(ZoneInfo("UTC")) == date(2026, 11, 29)
    assert clock.today() == date(2026, 11, 30)  # outside any app: the default zone, Asia/Shanghai
    now = clock.now()
    assert now.utcoffset() == timedelta(hours=8) and (now.day, now.hour) == (30, 2)
    assert clock.local(datetime(2026, 11, 29, 18, 5)) == INSTANT  # naive stored values are UTC
    assert clock.local(INSTANT).strftime("%Y-%m-%d %H:%M") == "2026-11-30 02:05"


def test_each_app_keeps_its_own_zone(tmp_path, database_url, frozen):
    shanghai = create_app(make_config(tmp_path / "a", database_url))
    utc = create_app(make_config(tmp_path / "b", database_url, TIMEZONE="UTC"))
    with utc.app_context():
        assert clock.today() == date(2026, 11, 29)
    with shanghai.app_context():
        assert shanghai.config["TIMEZONE"] == "Asia/Shanghai"
        assert clock.today() == date(2026, 11, 30)
    for app in (shanghai, utc):
        app.extensions["kb.db"].engine.dispose()


@pytest.mark.parametrize("name", ["Asia/Shangai", "Mars/Olympus", "../etc/passwd", "", "  "])
def test_unknown_zone_is_a_clear_startup_error(tmp_path, database_url, monkeypatch, name):
    monkeypatch.setenv("KB_TIMEZONE", name)
    with pytest.raises(clock.UnknownTimeZone, match="KB_TIMEZONE") as error:
        create_app(make_config(tmp_path, database_url))
    assert repr(name) in str(error.value)


def test_zone_from_environment_is_babels_zone_too(tmp_path, database_url, monkeypatch):
    monkeypatch.setenv("KB_TIMEZONE", "Europe/Berlin")
    app = create_app(make_config(tmp_path, database_url))
    assert app.config["TIMEZONE"] == app.config["BABEL_DEFAULT_TIMEZONE"] == "Europe/Berlin"
    app.extensions["kb.db"].engine.dispose()


# --- pages and API at 2026-11-29 18:05 UTC -----------------------------------------------------------------

def test_step_due_on_the_29th_is_overdue_in_shanghai(client, team, zone):
    expected = "overdue" if zone.overdue else "muted"
    account_id = team.account.id
    for path in ("/", f"/interactions/{team.visit.id}", f"/accounts/{account_id}",
                 f"/accounts/{account_id}/brief", f"/accounts/{account_id}/onboarding"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert _due_mark(response.get_data(as_text=True)) == expected, path
    body = Api(client).get(f"/interactions/{team.visit.id}").get_json()
    assert body["next_steps"][0]["due_on"] == DUE
    assert body["next_steps"][0]["overdue"] is zone.overdue


def test_brief_is_dated_today_in_the_zone(client, team, zone):
    page = client.get(f"/accounts/{team.account.id}/brief").get_data(as_text=True)
    assert f"Visit brief · {zone.today.isoformat()}" in page


def test_new_visit_defaults_to_today_in_the_zone(app, client, team, zone):
    page = client.get(f"/accounts/{team.account.id}/interactions/new").get_data(as_text=True)
    field = re.search(r'<input[^>]*name="occurred_on"[^>]*>', page).group(0)
    assert f'value="{zone.today.isoformat()}"' in field


def test_visit_date_limit_counts_from_the_zones_today(app, client, team, zone):
    # The limit is "a year from today" (366 days, for leap years): one more day is refused.
    base = {"kind": "visit", "title": "回访", "summary": "", "visibility": "org"}
    last_ok = (zone.today + timedelta(days=366)).isoformat()
    too_far = (zone.today + timedelta(days=367)).isoformat()
    new = f"/accounts/{team.account.id}/interactions/new"
    assert client.post(new, data={**base, "occurred_on": too_far}).status_code == 422
    assert client.post(new, data={**base, "occurred_on": last_ok}).status_code == 302


def test_plan_marked_reviewed_records_today_in_the_zone(app, client, team, zone, create_plan):
    create_plan(team.account, strategy="云网融合")
    data = {key: "" for key in ("customers_customer", "profit_model", "weakest_product", "decision_makers",
                                "strategic_intent", "performance_gap", "opportunity_gap", "competitors",
                                "objectives")}
    data.update(strategy="云网融合", status="reviewed", comment="", version="1")
    response = client.post(f"/accounts/{team.account.id}/plans/FY2027/edit", data=data)
    assert response.status_code == 302
    with app.app_context():
        from kb.db import session

        plan = session.scalar(select(AccountPlan).where(AccountPlan.account_id == team.account.id))
        assert plan.reviewed_on == zone.today


def test_plan_marked_reviewed_through_the_api_records_today_in_the_zone(app, client, team, zone):
    api = Api(client, make_token(app, team.member))
    response = api.put(f"/accounts/{team.account.id}/plans/FY2028",
                       json={"version": 0, "strategy": "全面上云", "status": "reviewed"})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["reviewed_on"] == zone.today.isoformat()


def test_answer_is_stale_after_365_days_of_the_zones_today(app, client, team, zone, create_plan):
    # Changed at 20:00 Shanghai (12:00 UTC) on 29 Nov 2025: 366 days before Shanghai's today (the 30th),
    # 365 before UTC's (the 29th).
    plan = create_plan(team.account, strategy="旧战略")
    with app.app_context():
        from kb.db import session

        session.get(AccountPlan, plan.id).field_changes = {"strategy": {"by": None,
                                                                        "at": "2025-11-29T12:00:00+00:00"}}
        session.commit()
    page = client.get(f"/accounts/{team.account.id}/plans/FY2027").get_data(as_text=True)
    strategy = re.search(r'<article class="answer (\w+)" id="answer-strategy"', page).group(1)
    assert strategy == ("stale" if zone.name == "Asia/Shanghai" else "answered")


def test_seat_forms_default_to_today_in_the_zone(app, client, team, zone, create_user):
    admin = create_user(role="admin")
    client.post("/logout")
    client.post("/login", data={"email": admin.email, "password": "password123"})
    page = client.get(f"/groups/{team.group.id}/seats").get_data(as_text=True)
    field = re.search(r'<input[^>]*name="started_on"[^>]*>', page).group(0)
    assert f'value="{zone.today.isoformat()}"' in field


def test_timestamps_are_shown_in_the_zone(app, client, team, zone, create_stakeholder):
    person = create_stakeholder(team.account, name="吴总监")  # created (in UTC) at about 18:05 UTC
    with app.app_context():
        from kb.db import session

        stored = session.get(Stakeholder, person.id)
        assert stored.created_at.utcoffset() == timedelta(0)  # stored in UTC whatever the zone
        assert stored.created_at.strftime("%Y-%m-%d %H:%M") == "2026-11-29 18:05"
    page = client.get(f"/stakeholders/{person.id}").get_data(as_text=True)
    assert f"Created {zone.shown}" in page


def test_search_dates_a_change_by_the_zones_day(app, client, team, zone, create_stakeholder):
    person = create_stakeholder(team.account, name="吴总监", title="首席信息官")  # about 18:05 UTC
    for day, found in ((zone.today, True), (zone.today - timedelta(days=1), False)):
        body = Api(client).get("/search", query_string={"q": "吴总监", "type": "stakeholder",
                                                        "date_from": day.isoformat(),
                                                        "date_to": day.isoformat()}).get_json()
        assert [r["id"] for r in body["results"]] == ([person.id] if found else []), day
        if found:
            assert body["results"][0]["date"] == zone.today.isoformat()


def test_seat_starting_on_the_30th_is_in_force_in_shanghai(app, client, zone, frozen, create_user, create_group,
                                                           create_seat, create_account):
    group = create_group()
    incoming = create_user(name="新客户经理")
    create_seat(group, incoming, "AR", started_on=date(2026, 11, 30))
    account = create_account(group=group, name="华南港务")
    client.post("/login", data={"email": incoming.email, "password": "password123"})
    status = client.get(f"/accounts/{account.id}/interactions/new").status_code
    assert status == (200 if zone.name == "Asia/Shanghai" else 403)
