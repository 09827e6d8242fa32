"""Customer groups (客户群) and the seats of their iron triangles (铁三角)."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Audited, Base, Versioned, enum_column
from .enums import SeatRole
from .user import User

if TYPE_CHECKING:
    from .account import Account


class CustomerGroup(Versioned, Audited, Base):
    __tablename__ = "customer_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    name_en: Mapped[str] = mapped_column(String(100), default="")
    description: Mapped[str] = mapped_column(Text, default="")

    seats: Mapped[list[TriangleSeat]] = relationship(
        back_populates="customer_group", order_by="TriangleSeat.started_on.desc()"
    )
    accounts: Mapped[list[Account]] = relationship(back_populates="customer_group")

    @property
    def current_seats(self) -> list[TriangleSeat]:
        return [s for s in self.seats if s.ended_on is None]

    def __repr__(self) -> str:
        return f"<CustomerGroup {self.id} {self.name}>"


class TriangleSeat(Audited, Base):
    """One person holding one triangle role for a customer group, from a date until a date.

    A current seat has no end date. Rotating a seat ends it and starts a new one; seats are never
    deleted, so the rotation history stays readable.
    """

    __tablename__ = "triangle_seat"
    __table_args__ = (
        CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="dates_in_order"),
        Index("ix_triangle_seat_user_current", "user_id", "ended_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_group_id: Mapped[int] = mapped_column(
        ForeignKey("customer_group.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"))
    role: Mapped[SeatRole] = mapped_column(enum_column(SeatRole, "seat_role"))
    started_on: Mapped[date]
    ended_on: Mapped[date | None]
    note: Mapped[str] = mapped_column(String(500), default="")

    customer_group: Mapped[CustomerGroup] = relationship(back_populates="seats")
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def is_current(self) -> bool:
        return self.ended_on is None

    def __repr__(self) -> str:
        return f"<TriangleSeat {self.role.value} group={self.customer_group_id} user={self.user_id}>"
