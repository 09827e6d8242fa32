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
    opp = new_opportunity(api, world, seats={})  # no triangle from the group: only these attempts
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


# 5. a prospect's lead is linked to an account, then converted

def test_api_links_a_prospect_lead_to_an_editable_account_then_converts(client, world, create_account):
    api = world.api(client, "seated")
    lead = api.post("/leads", json={"prospect_name": "浙江移动筹备组", "title": "5G专网", "budget_confirmed": True,
                                    "budget_amount": "900000", "budget_confirmed_on": clock_today(client)}).get_json()
    assert_error(api.post(f"/leads/{lead['id']}/convert", json={}), 422, "account_id")
    foreign = create_account(name="别组客户")
    error = assert_error(api.patch(f"/leads/{lead['id']}", json={"account_id": foreign.id}), 422, "account_id")
    assert error["fields"]["account_id"] == "Choose an account you may edit."
    assert_error(api.patch(f"/leads/{lead['id']}", json={"account_id": 999999}), 422, "account_id")
    assert api.get(f"/leads/{lead['id']}").get_json()["account_id"] is None
    linked = api.patch(f"/leads/{lead['id']}", json={"account_id": world.account.id})
    assert linked.status_code == 200, linked.get_json()
    assert linked.get_json()["account_id"] == world.account.id
    # once set, the account does not change (422, not silence); sending the same one back is fine
    error = assert_error(api.patch(f"/leads/{lead['id']}", json={"account_id": foreign.id}), 422, "account_id")
    assert error["fields"]["account_id"] == "The account of a lead does not change once set."
    assert api.patch(f"/leads/{lead['id']}", json={"account_id": world.account.id, "title": "5G专网一期"}
                     ).status_code == 200
    converted = api.post(f"/leads/{lead['id']}/convert", json={})
    assert converted.status_code == 201, converted.get_json()
    opp = api.get(f"/opportunities/{converted.get_json()['opportunity_id']}").get_json()
    assert (opp["account_id"], opp["name"], opp["amount"]) == (world.account.id, "5G专网一期", "900000.00")


def test_api_account_lead_cannot_be_moved_and_outsider_cannot_link_to_foreign_account(client, world):
    api = world.api(client, "seated")
    lead = api.post("/leads", json={"account_id": world.account.id, "title": "专线"}).get_json()
    assert_error(api.patch(f"/leads/{lead['id']}", json={"account_id": None}), 422, "account_id")
    outsider = world.api(client, "outsider")
    prospect = outsider.post("/leads", json={"prospect_name": "宁波港集团", "title": "智慧港口"}).get_json()
    assert_error(outsider.patch(f"/leads/{prospect['id']}", json={"account_id": world.account.id}), 422,
                 "account_id")
    assert_error(world.api(client, "viewer").patch(f"/leads/{prospect['id']}",
                                                   json={"account_id": world.account.id}), 403)
    assert outsider.get(f"/leads/{prospect['id']}").get_json()["account_id"] is None


def test_page_prospect_lead_edit_form_offers_editable_accounts_and_links(app, client, world, login_as,
                                                                          create_account):
    foreign = create_account(name="别组客户")
    login_as(world.seated)
    made = client.post("/leads/new", data={"title": "智慧港口", "prospect_name": "宁波港集团", "source": "other",
                                           "currency": "CNY", "owner_id": "0", "status": "new",
                                           "visibility": "org"})
    assert made.status_code == 302
    lead_id = int(made.headers["Location"].rsplit("/", 1)[1])
    form = client.get(f"/leads/{lead_id}/edit").get_data(as_text=True)
    select_html = re.search(r'<select[^>]*name="account_id".*?</select>', form, re.S).group(0)
    assert "中国移动浙江公司" in select_html and "别组客户" not in select_html
    version = re.search(r'name="version"[^>]*value="(\d+)"', form) or re.search(
        r'value="(\d+)"[^>]*name="version"', form)
    data = {"title": "智慧港口", "prospect_name": "宁波港集团", "source": "other", "currency": "CNY",
            "owner_id": "0", "status": "new", "visibility": "org", "version": version.group(1)}
    refused = client.post(f"/leads/{lead_id}/edit", data={**data, "account_id": str(foreign.id)})
    assert refused.status_code == 422 and "Choose an account you may edit." in text(refused)
    saved = client.post(f"/leads/{lead_id}/edit", data={**data, "account_id": str(world.account.id)})
    assert saved.status_code == 302
    with app.app_context():
        from kb.db import session
        from models import Lead
        assert session.get(Lead, lead_id).account_id == world.account.id
    # an account's lead has no account select any more
    assert 'name="account_id"' not in client.get(f"/leads/{lead_id}/edit").get_data(as_text=True)
