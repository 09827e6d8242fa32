"""The search-index write never holds up a response: one short attempt after commit, then catch-up (at
the next search and in a background thread per process) applies what is left; read-your-writes holds."""
from __future__ import annotations

import logging
import threading
import time

import pytest
from sqlalchemy import select

from kb.search import CATCH_UP_KEY, SearchIndex, get_index
from kb.search.background import CatchUpThread
from kb.search.backoff import WriteBackoff
from models import Account, UserRole
from tests.search_support import find, keys
from tests.test_accounts_forms import form_data

#: The lock holder lets go after this long at the latest (a request that waits for it fails the test).
HOLD_AT_MOST = 20.0


class LockHolder:
    """Holds the index's writer lock in another thread until `release()` (or HOLD_AT_MOST seconds)."""

    def __init__(self, app):
        with app.app_context():
            self.index = get_index()
        self.held, self.released, self._release = threading.Event(), threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._hold, daemon=True)

    def _hold(self):
        writer = self.index.writer(self.index.live_path())
        self.held.set()
        self._release.wait(HOLD_AT_MOST)
        writer.cancel()
        self.released.set()

    def __enter__(self):
        self.thread.start()
        assert self.held.wait(10)
        return self

    def release(self):
        self._release.set()
        self.thread.join(10)

    def __exit__(self, *exc):
        self.release()


@pytest.fixture
def admin(create_user, login_as):
    user = create_user(role=UserRole.ADMIN, name="管理员")
    login_as(user)
    return user


def _account_id(app, name):
    with app.app_context():
        from kb.db import session

        return session.scalar(select(Account.id).where(Account.name == name))


def test_write_request_does_not_wait_for_a_locked_index(app, client, admin):
    find(app, "招商", admin)  # the index exists
    with LockHolder(app) as holder:
        response = client.post("/accounts/new", data=form_data(name="宁德时代", description="固态电池"))
        assert response.status_code == 302
        assert not holder.released.is_set()  # the response came back while the lock was still held
        with app.app_context():
            assert get_index().bookmark().last_id < get_index().database_head()  # left to catch-up
    # read-your-writes: the next search catches up first
    assert keys(find(app, "固态电池", admin)) == {f"account:{_account_id(app, '宁德时代')}"}


def test_after_commit_never_rebuilds_a_missing_index(app, admin, create_account, monkeypatch):
    rebuilds = []
    monkeypatch.setattr(SearchIndex, "rebuild", lambda self, **kw: rebuilds.append(kw) or 0)
    create_account(name="远景能源")  # commits with no index on disk yet
    assert rebuilds == []


def test_background_thread_catches_up_without_a_search(app, admin, create_account):
    account = create_account(name="中国中车")
    find(app, "中车", admin)
    with app.app_context():
        index = get_index()
    catch_up = CatchUpThread(index, interval=0.05)
    try:
        with LockHolder(app):
            with app.app_context():
                from kb.db import session

                session.get(Account, account.id).description = "高铁"
                session.commit()  # the short attempt finds the index locked
                assert index.bookmark().last_id < index.database_head()
            catch_up.start()
        deadline = time.monotonic() + 15
        with app.app_context():
            while index.bookmark().last_id < index.database_head() and time.monotonic() < deadline:
                time.sleep(0.05)
            assert index.bookmark().last_id == index.database_head()  # no search has run meanwhile
    finally:
        catch_up.stop()
    assert not catch_up.running
    assert keys(find(app, "高铁", admin)) == {f"account:{account.id}"}


def test_catch_up_backs_off_and_logs_once_per_state_change(app, caplog, monkeypatch):
    with app.app_context():
        index = get_index()
    now = [1000.0]
    index.backoff = WriteBackoff(first_delay=2.0, max_delay=8.0, clock=lambda: now[0])
    catch_up = CatchUpThread(index, interval=1.0)
    outcomes = iter([OSError("disk full")] * 5 + [7, 0])

    def catch_up_once(self, **kwargs):
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    monkeypatch.setattr(SearchIndex, "catch_up", catch_up_once)
    caplog.set_level(logging.INFO, logger="kb.search")
    delays = []
    for _ in range(7):
        delays.append(catch_up.step())
        now[0] += delays[-1]
    assert delays == [2.0, 4.0, 8.0, 8.0, 8.0, 1.0, 1.0]
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2
    assert messages[0].startswith("index writes failing: OSError: disk full")
    assert messages[1].startswith("index writes recovered after 7 events")
    assert all(r.exc_info is None for r in caplog.records)  # no traceback per attempt


def test_tests_do_not_start_the_thread_but_requests_in_production_do(app, client, admin):
    client.get("/")
    assert not app.extensions[CATCH_UP_KEY].running
    app.testing = False
    try:
        client.get("/")
        assert app.extensions[CATCH_UP_KEY].running
    finally:
        app.testing = True
        app.extensions[CATCH_UP_KEY].stop()
    assert not app.extensions[CATCH_UP_KEY].running


def test_a_search_keeps_its_searcher_when_the_index_moves_on_during_the_request(app, admin, create_account):
    """The background catch-up may commit between a request's searcher() and its later bookmark() (the
    freshness shown with the results): the searcher the request is reading must stay open (it was closed,
    and the search answered 500 ReaderClosed under the fault suite's held index lock)."""
    create_account(name="中国中车")
    find(app, "中车", admin)
    with app.app_context():
        index = get_index()
        searcher = index.searcher()
        catch_up = CatchUpThread(index, interval=0.05)
        from kb.db import session

        session.add(Account(name="中车株洲所"))  # committed; applied to the index by this process
        session.commit()
        try:
            catch_up.start()
            deadline = time.monotonic() + 15
            while index.bookmark().last_id < index.database_head() and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            catch_up.stop()
        index.freshness()  # what search() does after running the query
        from whoosh.query import Every

        assert searcher.search(Every(), limit=None).scored_length() >= 1  # not ReaderClosed
