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
from . import relationship_risk
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
    """Decision-makers first, then other high-influence stakeholders (the people to prepare for).

    A stakeholder whose role or influence is still "unknown" is neither, so never listed here."""
    deciders = [s for s in chain if s.decision_role == DecisionRole.DECISION_MAKER]
    influential = [s for s in chain if s.influence == Influence.HIGH and s not in deciders]
    return deciders + influential


def at_risk(stakeholder: Stakeholder, *, today: date | None = None,
            key_days: int = relationship_risk.DEFAULT_KEY_DAYS,
            other_days: int = relationship_risk.DEFAULT_OTHER_DAYS) -> bool:
    """Whether the relationship may be lost, by the one rule of kb.services.relationship_risk (no owner,
    owners gone, no backup for a key person, not met for too long, opposed with high influence, a
    decision-maker with no support near). `today` defaults to kb.clock.today(). Three statements per call:
    for many stakeholders call `relationship_risk.stakeholder_risks` once instead."""
    risks = relationship_risk.stakeholder_risks(stakeholders=[stakeholder], today=today or clock.today(),
                                                key_days=key_days, other_days=other_days)
    return bool(risks[stakeholder.id])


def by_layer(chain: list[Stakeholder]) -> list[tuple[RelationshipLayer, list[Stakeholder]]]:
    """Stakeholders grouped by relationship layer (key, broad, organisational), hierarchy order kept."""
    return [(layer, [s for s in chain if s.layer == layer]) for layer in RelationshipLayer]


def layer_counts(chain: list[Stakeholder]) -> dict[str, int]:
    """{"key": n, "broad": n, "organisational": n}: how many stakeholders in each relationship layer."""
    return {layer.value: sum(1 for s in chain if s.layer == layer) for layer in RelationshipLayer}
