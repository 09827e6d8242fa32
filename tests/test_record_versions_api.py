"""No lost update through the API, and the conditional UPDATE that closes the race between two saves.

Every representation carries `version`; PATCH with a stale `version` is a 409 whose error holds the stored
record under "current"; without `version` the PATCH is not checked (older clients keep working).
"""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import create_engine, select, text

from kb.services import accounts as account_service
from kb.services import stakeholders as stakeholder_service
from kb.services.errors import Conflict
from models import Account, Stakeholder, User
from tests.api_support import assert_error, world  # noqa: F401  (fixture)


@pytest.fixture
def person(world, create_stakeholder):
    return create_stakeholder(world.account, name="陈总", notes="原始备注", private_notes="只给团队看")


def test_every_representation_has_its_version(client, world, person, create_interaction):
    visit = create_interaction(world.account, next_steps=[{"text": "发送方案", "due_on": date(2026, 12, 1)}])
    api = world.api(client, "admin")
    assert api.get(f"/accounts/{world.account.id}").get_json()["version"] == 1
    assert api.get(f"/stakeholders/{person.id}").get_json()["version"] == 1
    body = api.get(f"/interactions/{visit.id}").get_json()
    assert body["version"] == 1 and body["next_steps"][0]["version"] == 1
    assert api.get(f"/customer-groups/{world.group.id}").get_json()["version"] == 1
    assert all(u["version"] == 1 for u in api.get("/users").get_json()["items"])


@pytest.mark.parametrize("kind, field", [("accounts", "description"), ("stakeholders", "notes")])
def test_stale_patch_is_409_with_the_stored_record(client, world, person, kind, field):
    record_id = world.account.id if kind == "accounts" else person.id
    first, second = world.api(client, "seated"), world.api(client, "named")
    path = f"/{kind}/{record_id}"
    assert first.get(path).get_json()["version"] == 1
    saved = first.patch(path, json={field: "李经理的修改", "version": 1})
    assert saved.status_code == 200 and saved.get_json()["version"] == 2
    stale = second.patch(path, json={field: "王成员的修改", "version": 1})
    error = assert_error(stale, 409)
    assert error["code"] == "conflict"
    assert error["current"]["version"] == 2 and error["current"][field] == "李经理的修改"
    assert first.get(path).get_json()[field] == "李经理的修改"  # nothing overwritten
    again = second.patch(path, json={field: "王成员的修改", "version": error["current"]["version"]})
    assert again.status_code == 200 and again.get_json()[field] == "王成员的修改"
    assert again.get_json()["version"] == 3


def test_conflict_current_is_the_stakeholder_as_the_team_reads_it(client, world, person):
    world.api(client, "admin").patch(f"/stakeholders/{person.id}", json={"notes": "新", "version": 1})
    team = assert_error(world.api(client, "named").patch(f"/stakeholders/{person.id}",
                                                         json={"notes": "旧", "version": 1}), 409)
    assert team["current"]["private_notes"] == "只给团队看"


def test_patch_without_version_is_not_checked(client, world):
    api = world.api(client, "seated")
    path = f"/accounts/{world.account.id}"
    api.patch(path, json={"description": "一", "version": 1})
    response = api.patch(path, json={"description": "二"})
    assert response.status_code == 200 and response.get_json()["version"] == 3


@pytest.mark.parametrize("version", ["1", -1, True, 1.5])
def test_bad_version_is_422(client, world, version):
    response = world.api(client, "seated").patch(f"/accounts/{world.account.id}",
                                                 json={"description": "x", "version": version})
    assert_error(response, 422, "version")


def _load(session, model, record_id):
    return session.get(model, record_id)


@pytest.mark.parametrize("kind", ["account", "stakeholder"])
def test_two_sessions_saving_one_version_only_one_wins(app, world, person, kind):
    """Both requests read version 1 and pass the in-memory check; the conditional UPDATE decides."""
    model, record_id = (Account, world.account.id) if kind == "account" else (Stakeholder, person.id)

    def save(session, author_id, text):
        record, author = _load(session, model, record_id), session.get(User, author_id)
        if kind == "account":
            account_service.update_account(account=record, author=author, base_version=1, description=text)
        else:
            stakeholder_service.update_stakeholder(stakeholder=record, author=author, base_version=1, notes=text)

    with app.test_request_context():
        from kb.db import session as ours

        read = _load(ours, model, record_id)  # this request has read version 1 (and keeps it)
        assert read.version == 1
        # Another request (its own app context, so its own session) commits its save of version 1 in between.
        with app.app_context(), app.test_request_context():
            from kb.db import session as theirs

            save(theirs, world.admin.id, "先提交的")
            theirs.commit()
        with pytest.raises(Conflict) as info:
            save(ours, world.seated.id, "后提交的")
        assert info.value.current.version == 2
        ours.rollback()
        stored = _load(ours, model, record_id)
        assert (stored.version, getattr(stored, "description" if kind == "account" else "notes")) == (2, "先提交的")


def test_migration_gives_existing_rows_version_one(tmp_path):
    """Rows written before 0002 (no version column) read as version 1 after the upgrade."""
    from alembic import command

    from kb.migrate import alembic_config

    engine = create_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    try:
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "0001")
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO customer_group (name, name_en, description, created_at, updated_at) "
                "VALUES ('老客户群', '', '', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"))
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
        with engine.connect() as connection:
            assert connection.execute(text("SELECT name, version FROM customer_group")).all() == [("老客户群", 1)]
    finally:
        engine.dispose()


def test_interaction_patch_with_next_steps_and_a_stale_version(client, world, create_interaction):
    visit = create_interaction(world.account, summary="原始纪要",
                               next_steps=[{"text": "发送方案", "due_on": date(2026, 12, 1)}])
    first, second = world.api(client, "seated"), world.api(client, "named")
    path = f"/interactions/{visit.id}"
    body = first.get(path).get_json()
    body["next_steps"][0]["done"] = True
    saved = first.patch(path, json={"next_steps": body["next_steps"], "version": body["version"]})
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json()["version"] == 2 and saved.get_json()["next_steps"][0]["done"] is True
    assert saved.get_json()["next_steps"][0]["id"] == body["next_steps"][0]["id"]  # the same step, kept
    stale = second.patch(path, json={"summary": "王成员补充", "version": 1})
    error = assert_error(stale, 409)
    assert error["current"]["next_steps"][0]["done"] is True and error["current"]["summary"] == "原始纪要"
    again = second.patch(path, json={"summary": "王成员补充", "version": 2})
    assert again.status_code == 200 and again.get_json()["summary"] == "王成员补充"
    assert again.get_json()["next_steps"][0]["done"] is True  # the tick survived


def test_interaction_patch_needs_edit_rights(client, world, create_interaction):
    visit = create_interaction(world.account)
    response = world.api(client, "outsider").patch(f"/interactions/{visit.id}", json={"summary": "x"})
    assert_error(response, 403)


def test_group_patch_with_a_stale_version(client, world):
    api = world.api(client, "admin")
    path = f"/customer-groups/{world.group.id}"
    assert api.patch(path, json={"description": "第一版", "version": 1}).get_json()["version"] == 2
    error = assert_error(api.patch(path, json={"description": "第二版", "version": 1}), 409)
    assert error["current"]["description"] == "第一版" and error["current"]["version"] == 2
    assert_error(world.api(client, "seated").patch(path, json={"description": "x"}), 403)


def test_interaction_get_body_sent_back_unchanged_is_accepted(client, world, create_interaction):
    visit = create_interaction(world.account, next_steps=[{"text": "发送方案", "due_on": date(2026, 12, 1)}])
    api = world.api(client, "seated")
    body = api.get(f"/interactions/{visit.id}").get_json()
    response = api.patch(f"/interactions/{visit.id}", json=body)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["next_steps"][0]["id"] == body["next_steps"][0]["id"]
