"""Customer groups and triangle seats through the API."""
from __future__ import annotations

from datetime import date

import pytest

from tests.api_support import assert_error, world  # noqa: F401

SEAT_KEYS = {"id", "user_id", "role", "started_on", "ended_on", "note", "state"}


def test_list_groups(client, world):
    body = world.api(client, "viewer").get("/customer-groups").get_json()
    assert [g["name"] for g in body["items"]] == ["华东运营商客户群"]
    assert body["items"][0]["current_seats"][0]["user_id"] == world.seated.id


def test_get_group_with_current_and_past_seats(client, world, create_seat, create_user):
    former = create_user(role="member", name="前任")
    create_seat(world.group, former, "SR", started_on=date(2022, 1, 1), ended_on=date(2023, 6, 30))
    body = world.api(client, "viewer").get(f"/customer-groups/{world.group.id}").get_json()
    assert {"id", "name", "name_en", "description", "current_seats", "past_seats"} <= set(body)
    assert [s["user_id"] for s in body["current_seats"]] == [world.seated.id]
    assert SEAT_KEYS == set(body["current_seats"][0])
    assert body["current_seats"][0]["role"] == "AR" and body["current_seats"][0]["ended_on"] is None
    assert body["past_seats"] == [{"id": body["past_seats"][0]["id"], "user_id": former.id, "role": "SR",
                                   "started_on": "2022-01-01", "ended_on": "2023-06-30", "note": "",
                                   "state": "ended"}]


def test_admin_creates_a_group(client, world):
    api = world.api(client, "admin")
    response = api.post("/customer-groups", json={"name": "华南金融客户群", "name_en": "South Finance",
                                                  "description": "银行与保险"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["name"] == "华南金融客户群" and body["current_seats"] == [] and body["past_seats"] == []
    assert api.get(f"/customer-groups/{body['id']}").get_json()["description"] == "银行与保险"


@pytest.mark.parametrize("body, field", [({}, "name"), ({"name": "x" * 101}, "name"), ({"name": 1}, "name"),
                                         ({"name": "华东运营商客户群"}, "name")])
def test_create_group_422(client, world, body, field):
    assert_error(world.api(client, "admin").post("/customer-groups", json=body), 422, field)


@pytest.mark.parametrize("who", ["seated", "named", "viewer"])
def test_only_admins_create_groups_and_rotate_seats(client, world, who):
    api = world.api(client, who)
    assert_error(api.post("/customer-groups", json={"name": "新客户群"}), 403)
    seat = {"user_id": world.named.id, "role": "AR"}
    response = api.post(f"/customer-groups/{world.group.id}/seats", json=seat)
    assert_error(response, 403)
    seats = api.get(f"/customer-groups/{world.group.id}").get_json()["current_seats"]
    assert [s["user_id"] for s in seats] == [world.seated.id]


def test_rotate_seat(client, world):
    api = world.api(client, "admin")
    response = api.post(f"/customer-groups/{world.group.id}/seats", json={
        "user_id": world.named.id, "role": "AR", "started_on": "2026-07-01", "note": "轮岗"})
    assert response.status_code == 201, response.get_json()
    seat = response.get_json()
    assert seat["user_id"] == world.named.id and seat["started_on"] == "2026-07-01" and seat["note"] == "轮岗"
    group = api.get(f"/customer-groups/{world.group.id}").get_json()
    assert [s["user_id"] for s in group["current_seats"]] == [world.named.id]
    assert group["past_seats"][0]["user_id"] == world.seated.id
    assert group["past_seats"][0]["ended_on"] == "2026-07-01"
    # The rotated-out member is off the team now: no more writes on the account.
    response = world.api(client, "seated").patch(f"/accounts/{world.account.id}", json={"region": "x"})
    assert_error(response, 403)


@pytest.mark.parametrize("body, field", [
    ({"role": "AR"}, "user_id"),
    ({"user_id": 1}, "role"),
    ({"user_id": 1, "role": "CEO"}, "role"),
    ({"user_id": 999999, "role": "AR"}, "user_id"),
    ({"user_id": "1", "role": "AR"}, "user_id"),
    ({"user_id": 1, "role": "AR", "started_on": "yesterday"}, "started_on"),
    ({"user_id": 1, "role": "AR", "note": "x" * 501}, "note"),
])
def test_rotate_seat_422(client, world, body, field):
    response = world.api(client, "admin").post(f"/customer-groups/{world.group.id}/seats", json=body)
    assert_error(response, 422, field)


def test_rotate_to_the_current_holder_or_a_viewer_is_422(client, world):
    api = world.api(client, "admin")
    path = f"/customer-groups/{world.group.id}/seats"
    assert_error(api.post(path, json={"user_id": world.seated.id, "role": "AR"}), 422, "user_id")
    assert_error(api.post(path, json={"user_id": world.viewer.id, "role": "SR"}), 422, "user_id")


def test_unknown_group_is_404(client, world):
    api = world.api(client, "admin")
    assert_error(api.get("/customer-groups/999999"), 404)
    assert_error(api.post("/customer-groups/999999/seats", json={"user_id": 1, "role": "AR"}), 404)
