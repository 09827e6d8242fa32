"""POST /api/v1/handovers (dry run and apply) and GET /api/v1/handovers/<id>: shapes, access, validation."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from kb import clock
from models import SeatRole, StakeholderOwner, TriangleSeat
from tests.api_support import Api, assert_error, make_token


@pytest.fixture
def w(app, create_user, create_group, create_seat, create_account, create_stakeholder, create_interaction):
    admin = create_user(role="admin", name="管理员")
    leaver, heir, other = create_user(name="老王"), create_user(name="小李"), create_user(name="小陈")
    ar = create_user(name="南方AR")
    viewer = create_user(role="viewer", name="只读")
    north, south = create_group(name="华北客户群"), create_group(name="华南客户群")
    create_seat(north, leaver, SeatRole.AR, started_on=date(2023, 1, 1))
    create_seat(south, ar, SeatRole.AR, started_on=date(2023, 1, 1))
    create_seat(south, leaver, SeatRole.FR, started_on=date(2023, 1, 1))
    a1, a2 = create_account(north, name="北方电信"), create_account(south, name="南方银行", members=[leaver])
    s1 = create_stakeholder(a1, name="赵总", owners=[leaver])
    s2 = create_stakeholder(a2, name="钱总", owners=[leaver])
    people = dict(admin=admin, leaver=leaver, heir=heir, other=other, ar=ar, viewer=viewer)
    tokens = {k: make_token(app, u) for k, u in people.items()}
    return dict(people, north=north, south=south, a1=a1, a2=a2, s1=s1, s2=s2, tokens=tokens)


def api(client, w, who):
    return Api(client, w["tokens"][who])


def _owners(app):
    with app.app_context():
        from kb.db import session

        return session.execute(select(StakeholderOwner.stakeholder_id, StakeholderOwner.user_id)
                               .order_by(StakeholderOwner.stakeholder_id)).all()


def test_dry_run_lists_changes_and_changes_nothing(client, app, w):
    before = _owners(app)
    response = api(client, w, "admin").post("/handovers", json={
        "from_user_id": w["leaver"].id, "to_user_id": w["heir"].id, "dry_run": True})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["id"] is None and body["dry_run"] is True
    assert {(c["kind"], c["account_id"], c["to_user_id"]) for c in body["changes"]} == {
        ("seat", None, w["heir"].id), ("stakeholder_owner", w["a1"].id, w["heir"].id),
        ("stakeholder_owner", w["a2"].id, w["heir"].id), ("account_member", w["a2"].id, w["heir"].id)}
    assert len(body["changes"]) == 5  # two seats (north AR, south FR)
    assert set(body["changes"][0]) >= {"kind", "id", "account_id", "from_user_id", "to_user_id"}
    assert all(c["from_user_id"] == w["leaver"].id for c in body["changes"])
    assert _owners(app) == before


def test_apply_with_override_then_read_the_record(client, app, w):
    response = api(client, w, "admin").post("/handovers", json={
        "from_user_id": w["leaver"].id, "to_user_id": w["heir"].id, "note": "都交给小李，南方交给小陈",
        "assignments": [{"customer_group_id": w["south"].id, "to_user_id": w["other"].id}]})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["id"] and body["dry_run"] is False and body["note"] == "都交给小李，南方交给小陈"
    assert response.headers["Location"].endswith(f"/api/v1/handovers/{body['id']}")
    by_group = {(c["customer_group_id"], c["to_user_id"]) for c in body["changes"]}
    assert by_group == {(w["north"].id, w["heir"].id), (w["south"].id, w["other"].id)}
    assert _owners(app) == [(w["s1"].id, w["heir"].id), (w["s2"].id, w["other"].id)]
    again = api(client, w, "heir").get(f"/handovers/{body['id']}")  # a successor reads it
    assert again.status_code == 200 and again.get_json()["changes"] == body["changes"]
    assert api(client, w, "viewer").get(f"/handovers/{body['id']}").status_code == 404
    # nothing left: a second apply is refused with the reason
    error = assert_error(api(client, w, "admin").post("/handovers", json={
        "from_user_id": w["leaver"].id, "to_user_id": w["heir"].id}), 422, "from_user_id")
    assert "holds nothing" in error["message"]


def test_group_ar_sees_and_moves_only_their_group(client, app, w):
    body = api(client, w, "ar").post("/handovers", json={
        "from_user_id": w["leaver"].id, "to_user_id": w["heir"].id, "dry_run": True}).get_json()
    assert {c["customer_group_id"] for c in body["changes"]} == {w["south"].id} and len(body["changes"]) == 3
    assert_error(api(client, w, "ar").post("/handovers", json={
        "from_user_id": w["leaver"].id, "to_user_id": w["heir"].id,
        "assignments": [{"account_id": w["a1"].id, "to_user_id": w["other"].id}]}), 403)
    assert_error(api(client, w, "ar").post("/handovers", json={
        "from_user_id": w["leaver"].id, "to_user_id": w["heir"].id, "deactivate_from": True}), 403)
    response = api(client, w, "ar").post("/handovers", json={
        "from_user_id": w["leaver"].id, "to_user_id": w["heir"].id})
    assert response.status_code == 201
    assert _owners(app) == [(w["s1"].id, w["leaver"].id), (w["s2"].id, w["heir"].id)]


@pytest.mark.parametrize("who", ["other", "viewer"])
@pytest.mark.parametrize("successor", ["heir", "viewer"])
def test_members_off_the_ar_seat_and_viewers_are_refused(client, w, who, successor):
    assert_error(api(client, w, who).post("/handovers", json={
        "from_user_id": w["leaver"].id, "to_user_id": w[successor].id, "dry_run": True}), 403)


@pytest.mark.parametrize("body, field", [
    ({"to_user_id": 1}, "from_user_id"),
    ({"from_user_id": "x", "to_user_id": 1}, "from_user_id"),
    ({"from_user_id": 1, "to_user_id": 999999}, "to_user_id"),
    ({"from_user_id": 1, "to_user_id": 1, "dry_run": "yes"}, "dry_run"),
    ({"from_user_id": 1, "to_user_id": 1, "note": "x" * 2001}, "note"),
    ({"from_user_id": 1, "to_user_id": 1, "assignments": [{"to_user_id": 1}]}, "assignments"),
    ({"from_user_id": 1, "to_user_id": 1, "assignments": [{"account_id": 99999, "to_user_id": 1}]},
     "assignments"),
    ({"from_user_id": 1, "to_user_id": 1, "surprise": 1}, "surprise"),
])
def test_bad_input_is_422_with_the_field(client, w, body, field):
    body = {k: (w["leaver"].id if v == 1 and k == "from_user_id" else v) for k, v in body.items()}
    if body.get("to_user_id") == 1:
        body["to_user_id"] = w["heir"].id
    for item in body.get("assignments", []):
        item["to_user_id"] = w["heir"].id
    assert_error(api(client, w, "admin").post("/handovers", json=body), 422, field)


@pytest.mark.parametrize("successor, words", [("leaver", "someone other"), ("viewer", "viewer")])
def test_bad_successor_is_422(client, w, successor, words):
    error = assert_error(api(client, w, "admin").post("/handovers", json={
        "from_user_id": w["leaver"].id, "to_user_id": w[successor].id, "dry_run": True}), 422, "to_user_id")
    assert words in error["message"]


def test_idempotency_key_replays_the_first_answer(client, app, w):
    headers = {"Idempotency-Key": "handover-1"}
    body = {"from_user_id": w["leaver"].id, "to_user_id": w["heir"].id}
    first = api(client, w, "admin").post("/handovers", json=body, headers=headers)
    again = api(client, w, "admin").post("/handovers", json=body, headers=headers)
    assert first.status_code == again.status_code == 201 and first.get_json()["id"] == again.get_json()["id"]
    with app.app_context():
        from kb.db import session

        seats = session.scalars(select(TriangleSeat).where(TriangleSeat.user_id == w["heir"].id)).all()
        assert len(seats) == 2 and all(s.started_on == clock.today() for s in seats)
