"""`Idempotency-Key` on API writes: a retry gets the first answer, never a duplicate (docs/api.md)."""
from __future__ import annotations

import sqlite3
import threading
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, exc as sa_exc, func, select, update

from kb import idempotency
from models import (
    Account, AccountPlan, CustomerGroup, IdempotencyKey, Interaction, PlanRevision, Stakeholder, TriangleSeat,
    utcnow,
)
from tests.api_support import Api, assert_error, world  # noqa: F401  # `world` is a fixture


def count(app: Any, model: type) -> int:
    with app.app_context():
        from kb.db import session

        return session.scalar(select(func.count()).select_from(model))


def _creates(world: Any) -> dict[str, tuple[str, str, dict[str, Any], type]]:
    """Each create endpoint: (who, path, body, model)."""
    a = world.account.id
    return {
        "account": ("seated", "/accounts", acct(world, "宁波移动"), Account),
        "stakeholder": ("seated", f"/accounts/{a}/stakeholders", {"name": "张总"}, Stakeholder),
        "interaction": ("named", f"/accounts/{a}/interactions",
                        {"occurred_on": "2026-11-02", "kind": "visit", "title": "拜访"}, Interaction),
        "group": ("admin", "/customer-groups", {"name": "华南客户群"}, CustomerGroup),
        "seat": ("admin", f"/customer-groups/{world.group.id}/seats",
                 {"user_id": world.named.id, "role": "SR", "started_on": "2026-07-01"}, TriangleSeat),
    }


def acct(world: Any, name: str) -> dict[str, Any]:
    # These tests repeat one create on purpose: confirmed, so the possible-duplicate check (409, see
    # tests/test_accounts_duplicates.py) lets the repeats through and only the idempotency key decides.
    return {"name": name, "customer_group_id": world.group.id, "confirm_duplicate": True}


@pytest.mark.parametrize("kind", ["account", "stakeholder", "interaction", "group", "seat"])
def test_a_retry_with_the_same_key_replays_the_first_answer(app, client, world, kind):
    who, path, body, model = _creates(world)[kind]
    api = world.api(client, who)
    before = count(app, model)
    first = api.post(path, json=body, headers={"Idempotency-Key": f"retry-{kind}-1"})
    assert first.status_code == 201, first.get_json()
    assert "Idempotent-Replayed" not in first.headers
    again = api.post(path, json=body, headers={"Idempotency-Key": f"retry-{kind}-1"})
    assert again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count(app, model) == before + 1
    # Without a key each request creates (group names are unique; a seat to its holder is refused).
    if kind not in ("group", "seat"):
        api.post(path, json=body)
        assert count(app, model) == before + 2


def test_the_same_key_with_another_body_is_422(app, client, world):
    api = world.api(client, "seated")
    key = {"Idempotency-Key": "k-1"}
    assert api.post("/accounts", json=acct(world, "宁波移动"), headers=key).status_code == 201
    error = assert_error(api.post("/accounts", json=acct(world, "温州移动"), headers=key), 422)
    assert error["code"] == "idempotency_key_reused"
    other_path = api.post(f"/accounts/{world.account.id}/stakeholders", json={"name": "宁波移动"},
                          headers={"Idempotency-Key": "k-1"})
    assert assert_error(other_path, 422)["code"] == "idempotency_key_reused"
    assert count(app, Account) == 2 and count(app, Stakeholder) == 0


def test_the_same_json_written_differently_is_the_same_request(app, client, world):
    api = world.api(client, "seated")
    headers = {"Idempotency-Key": "k-json", "Content-Type": "application/json"}
    group = world.group.id
    first = api.post("/accounts", headers=headers,
                     data=f'{{"name": "宁波移动", "customer_group_id": {group}}}')
    again = api.post("/accounts", headers=headers,
                     data=f'{{ "customer_group_id":{group},"name":"宁波移动" }}')
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true" and count(app, Account) == 2


def test_keys_are_per_user(app, client, world):
    body = acct(world, "宁波移动")
    first = world.api(client, "seated").post("/accounts", json=body, headers={"Idempotency-Key": "shared"})
    second = world.api(client, "admin").post("/accounts", json=body, headers={"Idempotency-Key": "shared"})
    assert first.status_code == second.status_code == 201
    assert "Idempotent-Replayed" not in second.headers
    assert first.get_json()["id"] != second.get_json()["id"]


def test_a_failed_request_does_not_use_up_its_key(app, client, world):
    api = world.api(client, "seated")
    assert_error(api.post("/accounts", json=acct(world, ""), headers={"Idempotency-Key": "k-2"}), 422, "name")
    response = api.post("/accounts", json=acct(world, "宁波移动"), headers={"Idempotency-Key": "k-2"})
    assert response.status_code == 201 and "Idempotent-Replayed" not in response.headers


@pytest.mark.parametrize("key", ["", "x" * 256, "空格 不行", "tab\there"])
def test_a_malformed_key_is_400(app, client, world, key):
    response = world.api(client, "seated").post("/accounts", json=acct(world, "宁波移动"),
                                                headers={"Idempotency-Key": key})
    assert_error(response, 400)
    assert count(app, Account) == 1


def _age_keys(app: Any, hours: float) -> None:
    with app.app_context():
        from kb.db import session

        session.execute(update(IdempotencyKey).values(created_at=utcnow() - timedelta(hours=hours)))
        session.commit()


@pytest.mark.parametrize("hours, replayed", [(23, True), (25, False)])
def test_keys_are_remembered_for_24_hours(app, client, world, hours, replayed):
    api = world.api(client, "seated")
    api.post("/accounts", json=acct(world, "宁波移动"), headers={"Idempotency-Key": "k-3"})
    _age_keys(app, hours)
    again = api.post("/accounts", json=acct(world, "宁波移动"), headers={"Idempotency-Key": "k-3"})
    assert again.status_code == 201
    assert (again.headers.get("Idempotent-Replayed") == "true") is replayed
    assert count(app, Account) == (2 if replayed else 3)


def test_expired_keys_are_pruned(app, client, world):
    api = world.api(client, "seated")
    api.post("/accounts", json=acct(world, "旧的"), headers={"Idempotency-Key": "old"})
    _age_keys(app, 25)
    api.post("/accounts", json=acct(world, "新的"), headers={"Idempotency-Key": "new"})
    with app.app_context():
        from kb.db import session

        assert idempotency.prune_expired() == 1
        session.commit()
        assert session.scalars(select(IdempotencyKey.key)).all() == ["new"]


def test_key_and_record_are_committed_together(app, client, world):
    """A commit that fails keeps neither the record nor the key: the retry creates, once."""
    factory = app.extensions["kb.db"].session_factory

    def fail(session: Any) -> None:
        raise sa_exc.OperationalError("COMMIT", {}, sqlite3.OperationalError("database is locked"))

    api = world.api(client, "seated")
    event.listen(factory, "before_commit", fail)
    try:
        response = api.post("/accounts", json=acct(world, "宁波移动"), headers={"Idempotency-Key": "k-4"})
        assert_error(response, 503)
    finally:
        event.remove(factory, "before_commit", fail)
    assert count(app, Account) == 1 and count(app, IdempotencyKey) == 0
    response = api.post("/accounts", json=acct(world, "宁波移动"), headers={"Idempotency-Key": "k-4"})
    assert response.status_code == 201 and "Idempotent-Replayed" not in response.headers
    assert count(app, Account) == 2 and count(app, IdempotencyKey) == 1


def test_a_retried_plan_save_is_not_a_conflict(app, client, world):
    api = world.api(client, "seated")
    path = f"/accounts/{world.account.id}/plans/FY2028"
    body = {"version": 0, "strategy": "全面上云"}
    first = api.put(path, json=body, headers={"Idempotency-Key": "plan-1"})
    again = api.put(path, json=body, headers={"Idempotency-Key": "plan-1"})
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert count(app, AccountPlan) == 1 and count(app, PlanRevision) == 1
    assert_error(api.put(path, json=body), 409)  # without the key, the retry is a stale save


def test_two_requests_with_the_same_key_at_once_create_one_record(app, world, monkeypatch):
    """The second waits on the key's unique index while the first is still inside its view."""
    from kb.services import accounts as service

    inside, release = threading.Event(), threading.Event()
    create = service.create_account

    def slow_create(**kw: Any) -> Any:
        if kw["name"] == "并发客户" and not inside.is_set():
            inside.set()
            assert release.wait(10)
        return create(**kw)

    monkeypatch.setattr(service, "create_account", slow_create)
    responses: dict[str, Any] = {}

    def send(name: str) -> None:
        api = Api(app.test_client(), world.tokens["seated"])
        responses[name] = api.post("/accounts", json=acct(world, "并发客户"),
                                   headers={"Idempotency-Key": "at-once"})

    first = threading.Thread(target=send, args=("first",))
    first.start()
    assert inside.wait(10)
    second = threading.Thread(target=send, args=("second",))
    second.start()
    second.join(0.5)
    assert second.is_alive(), "the second request did not wait for the first"
    release.set()
    first.join(15)
    second.join(15)
    assert responses["first"].status_code == 201, responses["first"].get_json()
    assert responses["second"].status_code == 201, responses["second"].get_json()
    assert responses["second"].headers["Idempotent-Replayed"] == "true"
    assert responses["second"].get_json()["id"] == responses["first"].get_json()["id"]
    with app.app_context():
        from kb.db import session

        named = select(func.count()).select_from(Account).where(Account.name == "并发客户")
        assert session.scalar(named) == 1
