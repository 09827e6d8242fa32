"""Handovers (交接): one person's relationships and seats handed to successors in one step, kept forever.

A `Handover` says who ran it, when, whose work it moved, the predecessor's note and whether the leaver was
deactivated; each `HandoverChange` is one line it changed. Neither is ever deleted (users are deactivated,
never deleted, so the names stay readable), and the ids of the records changed are kept without a foreign
key: a change line outlives whatever happens to its record later.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, enum_column, utcnow
from .user import User


class HandoverKind(str, enum.Enum):
    """What one change line moved."""

    SEAT = "seat"  # a customer-group triangle seat (record id: the leaver's seat)
    STAKEHOLDER_OWNER = "stakeholder_owner"  # an ownership, primary or backup (record id: the stakeholder)
    NEXT_STEP = "next_step"  # an open next step (record id: the step)
    ACCOUNT_MEMBER = "account_member"  # a named account membership (record id: the account)
    PROJECT_SEAT = "project_seat"  # a project-triangle seat on an open opportunity (record id: the seat)


class Handover(Base):
    __tablename__ = "handover"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"))
    from_user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"), index=True)
    #: The successor for everything not given to someone else by a per-group or per-account choice.
    to_user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"))
    note: Mapped[str] = mapped_column(Text, default="")
    deactivated_from: Mapped[bool] = mapped_column(default=False)

    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    from_user: Mapped[User] = relationship(foreign_keys=[from_user_id])
    to_user: Mapped[User] = relationship(foreign_keys=[to_user_id])
    changes: Mapped[list[HandoverChange]] = relationship(
        back_populates="handover", cascade="all, delete-orphan", order_by="HandoverChange.id"
    )

    def __repr__(self) -> str:
        return f"<Handover {self.id} {self.from_user_id}->{self.to_user_id}>"


class HandoverChange(Base):
    __tablename__ = "handover_change"
    __table_args__ = (Index("ix_handover_change_to_user", "to_user_id", "handover_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    handover_id: Mapped[int] = mapped_column(ForeignKey("handover.id", ondelete="CASCADE"), index=True)
    kind: Mapped[HandoverKind] = mapped_column(enum_column(HandoverKind, "handover_kind"))
    record_id: Mapped[int]
    #: The seat's role (AR/SR/FR) or the ownership's kind ("primary"/"backup"); empty otherwise.
    detail: Mapped[str] = mapped_column(String(20), default="")
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    customer_group_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer_group.id", ondelete="SET NULL")
    )
    from_user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"))
    to_user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"))

    handover: Mapped[Handover] = relationship(back_populates="changes")
    to_user: Mapped[User] = relationship(foreign_keys=[to_user_id])

    def __repr__(self) -> str:
        return f"<HandoverChange {self.kind.value} {self.record_id} {self.from_user_id}->{self.to_user_id}>"
