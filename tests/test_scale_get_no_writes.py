"""A GET never writes: API token use is noted at most once a minute, in its own short transaction."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, select, update

from models import ApiToken, utcnow
from tests.api_support import Api, make_token

WRITES = ("INSERT", "UPDATE", "DELETE")


class Recorder:
    """Every statement and commit on the app's engine, in order, with the connection that ran it."""

    def __init__(self, app):
        self.engine = app.extensions["kb.db"].engine
        self.events: list[tuple[str, int, str]] = []

    def _execute(self, conn, cursor, statement, *args):
        self.events.append(("execute", id(conn.connection.dbapi_connection), statement.strip()))

    def _commit(self, conn):
        self.events.append(("commit", id(conn.connection.dbapi_connection), ""))

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._execute)
        event.listen(self.engine, "commit", self._commit)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._execute)
        event.remove(self.engine, "commit", self._commit)

    def writes(self) -> list[tuple[int, str]]:
        return [(i, stmt) for i, (kind, _, stmt) in enumerate(self.events)
                if kind == "execute" and stmt.upper().startswith(WRITES)]


def _last_used(app, token_id):
    with app.app_context():
        from kb.db import session
        return session.scalar(select(ApiToken.last_used_at).where(ApiToken.id == token_id))


@pytest.fixture
def token_world(app, create_user, create_group, create_seat, create_account):
    user = create_user(name="李客户经理")
    group = create_group()
    create_seat(group, user, "AR")
    account = create_account(group=group, name="华东电网")
    token = make_token(app, user)
    with app.app_context():
        from kb.db import session
        token_id = session.scalar(select(ApiToken.id).where(ApiToken.user_id == user.id))
    return user, account, token, token_id


def test_token_get_writes_in_its_own_short_transaction_before_the_page_is_built(app, client, token_world):
    _, account, token, token_id = token_world
    assert _last_used(app, token_id) is None
    with Recorder(app) as rec:
        response = Api(client, token).get(f"/accounts/{account.id}")
    assert response.status_code == 200 and response.get_json()["name"] == "华东电网"
    writes = rec.writes()
    assert len(writes) == 1 and "api_token" in writes[0][1].lower(), writes
    index, _ = writes[0]
    conn = rec.events[index][1]
    # The very next event on that connection is its commit, and it comes before the account is read.
    after = [e for e in rec.events[index + 1:] if e[1] == conn]
    assert after and after[0][0] == "commit"
    commit_at = rec.events.index(after[0], index + 1)
    account_reads = [i for i, (kind, _, stmt) in enumerate(rec.events)
                     if kind == "execute" and "FROM account" in stmt]
    assert account_reads and min(account_reads) > commit_at
    assert _last_used(app, token_id) is not None


def test_two_gets_within_a_minute_write_once(app, client, token_world):
    _, account, token, token_id = token_world
    api = Api(client, token)
    with Recorder(app) as rec:
        for _ in range(3):
            assert api.get(f"/accounts/{account.id}").status_code == 200
            assert api.get("/accounts").status_code == 200
    assert len(rec.writes()) == 1
    first = _last_used(app, token_id)
    # A use more than a minute after the last recorded one is recorded again.
    with app.app_context():
        from kb.db import session
        session.execute(update(ApiToken).where(ApiToken.id == token_id)
                        .values(last_used_at=first - timedelta(minutes=2)))
        session.commit()
    with Recorder(app) as rec:
        assert api.get("/me").status_code == 200
    assert len(rec.writes()) == 1
    assert _last_used(app, token_id) > first - timedelta(seconds=1)
    assert _last_used(app, token_id) <= utcnow()


def test_token_use_is_not_recorded_when_the_database_refuses_but_the_get_still_answers(app, client, token_world,
                                                                                       monkeypatch):
    _, account, token, token_id = token_world
    from kb import auth
    from kb.db import Database

    def broken_engine():
        raise_on = type("Broken", (), {"begin": lambda self: (_ for _ in ()).throw(
            __import__("sqlalchemy").exc.OperationalError("UPDATE", {}, Exception("database is locked")))})
        db = Database()
        db.engine = raise_on()
        return db
    monkeypatch.setattr(auth, "get_db", broken_engine)
    assert Api(client, token).get(f"/accounts/{account.id}").status_code == 200
    assert _last_used(app, token_id) is None


@pytest.mark.parametrize("path", ["/", "/accounts", "/groups", "/search?q=电网", "/accounts/{id}",
                                  "/accounts/{id}/brief", "/accounts/{id}/onboarding"])
def test_signed_in_pages_do_not_write(app, client, token_world, login_as, path):
    user, account, _, _ = token_world
    login_as(user)
    client.get(path.format(id=account.id))  # first visit (caches)
    with Recorder(app) as rec:
        response = client.get(path.format(id=account.id))
    assert response.status_code == 200
    assert rec.writes() == []


@pytest.mark.parametrize("path", ["/login", "/healthz", "/api/v1/me"])
def test_anonymous_gets_do_not_write(app, client, path):
    client.get(path)
    with Recorder(app) as rec:
        response = client.get(path)
    assert response.status_code in (200, 401)
    assert rec.writes() == []
