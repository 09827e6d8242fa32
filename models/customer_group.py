"""Customer groups (客户群) and the seats of their iron triangles (铁三角)."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ColumnElement, ForeignKey, Index, String, Text, and_, or_
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Audited, Base, Versioned, enum_column
from .enums import SeatRole, SeatState
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

    def seats_in_force(self, day: date) -> list[TriangleSeat]:
        """The seats in force on `day` (see `TriangleSeat.in_force`), newest start first."""
        return [s for s in self.seats if s.in_force(day)]

    def scheduled_seats(self, day: date) -> list[TriangleSeat]:
        """Seats recorded ahead that start after `day`, newest start first."""
        return [s for s in self.seats if s.state_on(day) == SeatState.SCHEDULED]

    def __repr__(self) -> str:
        return f"<CustomerGroup {self.id} {self.name}>"


class TriangleSeat(Audited, Base):
    """One person holding one triangle role for a customer group, from a date until a date.

    A seat is *in force* from its start date until (not including) its end date: `in_force(day)` is the
    one definition, in Python and in SQL. A seat recorded ahead is *scheduled* until its day. An open seat
    has no end date. Rotating a seat ends it and starts a new one; seats are never deleted, so the
    rotation history stays readable.
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

    @hybrid_method
    def in_force(self, day: date) -> bool:
        """Whether the seat gives its holder the role on `day` (usable in queries too)."""
        return self.started_on <= day and (self.ended_on is None or self.ended_on > day)

    @in_force.expression
    def in_force(cls, day: date) -> ColumnElement[bool]:  # noqa: N805
        return and_(cls.started_on <= day, or_(cls.ended_on.is_(None), cls.ended_on > day))

    @hybrid_method
    def is_open(self) -> bool:
        """No end date recorded (in force or scheduled; a rotation ends open seats)."""
        return self.ended_on is None

    @is_open.expression
    def is_open(cls) -> ColumnElement[bool]:  # noqa: N805
        return cls.ended_on.is_(None)

    @hybrid_method
    def scheduled_on(self, day: date) -> bool:
        """Recorded ahead: starts after `day` and will be in force (not ended on its start day, i.e. cancelled)."""
        return self.started_on > day and (self.ended_on is None or self.ended_on > self.started_on)

    @scheduled_on.expression
    def scheduled_on(cls, day: date) -> ColumnElement[bool]:  # noqa: N805
        return and_(cls.started_on > day, or_(cls.ended_on.is_(None), cls.ended_on > cls.started_on))

    def state_on(self, day: date) -> SeatState:
        """Scheduled (starts after `day`), in force, or ended on `day` (a seat that was never in force too)."""
        if self.in_force(day):
            return SeatState.IN_FORCE
        return SeatState.SCHEDULED if self.scheduled_on(day) else SeatState.ENDED

    def __repr__(self) -> str:
        return f"<TriangleSeat {self.role.value} group={self.customer_group_id} user={self.user_id}>"
