"""Export records: who downloaded what, when, in which format and how many rows (issue 11 §2)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .user import User


class ExportRecord(Base):
    """One download of an export. Never changed after it is written (so not `Versioned`).

    `kind`: ``account`` (one account's workbook; `account_id` set), ``accounts`` (the account list) or
    ``search`` (a search result list); `filters` holds the list's query and filters as the reader gave them
    (e.g. ``{"q": "移动", "tier": "key"}``); `row_format` is ``xlsx`` or ``csv``; `row_count` counts the
    data rows written (all sheets of a workbook together).
    """

    __tablename__ = "export_record"
    __table_args__ = (Index("ix_export_record_account_created", "account_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    row_format: Mapped[str] = mapped_column(String(10))
    row_count: Mapped[int] = mapped_column(default=0)

    user: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ExportRecord {self.id} {self.kind} {self.row_format} account={self.account_id}>"
