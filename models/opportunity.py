"""Opportunities (机会点, LTC "MO"): stage history, the project iron triangle, key-project lights, risks.

Amounts are Numeric(18, 2) with an ISO currency code beside them. Stage changes and light changes are
rows of their own (who, when), so durations and the sales decision cycle are computed, never typed.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint, Column, ColumnElement, ForeignKey, Index, Numeric, String, Table, Text, and_, or_,
)
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Audited, Base, Versioned, enum_column, utcnow
from .enums import Light, OpportunityStage, OpportunityStatus, RiskStatus, SeatRole, Visibility
from .stakeholder import Stakeholder
from .user import User

if TYPE_CHECKING:
    from .account import Account
    from .lead import Lead

opportunity_stakeholder = Table(
    "opportunity_stakeholder",
    Base.metadata,
    Column("opportunity_id", ForeignKey("opportunity.id", ondelete="CASCADE"), primary_key=True),
    Column("stakeholder_id", ForeignKey("stakeholder.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Opportunity(Versioned, Audited, Base):
    __tablename__ = "opportunity"
    __table_args__ = (
        CheckConstraint("win_probability IS NULL OR (win_probability >= 0 AND win_probability <= 100)",
                        name="probability_range"),
        Index("ix_opportunity_account_status", "account_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("lead.id", ondelete="SET NULL"), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    stage: Mapped[OpportunityStage] = mapped_column(
        enum_column(OpportunityStage, "opportunity_stage"), default=OpportunityStage.VALIDATE)
    status: Mapped[OpportunityStatus] = mapped_column(
        enum_column(OpportunityStatus, "opportunity_status"), default=OpportunityStatus.OPEN)
    close_reason: Mapped[str] = mapped_column(String(500), default="")
    amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    expected_close_on: Mapped[date | None]
    win_probability: Mapped[int | None]
    competitors: Mapped[str] = mapped_column(String(500), default="")
    solution: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[Visibility] = mapped_column(enum_column(Visibility, "visibility"),
                                                   default=Visibility.ORG)
    opened_on: Mapped[date]
    closed_on: Mapped[date | None]
    # Must-win key project (山头项目): its light, why, who looks after it and when it is next reviewed.
    key_project: Mapped[bool] = mapped_column(default=False)
    light: Mapped[Light | None] = mapped_column(enum_column(Light, "key_project_light"))
    light_reason: Mapped[str] = mapped_column(String(500), default="")
    key_owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    next_review_on: Mapped[date | None]

    account: Mapped[Account] = relationship()
    lead: Mapped[Lead | None] = relationship(back_populates="opportunity")
    key_owner: Mapped[User | None] = relationship(foreign_keys=[key_owner_id])
    stakeholders: Mapped[list[Stakeholder]] = relationship(
        secondary=opportunity_stakeholder, order_by=Stakeholder.name)
    seats: Mapped[list[OpportunitySeat]] = relationship(
        back_populates="opportunity", order_by="OpportunitySeat.started_on.desc(), OpportunitySeat.id.desc()")
    stage_changes: Mapped[list[OpportunityStageChange]] = relationship(
        back_populates="opportunity", order_by="OpportunityStageChange.id")
    light_changes: Mapped[list[KeyProjectLightChange]] = relationship(
        back_populates="opportunity", order_by="KeyProjectLightChange.id.desc()")

    @property
    def is_closed(self) -> bool:
        return self.status != OpportunityStatus.OPEN

    def seats_in_force(self, day: date) -> list[OpportunitySeat]:
        """The project triangle's seats in force on `day`, newest start first."""
        return [s for s in self.seats if s.in_force(day)]

    def __repr__(self) -> str:
        return f"<Opportunity {self.id} {self.stage.value} {self.status.value}>"


class OpportunitySeat(Audited, Base):
    """A seat of the project iron triangle (项目铁三角) on one opportunity: AR/SR/FR from a date until a date.

    Same rule as the customer-group seats (`TriangleSeat.in_force`): in force from its start date until (not
    including) its end date. Seats are ended, never deleted, so the history stays readable. A project seat
    needs no customer-group seat.
    """

    __tablename__ = "opportunity_seat"
    __table_args__ = (
        CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="dates_in_order"),
        Index("ix_opportunity_seat_user_current", "user_id", "ended_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunity.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"))
    role: Mapped[SeatRole] = mapped_column(enum_column(SeatRole, "seat_role"))
    started_on: Mapped[date]
    ended_on: Mapped[date | None]
    note: Mapped[str] = mapped_column(String(500), default="")

    opportunity: Mapped[Opportunity] = relationship(back_populates="seats")
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def cancelled(self) -> bool:
        """Whether the seat was ended before it ever came into force (ends on its start day: e.g. a seat
        recorded ahead on an opportunity closed before that day)."""
        return self.ended_on is not None and self.ended_on <= self.started_on

    @hybrid_method
    def in_force(self, day: date) -> bool:
        """Whether the seat gives its holder the role on `day` (usable in queries too)."""
        return self.started_on <= day and (self.ended_on is None or self.ended_on > day)

    @in_force.expression
    def in_force(cls, day: date) -> ColumnElement[bool]:  # noqa: N805
        return and_(cls.started_on <= day, or_(cls.ended_on.is_(None), cls.ended_on > day))

    def __repr__(self) -> str:
        return f"<OpportunitySeat {self.role.value} opportunity={self.opportunity_id} user={self.user_id}>"


class OpportunityStageChange(Base):
    """One move of an opportunity into a stage (the first row is its opening), with who and when."""

    __tablename__ = "opportunity_stage_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunity.id", ondelete="CASCADE"), index=True)
    # Its own constraint name: two CHECKs named after one enum would clash on PostgreSQL.
    from_stage: Mapped[OpportunityStage | None] = mapped_column(
        enum_column(OpportunityStage, "opportunity_from_stage"))
    to_stage: Mapped[OpportunityStage] = mapped_column(enum_column(OpportunityStage, "opportunity_stage"))
    status: Mapped[OpportunityStatus] = mapped_column(
        enum_column(OpportunityStatus, "opportunity_status"), default=OpportunityStatus.OPEN)
    changed_on: Mapped[date]
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    opportunity: Mapped[Opportunity] = relationship(back_populates="stage_changes")
    changed_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<OpportunityStageChange {self.opportunity_id} → {self.to_stage.value} {self.changed_on}>"


class KeyProjectLightChange(Base):
    """One setting of a key project's light (with its reason), who set it and when: the light's history."""

    __tablename__ = "key_project_light_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunity.id", ondelete="CASCADE"), index=True)
    light: Mapped[Light] = mapped_column(enum_column(Light, "key_project_light"))
    reason: Mapped[str] = mapped_column(String(500), default="")
    changed_on: Mapped[date]
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    opportunity: Mapped[Opportunity] = relationship(back_populates="light_changes")
    changed_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<KeyProjectLightChange {self.opportunity_id} {self.light.value} {self.changed_on}>"


class Risk(Versioned, Audited, Base):
    """A risk or open issue (风险及遗留问题) of an account, or of one of its opportunities."""

    __tablename__ = "risk"
    __table_args__ = (Index("ix_risk_account_status", "account_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    opportunity_id: Mapped[int | None] = mapped_column(ForeignKey("opportunity.id", ondelete="CASCADE"),
                                                       index=True)
    description: Mapped[str] = mapped_column(String(1000))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    due_on: Mapped[date | None]
    status: Mapped[RiskStatus] = mapped_column(enum_column(RiskStatus, "risk_status"),
                                               default=RiskStatus.OPEN)
    resolution: Mapped[str] = mapped_column(Text, default="")
    resolved_on: Mapped[date | None]

    account: Mapped[Account] = relationship()
    opportunity: Mapped[Opportunity | None] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])

    def is_overdue(self, today: date) -> bool:
        """Open and due before `today` (the caller's day in the configured zone)."""
        return self.status == RiskStatus.OPEN and self.due_on is not None and self.due_on < today

    def __repr__(self) -> str:
        return f"<Risk {self.id} {self.status.value}>"
