"""Search tells the truth while its index is behind: the page shows a notice, the API always carries
"stale" and "index_lag", /healthz uses the same definition; a failing index write is retried with a
back-off shared per process and logged once per state change; a missing index that cannot be rebuilt
answers "unavailable" (never 500), one rebuild at a time across processes, and a failed rebuild leaves no
partial folder behind."""
from __future__ import annotations

import errno
import logging
import os
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, update

from kb.search import SearchIndex, get_index, maintenance
from kb.search.freshness import BEHIND_AFTER, Freshness
from kb.search.index import CATCH_UP_TIMEOUT
from models import Account, IndexEvent, UserRole
from tests.search_support import find, keys
from tests.test_search_catch_up import LockHolder

STALE_EN = "results may miss changes from the last"
STALE_ZH = "结果可能缺少最近"
UNAVAILABLE_EN = "Search is unavailable right now"
UNAVAILABLE_ZH = "搜索暂时不可用"


@pytest.fixture
def admin(create_user, login_as):
    user = create_user(role=UserRole.ADMIN, name="管理员")
    login_as(user)
    return user


@pytest.fixture
def clock(app):
    """A fake clock for the index's write back-off: `clock.advance(seconds)`."""

    class Clock:
        now = 1000.0

        def __call__(self):
            return self.now

        def advance(self, seconds):
            self.now += seconds

    fake = Clock()
    with app.app_context():
        get_index().backoff.clock = fake
        get_index().rebuild_backoff.clock = fake
    return fake


def disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def edit(app, account_id, description):
    with app.app_context():
        from kb.db import session

        session.get(Account, account_id).description = description
        session.commit()


def age_unapplied_events(app, seconds):
    """Pretend the outbox events were committed `seconds` ago."""
    when = datetime.now(timezone.utc) - timedelta(seconds=seconds)
    with app.extensions["kb.db"].engine.begin() as conn:
        conn.execute(update(IndexEvent).values(created_at=when))


def index_warnings(caplog):
    return [r for r in caplog.records if r.name.startswith("kb.search") and r.levelno >= logging.WARNING]


# -- one definition of "behind" ------------------------------------------------------------------------
@pytest.mark.parametrize(("lag", "age", "failing", "stale"), [
    (0, None, False, False),           # nothing to apply
    (0, None, True, False),            # writes failing but nothing missing (yet)
    (2, 1.0, False, False),            # just committed: the usual moment before the catch-up
    (2, BEHIND_AFTER, False, True),    # not applied BEHIND_AFTER seconds after its commit
    (1, 0.1, True, True),              # writes are failing: whatever is missing stays missing
])
def test_behind_is_defined_once(lag, age, failing, stale):
    assert Freshness(lag=lag, oldest_age=age, failing=failing).stale is stale


@pytest.mark.parametrize(("age", "minutes"), [(0.2, 1), (59.0, 1), (61.0, 2), (299.0, 5), (3600.0, 60)])
def test_notice_minutes_come_from_the_oldest_change_not_applied(age, minutes):
    assert Freshness(lag=1, oldest_age=age).minutes == minutes


# -- the page, the API and /healthz say it ---------------------------------------------------------------
def test_search_page_says_results_may_miss_recent_changes_while_index_writes_fail(
        app, client, admin, create_account, clock, monkeypatch):
    account = create_account(name="宁德时代")
    page = client.get("/search?q=宁德时代").get_data(as_text=True)
    assert "宁德时代" in page and STALE_EN not in page
    monkeypatch.setattr(SearchIndex, "writer", disk_full)
    edit(app, account.id, "固态电池")  # committed; the index write fails
    age_unapplied_events(app, 4 * 60 + 30)
    response = client.get("/search?q=固态电池")
    assert response.status_code == 200  # answered from the index as it is ...
    page = response.get_data(as_text=True)
    assert "results may miss changes from the last 5 minutes" in page  # ... and says so
    zh = client.get("/search?q=固态电池", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "结果可能缺少最近 5 分钟内的更改" in zh
    monkeypatch.undo()
    clock.advance(60)  # the back-off has passed; the disk has room again
    page = client.get("/search?q=固态电池").get_data(as_text=True)
    assert STALE_EN not in page and f"/accounts/{account.id}" in page


def test_api_search_always_carries_stale_and_index_lag(app, client, admin, create_account, clock,
                                                       monkeypatch):
    account = create_account(name="宁德时代")
    for url in ("/api/v1/search?q=宁德时代", "/api/v1/search?q=", "/api/v1/search?q=%22"):
        body = client.get(url).get_json()
        assert (body["stale"], body["index_lag"]) == (False, 0), url
    monkeypatch.setattr(SearchIndex, "writer", disk_full)
    edit(app, account.id, "固态电池")
    edit(app, account.id, "钠离子电池")
    for url in ("/api/v1/search?q=宁德时代", "/api/v1/search?q="):
        response = client.get(url)
        assert response.status_code == 200
        assert (response.json["stale"], response.json["index_lag"]) == (True, 2), url
    monkeypatch.undo()
    clock.advance(60)
    body = client.get("/api/v1/search?q=钠离子电池").get_json()
    assert (body["stale"], body["index_lag"], body["total"]) == (False, 0, 1)


def test_healthz_uses_the_same_definition_of_behind(app, client, admin, create_account):
    account = create_account(name="落后客户")
    find(app, "落后客户", admin)
    health = client.get("/healthz").json
    assert (health["index_lag"], health["index_stale"]) == (0, False)
    engine = app.extensions["kb.db"].engine
    with engine.begin() as conn:  # committed by another process a moment ago: not behind yet
        conn.execute(insert(IndexEvent).values(doc_type="account", doc_id=account.id, op="upsert"))
    health = client.get("/healthz").json
    assert (health["index_lag"], health["index_stale"]) == (1, False)
    age_unapplied_events(app, BEHIND_AFTER + 1)  # ... still not applied BEHIND_AFTER seconds later
    health = client.get("/healthz").json
    assert (health["index_lag"], health["index_stale"]) == (1, True)
    assert client.get("/api/v1/search?q=").json["stale"] is True  # the API says the same
    find(app, "落后客户", admin)  # a search catches up
    assert client.get("/healthz").json["index_stale"] is False


# -- back-off and quiet logs -----------------------------------------------------------------------------
@pytest.mark.parametrize("fault", [errno.ENOSPC, errno.EROFS], ids=["disk-full", "read-only"])
def test_searches_during_a_write_fault_retry_with_back_off_and_log_one_line_per_state_change(
        app, admin, create_account, clock, monkeypatch, caplog, fault):
    account = create_account(name="宁德时代")
    find(app, "宁德时代", admin)
    attempts = []

    def full(self, path, **kwargs):
        attempts.append(clock.now)
        raise OSError(fault, os.strerror(fault))

    monkeypatch.setattr(SearchIndex, "writer", full)
    caplog.set_level(logging.DEBUG, logger="kb")
    edit(app, account.id, "固态电池")  # the write after commit fails: writes are failing from here
    for _ in range(200):  # 200 searches over 20 seconds
        assert find(app, "宁德时代", admin).total == 1
        clock.advance(0.1)
    for n in range(20):  # and more writes: committed, left to catch-up without trying the index
        edit(app, account.id, f"固态电池 {n}")
    # One attempt after the first commit, then one per back-off delay (1, 2, 4, 8 s...), not 200 or 220.
    assert len(attempts) == 5
    warnings = index_warnings(caplog)
    assert [r.getMessage() for r in warnings] == [
        f"index writes failing: OSError: [Errno {fault}] {os.strerror(fault)}; retrying with back-off"]
    assert all(r.exc_info is None for r in caplog.records)  # no traceback at all
    monkeypatch.undo()
    clock.advance(60)
    assert keys(find(app, "固态电池 19", admin)) == {f"account:{account.id}"}
    messages = [r.getMessage() for r in index_warnings(caplog)]
    assert len(messages) == 2 and messages[1].startswith("index writes recovered after 21 events")


def test_a_busy_writer_lock_is_logged_and_does_not_hold_searches(app, admin, create_account, caplog):
    account = create_account(name="中国中车")
    find(app, "中车", admin)
    caplog.set_level(logging.INFO, logger="kb")
    with LockHolder(app):
        edit(app, account.id, "高铁")
        started = time.monotonic()
        outcome = find(app, "中车", admin)
        waited = time.monotonic() - started
        assert outcome.total == 1 and outcome.freshness.stale  # answered, and says it is behind
        assert waited < CATCH_UP_TIMEOUT + 1.5  # not the writer's full patience (30 x 2 s)
        with app.app_context(), pytest.raises(Exception, match="stayed locked"):
            index = get_index()
            index.writer(index.live_path(), timeout=0.1, attempts=3)
    messages = [r.getMessage() for r in index_warnings(caplog)]
    assert messages[0].startswith("index writes failing: LockError")
    assert any(m.startswith("search index writer lock busy") for m in messages)


# -- no index, and none can be built now ------------------------------------------------------------------
def _lose_index(app):
    with app.app_context():
        index = get_index()
        for path in index.root.glob("gen-*"):
            shutil.rmtree(path)
        return index.root


def test_missing_index_on_a_full_disk_answers_unavailable_and_backs_off(
        app, client, admin, create_account, clock, monkeypatch, caplog):
    account = create_account(name="宁德时代")
    find(app, "宁德时代", admin)
    root = _lose_index(app)
    rebuilds = []

    def documents_until_the_disk_is_full(session, *args, **kwargs):
        rebuilds.append(list(root.glob("gen-*")))  # the new folder exists while documents are written
        yield {"key": "account:1", "type": "account", "doc_id": 1, "title": "x", "body": "y"}
        disk_full()

    monkeypatch.setattr(maintenance, "iter_all_documents", documents_until_the_disk_is_full)
    caplog.set_level(logging.INFO, logger="kb")
    page = client.get("/search?q=宁德时代")
    assert page.status_code == 503 and int(page.headers["Retry-After"]) >= 5
    assert UNAVAILABLE_EN in page.get_data(as_text=True)
    assert rebuilds and rebuilds[0]  # it tried, in a new folder ...
    assert list(root.glob("gen-*")) == []  # ... which the failure removed at once
    zh = client.get("/search?q=宁德时代", headers={"Accept-Language": "zh-CN"})
    assert zh.status_code == 503 and UNAVAILABLE_ZH in zh.get_data(as_text=True)
    api = client.get("/api/v1/search?q=宁德时代")
    assert api.status_code == 503 and api.headers["Retry-After"]
    assert api.json["error"]["code"] == "unavailable" and UNAVAILABLE_EN in api.json["error"]["message"]
    assert len(rebuilds) == 1  # three searches, one rebuild: the others waited for the back-off
    warnings = [r.getMessage() for r in index_warnings(caplog)]
    assert len(warnings) == 1 and warnings[0].startswith("search index rebuilds failing: OSError")
    monkeypatch.undo()
    clock.advance(10)  # the first back-off delay (5 s) has passed; the disk has room again
    body = client.get("/api/v1/search?q=宁德时代").get_json()
    assert [r["id"] for r in body["results"]] == [account.id] and body["stale"] is False


def test_a_failed_reindex_removes_its_partial_folder_and_keeps_the_live_index(app, admin, create_account,
                                                                             monkeypatch):
    create_account(name="宁德时代")
    find(app, "宁德时代", admin)
    with app.app_context():
        live = get_index().live_path()
    monkeypatch.setattr(maintenance, "build_schema", disk_full)  # after the new folder was made
    with app.app_context(), pytest.raises(OSError):
        get_index().rebuild()
    assert sorted(p.name for p in live.parent.glob("gen-*")) == [live.name]
    assert find(app, "宁德时代", admin).total == 1


HOLD_REBUILD_LOCK = """
import fcntl, sys, time
handle = open(sys.argv[1], "a+")
fcntl.flock(handle, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


def test_only_one_process_rebuilds_a_missing_index_at_a_time(app, client, admin, create_account):
    account = create_account(name="宁德时代")
    find(app, "宁德时代", admin)
    root = _lose_index(app)
    other = subprocess.Popen([sys.executable, "-c", HOLD_REBUILD_LOCK, str(root / "rebuild.lock"), "60"],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "held"  # another process is rebuilding
        started = time.monotonic()
        response = client.get("/api/v1/search?q=宁德时代")
        waited = time.monotonic() - started
        assert response.status_code == 503 and response.json["error"]["code"] == "unavailable"
        assert maintenance.REBUILD_WAIT <= waited < maintenance.REBUILD_WAIT + 2  # waited briefly, no more
        assert list(root.glob("gen-*")) == []  # and did not start a rebuild of its own
    finally:
        other.terminate()
        other.wait(10)
        other.stdout.close()
    body = client.get("/api/v1/search?q=宁德时代").get_json()  # the lock is free: this one rebuilds
    assert [r["id"] for r in body["results"]] == [account.id]


def test_an_index_that_vanishes_while_opening_answers_unavailable_then_is_rebuilt(
        app, client, admin, create_account, monkeypatch):
    """The live folder removed between finding it and opening it (the fault suite's index_lost caught one
    search there with a 500): the search answers 503 'unavailable', and the next one rebuilds and finds."""
    from whoosh.index import EmptyIndexError

    from kb.search import index as index_module
    account = create_account(name="宁德时代")
    find(app, "宁德时代", admin)
    with app.app_context():
        get_index().close()  # no shared searcher: the next search opens the folder
    real_open = index_module._open_searcher
    lost = []

    def open_after_the_folder_went(path, previous=None, attempts=5):
        shutil.rmtree(path)  # gone right after live_path() found it
        lost.append(path)
        return real_open(path, previous, attempts)

    monkeypatch.setattr(index_module, "_open_searcher", open_after_the_folder_went)
    api = client.get("/api/v1/search?q=宁德时代")
    assert api.status_code == 503 and api.json["error"]["code"] == "unavailable"
    assert lost and not lost[0].exists()
    with pytest.raises((EmptyIndexError, FileNotFoundError)):  # what reached the view as a 500 before
        real_open(lost[0], None, 1)
    monkeypatch.setattr(index_module, "_open_searcher", real_open)
    body = client.get("/api/v1/search?q=宁德时代").get_json()
    assert [r["id"] for r in body["results"]] == [account.id]
