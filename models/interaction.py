"""Interactions (拜访记录): visits, calls, events and executive meetings, with their next steps."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Archivable, Audited, Base, Versioned, enum_column
from .provenance import Imported
from .enums import InteractionKind, Visibility
from .stakeholder import Stakeholder
from .user import User

if TYPE_CHECKING:
    from .account import Account

interaction_stakeholder = Table(
    "interaction_stakeholder",
    Base.metadata,
    Column("interaction_id", ForeignKey("interaction.id", ondelete="CASCADE"), primary_key=True),
    Column("stakeholder_id", ForeignKey("stakeholder.id", ondelete="CASCADE"), primary_key=True, index=True),
)

interaction_attendee = Table(
    "interaction_attendee",
    Base.metadata,
    Column("interaction_id", ForeignKey("interaction.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Interaction(Versioned, Archivable, Audited, Imported, Base):
    __tablename__ = "interaction"
    __table_args__ = (
        Index("ix_interaction_account_date", "account_id", "occurred_on"),
        # What the dashboards (home, group page) filter an account's visits by, so their counts of open
        # next steps, last visits and visits per month read the index alone (issue 9: 4× at 2,000 accounts).
        Index("ix_interaction_account_visible", "account_id", "archived_at", "visibility", "kind", "occurred_on"),
        # An account's latest visit of one visibility: one backward index seek, read index-only (the account
        # list's last activity). The date before `archived_at`: PostgreSQL orders by it only after equalities.
        Index("ix_interaction_account_latest", "account_id", "visibility", "occurred_on", "archived_at"),
        # An account's latest visit of one visibility and kind (one backward seek, index-only), and its
        # visits per month (one range per visibility and kind): the dashboards, on PostgreSQL too (issue 9).
        Index("ix_interaction_account_kind", "account_id", "visibility", "kind", "occurred_on",
              "archived_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    occurred_on: Mapped[date]
    kind: Mapped[InteractionKind] = mapped_column(enum_column(InteractionKind, "interaction_kind"))
    title: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[Visibility] = mapped_column(enum_column(Visibility, "visibility"), default=Visibility.ORG)

    account: Mapped[Account] = relationship()
    stakeholders: Mapped[list[Stakeholder]] = relationship(
        secondary=interaction_stakeholder, order_by=Stakeholder.name
    )
    attendees: Mapped[list[User]] = relationship(secondary=interaction_attendee, order_by=User.name)
    next_steps: Mapped[list[NextStep]] = relationship(
        back_populates="interaction", cascade="all, delete-orphan", order_by="NextStep.position"
    )

    def __repr__(self) -> str:
        return f"<Interaction {self.id} {self.kind.value} {self.occurred_on}>"


class NextStep(Versioned, Base):
    __tablename__ = "next_step"
    __table_args__ = (
        Index("ix_next_step_owner_open", "owner_id", "done"),
        # The open steps of an account's visits, by due date (account page, brief, onboarding).
        Index("ix_next_step_interaction_open", "interaction_id", "done", "due_on"),
        # The open steps of many accounts' visits by due date, read index-only (the dashboards: issue 9;
        # the id last for PostgreSQL, whose index entries do not carry it: migration 0022).
        Index("ix_next_step_account_open", "account_id", "done", "interaction_archived_at", "due_on",
              "visibility", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interaction.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(String(500))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    due_on: Mapped[date | None]
    done: Mapped[bool] = mapped_column(default=False)
    done_at: Mapped[datetime | None]
    # Kept copies of the interaction's account, visibility and archived time, so the dashboards count an
    # account's open steps from one index range instead of visiting each of its interactions (issue 9).
    # The database keeps them (triggers of migration 0018, on every insert into next_step and every change
    # of those interaction columns, whatever writes them: services, imports, bulk inserts); never set here.
    account_id: Mapped[int | None] = mapped_column(default=None)
    visibility: Mapped[Visibility | None] = mapped_column(enum_column(Visibility, "visibility"), default=None)
    interaction_archived_at: Mapped[datetime | None] = mapped_column(default=None)

    interaction: Mapped[Interaction] = relationship(back_populates="next_steps")
    owner: Mapped[User | None] = relationship()

    def is_overdue(self, today: date) -> bool:
        """Open and due before `today` (the caller's day in the configured zone, not the server's)."""
        return not self.done and self.due_on is not None and self.due_on < today

    def __repr__(self) -> str:
        return f"<NextStep {self.id} done={self.done}>"
