"""Coverage of a customer: holes in a group's triangle and in our relationships with the decision chain.

Domain rules the account and group pages show; they live here, not in views, so the API and reports can
give the same answers.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from models import (
    CustomerGroup, DecisionRole, Influence, RelationshipLayer, SeatRole, Stakeholder, TriangleSeat, UserRole,
)

from .. import clock
from .triangles import Triangle


@dataclass
class Gap:
    """A hole in a group's coverage: a vacant role, or a seat whose holder cannot act on it."""

    role: SeatRole
    kind: str  # "vacant" | "inactive" (cannot sign in) | "viewer" (may no longer edit)
    seat: TriangleSeat | None = None


def coverage_gaps(group: CustomerGroup, *, today: date | None = None) -> list[Gap]:
    """Roles with no seat in force on `today` (default kb.clock.today()), and seats in force whose holder
    cannot sign in or was made a viewer. A role filled only by a seat scheduled for later is vacant until
    that day."""
    gaps: list[Gap] = []
    for role, seat in Triangle.build(group.seats, today or clock.today()).items():
        if seat is None:
            gaps.append(Gap(role=role, kind="vacant"))
        elif not seat.user.active:
            gaps.append(Gap(role=role, kind="inactive", seat=seat))
        elif seat.user.role == UserRole.VIEWER:
            gaps.append(Gap(role=role, kind="viewer", seat=seat))
    return gaps


def who_decides(chain: list[Stakeholder]) -> list[Stakeholder]:
    """Decision-makers first, then other high-influence stakeholders (the people to prepare for)."""
    deciders = [s for s in chain if s.decision_role == DecisionRole.DECISION_MAKER]
    influential = [s for s in chain if s.influence == Influence.HIGH and s not in deciders]
    return deciders + influential


def at_risk(stakeholder: Stakeholder) -> bool:
    """No owner of ours, or no owner who can still sign in: the relationship may be lost."""
    return not any(o.user.active for o in stakeholder.owners)


def by_layer(chain: list[Stakeholder]) -> list[tuple[RelationshipLayer, list[Stakeholder]]]:
    """Stakeholders grouped by relationship layer (key, broad, organisational), hierarchy order kept."""
    return [(layer, [s for s in chain if s.layer == layer]) for layer in RelationshipLayer]
