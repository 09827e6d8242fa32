"""Lead to Cash defects found by a fresh tester (issue 10 fixes): viewers and inactive people are never
seated on a project triangle, a new light needs a new reason, record titles read 标题 (not 职务), budget
confirmation dates are not in the future, and a prospect's lead can be linked to an account."""
from __future__ import annotations

import html
import re

from sqlalchemy import select

from kb import clock
from models import OpportunitySeat
from tests.api_support import assert_error, world  # noqa: F401  # `world` is a fixture
from tests.test_ltc_api import new_opportunity
from tests.test_ltc_pages import make_opportunity


def text(response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def today_iso(app) -> str:
    with app.app_context():
        return clock.today().isoformat()


def seats_of(app, opp_id: int) -> list[int]:
    with app.app_context():
        from kb.db import session
        return [s.user_id for s in session.scalars(
            select(OpportunitySeat).where(OpportunitySeat.opportunity_id == opp_id))]


# 1. viewers and inactive users hold no project seat

def test_api_refuses_to_seat_a_viewer_or_an_inactive_user(app, client, world, create_user):
    api = world.api(client, "seated")
    opp = new_opportunity(api, world)
    gone = create_user(role="member", name="吴离职", active=False)
    error = assert_error(api.post(f"/opportunities/{opp['id']}/seats",
                                  json={"user_id": world.viewer.id, "role": "FR"}), 422, "user_id")
    assert error["fields"]["user_id"] == "钱观察 is a viewer; only members and admins hold seats."
    error = assert_error(api.post(f"/opportunities/{opp['id']}/seats",
                                  json={"user_id": gone.id, "role": "SR"}), 422, "user_id")
    assert "吴离职" in error["fields"]["user_id"] and "no longer active" in error["fields"]["user_id"]
    assert api.get(f"/opportunities/{opp['id']}/seats").get_json()["items"] == []
    member = create_user(role="member", name="孙交付")
    assert api.post(f"/opportunities/{opp['id']}/seats",
                    json={"user_id": member.id, "role": "FR"}).status_code == 201


def test_page_refuses_to_seat_a_viewer_with_the_message_on_the_field(app, client, world, login_as):
    opp_id = make_opportunity(app, world)
    login_as(world.seated)
    refused = client.post(f"/opportunities/{opp_id}/seats",
                          data={"user_id": str(world.viewer.id), "role": "FR", "started_on": today_iso(app)})
    assert refused.status_code == 422
    assert "钱观察 is a viewer; only members and admins hold seats." in text(refused)
    assert seats_of(app, opp_id) == []


# 2. a changed light needs a reason given in the same save

def test_api_changed_light_without_a_new_reason_is_refused(client, world):
    api = world.api(client, "seated")
    opp = new_opportunity(api, world, key_project=True, light="yellow", light_reason="决策人态度不明")
    error = assert_error(api.patch(f"/opportunities/{opp['id']}", json={"light": "red"}), 422, "light_reason")
    assert error["fields"]["light_reason"] == "The light changed: give a new reason for red."
    assert_error(api.patch(f"/opportunities/{opp['id']}", json={"light": "red", "light_reason": "决策人态度不明"}),
                 422, "light_reason")
    body = api.get(f"/opportunities/{opp['id']}").get_json()
    assert (body["light"], body["light_reason"]) == ("yellow", "决策人态度不明")
    body = api.patch(f"/opportunities/{opp['id']}", json={"light": "red", "light_reason": "竞争对手降价"}).get_json()
    assert [(c["light"], c["reason"]) for c in body["light_history"]] == [
        ("red", "竞争对手降价"), ("yellow", "决策人态度不明")]
    # other edits keep the light and its reason as they are
    assert api.patch(f"/opportunities/{opp['id']}", json={"win_probability": 40}).status_code == 200


def test_page_changed_light_with_the_old_reason_is_refused_on_the_field(app, client, world, login_as):
    opp_id = make_opportunity(app, world, key_project=True, light="green", light_reason="关系良好")
    login_as(world.seated)
    form = {"name": "智慧园区一期", "stage": "validate", "status": "open", "amount": "5000000.00",
            "currency": "CNY", "visibility": "org", "key_project": "y", "light": "red",
            "light_reason": "关系良好", "key_owner_id": "0"}
    refused = client.post(f"/opportunities/{opp_id}/edit", data=form)
    assert refused.status_code == 422
    assert "The light changed: give a new reason for red." in text(refused)
    assert client.post(f"/opportunities/{opp_id}/edit",
                       data={**form, "light_reason": "客户高层换人"}).status_code == 302


# 3. record titles read 标题, a stakeholder's job title stays 职务

ZH = {"Accept-Language": "zh-CN"}


def label_of(page: str, field: str) -> str:
    found = re.search(rf'<label[^>]*for="{field}"[^>]*>(.*?)</label>', page, re.S)
    assert found, field
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()


def test_chinese_lead_form_and_list_say_biaoti_not_zhiwu(client, world, login_as):
    login_as(world.seated)
    form = client.get(f"/leads/new?account={world.account.id}", headers=ZH).get_data(as_text=True)
    assert label_of(form, "title").startswith("标题")
    assert "职务" not in form
    assert client.post(f"/leads/new?account={world.account.id}", data={
        "title": "政企专线升级", "source": "customer_request", "currency": "CNY", "owner_id": "0",
        "status": "new", "visibility": "org"}).status_code == 302
    listing = client.get("/leads", headers=ZH).get_data(as_text=True)
    assert "<th>标题</th>" in listing and "职务" not in listing


def test_chinese_milestone_form_says_biaoti(client, world, login_as):
    team = world.api(client, "seated")
    opp = team.post("/opportunities", json={"account_id": world.account.id, "name": "核心网扩容",
                                            "amount": "800000"}).get_json()
    assert team.patch(f"/opportunities/{opp['id']}", json={"status": "won", "close_reason": "原因"}).status_code == 200
    login_as(world.seated)
    done = client.post(f"/opportunities/{opp['id']}/contract/new", data={
        "number": "HT-2026-018", "signed_on": "2026-09-30", "amount": "800000.00", "currency": "CNY"})
    assert done.status_code == 302
    contract_id = int(done.headers["Location"].rsplit("/", 1)[1])
    form = client.get(f"/contracts/{contract_id}/milestones/new", headers=ZH).get_data(as_text=True)
    assert label_of(form, "title").startswith("标题")
    assert "职务" not in form


# 4. a budget is not confirmed in the future

def test_api_refuses_a_future_budget_confirmation_date(client, world):
    api = world.api(client, "seated")
    today = clock_today(client)
    body = {"account_id": world.account.id, "title": "5G专网扩容", "budget_confirmed": True,
            "budget_amount": "2500000", "budget_confirmed_on": "2030-01-01"}
    error = assert_error(api.post("/leads", json=body), 422, "budget_confirmed_on")
    assert error["fields"]["budget_confirmed_on"] == (
        f"A budget cannot be confirmed in the future (today is {today}).")
    assert api.get("/leads").get_json()["total"] == 0
    lead = api.post("/leads", json={**body, "budget_confirmed_on": today}).get_json()
    assert lead["budget_confirmed_on"] == today
    assert_error(api.patch(f"/leads/{lead['id']}", json={"budget_confirmed_on": "2030-01-01"}), 422,
                 "budget_confirmed_on")
    assert api.get(f"/leads/{lead['id']}").get_json()["budget_confirmed_on"] == today


def test_page_refuses_a_future_budget_confirmation_date(client, world, login_as):
    login_as(world.seated)
    refused = client.post(f"/leads/new?account={world.account.id}", data={
        "title": "政企专线升级", "source": "customer_request", "currency": "CNY", "owner_id": "0",
        "status": "new", "visibility": "org", "budget_confirmed": "y", "budget_amount": "1000000",
        "budget_confirmed_on": "2030-01-01"})
    assert refused.status_code == 422
    assert "A budget cannot be confirmed in the future" in text(refused)


def clock_today(client) -> str:
    with client.application.app_context():
        return clock.today().isoformat()
