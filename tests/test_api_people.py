"""Stakeholders and interactions through the API, with private notes and team-only visibility."""
from __future__ import annotations

import json
from datetime import date

import pytest

from tests.api_support import assert_error, world  # noqa: F401

STAKEHOLDER_KEYS = {"id", "account_id", "name", "title", "department", "reports_to_id", "decision_role",
                    "attitude", "influence", "layer", "relationship_level", "owner_ids", "primary_owner_id",
                    "notes"}
INTERACTION_KEYS = {"id", "account_id", "occurred_on", "kind", "title", "summary", "stakeholder_ids",
                    "attendee_ids", "next_steps", "visibility"}


@pytest.fixture
def boss(world, create_stakeholder):
    return create_stakeholder(world.account, name="张总", owners=[world.seated, world.named],
                              private_notes="喜欢打网球", notes="分管网络")


# --- stakeholders ---------------------------------------------------------------------------------

def test_list_and_get_stakeholders(client, world, boss, create_stakeholder):
    report = create_stakeholder(world.account, name="李处长", reports_to=boss)
    api = world.api(client, "viewer")
    items = api.get(f"/accounts/{world.account.id}/stakeholders").get_json()["items"]
    assert [s["name"] for s in items] == ["张总", "李处长"]
    assert items[1]["reports_to_id"] == boss.id
    body = api.get(f"/stakeholders/{boss.id}").get_json()
    assert STAKEHOLDER_KEYS <= set(body)
    assert body["owner_ids"] == [world.seated.id, world.named.id]
    assert body["primary_owner_id"] == world.seated.id and body["notes"] == "分管网络"
    assert report.id in {s["id"] for s in items}


@pytest.mark.parametrize("who, sees", [("viewer", False), ("outsider", False), ("seated", True),
                                       ("named", True), ("admin", True)])
def test_private_notes_only_for_team_and_admins(client, world, boss, who, sees):
    api = world.api(client, who)
    one = api.get(f"/stakeholders/{boss.id}").get_json()
    listed = api.get(f"/accounts/{world.account.id}/stakeholders").get_json()["items"][0]
    for body in (one, listed):
        assert ("private_notes" in body) is sees
        if sees:
            assert body["private_notes"] == "喜欢打网球"
    assert ("喜欢打网球" in json.dumps(one, ensure_ascii=False)) is sees


def test_create_stakeholder(client, world, boss):
    api = world.api(client, "named")
    response = api.post(f"/accounts/{world.account.id}/stakeholders", json={
        "name": "王经理", "title": "采购经理", "department": "采购部", "reports_to_id": boss.id,
        "decision_role": "purchaser", "attitude": "support", "influence": "high", "layer": "broad",
        "relationship_level": 4, "owner_ids": [world.named.id, world.seated.id], "notes": "负责招标",
        "private_notes": "下月调岗",
    })
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["decision_role"] == "purchaser" and body["relationship_level"] == 4
    assert body["primary_owner_id"] == world.named.id
    assert body["owner_ids"] == [world.named.id, world.seated.id]
    assert body["private_notes"] == "下月调岗" and body["reports_to_id"] == boss.id
    assert response.headers["Location"].endswith(f"/api/v1/stakeholders/{body['id']}")


def test_patch_stakeholder(client, world, boss):
    api = world.api(client, "seated")
    change = {"attitude": "oppose", "primary_owner_id": world.named.id}
    response = api.patch(f"/stakeholders/{boss.id}", json=change)
    assert response.status_code == 200, response.get_json()
    body = api.get(f"/stakeholders/{boss.id}").get_json()
    assert body["attitude"] == "oppose" and body["primary_owner_id"] == world.named.id
    assert set(body["owner_ids"]) == {world.seated.id, world.named.id}
    assert body["private_notes"] == "喜欢打网球" and body["name"] == "张总"


def test_patch_private_notes_by_team(client, world, boss):
    api = world.api(client, "admin")
    assert api.patch(f"/stakeholders/{boss.id}", json={"private_notes": "已调岗"}).status_code == 200
    assert api.get(f"/stakeholders/{boss.id}").get_json()["private_notes"] == "已调岗"


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_outsiders_cannot_change_stakeholders(client, world, boss, who):
    api = world.api(client, who)
    assert_error(api.patch(f"/stakeholders/{boss.id}", json={"private_notes": "篡改", "notes": "篡改"}), 403)
    assert_error(api.post(f"/accounts/{world.account.id}/stakeholders", json={"name": "新人"}), 403)
    stored = world.api(client, "admin").get(f"/stakeholders/{boss.id}").get_json()
    assert stored["private_notes"] == "喜欢打网球" and stored["notes"] == "分管网络"


def test_patch_by_someone_who_may_not_see_private_notes_keeps_them(app, client, world, boss, monkeypatch):
    """Defence in depth: if an editor could not see private notes, their PATCH would not change them."""
    from kb import policy

    monkeypatch.setattr(policy, "sees_team_content", lambda user, account: False)
    api = world.api(client, "seated")
    response = api.patch(f"/stakeholders/{boss.id}", json={"private_notes": "覆盖", "notes": "新备注"})
    assert response.status_code == 200
    assert "private_notes" not in response.get_json()
    monkeypatch.undo()
    stored = world.api(client, "admin").get(f"/stakeholders/{boss.id}").get_json()
    assert stored["private_notes"] == "喜欢打网球" and stored["notes"] == "新备注"


def test_reports_to_cycle_is_422(client, world, boss, create_stakeholder):
    report = create_stakeholder(world.account, name="李处长", reports_to=boss)
    response = world.api(client, "admin").patch(f"/stakeholders/{boss.id}", json={"reports_to_id": report.id})
    assert_error(response, 422, "reports_to_id")


def test_archive_and_restore_stakeholder(client, world, boss):
    api = world.api(client, "seated")
    assert api.patch(f"/stakeholders/{boss.id}", json={"archived": True}).get_json()["archived"] is True
    assert api.get(f"/accounts/{world.account.id}/stakeholders").get_json()["items"] == []
    assert api.patch(f"/stakeholders/{boss.id}", json={"archived": False}).get_json()["archived"] is False


@pytest.mark.parametrize("body, field", [
    ({}, "name"),
    ({"name": ""}, "name"),
    ({"name": ["张"]}, "name"),
    ({"name": "张" * 101}, "name"),
    ({"name": "张", "decision_role": "king"}, "decision_role"),
    ({"name": "张", "attitude": "hostile"}, "attitude"),
    ({"name": "张", "relationship_level": 6}, "relationship_level"),
    ({"name": "张", "relationship_level": "3"}, "relationship_level"),
    ({"name": "张", "owner_ids": 3}, "owner_ids"),
    ({"name": "张", "owner_ids": [999999]}, "primary_owner_id"),
    ({"name": "张", "reports_to_id": 999999}, "reports_to_id"),
    ({"name": "张", "notes": "x" * 10_001}, "notes"),
])
def test_create_stakeholder_422(client, world, body, field):
    response = world.api(client, "admin").post(f"/accounts/{world.account.id}/stakeholders", json=body)
    assert_error(response, 422, field)


# --- interactions ---------------------------------------------------------------------------------

@pytest.fixture
def visits(world, create_interaction):
    public = create_interaction(world.account, title="季度拜访", visibility="org", occurred_on=date(2026, 9, 1))
    secret = create_interaction(world.account, title="高层密谈", visibility="team", occurred_on=date(2026, 9, 2),
                                summary="竞争对手报价")
    return public, secret


@pytest.mark.parametrize("who, sees", [("viewer", False), ("outsider", False), ("seated", True),
                                       ("named", True), ("admin", True)])
def test_team_only_interactions(client, world, visits, who, sees):
    public, secret = visits
    api = world.api(client, who)
    listed = api.get(f"/accounts/{world.account.id}/interactions").get_json()
    ids = [i["id"] for i in listed["items"]]
    assert public.id in ids and (secret.id in ids) is sees
    assert listed["total"] == (2 if sees else 1)
    response = api.get(f"/interactions/{secret.id}")
    if sees:
        assert response.get_json()["summary"] == "竞争对手报价"
    else:
        assert_error(response, 404)
        assert "竞争对手" not in json.dumps(response.get_json(), ensure_ascii=False)


def test_get_interaction(client, world, boss, create_interaction):
    visit = create_interaction(world.account, stakeholders=[boss], attendees=[world.seated],
                               next_steps=[{"text": "发送方案", "owner_id": world.seated.id,
                                            "due_on": date(2026, 10, 15)}])
    body = world.api(client, "viewer").get(f"/interactions/{visit.id}").get_json()
    assert INTERACTION_KEYS <= set(body)
    assert body["stakeholder_ids"] == [boss.id] and body["attendee_ids"] == [world.seated.id]
    assert body["occurred_on"] == "2026-10-01" and body["visibility"] == "org"
    step = body["next_steps"][0]
    assert set(step) == {"id", "text", "owner_id", "due_on", "done", "overdue", "version"}
    assert step["text"] == "发送方案" and step["due_on"] == "2026-10-15" and step["done"] is False
    assert step["overdue"] is True  # open and due before today


def test_create_interaction(client, world, boss):
    api = world.api(client, "seated")
    response = api.post(f"/accounts/{world.account.id}/interactions", json={
        "occurred_on": "2026-11-02", "kind": "executive_meeting", "title": "高层会谈", "summary": "讨论**算力**合作",
        "visibility": "team", "stakeholder_ids": [boss.id], "attendee_ids": [world.seated.id],
        "next_steps": [{"text": "准备报价", "owner_id": world.named.id, "due_on": "2026-11-20"},
                       {"text": "回访", "done": True}],
    })
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["kind"] == "executive_meeting" and body["visibility"] == "team"
    assert [s["text"] for s in body["next_steps"]] == ["准备报价", "回访"]
    assert body["next_steps"][1]["done"] is True and body["next_steps"][0]["owner_id"] == world.named.id
    assert body["created_by_id"] == world.seated.id
    assert_error(world.api(client, "viewer").get(f"/interactions/{body['id']}"), 404)


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_outsiders_cannot_record_interactions(client, world, who):
    body = {"occurred_on": "2026-11-02", "kind": "visit"}
    assert_error(world.api(client, who).post(f"/accounts/{world.account.id}/interactions", json=body), 403)


@pytest.mark.parametrize("body, field", [
    ({"kind": "visit"}, "occurred_on"),
    ({"occurred_on": "2026-11-02"}, "kind"),
    ({"occurred_on": "02/11/2026", "kind": "visit"}, "occurred_on"),
    ({"occurred_on": "2026-02-30", "kind": "visit"}, "occurred_on"),
    ({"occurred_on": "2026-11-02", "kind": "lunch"}, "kind"),
    ({"occurred_on": "2026-11-02", "kind": "visit", "visibility": "private"}, "visibility"),
    ({"occurred_on": "2026-11-02", "kind": "visit", "title": "x" * 201}, "title"),
    ({"occurred_on": "2026-11-02", "kind": "visit", "stakeholder_ids": "1,2"}, "stakeholder_ids"),
    ({"occurred_on": "2026-11-02", "kind": "visit", "stakeholder_ids": [999999]}, "stakeholder_ids"),
    ({"occurred_on": "2026-11-02", "kind": "visit", "attendee_ids": [999999]}, "attendee_ids"),
    ({"occurred_on": "2026-11-02", "kind": "visit", "next_steps": [{"owner_id": 1}]}, "next_steps"),
    ({"occurred_on": "2026-11-02", "kind": "visit", "next_steps": [{"text": "x", "due_on": "soon"}]},
     "next_steps"),
    ({"occurred_on": "2026-11-02", "kind": "visit", "next_steps": "打电话"}, "next_steps"),
])
def test_create_interaction_422(client, world, body, field):
    response = world.api(client, "admin").post(f"/accounts/{world.account.id}/interactions", json=body)
    assert_error(response, 422, field)


def test_unknown_interaction_and_stakeholder_are_404(client, world):
    api = world.api(client, "admin")
    assert_error(api.get("/interactions/999999"), 404)
    assert_error(api.patch("/stakeholders/999999", json={"name": "x"}), 404)
    visit = {"occurred_on": "2026-01-01", "kind": "visit"}
    assert_error(api.post("/accounts/999999/interactions", json=visit), 404)


def _count_statements(app, action):
    from sqlalchemy import event

    engine = app.extensions["kb.db"].engine
    statements = []

    def record(*args, **kwargs):
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    try:
        response = action()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200
    return len(statements)


def test_lists_run_a_constant_number_of_queries(app, client, world, create_stakeholder, create_interaction):
    api = world.api(client, "admin")

    def add(n):
        for i in range(n):
            s = create_stakeholder(world.account, owners=[world.seated, world.named])
            create_interaction(world.account, stakeholders=[s], attendees=[world.seated],
                               next_steps=[{"text": f"跟进{i}", "owner_id": world.named.id}])

    add(1)
    api.get("/me")  # the token's first use is recorded (once a minute): not part of a list's queries
    few = [_count_statements(app, lambda: api.get(f"/accounts/{world.account.id}/{what}"))
           for what in ("stakeholders", "interactions")]
    add(6)
    many = [_count_statements(app, lambda: api.get(f"/accounts/{world.account.id}/{what}"))
            for what in ("stakeholders", "interactions")]
    assert many == few
