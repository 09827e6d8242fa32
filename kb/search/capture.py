"""Change capture: keep the index in step with every write, through whatever code path it comes.

Hooked on the app's session factory (not on services), so any ORM write is seen:
- before each flush: note which searchable rows are new, changed or deleted (and, for an account whose
  name, group, industry, region or archived flag changes, the plans, stakeholders and interactions that
  copy those values);
- after each flush, while the session can still read: build their documents and write one `IndexEvent`
  row per document in the same transaction (the durable outbox);
- after commit: one short attempt to apply the documents with one writer (`SearchIndex.try_apply`: a
  fraction of a second for the lock, never a rebuild), so a busy index never holds up the response;
- after rollback: forget them — the outbox rows were rolled back with everything else.

If the after-commit write fails or the index is busy, nothing is lost: the outbox rows are committed, and
the next search (in any process) or the background catch-up (`background.py`) applies them. Bulk
`UPDATE`/`DELETE` statements bypass the unit of work and are not captured; `flask kb check-index --repair` finds and fixes what they leave behind.
"""
from __future__ import annotations

import logging
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from models import Account, AccountPlan, IndexEvent, Interaction, NextStep, Opportunity, Stakeholder

from .documents import Document, build_documents, doc_key
from .documents_ltc import LTC_ACCOUNT_DEPENDENTS, ltc_keys_of, opportunity_risk_keys

if TYPE_CHECKING:
    from .index import SearchIndex

logger = logging.getLogger(__name__)

#: session.info keys
PENDING = "kb.search.pending"  # {key: (event id, document or None)} waiting for the commit
TOUCHED = "kb.search.touched"  # (objects, keys) noted before the current flush
DEFERRED = "kb.search.deferred"  # keys whose documents a bulk write builds at its end (see `batched`)
INTERNAL = "kb.search.internal"  # sessions of the search package itself: never captured

#: Account columns that its plans, stakeholders and interactions copy into their documents.
COPIED_ACCOUNT_FIELDS = ("name", "customer_group_id", "industry", "region", "archived_at")
SEARCHABLE = (Account, AccountPlan, Stakeholder, Interaction, NextStep,
              *(model for model, _types in LTC_ACCOUNT_DEPENDENTS))


def keys_of(obj: Any) -> list[str]:
    """The document keys a (flushed) searchable object stands for."""
    if isinstance(obj, Account):
        return [doc_key("account", obj.id)]
    if isinstance(obj, AccountPlan):
        return [doc_key("plan", obj.id)]
    if isinstance(obj, Stakeholder):
        return [doc_key("stakeholder", obj.id), doc_key("stakeholder_note", obj.id)]
    if isinstance(obj, Interaction):
        return [doc_key("interaction", obj.id)]
    if isinstance(obj, NextStep):
        interaction_id = obj.interaction.id if obj.interaction is not None else obj.interaction_id
        return [doc_key("interaction", interaction_id)] if interaction_id else []
    return ltc_keys_of(obj)


def dependent_keys(session: Session, account_id: int) -> list[str]:
    """Keys of the documents that copy values of account `account_id`."""
    keys: list[str] = []
    for model, types in ((AccountPlan, ("plan",)), (Stakeholder, ("stakeholder", "stakeholder_note")),
                         (Interaction, ("interaction",)), *LTC_ACCOUNT_DEPENDENTS):
        for doc_id in session.scalars(select(model.id).where(model.account_id == account_id)):
            keys += [doc_key(t, doc_id) for t in types]
    return keys


def _copied_fields_changed(obj: Account) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in COPIED_ACCOUNT_FIELDS)


def before_flush(session: Session, _flush_context: Any, _instances: Any) -> None:
    """Note the searchable objects this flush writes (new and changed ones get their ids in the flush)."""
    if session.info.get(INTERNAL):
        return
    objects, keys = session.info.setdefault(TOUCHED, ([], set()))
    for obj in session.new:
        if isinstance(obj, SEARCHABLE):
            objects.append(obj)
    for obj in session.dirty:
        if isinstance(obj, SEARCHABLE) and session.is_modified(obj):
            objects.append(obj)
            if isinstance(obj, Account) and _copied_fields_changed(obj):
                keys.update(dependent_keys(session, obj.id))
            if isinstance(obj, Opportunity):  # its risks' documents copy its visibility
                keys.update(opportunity_risk_keys(session, obj.id))
    for obj in session.deleted:
        if isinstance(obj, SEARCHABLE):
            keys.update(keys_of(obj))
            if isinstance(obj, Account):
                keys.update(dependent_keys(session, obj.id))


def after_flush_postexec(session: Session, _flush_context: Any) -> None:
    """Build the documents of what was flushed and write their outbox rows in the same transaction."""
    touched = session.info.pop(TOUCHED, None)
    if session.info.get(INTERNAL) or not touched:
        return
    objects, keys = touched
    for obj in objects:
        keys.update(keys_of(obj))
    if not keys:
        return
    deferred = session.info.get(DEFERRED)
    if deferred is not None:  # a bulk write (see `batched`): documents are built once, at its end
        deferred.update(keys)
        return
    _write_events(session, keys)


def _write_events(session: Session, keys: set[str]) -> None:
    """Build the documents of `keys` and write their outbox rows; note them for after the commit."""
    documents = build_documents(session, keys)
    ordered = sorted(keys)
    rows = [{"doc_type": key.partition(":")[0], "doc_id": int(key.partition(":")[2]),
             "op": "upsert" if documents[key] is not None else "delete"} for key in ordered]
    table = IndexEvent.__table__
    stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    ids = list(session.connection().execute(stmt, rows).scalars())
    pending: dict[str, tuple[int, Document | None]] = session.info.setdefault(PENDING, {})
    for key, event_id in zip(ordered, ids):
        pending[key] = (event_id, documents[key])


def forget(session: Session) -> None:
    """Drop what was noted for a transaction that will never commit."""
    session.info.pop(PENDING, None)
    session.info.pop(TOUCHED, None)
    session.info.pop(DEFERRED, None)


@contextmanager
def batched(session: Session, size: int = 1000) -> Iterator[None]:
    """For a bulk write (an import of thousands of rows, each flushed by its service): inside, flushes only
    note which documents changed; on leaving without an error, the documents are built and their outbox
    rows written `size` at a time, in the same transaction. After an error nothing is written (the caller's
    transaction does not commit)."""
    session.info[DEFERRED] = set()
    try:
        yield
        session.flush()
    finally:
        keys = session.info.pop(DEFERRED, None)
    ordered = sorted(keys or ())
    for start in range(0, len(ordered), size):
        _write_events(session, set(ordered[start:start + size]))


class ChangeCapture:
    """Listens on one session factory and applies committed changes to one index."""

    def __init__(self, index: SearchIndex) -> None:
        self.index = index

    def install(self, factory: sessionmaker[Session]) -> None:
        """Register the listeners on `factory` (every session it makes is captured).

        The commit listener holds this capture weakly: SQLAlchemy keeps a factory's listeners in a
        dictionary weakly keyed by the factory's session class, and a listener that held the capture (→ its
        index → the factory → that class) strongly would keep the key alive, so an app's capture, index,
        engine and compiled-statement cache would never be freed (the test suite made ~1,000 apps and kept
        them all). The caller keeps the capture as long as its app (kb.search.init_app)."""
        event.listen(factory, "before_flush", before_flush)
        event.listen(factory, "after_flush_postexec", after_flush_postexec)
        event.listen(factory, "after_commit", _weak_listener(weakref.WeakMethod(self.after_commit)))
        event.listen(factory, "after_rollback", forget)

    def after_commit(self, session: Session) -> None:
        """Try once, briefly, to apply the committed documents; if the index is busy, missing or the write
        fails, the outbox keeps them and the next catch-up applies them."""
        pending = session.info.pop(PENDING, None)
        session.info.pop(TOUCHED, None)
        if not pending:
            return
        backoff = self.index.backoff
        if not backoff.ready():  # index writes are failing: leave it to catch-up, logging nothing more
            return
        try:
            applied = self.index.try_apply(pending)
        except Exception as exc:  # noqa: BLE001 — the outbox keeps the change; logged once per state change
            backoff.failed(exc)
            return
        if applied is None:
            logger.info("search index busy; %s change(s) left to catch-up", len(pending))
        else:
            backoff.succeeded(applied)


def _weak_listener(method: weakref.WeakMethod) -> Callable[[Session], None]:
    """A session listener that calls `method` while its object lives (and does nothing after)."""
    def listener(session: Session) -> None:
        bound = method()
        if bound is not None:
            bound(session)
    return listener


@contextmanager
def suspended(session: Session) -> Iterator[None]:
    """Capture nothing while inside: for work that is rolled back before it ends (an import's dry run in a
    savepoint), so no outbox row or pending document of it can outlive the rollback."""
    before = session.info.get(INTERNAL)
    session.info[INTERNAL] = True
    try:
        yield
    finally:
        if before is None:
            session.info.pop(INTERNAL, None)
        else:
            session.info[INTERNAL] = before
