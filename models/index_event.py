"""The search outbox: one row per change to a searchable record, written in the same transaction."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class IndexEvent(Base):
    """`id` only grows; each search index remembers the highest id it has applied."""

    __tablename__ = "index_event"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(20))
    doc_id: Mapped[int]
    op: Mapped[str] = mapped_column(String(10))  # "upsert" | "delete"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<IndexEvent {self.id} {self.op} {self.doc_type}:{self.doc_id}>"
