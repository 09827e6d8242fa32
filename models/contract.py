"""Contracts (合同, LTC "MCE" minimal): what a won opportunity became, and the cash still to come.

A contract belongs to exactly one won opportunity (and thereby to its account, and to its visibility: a
team-only opportunity's contract is team-only too). Milestones are the steps from signature to cash —
delivery, acceptance, invoicing, payment — each with a planned date and amount and, once done, the actual
date and amount. Amounts are Numeric(18, 2) in the contract's currency.
"""
from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Audited, Base, Versioned, enum_column

if TYPE_CHECKING:
    from .opportunity import Opportunity


class MilestoneKind(str, enum.Enum):
    """The steps of contract execution, in their usual order."""

    DELIVERY = "delivery"
    ACCEPTANCE = "acceptance"
    INVOICING = "invoicing"
    PAYMENT = "payment"


class Contract(Versioned, Audited, Base):
    __tablename__ = "contract"
    __table_args__ = (CheckConstraint("amount >= 0", name="amount_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunity.id", ondelete="CASCADE"), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(50), unique=True)
    signed_on: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    notes: Mapped[str] = mapped_column(String(1000), default="")

    opportunity: Mapped[Opportunity] = relationship()
    milestones: Mapped[list[ContractMilestone]] = relationship(
        back_populates="contract", order_by="ContractMilestone.planned_on, ContractMilestone.id")

    def __repr__(self) -> str:
        return f"<Contract {self.id} {self.number}>"


class ContractMilestone(Versioned, Audited, Base):
    """One step of a contract: planned date and amount; done when it has an actual date."""

    __tablename__ = "contract_milestone"
    __table_args__ = (
        CheckConstraint("planned_amount IS NULL OR planned_amount >= 0", name="planned_not_negative"),
        CheckConstraint("actual_amount IS NULL OR actual_amount >= 0", name="actual_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    kind: Mapped[MilestoneKind] = mapped_column(enum_column(MilestoneKind, "milestone_kind"))
    title: Mapped[str] = mapped_column(String(200), default="")
    planned_on: Mapped[date]
    actual_on: Mapped[date | None]
    planned_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    actual_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))

    contract: Mapped[Contract] = relationship(back_populates="milestones")

    @property
    def done(self) -> bool:
        return self.actual_on is not None

    def __repr__(self) -> str:
        return f"<ContractMilestone {self.id} {self.kind.value} contract={self.contract_id}>"
