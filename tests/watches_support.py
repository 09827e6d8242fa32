"""Building opportunities, seats, lights and risks with exact dates for the four-watches tests."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from models import (
    KeyProjectLightChange, Light, Opportunity, OpportunitySeat, OpportunityStage, OpportunityStageChange,
    OpportunityStatus, Risk, RiskStatus, SeatRole, Stakeholder, Visibility,
)

def add_opportunity(app: Any, account: Any, name: str, *, amount: str | None = "1000000",
                    currency: str = "CNY",
                    probability: int | None = 50, status: str = "open", stage: str = "validate",
                    opened_on: date = date(2026, 3, 1), closed_on: date | None = None,
                    visibility: str = "org", seats: tuple[tuple[Any, str, date | None], ...] = (),
                    stakeholders: int = 0, updated_days_ago: int = 1, key_light: str | None = None,
                    light_reason: str = "", light_on: date | None = None, key_owner: Any = None,
                    next_review_on: date | None = None) -> int:
    """One opportunity (with its opening stage row, and a closing row when closed); returns its id.

    `seats`: (user, role, ended_on) of the project triangle, started 2026-01-01.
    """
    with app.app_context():
        from kb.db import session

        status_ = OpportunityStatus(status)
        opp = Opportunity(
            account_id=account.id, name=name, amount=Decimal(amount) if amount else None, currency=currency,
            win_probability=probability, status=status_,
            stage=OpportunityStage.CLOSED if status_ != OpportunityStatus.OPEN else OpportunityStage(stage),
            opened_on=opened_on, closed_on=closed_on, visibility=Visibility(visibility),
            key_project=key_light is not None, light=Light(key_light) if key_light else None,
            light_reason=light_reason, key_owner_id=key_owner.id if key_owner else None,
            next_review_on=next_review_on,
            updated_at=datetime.now(timezone.utc) - timedelta(days=updated_days_ago))
        session.add(opp)
        session.flush()
        session.add(OpportunityStageChange(opportunity_id=opp.id, from_stage=None,
                                           to_stage=OpportunityStage(stage),
                                           changed_on=opened_on))
        if closed_on is not None:
            session.add(OpportunityStageChange(opportunity_id=opp.id, from_stage=OpportunityStage(stage),
                                               to_stage=OpportunityStage.CLOSED, status=status_,
                                               changed_on=closed_on))
        for user, role, ended_on in seats:
            session.add(OpportunitySeat(opportunity_id=opp.id, user_id=user.id, role=SeatRole(role),
                                        started_on=date(2026, 1, 1), ended_on=ended_on))
        for i in range(stakeholders):
            opp.stakeholders.append(Stakeholder(account_id=account.id, name=f"{name}关键人{i}", title="处长",
                                                department="信息部"))
        if key_light:
            session.add(KeyProjectLightChange(opportunity_id=opp.id, light=Light(key_light),
                                              reason=light_reason,
                                              changed_on=light_on or opened_on))
        session.commit()
        return opp.id


def add_light_change(app: Any, opportunity_id: int, light: str, reason: str, on: date) -> None:
    with app.app_context():
        from kb.db import session

        session.add(KeyProjectLightChange(opportunity_id=opportunity_id, light=Light(light), reason=reason,
                                          changed_on=on))
        opp = session.get(Opportunity, opportunity_id)
        opp.light, opp.light_reason = Light(light), reason
        session.commit()


def add_stage_change(app: Any, opportunity_id: int, to_stage: str, on: date) -> None:
    with app.app_context():
        from kb.db import session

        opp = session.get(Opportunity, opportunity_id)
        session.add(OpportunityStageChange(opportunity_id=opportunity_id, from_stage=opp.stage,
                                           to_stage=OpportunityStage(to_stage), changed_on=on))
        opp.stage = OpportunityStage(to_stage)
        session.commit()


def add_risk(app: Any, account: Any, description: str, *, opportunity_id: int | None = None,
             owner: Any = None,
             due_on: date | None = None, created_days_ago: int = 10, status: str = "open") -> int:
    with app.app_context():
        from kb.db import session

        risk = Risk(account_id=account.id, opportunity_id=opportunity_id, description=description,
                    owner_id=owner.id if owner else None, due_on=due_on, status=RiskStatus(status),
                    created_at=datetime.now(timezone.utc) - timedelta(days=created_days_ago))
        session.add(risk)
        session.commit()
        return risk.id
