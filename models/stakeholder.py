"""Stakeholders (关键人) at the customer: the decision chain and who of ours owns each relationship."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Archivable, Audited, Base, Versioned, enum_column, utcnow
from .enums import Attitude, DecisionRole, Influence, RelationshipLayer
from .user import User

if TYPE_CHECKING:
    from .account import Account


class Stakeholder(Versioned, Archivable, Audited, Base):
    __tablename__ = "stakeholder"
    __table_args__ = (
        CheckConstraint("relationship_level BETWEEN 1 AND 5", name="relationship_level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100), default="")
    title: Mapped[str] = mapped_column(String(150), default="")
    department: Mapped[str] = mapped_column(String(150), default="")
    reports_to_id: Mapped[int | None] = mapped_column(ForeignKey("stakeholder.id", ondelete="SET NULL"))
    decision_role: Mapped[DecisionRole] = mapped_column(
        enum_column(DecisionRole, "decision_role"), default=DecisionRole.UNKNOWN
    )
    attitude: Mapped[Attitude] = mapped_column(enum_column(Attitude, "attitude"), default=Attitude.UNKNOWN)
    influence: Mapped[Influence] = mapped_column(
        enum_column(Influence, "influence"), default=Influence.UNKNOWN
    )
    layer: Mapped[RelationshipLayer] = mapped_column(
        enum_column(RelationshipLayer, "relationship_layer"), default=RelationshipLayer.BROAD
    )
    #: 1 = no contact yet … 5 = trusted partner (labels in kb/labels.py)
    relationship_level: Mapped[int] = mapped_column(default=1)
    notes: Mapped[str] = mapped_column(Text, default="")
    private_notes: Mapped[str] = mapped_column(Text, default="")
    # Contact details: personal data, seen by the account team and admins only (as private notes are).
    phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    mobile: Mapped[str] = mapped_column(String(40), default="", server_default="")
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    wechat_id: Mapped[str] = mapped_column(String(64), default="", server_default="")
    assistant_name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    assistant_contact: Mapped[str] = mapped_column(String(200), default="", server_default="")

    account: Mapped[Account] = relationship()
    reports_to: Mapped[Stakeholder | None] = relationship(remote_side=[id])
    owners: Mapped[list[StakeholderOwner]] = relationship(
        back_populates="stakeholder", cascade="all, delete-orphan",
        order_by="(StakeholderOwner.is_primary.desc(), StakeholderOwner.user_id)",
    )

    @property
    def primary_owner(self) -> User | None:
        return next((o.user for o in self.owners if o.is_primary), None)

    @property
    def backup_owners(self) -> list[User]:
        return [o.user for o in self.owners if not o.is_primary]

    def __repr__(self) -> str:
        return f"<Stakeholder {self.id} {self.name}>"


class StakeholderOwner(Base):
    """One of our users owning the relationship with a stakeholder: one primary, any number of backups."""

    __tablename__ = "stakeholder_owner"

    stakeholder_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholder.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True)
    is_primary: Mapped[bool] = mapped_column(default=False)
    since: Mapped[datetime] = mapped_column(default=utcnow)

    stakeholder: Mapped[Stakeholder] = relationship(back_populates="owners")
    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<StakeholderOwner s={self.stakeholder_id} u={self.user_id} primary={self.is_primary}>"


#: The fields of a stakeholder whose changes are kept as history (the decision chain moving).
TRACKED_FIELDS = ("title", "reports_to_id", "decision_role", "attitude", "influence")


class StakeholderChange(Base):
    """One change of a tracked field of a stakeholder: who changed it from what to what, and when.

    Values are stored as text: enums by value, `reports_to_id` as the id of the boss (names are looked up
    when shown, so erasing a person's data leaves no copy of their name here).
    """

    __tablename__ = "stakeholder_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    stakeholder_id: Mapped[int] = mapped_column(ForeignKey("stakeholder.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[str] = mapped_column(Text, default="")
    new_value: Mapped[str] = mapped_column(Text, default="")
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    changed_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<StakeholderChange s={self.stakeholder_id} {self.field}>"


class PersonalDataErasure(Base):
    """The record that a stakeholder's personal data was erased: who, when, which record (never the name)."""

    __tablename__ = "personal_data_erasure"

    id: Mapped[int] = mapped_column(primary_key=True)
    stakeholder_id: Mapped[int] = mapped_column(ForeignKey("stakeholder.id", ondelete="CASCADE"), index=True)
    erased_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    erased_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<PersonalDataErasure s={self.stakeholder_id}>"
