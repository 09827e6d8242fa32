"""Lead to Cash API (issue 10 §1–3, §7): leads and their conversion rule, opportunities with stages,
closing and the project triangle, key-project lights, risks, and who may see and change what."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from kb import clock
from tests.api_support import Api, assert_error, make_token, world  # noqa: F401  # `world` is a fixture


def new_lead(api: Api, world, **extra):
    body = {"account_id": world.account.id, "title": "5G专网扩容", "source": "customer_request",
            "estimated_amount": "3000000.00", **extra}
    response = api.post("/leads", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def new_opportunity(api: Api, world, **extra):
    body = {"account_id": world.account.id, "name": "杭州亚运场馆5G覆盖", "amount": "8800000", **extra}
    response = api.post("/opportunities", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_converting_a_lead_without_confirmed_budget_is_refused_with_its_code(client, world):
    api = world.api(client, "seated")
    lead = new_lead(api, world)
    response = api.post(f"/leads/{lead['id']}/convert", json={})
    error = assert_error(response, 422)
    assert error["code"] == "budget_not_confirmed"
    assert "budget" in error["message"]
    again = api.get(f"/leads/{lead['id']}").get_json()
    assert again["status"] == "new" and again["opportunity_id"] is None


def test_converting_with_confirmed_budget_links_lead_and_opportunity(client, world):
    api = world.api(client, "seated")
    lead = new_lead(api, world, budget_confirmed=True, budget_amount="2500000.50",
                    budget_confirmed_on="2026-11-01")
    response = api.post(f"/leads/{lead['id']}/convert", json={"name": "5G专网一期"})
    assert response.status_code == 201, response.get_json()
    opportunity_id = response.get_json()["opportunity_id"]
    lead_now = api.get(f"/leads/{lead['id']}").get_json()
    assert lead_now["status"] == "converted" and lead_now["opportunity_id"] == opportunity_id
    opp = api.get(f"/opportunities/{opportunity_id}").get_json()
    assert (opp["name"], opp["lead_id"], opp["amount"], opp["stage"]) == (
        "5G专网一期", lead["id"], "2500000.50", "validate")
    # converted once only
    assert_error(api.post(f"/leads/{lead['id']}/convert", json={}), 422)


def test_budget_confirmed_needs_amount_and_date_and_drop_needs_reason(client, world):
    api = world.api(client, "seated")
    assert_error(api.post("/leads", json={"account_id": world.account.id, "title": "x", "budget_confirmed": True}),
                 422, "budget_amount", "budget_confirmed_on")
    lead = new_lead(api, world)
    assert_error(api.patch(f"/leads/{lead['id']}", json={"status": "dropped"}), 422, "drop_reason")
    ok = api.patch(f"/leads/{lead['id']}", json={"status": "dropped", "drop_reason": "客户预算冻结"})
    assert ok.status_code == 200 and ok.get_json()["drop_reason"] == "客户预算冻结"


@pytest.mark.parametrize("value, ok", [("-1", False), ("1.005", False), ("abc", False), ("1e30", False),
                                       (12.5, True), ("0", True)])
def test_amounts_are_checked(client, world, value, ok):
    api = world.api(client, "seated")
    response = api.post("/opportunities", json={"account_id": world.account.id, "name": "n", "amount": value})
    if ok:
        assert response.status_code == 201
    else:
        assert_error(response, 422, "amount")


@pytest.mark.parametrize("value", [-1, 101, "50", True])
def test_win_probability_is_a_whole_number_0_to_100(client, world, value):
    api = world.api(client, "seated")
    response = api.post("/opportunities", json={"account_id": world.account.id, "name": "n",
                                                "win_probability": value})
    assert_error(response, 422, "win_probability")


def test_stage_changes_are_recorded_and_durations_computed(app, client, world, monkeypatch):
    api = world.api(client, "seated")
    start = date(2026, 9, 1)
    monkeypatch.setattr(clock, "today", lambda zone=None: start)
    opp = new_opportunity(api, world)
    monkeypatch.setattr(clock, "today", lambda zone=None: start + timedelta(days=10))
    opp = api.patch(f"/opportunities/{opp['id']}", json={"stage": "pre_bid"}).get_json()
    monkeypatch.setattr(clock, "today", lambda zone=None: start + timedelta(days=25))
    opp = api.patch(f"/opportunities/{opp['id']}", json={"stage": "bid"}).get_json()
    monkeypatch.setattr(clock, "today", lambda zone=None: start + timedelta(days=30))
    opp = api.get(f"/opportunities/{opp['id']}").get_json()
    assert [(s["stage"], s["days"]) for s in opp["stage_history"]] == [
        ("validate", 10), ("pre_bid", 15), ("bid", 5)]
    assert opp["decision_cycle_days"] is None
    monkeypatch.setattr(clock, "today", lambda zone=None: start + timedelta(days=40))
    closed = api.patch(f"/opportunities/{opp['id']}", json={"status": "won", "close_reason": "方案领先"})
    assert closed.status_code == 200, closed.get_json()
    body = closed.get_json()
    assert (body["stage"], body["closed_on"], body["decision_cycle_days"]) == ("closed", "2026-10-11", 40)
    assert [(s["stage"], s["days"]) for s in body["stage_history"]][-1] == ("bid", 15)


def test_closing_needs_a_reason_and_ends_the_project_triangle(client, world, create_user):
    api = world.api(client, "seated")
    fr = create_user(role="member", name="孙交付")
    opp = new_opportunity(api, world, seats={})  # no triangle from the group
    assert api.post(f"/opportunities/{opp['id']}/seats", json={"user_id": fr.id, "role": "FR"}).status_code == 201
    seats = api.get(f"/opportunities/{opp['id']}/seats").get_json()["items"]
    assert [(s["user_id"], s["state"]) for s in seats] == [(fr.id, "in_force")]
    assert_error(api.patch(f"/opportunities/{opp['id']}", json={"status": "lost"}), 422, "close_reason")
    assert api.patch(f"/opportunities/{opp['id']}",
                     json={"status": "lost", "close_reason": "价格劣势"}).status_code == 200
    seats = api.get(f"/opportunities/{opp['id']}/seats").get_json()["items"]
    assert [(s["user_id"], s["state"], s["ended_on"]) for s in seats] == [
        (fr.id, "ended", clock_today_iso(client))]
    # the former project seat gives no right any more; a closed one stays closed
    assert world.api(client, "seated").patch(f"/opportunities/{opp['id']}", json={"status": "open"}).status_code == 422


def clock_today_iso(client) -> str:
    with client.application.app_context():
        return clock.today().isoformat()


def test_project_seat_without_group_seat_may_edit_that_opportunity_only(app, client, world, create_user):
    sr = create_user(role="member", name="周方案")
    sr_api = Api(client, make_token(app, sr))
    opp = new_opportunity(world.api(client, "seated"), world)
    other = new_opportunity(world.api(client, "seated"), world, name="另一个机会")
    assert_error(sr_api.patch(f"/opportunities/{opp['id']}", json={"win_probability": 60}), 403)
    world.api(client, "seated").post(f"/opportunities/{opp['id']}/seats", json={"user_id": sr.id, "role": "SR"})
    changed = sr_api.patch(f"/opportunities/{opp['id']}", json={"win_probability": 60})
    assert changed.status_code == 200 and changed.get_json()["win_probability"] == 60
    assert_error(sr_api.patch(f"/opportunities/{other['id']}", json={"win_probability": 60}), 403)
    # but not the account itself: no leads of the account
    assert_error(sr_api.post("/leads", json={"account_id": world.account.id, "title": "x"}), 403)


def test_rotating_a_project_seat_ends_the_previous_holder(client, world, create_user):
    api = world.api(client, "seated")
    first, second = create_user(name="甲"), create_user(name="乙")
    opp = new_opportunity(api, world, seats={})  # no triangle from the group
    api.post(f"/opportunities/{opp['id']}/seats", json={"user_id": first.id, "role": "AR"})
    api.post(f"/opportunities/{opp['id']}/seats", json={"user_id": second.id, "role": "AR"})
    seats = {s["user_id"]: s["state"] for s in api.get(f"/opportunities/{opp['id']}/seats").get_json()["items"]}
    assert seats == {first.id: "ended", second.id: "in_force"}


def test_viewer_and_outsider_may_read_org_opportunity_but_not_change_it(client, world):
    opp = new_opportunity(world.api(client, "seated"), world)
    for who in ("viewer", "outsider"):
        api = world.api(client, who)
        assert api.get(f"/opportunities/{opp['id']}").status_code == 200
        assert_error(api.patch(f"/opportunities/{opp['id']}", json={"name": "改名"}), 403)
        assert_error(api.post("/opportunities", json={"account_id": world.account.id, "name": "x"}), 403)
    assert world.api(client, "named").patch(f"/opportunities/{opp['id']}", json={"name": "改名"}).status_code == 200


def test_team_only_opportunity_lead_and_risk_are_never_shown_outside_the_team(client, world):
    team = world.api(client, "seated")
    opp = new_opportunity(team, world, name="保密项目", visibility="team")
    lead = new_lead(team, world, title="保密线索", visibility="team")
    risk = team.post(f"/opportunities/{opp['id']}/risks", json={"description": "竞争对手低价"}).get_json()
    for who in ("viewer", "outsider"):
        api = world.api(client, who)
        assert api.get(f"/opportunities/{opp['id']}").status_code == 404
        assert api.get(f"/leads/{lead['id']}").status_code == 404
        assert api.get(f"/risks/{risk['id']}").status_code == 404
        assert api.get(f"/opportunities/{opp['id']}/risks").status_code == 404
        listed = api.get(f"/opportunities?account={world.account.id}").get_json()
        assert listed["total"] == 0 and listed["items"] == []
        assert api.get("/leads").get_json()["total"] == 0
    for who in ("seated", "named", "admin"):
        api = world.api(client, who)
        assert api.get(f"/opportunities?account={world.account.id}").get_json()["total"] == 1
        assert api.get(f"/risks/{risk['id']}").status_code == 200


def test_key_project_light_needs_reason_and_keeps_history(client, world):
    api = world.api(client, "seated")
    opp = new_opportunity(api, world)
    assert_error(api.patch(f"/opportunities/{opp['id']}", json={"key_project": True}), 422, "light")
    assert_error(api.patch(f"/opportunities/{opp['id']}", json={"key_project": True, "light": "yellow"}),
                 422, "light_reason")
    api.patch(f"/opportunities/{opp['id']}", json={"key_project": True, "light": "yellow",
                                                    "light_reason": "决策人态度不明"})
    body = api.patch(f"/opportunities/{opp['id']}", json={"light": "red", "light_reason": "竞争对手降价30%"}).get_json()
    assert body["light"] == "red"
    assert [(c["light"], c["reason"]) for c in body["light_history"]] == [
        ("red", "竞争对手降价30%"), ("yellow", "决策人态度不明")]
    keys = api.get("/opportunities?key_project=true").get_json()
    assert [o["id"] for o in keys["items"]] == [opp["id"]]
    assert api.get("/opportunities?key_project=false").get_json()["total"] == 0


def test_stale_version_is_a_conflict(client, world):
    api = world.api(client, "seated")
    opp = new_opportunity(api, world)
    api.patch(f"/opportunities/{opp['id']}", json={"name": "新名字", "version": opp["version"]})
    response = api.patch(f"/opportunities/{opp['id']}", json={"name": "旧的", "version": opp["version"]})
    assert_error(response, 409)
    assert response.get_json()["current"]["name"] == "新名字"


def test_risks_need_resolution_to_resolve_and_list_filters_are_checked(client, world):
    api = world.api(client, "seated")
    opp = new_opportunity(api, world)
    risk = api.post(f"/opportunities/{opp['id']}/risks", json={"description": "交付资源不足",
                                                              "due_on": "2026-01-05"}).get_json()
    assert risk["overdue"] is True
    assert_error(api.patch(f"/risks/{risk['id']}", json={"status": "resolved"}), 422, "resolution")
    done = api.patch(f"/risks/{risk['id']}", json={"status": "resolved", "resolution": "从华南调配两人"}).get_json()
    assert done["status"] == "resolved" and done["overdue"] is False
    assert_error(api.get("/opportunities?stage=nonsense"), 422, "stage")
    assert_error(api.get("/opportunities?key_project=maybe"), 422, "key_project")
    assert_error(api.post("/opportunities", json={"account_id": world.account.id, "name": "n",
                                                   "expected_close_on": "2026-02-30"}), 422, "expected_close_on")


def test_creates_are_idempotent(client, world):
    api = world.api(client, "seated")
    headers = {"Idempotency-Key": "lead-once-1"}
    body = {"account_id": world.account.id, "title": "一次"}
    first = api.post("/leads", json=body, headers=headers)
    second = api.post("/leads", json=body, headers=headers)
    assert first.status_code == 201 and second.get_json()["id"] == first.get_json()["id"]
    assert api.get("/leads").get_json()["total"] == 1


def test_prospect_lead_without_account(client, world):
    api = world.api(client, "outsider")
    response = api.post("/leads", json={"prospect_name": "宁波港集团", "title": "智慧港口"})
    assert response.status_code == 201
    lead = response.get_json()
    assert_error(api.post("/leads", json={"title": "no customer"}), 422, "prospect_name")
    assert_error(world.api(client, "viewer").post("/leads", json={"prospect_name": "x", "title": "y"}), 403)
    assert_error(world.api(client, "named").patch(f"/leads/{lead['id']}", json={"title": "z"}), 403)


def test_an_opportunity_recorded_as_already_won_is_closed_today(client, world):
    api = world.api(client, "seated")
    body = new_opportunity(api, world, status="won", close_reason="补录历史项目")
    assert (body["stage"], body["closed_on"], body["decision_cycle_days"]) == ("closed", clock_today_iso(client), 0)
    assert_error(api.post("/opportunities", json={"account_id": world.account.id, "name": "x", "status": "lost"}),
                 422, "close_reason")


def test_opportunities_filter_by_group_and_account(client, world, create_group, create_account, create_seat):
    other_group = create_group(name="金融客户群")
    create_seat(other_group, world.seated, "SR")
    other = create_account(group=other_group, name="长江商业银行")
    api = world.api(client, "seated")
    mine = new_opportunity(api, world, name="运营商机会")
    theirs = api.post("/opportunities", json={"account_id": other.id, "name": "银行机会"}).get_json()
    by_group = api.get(f"/opportunities?group={world.group.id}").get_json()
    assert [o["id"] for o in by_group["items"]] == [mine["id"]]
    by_account = api.get(f"/opportunities?account={other.id}").get_json()
    assert [o["id"] for o in by_account["items"]] == [theirs["id"]]
    assert_error(api.get("/opportunities?group=abc"), 422, "group")
