"""After the index schema changes, the web workers build ONE new index (issue 7 of session 8, tester's
defect 2): the worker that takes the rebuild lock builds it; one that finds the lock busy waits 2 s and
then answers "unavailable"; one that waited while the other built re-checks under the lock and uses that
index. No second `gen-…` folder is built and the old generation is removed. Two app instances share one
database and one index folder, as two gunicorn workers do."""
from __future__ import annotations

import threading
import time

import pytest

from kb.search import maintenance
from kb.search.index import Bookmark, IndexUnavailable
from kb.search.schema import SCHEMA_VERSION
from tests.conftest import close_app
from tests.search_support import find
from models import UserRole


@pytest.fixture
def two_workers(app, app_config, create_account, create_user):
    from kb import create_app

    create_account(name="锦程物流")
    admin = create_user(role=UserRole.ADMIN, name="管理员")
    assert find(app, "锦程物流", admin).total == 1
    with app.app_context():
        first = app.extensions["kb.search"]
        live = first.live_path()
        writer = first.writer(live)  # the index as the previous release left it: an older schema version
        writer.update_document(**Bookmark(last_id=first.bookmark().last_id, schema=SCHEMA_VERSION - 1).document())
        writer.commit()
        assert first.bookmark().schema == SCHEMA_VERSION - 1
    second_app = create_app(app_config)
    yield app, second_app, live, admin
    close_app(second_app)


@pytest.fixture
def builds(monkeypatch):
    """Counts full builds; each takes at least `slow[0]` seconds."""
    made, slow, started = [], [0.0], threading.Event()
    real = maintenance._build

    def counted(index, new_dir, **kw):
        made.append(new_dir.name)
        started.set()
        time.sleep(slow[0])
        return real(index, new_dir, **kw)

    monkeypatch.setattr(maintenance, "_build", counted)
    return made, slow, started


def _index(app):
    return app.extensions["kb.search"]


def _catch_up_in_thread(app, errors):
    def run():
        with app.app_context():
            try:
                _index(app).catch_up()
            except Exception as exc:  # noqa: BLE001 — the test looks at it
                errors.append(exc)
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _generations(live):
    return sorted(p.name for p in live.parent.glob("gen-*"))


def test_a_worker_that_waited_for_the_other_rebuild_uses_it(two_workers, builds):
    first_app, second_app, old, admin = two_workers
    made, slow, started = builds
    slow[0] = 0.6  # shorter than the 2 s a worker waits for the lock
    errors = []
    first = _catch_up_in_thread(first_app, errors)
    assert started.wait(20)
    second = _catch_up_in_thread(second_app, errors)  # decides "outdated" while the first builds
    first.join(60)
    second.join(60)
    assert errors == []
    assert len(made) == 1  # one build, not one per worker
    with second_app.app_context():
        assert _index(second_app).bookmark().schema == SCHEMA_VERSION
        assert _generations(old) == made == [_index(second_app).live_path().name]  # the old one is gone
    assert find(second_app, "锦程物流", admin).total == 1
    assert find(first_app, "锦程物流", admin).total == 1


def test_a_worker_that_finds_the_rebuild_running_answers_unavailable_then_uses_it(two_workers, builds):
    first_app, second_app, old, admin = two_workers
    made, slow, started = builds
    slow[0] = 8.0  # longer than twice the 2 s a worker waits
    errors = []
    first = _catch_up_in_thread(first_app, errors)
    assert started.wait(20)
    began = time.monotonic()
    with second_app.app_context():
        with pytest.raises(IndexUnavailable):
            _index(second_app).catch_up()
    assert 1.5 < time.monotonic() - began < 4.0
    outcome = find(second_app, "锦程物流", admin)  # a search meanwhile says unavailable, never a 500
    assert outcome.unavailable
    first.join(60)
    assert errors == []
    assert find(second_app, "锦程物流", admin).total == 1  # the first worker's index, not a new build
    assert len(made) == 1
    assert _generations(old) == made
