"""Every search document, read in bulk for a full rebuild or a check (issue 9: 261,000 documents).

`iter_all_documents` (kb.search.documents) loads one ORM object per row, with joined accounts and
selected next steps: at scale most of its time went to the ORM (identity map, joined-eager rows). Here the
rows of each big table (accounts, plans, stakeholders, interactions and their next steps) are read as plain
tuples in batches of `batch` rows — a bounded, constant number of SQL statements per batch whatever the
size — and wrapped in light records that carry the same attribute names as the models, so the very same
document functions (`account_document`, …) build the documents: one definition of a document, two ways to
load its rows. The Lead to Cash records (few) still go through the ORM loaders.
tests/test_reindex_bulk.py checks that both ways give identical documents.
"""
from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import Any, Collection, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Account, AccountPlan, Interaction, NextStep, Stakeholder

from .documents import (
    _LOADERS, Document, account_document, documents_of, interaction_document, plan_document,
    stakeholder_documents,
)

logger = logging.getLogger(__name__)

#: Rows read per SQL batch (tuples, not ORM objects: ~1 KB each at most with their text).
BULK_BATCH = 2000
_BULK_TYPES = ("account", "plan", "stakeholder", "interaction")


#: Columns no document reads (bookkeeping, enums shown only on pages): not loaded, which saves a third of the
#: time. A document function that starts reading one fails loudly (AttributeError) in
#: tests/test_reindex_bulk.py, which compares these documents with the ORM ones.
NOT_IN_DOCUMENTS = frozenset({
    "version", "created_at", "created_by_id", "updated_by_id", "import_run_id", "external_key",
    "field_changes", "search_key", "sort_key", "pinyin_key", "reviewed_on", "status", "tier", "coverage",
    "parent_id", "reports_to_id", "decision_role", "attitude", "influence", "layer", "relationship_level", "kind",
})


def _columns(model: type) -> list[Any]:
    return [getattr(model, attr.key) for attr in model.__mapper__.column_attrs
            if attr.key not in NOT_IN_DOCUMENTS]


def _records(session: Session, model: type, *, batch: int, after: int = 0) -> Iterator[list[SimpleNamespace]]:
    """The rows of `model` in id order, `batch` at a time (keyset paging: each batch is one indexed query),
    as records with the model's attribute names."""
    columns = _columns(model)
    names = [c.key for c in columns]
    id_at = names.index("id")
    while True:
        rows = session.execute(select(*columns).where(model.id > after).order_by(model.id).limit(batch)).all()
        if not rows:
            return
        yield [SimpleNamespace(**dict(zip(names, row))) for row in rows]
        after = rows[-1][id_at]
        if len(rows) < batch:
            return


def _next_steps(session: Session, first: int, last: int) -> dict[int, list[SimpleNamespace]]:
    """The next steps (text only, in the order of the relationship) of interactions first..last."""
    steps: dict[int, list[SimpleNamespace]] = {}
    stmt = (select(NextStep.interaction_id, NextStep.text)
            .where(NextStep.interaction_id >= first, NextStep.interaction_id <= last)
            .order_by(NextStep.interaction_id, NextStep.position, NextStep.id))
    for interaction_id, text in session.execute(stmt):
        steps.setdefault(interaction_id, []).append(SimpleNamespace(text=text))
    return steps


def _account_of(session: Session, accounts: dict[int, SimpleNamespace], account_id: int) -> SimpleNamespace:
    """The account record `account_id`: read with the others at the start, or now if it was created since
    (each batch is its own statement: on PostgreSQL a later batch sees rows committed meanwhile)."""
    account = accounts.get(account_id)
    if account is None:
        columns = _columns(Account)
        row = session.execute(select(*columns).where(Account.id == account_id)).one()
        account = accounts[account_id] = SimpleNamespace(**dict(zip([c.key for c in columns], row)))
    return account


def iter_bulk_documents(session: Session, batch: int = BULK_BATCH, *, only: Collection[str] | None = None,
                        skip: Collection[str] = ()) -> Iterator[Document]:
    """Every document the database holds now, as `iter_all_documents` gives them (same documents, same
    order of types), read in batches of `batch` rows; `only`/`skip`: just the documents of these entity
    types (`account`, `plan`, `stakeholder` with its notes, `interaction`, `lead`…) / all but these.
    Memory: the accounts (all of them, as records) plus one batch."""
    def wanted(entity: str) -> bool:
        return (only is None or entity in only) and entity not in skip

    accounts: dict[int, SimpleNamespace] = {}
    for records in _records(session, Account, batch=batch):
        for account in records:
            accounts[account.id] = account
            if wanted("account"):
                yield account_document(account)  # type: ignore[arg-type]
    for records in (_records(session, AccountPlan, batch=batch) if wanted("plan") else ()):
        for plan in records:
            plan.account = _account_of(session, accounts, plan.account_id)
            yield plan_document(plan)  # type: ignore[arg-type]
    for records in (_records(session, Stakeholder, batch=batch) if wanted("stakeholder") else ()):
        for person in records:
            person.account = _account_of(session, accounts, person.account_id)
            for doc in stakeholder_documents(person):  # type: ignore[arg-type]
                if doc is not None:
                    yield doc
    for records in (_records(session, Interaction, batch=batch) if wanted("interaction") else ()):
        steps = _next_steps(session, records[0].id, records[-1].id)
        for visit in records:
            visit.account = _account_of(session, accounts, visit.account_id)
            visit.next_steps = steps.get(visit.id, [])
            yield interaction_document(visit)  # type: ignore[arg-type]
    for entity, (model, options) in _LOADERS.items():
        if entity in _BULK_TYPES or not wanted(entity):
            continue
        stmt = select(model).options(*options).order_by(model.id).execution_options(yield_per=batch)
        for obj in session.scalars(stmt):
            for doc in documents_of(obj).values():
                if doc is not None:
                    yield doc
