"""Accounts (客户): the customers our teams cover, and their named team members."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Archivable, Audited, Base, Versioned, enum_column, utcnow
from .provenance import Imported
from .enums import Coverage, Tier
from .user import User

if TYPE_CHECKING:
    from .customer_group import CustomerGroup

account_member = Table(
    "account_member",
    Base.metadata,
    Column("account_id", ForeignKey("account.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True),
    Column("added_at", Base.type_annotation_map[datetime], default=utcnow),
)


class Account(Versioned, Archivable, Audited, Imported, Base):
    __tablename__ = "account"
    __table_args__ = (
        # The accounts of a customer group read from the index alone: the reader's team (kb.policy's
        # team_account_ids, in every visibility test) joins seats to accounts by group. Without it
        # PostgreSQL scanned all accounts for each team test (0.8 ms → 0.1 ms at 2,000 accounts, issue 9).
        Index("ix_account_group_account", "customer_group_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    name_en: Mapped[str] = mapped_column(String(200), default="")
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    industry: Mapped[str] = mapped_column(String(50), default="", index=True)
    region: Mapped[str] = mapped_column(String(50), default="", index=True)
    tier: Mapped[Tier] = mapped_column(enum_column(Tier, "account_tier"), default=Tier.STANDARD)
    coverage: Mapped[Coverage] = mapped_column(
        enum_column(Coverage, "account_coverage"), default=Coverage.DIRECT
    )
    description: Mapped[str] = mapped_column(Text, default="")
    #: The name, English name and aliases, normalised for the list filter (kept in step by kb.account_keys).
    search_key: Mapped[str] = mapped_column(Text, default="")
    #: The name's pinyin, lower-case, then the name: the list's order (kept in step by kb.account_keys).
    sort_key: Mapped[str] = mapped_column(Text, default="", index=True)
    #: The words of the names and the pinyin forms search finds them by, each between spaces, for the list
    #: filter (kept in step by kb.account_keys.account_word_key).
    pinyin_key: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"), index=True)
    customer_group_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer_group.id", ondelete="SET NULL"), index=True
    )

    parent: Mapped[Account | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Account]] = relationship(back_populates="parent")
    customer_group: Mapped[CustomerGroup | None] = relationship(back_populates="accounts")
    members: Mapped[list[User]] = relationship(secondary=account_member, order_by=User.name)

    def __repr__(self) -> str:
        return f"<Account {self.id} {self.name}>"
