"""An iron triangle (铁三角) on a given day: who holds each role, and who is scheduled to take it.

The seats in force come from `TriangleSeat.in_force`, the one definition of "seat in force"; a seat recorded
ahead of its start is *scheduled* and never shown as the holder before its day.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from models import SeatRole, SeatState, TriangleSeat


class Triangle(dict[SeatRole, TriangleSeat | None]):
    """Role → seat in force (None = vacant), in AR, SR, FR order; `scheduled`: role → next seat ahead."""

    def __init__(self) -> None:
        super().__init__({role: None for role in SeatRole})
        self.scheduled: dict[SeatRole, TriangleSeat] = {}

    @classmethod
    def build(cls, seats: Iterable[TriangleSeat], day: date) -> Triangle:
        """The triangle of `seats` on `day`: the latest start in force wins, the earliest start ahead is next."""
        triangle = cls()
        for seat in seats:
            state = seat.state_on(day)
            if state == SeatState.IN_FORCE:
                held = triangle[seat.role]
                if held is None or (seat.started_on, seat.id) > (held.started_on, held.id):
                    triangle[seat.role] = seat
            elif state == SeatState.SCHEDULED:
                ahead = triangle.scheduled.get(seat.role)
                if ahead is None or (seat.started_on, seat.id) < (ahead.started_on, ahead.id):
                    triangle.scheduled[seat.role] = seat
        return triangle
