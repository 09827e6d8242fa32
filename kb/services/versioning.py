"""Optimistic locking for every editable record (`models.base.Versioned`): one mechanism, not one per kind.

A form or an API client reads a record with its `version` and sends that version back with the save. The
service calls `claim_version` before changing anything: a version that is no longer the stored one is a
`Conflict` carrying the stored record, so the caller can show both sides and nothing is overwritten.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy import inspect, update
from sqlalchemy.orm.attributes import set_committed_value

from models import Versioned

from ..db import session
from .errors import Conflict

logger = logging.getLogger(__name__)


def parse_version(value: Any) -> int | None:
    """A version sent by a form: digits → int; absent or empty → None (no check); anything else → -1, a
    version no record has, so a tampered or garbled version is a conflict rather than an unchecked save."""
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else -1


def claim_version(record: Versioned | Any, base_version: int | None, message: str, *,
                  bump: bool = True) -> None:
    """Take `record` for this save: raise Conflict(current=record) unless its version is `base_version`.

    `base_version=None` means the caller read no version (an API client that sends none): the save goes
    ahead, but is still counted. Call this before changing the record. The version read earlier may
    already be outdated by a save committed since, so the check is a conditional UPDATE
    (``... WHERE id = :id AND version = :v``) that also moves the version on: of two simultaneous saves
    of one version only one matches the row; the other gets the Conflict with the record as stored now.
    With `bump=False` the UPDATE changes nothing and only holds the row (PostgreSQL) or the database
    (SQLite) until the request ends: plans number their versions by revision and set it themselves.
    """
    expected = record.version if base_version is None else base_version
    if expected != record.version:
        raise Conflict(message, current=record)
    model = type(record)
    values: dict[str, Any] = {"version": model.version + 1 if bump else model.version}
    if hasattr(model, "updated_at"):
        values["updated_at"] = model.updated_at  # keep it: `touch` stamps it when something changes
    result = session.execute(
        update(model).where(model.id == record.id, model.version == expected)  # type: ignore[attr-defined]
        .values(**values).execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        session.refresh(record)
        logger.info("%s %s: version %s was overtaken by a concurrent save", model.__name__,
                    record.id, expected)  # type: ignore[attr-defined]
        raise Conflict(message, current=record)
    if bump:
        set_committed_value(record, "version", expected + 1)


#: What a save stamps on a record by itself: not a change of the record.
_STAMPS = ("updated_at", "updated_by_id", "version")


def _changed(obj: Any) -> bool:
    state = inspect(obj)
    if state.transient or state.pending:
        return True
    return any(attr.history.has_changes() for attr in state.attrs if attr.key not in _STAMPS)


def settle_version(record: Versioned | Any, *, related: Iterable[Any] = (), keep_stamps: bool = True) -> bool:
    """Finish a save taken with `claim_version(record, ..., bump=False)`, once its values are set (before
    the flush): when anything of `record` (a column or a collection) or of a `related` object (e.g. a
    stakeholder's owner rows; a new one counts) differs from what was stored, move the version on by one
    and return True. A save that changed nothing (e.g. a PATCH sending back what GET gave) returns False
    and keeps the version, so a client holding that version is not told of a conflict that is none
    (issue 12); with `keep_stamps` also the last-editor stamps (`updated_at`, `updated_by_id`) as they were
    (interactions pass False: an unchanged save still records who confirmed the record)."""
    state = inspect(record)
    if _changed(record) or any(_changed(obj) for obj in related):
        record.version = record.version + 1
        return True
    for key in () if not keep_stamps else ("updated_at", "updated_by_id"):
        if key in state.attrs and state.attrs[key].history.deleted:
            set_committed_value(record, key, state.attrs[key].history.deleted[0])
    return False
