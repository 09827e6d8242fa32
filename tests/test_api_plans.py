"""Account plans through the API: read, create by PUT, update with a version, 409 when stale, revisions."""
from __future__ import annotations

import pytest

from tests.api_support import assert_error, world  # noqa: F401

PLAN_KEYS = {"period", "strategy", "customers_customer", "profit_model", "weakest_product", "decision_makers",
             "decision_maker_ids", "sections", "status", "version", "updated_at", "updated_by"}


@pytest.fixture
def plan(world, create_plan):
    return create_plan(world.account, period="FY2027", strategy="建设算力网络", profit_model="流量经营")


def test_get_plan(client, world, plan):
    response = world.api(client, "viewer").get(f"/accounts/{world.account.id}/plans/FY2027")
    assert response.status_code == 200
    body = response.get_json()
    assert PLAN_KEYS <= set(body)
    assert body["period"] == "FY2027" and body["strategy"] == "建设算力网络" and body["version"] == 1
    assert body["decision_maker_ids"] == [] and body["status"] == "draft"


def test_put_creates_a_plan(client, world, create_stakeholder):
    boss = create_stakeholder(world.account, name="张总")
    api = world.api(client, "seated")
    path = f"/accounts/{world.account.id}/plans/FY2028"
    response = api.put(path, json={"version": 0, "strategy": "全面上云", "decision_maker_ids": [boss.id],
                                   "sections": {"competitors": "友商A"}, "comment": "初稿"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["version"] == 1 and body["strategy"] == "全面上云"
    assert body["decision_maker_ids"] == [boss.id] and body["sections"]["competitors"] == "友商A"
    assert body["updated_by"]["id"] == world.seated.id
    assert api.get(path).get_json()["strategy"] == "全面上云"
    revisions = api.get(path + "/revisions").get_json()["items"]
    assert [r["number"] for r in revisions] == [1]
    assert revisions[0]["comment"] == "初稿" and revisions[0]["author_id"] == world.seated.id
    assert revisions[0]["content"]["strategy"] == "全面上云"


def test_put_without_version_creates_too(client, world):
    response = world.api(client, "admin").put(f"/accounts/{world.account.id}/plans/2027H1",
                                              json={"strategy": "降本增效"})
    assert response.status_code == 201, response.get_json()


def test_put_updates_with_current_version(client, world, plan):
    api = world.api(client, "named")
    path = f"/accounts/{world.account.id}/plans/FY2027"
    current = api.get(path).get_json()
    current["strategy"] = "算力网络与数智化转型"
    current["status"] = "reviewed"
    response = api.put(path, json=current)  # a GET body sent back is accepted
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["version"] == 2 and body["status"] == "reviewed"
    assert body["profit_model"] == "流量经营"  # untouched answers stay
    revisions = api.get(path + "/revisions").get_json()["items"]
    assert [r["number"] for r in revisions] == [2, 1]
    assert {"number", "author_id", "created_at", "comment", "restored_from", "content"} <= set(revisions[0])


def test_stale_version_is_409_and_overwrites_nothing(client, world, plan):
    api = world.api(client, "seated")
    path = f"/accounts/{world.account.id}/plans/FY2027"
    assert api.put(path, json={"version": 1, "strategy": "第一版修改"}).status_code == 200
    response = api.put(path, json={"version": 1, "strategy": "基于旧版本的修改"})
    error = assert_error(response, 409)
    assert error["code"] == "conflict"
    current = response.get_json()["current"]
    assert current["version"] == 2 and current["strategy"] == "第一版修改"
    stored = api.get(path).get_json()
    assert stored["strategy"] == "第一版修改" and stored["version"] == 2
    assert len(api.get(path + "/revisions").get_json()["items"]) == 2


def test_put_on_existing_plan_without_version_is_409(client, world, plan):
    path = f"/accounts/{world.account.id}/plans/FY2027"
    response = world.api(client, "admin").put(path, json={"strategy": "覆盖"})
    assert_error(response, 409)
    assert world.api(client, "admin").get(path).get_json()["strategy"] == "建设算力网络"


@pytest.mark.parametrize("who, status", [("viewer", 403), ("outsider", 403), ("seated", 200), ("named", 200),
                                         ("admin", 200)])
def test_who_may_put(client, world, plan, who, status):
    path = f"/accounts/{world.account.id}/plans/FY2027"
    response = world.api(client, who).put(path, json={"version": 1, "strategy": "新战略"})
    assert response.status_code == status
    if status == 403:
        assert_error(response, 403)
    stored = world.api(client, "viewer").get(path).get_json()
    assert (stored["strategy"] == "新战略") is (status == 200)


@pytest.mark.parametrize("body, field", [
    ({"strategy": 5}, "strategy"),
    ({"strategy": "x" * 20_001}, "strategy"),
    ({"status": "final"}, "status"),
    ({"sections": "竞争"}, "sections"),
    ({"sections": {"weather": "晴"}}, "sections"),
    ({"sections": {"competitors": 1}}, "sections"),
    ({"decision_maker_ids": "1"}, "decision_maker_ids"),
    ({"decision_maker_ids": ["a"]}, "decision_maker_ids"),
    ({"version": "1"}, "version"),
    ({"version": -1}, "version"),
    ({"comment": "x" * 501}, "comment"),
    ({"unknown": 1}, "unknown"),
])
def test_put_422_per_field(client, world, body, field):
    response = world.api(client, "admin").put(f"/accounts/{world.account.id}/plans/FY2029", json=body)
    assert_error(response, 422, field)
    assert_error(world.api(client, "admin").get(f"/accounts/{world.account.id}/plans/FY2029"), 404)


def test_decision_makers_from_another_account_are_422(client, world, create_account, create_stakeholder):
    stranger = create_stakeholder(create_account(name="别的客户"), name="外人")
    response = world.api(client, "admin").put(f"/accounts/{world.account.id}/plans/FY2029",
                                              json={"decision_maker_ids": [stranger.id]})
    assert_error(response, 422, "decision_maker_ids")


def test_bad_period_is_422_on_put_and_404_on_get(client, world):
    api = world.api(client, "admin")
    response = api.put(f"/accounts/{world.account.id}/plans/next-year", json={"strategy": "x"})
    assert_error(response, 422, "period")
    assert_error(api.get(f"/accounts/{world.account.id}/plans/next-year"), 404)
    for absurd in ("FY9999", "FY0001"):  # a plan is for the years around now (2000–2100)
        assert_error(api.put(f"/accounts/{world.account.id}/plans/{absurd}", json={"status": "draft"}), 422,
                     "period")


def test_unknown_plan_and_account_are_404(client, world):
    api = world.api(client, "viewer")
    assert_error(api.get(f"/accounts/{world.account.id}/plans/FY2030"), 404)
    assert_error(api.get(f"/accounts/{world.account.id}/plans/FY2030/revisions"), 404)
    assert_error(api.put("/accounts/999999/plans/FY2030", json={}), 404)


def test_malformed_plan_body_is_400(client, world):
    response = world.api(client, "admin").put(f"/accounts/{world.account.id}/plans/FY2027", data="{",
                                              content_type="application/json")
    assert_error(response, 400)


def test_updated_by_names_the_latest_editor(client, world, plan):
    path = f"/accounts/{world.account.id}/plans/FY2027"
    first = world.api(client, "admin").put(path, json={"version": 1, "strategy": "一"}).get_json()
    assert first["updated_by"] == {"id": world.admin.id, "name": "管理员"}
    second = world.api(client, "seated").put(path, json={"version": 2, "strategy": "二"}).get_json()
    assert second["updated_by"] == {"id": world.seated.id, "name": "李客户经理"}
