"""Account plans (客户规划) answering the 30-second customer questions, and their revisions."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Audited, Base, enum_column, utcnow
from .enums import PlanStatus
from .user import User

if TYPE_CHECKING:
    from .account import Account
    from .plan_target import PlanTarget
    from .stakeholder import Stakeholder

#: The five "30-second customer" answers, in the order the course asks them.
ANSWER_FIELDS: tuple[str, ...] = (
    "strategy",
    "customers_customer",
    "profit_model",
    "weakest_product",
    "decision_makers",
)

#: Extra plan sections (strategy vocabulary of the course), stored in `AccountPlan.sections`.
SECTION_KEYS: tuple[str, ...] = (
    "strategic_intent",
    "performance_gap",
    "opportunity_gap",
    "competitors",
    "objectives",
    # The six elements of the business design (业务设计6要素).
    "customer_selection",
    "value_proposition",
    "value_capture",
    "activity_scope",
    "strategic_control",
    "risk_management",
)

#: The business design's six elements (业务设计6要素), a subset of SECTION_KEYS shown as their own part.
BUSINESS_DESIGN_KEYS: tuple[str, ...] = SECTION_KEYS[-6:]

plan_decision_maker = Table(
    "plan_decision_maker",
    Base.metadata,
    Column("plan_id", ForeignKey("account_plan.id", ondelete="CASCADE"), primary_key=True),
    Column("stakeholder_id", ForeignKey("stakeholder.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class AccountPlan(Audited, Base):
    """One plan per account and period (e.g. ``FY2027``).

    `version` goes up by one at every save; a save based on an older version is a conflict.
    `field_changes` maps each answer/section key to ``{"by": user_id, "at": iso-datetime}``.
    """

    __tablename__ = "account_plan"
    __table_args__ = (UniqueConstraint("account_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(20))
    strategy: Mapped[str] = mapped_column(Text, default="")
    customers_customer: Mapped[str] = mapped_column(Text, default="")
    profit_model: Mapped[str] = mapped_column(Text, default="")
    weakest_product: Mapped[str] = mapped_column(Text, default="")
    decision_makers: Mapped[str] = mapped_column(Text, default="")
    sections: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    status: Mapped[PlanStatus] = mapped_column(enum_column(PlanStatus, "plan_status"), default=PlanStatus.DRAFT)
    reviewed_on: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=0)
    field_changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    account: Mapped[Account] = relationship()
    decision_maker_links: Mapped[list[Stakeholder]] = relationship(secondary=plan_decision_maker,
                                                                   order_by="Stakeholder.id")
    revisions: Mapped[list[PlanRevision]] = relationship(
        back_populates="plan", order_by="PlanRevision.number.desc()", cascade="all, delete-orphan"
    )
    updated_by: Mapped[User | None] = relationship(foreign_keys="AccountPlan.updated_by_id")
    targets: Mapped[list[PlanTarget]] = relationship(
        back_populates="plan", order_by="PlanTarget.position, PlanTarget.id", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<AccountPlan {self.id} account={self.account_id} {self.period} v{self.version}>"


class PlanRevision(Base):
    """The full content of a plan as one save left it; revisions are never changed or deleted."""

    __tablename__ = "plan_revision"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("account_plan.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    comment: Mapped[str] = mapped_column(String(500), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    restored_from: Mapped[int | None]

    plan: Mapped[AccountPlan] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<PlanRevision plan={self.plan_id} #{self.number}>"
