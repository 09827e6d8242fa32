"""Sign-in attempts, kept in the database so throttling holds across workers and machines."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class SigninAttempt(Base):
    """One submitted sign-in form: the e-mail as typed (normalised), the client address, the outcome."""

    __tablename__ = "signin_attempt"
    __table_args__ = (
        Index("ix_signin_attempt_email_attempted_at", "email", "attempted_at"),
        Index("ix_signin_attempt_remote_addr_attempted_at", "remote_addr", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Lower-cased and stripped; also for e-mails of no user, so unknown accounts are throttled alike.
    email: Mapped[str] = mapped_column(String(254))
    remote_addr: Mapped[str] = mapped_column(String(45))
    attempted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    success: Mapped[bool] = mapped_column(default=False)

    def __repr__(self) -> str:
        outcome = "ok" if self.success else "failed"
        return f"<SigninAttempt {self.id} {self.email} {self.remote_addr} {outcome}>"
