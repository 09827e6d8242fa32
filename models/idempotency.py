"""Writes that must happen once: an API request's `Idempotency-Key`, or a rendered create form's token."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class IdempotencyKey(Base):
    """One key of one user, stored in the same transaction as the record its request created.

    `fingerprint` identifies the request (method, path and body; or the form's endpoint), so the same key
    sent with something else is refused. The first answer is kept to be replayed: `status_code` and
    `response_body` for the API, `location` (the created record's page) for forms.
    """

    __tablename__ = "idempotency_key"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None]
    response_body: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<IdempotencyKey {self.id} user={self.user_id} {self.key!r} {self.status_code}>"
