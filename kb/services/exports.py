"""Export records (issue 11 §2): every download of an export is recorded — who, when, what, format, rows.

The account team and admins read an account's records; admins read them all (kb.policy.may_see_exports).
Recording only adds and flushes; the request's one commit keeps it.
"""
from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from models import Account, ExportRecord

from ..db import session

logger = logging.getLogger(__name__)

KINDS = ("account", "accounts", "search")
FORMATS = ("xlsx", "csv")
#: Longest filter value kept in a record (the query of a search, say).
FILTER_VALUE_MAX = 200


def record_export(*, reader: Any, kind: str, row_format: str, row_count: int, account_id: int | None = None,
                  filters: dict[str, Any] | None = None) -> ExportRecord:
    """Record one export by `reader`: `kind` in KINDS (``account`` needs `account_id`), `row_format` in
    FORMATS, `row_count` data rows written, `filters` the list's non-empty query and filters (values
    kept as text, each cut to FILTER_VALUE_MAX characters). Raises ValueError on a kind or format that
    does not exist (a programming error, not user input)."""
    if kind not in KINDS or row_format not in FORMATS or (kind == "account") != (account_id is not None):
        raise ValueError(f"bad export record: {kind} {row_format} account={account_id}")
    kept = {str(k)[:50]: str(v)[:FILTER_VALUE_MAX] for k, v in (filters or {}).items() if v not in (None, "", [])}
    record = ExportRecord(user_id=getattr(reader, "id", None), kind=kind, row_format=row_format,
                          row_count=row_count, account_id=account_id, filters=kept)
    session.add(record)
    session.flush()
    logger.info("export %s: %s %s of %s rows by user %s", record.id, kind, row_format, row_count, record.user_id)
    return record


def account_exports_stmt(*, account_id: int) -> Select[tuple[ExportRecord]]:
    """SELECT of the exports of one account's workbook, newest first, users loaded (for paging)."""
    return (select(ExportRecord).where(ExportRecord.account_id == account_id)
            .options(selectinload(ExportRecord.user))
            .order_by(ExportRecord.created_at.desc(), ExportRecord.id.desc()))


def all_exports_stmt() -> Select[tuple[ExportRecord]]:
    """SELECT of every export, newest first, users and accounts loaded (for paging; admins)."""
    return (select(ExportRecord).options(selectinload(ExportRecord.user))
            .order_by(ExportRecord.created_at.desc(), ExportRecord.id.desc()))


def account_names(records: list[ExportRecord]) -> dict[int, str]:
    """Names of the records' accounts, in one query."""
    ids = {r.account_id for r in records if r.account_id is not None}
    if not ids:
        return {}
    return dict(session.execute(select(Account.id, Account.name).where(Account.id.in_(ids))).all())
