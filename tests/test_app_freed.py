"""An app that is dropped is freed with its session factory and search index (the suite made ~1,000 apps and, through
the search capture's commit listener, kept every one: ~4 GB by the end of the PostgreSQL stage)."""
from __future__ import annotations

import gc
import weakref

from kb import create_app
from tests.conftest import close_app, make_config


def test_a_dropped_app_frees_its_index_and_session_factory(tmp_path, database_url):
    app = create_app(make_config(tmp_path, database_url))
    with app.app_context():
        from models import Account
        db = app.extensions["kb.db"]
        with db.session_factory() as session:  # a commit goes through the capture's listener
            session.add(Account(name="释放测试客户"))
            session.commit()
    # (the engine itself is held until the test ends by conftest's _engines_closed, which disposes it)
    factory = weakref.ref(app.extensions["kb.db"].session_factory)
    index = weakref.ref(app.extensions["kb.search"])
    close_app(app)
    del app, db, session
    gc.collect()
    assert index() is None and factory() is None


def test_the_capture_still_applies_commits(app):
    """The listener holds the capture weakly and the app keeps it: after a collection, a commit is still
    applied to the index at once (no lag left for the catch-up)."""
    from kb.search import get_index
    from models import Account
    with app.app_context():
        index = get_index()
        index.searcher()  # an index exists and is caught up
        gc.collect()
        with app.extensions["kb.db"].session_factory() as session:
            session.add(Account(name="弱引用监听客户"))
            session.commit()
        assert index.freshness().lag == 0
