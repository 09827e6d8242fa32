"""Leads (线索, LTC "ML"): an account's (or a prospect's) possible business, until it becomes an opportunity.

A lead becomes an opportunity once the customer has confirmed an investment budget (客户明确了投资预算):
`budget_confirmed` with the amount and the date. The opportunity points back at its lead (`lead_id`).
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Audited, Base, Versioned, enum_column
from .enums import LeadSource, LeadStatus, Visibility
from .user import User

if TYPE_CHECKING:
    from .account import Account
    from .opportunity import Opportunity


class Lead(Versioned, Audited, Base):
    __tablename__ = "lead"
    __table_args__ = (Index("ix_lead_account_status", "account_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    prospect_name: Mapped[str] = mapped_column(String(200), default="")  # a customer not yet an account
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[LeadSource] = mapped_column(enum_column(LeadSource, "lead_source"),
                                               default=LeadSource.OTHER)
    estimated_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    status: Mapped[LeadStatus] = mapped_column(enum_column(LeadStatus, "lead_status"), default=LeadStatus.NEW)
    drop_reason: Mapped[str] = mapped_column(String(500), default="")
    budget_confirmed: Mapped[bool] = mapped_column(default=False)
    budget_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    budget_confirmed_on: Mapped[date | None]
    visibility: Mapped[Visibility] = mapped_column(enum_column(Visibility, "visibility"),
                                                   default=Visibility.ORG)

    account: Mapped[Account | None] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    opportunity: Mapped[Opportunity | None] = relationship(back_populates="lead", uselist=False)

    @property
    def customer_name(self) -> str:
        """The account's name, else the prospect's."""
        return self.account.name if self.account is not None else self.prospect_name

    def __repr__(self) -> str:
        return f"<Lead {self.id} {self.status.value}>"
