"""Demo loader for Lead to Cash: leads, opportunities with their stage history, project triangles and
key-project lights, and risks (kb/demo/data_ltc.py). Written with the models directly, like the other
loaders; every date is an offset from ANCHOR, so two loads give the same content.
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from models import (
    KeyProjectLightChange, Lead, LeadSource, LeadStatus, Light, Opportunity, OpportunitySeat,
    OpportunityStage, OpportunityStageChange, OpportunityStatus, Risk, RiskStatus, SeatRole, Visibility,
)

from .context import ANCHOR, DemoContext, at
from .data_ltc import LEADS, OPPORTUNITIES, RISKS

STAGES = [OpportunityStage.VALIDATE, OpportunityStage.PRE_BID, OpportunityStage.BID,
          OpportunityStage.NEGOTIATION]


def _day(offset: int) -> date:
    return ANCHOR + timedelta(days=offset)


def load_ltc(ctx: DemoContext) -> None:
    """Add the demo leads, opportunities (with stage history, seats and lights) and risks."""
    leads = {row[0]: _lead(ctx, row) for row in LEADS}
    opps = {row[0]: _opportunity(ctx, row, leads) for row in OPPORTUNITIES}
    for opp_key, account_key, text, owner, due, status, resolution in RISKS:
        risk = Risk(account_id=ctx.accounts[account_key].id, opportunity=opps[opp_key] if opp_key else None,
                    description=text, owner_id=ctx.uid(owner), due_on=_day(due), status=RiskStatus(status),
                    resolution=resolution, resolved_on=_day(due) if status == "resolved" else None,
                    created_by_id=ctx.uid(owner), created_at=at(_day(min(due, 0) - 20)),
                    updated_at=at(_day(min(due, 0) - 20)))
        ctx.session.add(risk)
    ctx.session.flush()
    ctx.counts.update({"leads": len(leads), "opportunities": len(opps), "risks": len(RISKS)})


def _lead(ctx: DemoContext, row: tuple) -> Lead:
    key, account_key, prospect, title, text, source, amount, owner, status, reason, budget, visibility = row
    lead = Lead(account_id=ctx.accounts[account_key].id if account_key else None, prospect_name=prospect,
                title=title, description=text, source=LeadSource(source), estimated_amount=Decimal(amount),
                owner_id=ctx.uid(owner), status=LeadStatus(status), drop_reason=reason,
                visibility=Visibility(visibility), created_by_id=ctx.uid(owner), created_at=at(_day(-200)),
                updated_at=at(_day(-200)))
    if budget is not None:
        lead.budget_confirmed = True
        lead.budget_amount, lead.budget_confirmed_on = Decimal(budget[0]), _day(budget[1])
    ctx.session.add(lead)
    return lead


def _opportunity(ctx: DemoContext, row: tuple, leads: dict[str, Lead]) -> Opportunity:
    (key, account_key, lead_key, name, stage, status, opened, stage_days, amount, probability, competitors,
     solution, reason, visibility, key_project, seats) = row
    owner = ctx.uid(seats[0][1])
    opened_on = _day(opened)
    opp = Opportunity(
        account_id=ctx.accounts[account_key].id, lead=leads.get(lead_key), name=name,
        stage=OpportunityStage(stage),
        status=OpportunityStatus(status), close_reason=reason, amount=Decimal(amount), currency="CNY",
        win_probability=probability, competitors=competitors, solution=solution,
        visibility=Visibility(visibility),
        opened_on=opened_on, expected_close_on=_day(60 + opened // 4), created_by_id=owner,
        created_at=at(opened_on),
        updated_at=at(opened_on))
    ctx.session.add(opp)
    # the top of the account's decision chain is involved in every demo opportunity
    opp.stakeholders = [ctx.stakeholders[k] for k in ctx.people_of.get(account_key, [])[:2]]
    # Open: `stage_days` are the days spent in the stages before the current one. Closed: in every
    # stage it went through; the close follows the last.
    if status == "open":
        path = STAGES[:len(stage_days) + 1]
    else:
        path = [*STAGES[:len(stage_days)], OpportunityStage.CLOSED]
    day, previous = opened_on, None
    for i, to_stage in enumerate(path):
        ctx.session.add(OpportunityStageChange(
            opportunity=opp, from_stage=previous, to_stage=to_stage, changed_on=day, changed_at=at(day),
            status=(OpportunityStatus(status) if to_stage == OpportunityStage.CLOSED
                    else OpportunityStatus.OPEN),
            changed_by_id=owner))
        previous = to_stage
        if i < len(stage_days):
            day += timedelta(days=stage_days[i])
    if status != "open":
        opp.closed_on = day
    for role, user in seats:
        ctx.session.add(OpportunitySeat(opportunity=opp, user_id=ctx.uid(user), role=SeatRole(role),
                                        started_on=opened_on, ended_on=opp.closed_on, created_by_id=owner,
                                        created_at=at(opened_on), updated_at=at(opened_on)))
    if key_project:
        light, why, key_owner, review, history = key_project
        opp.key_project, opp.light, opp.light_reason = True, Light(light), why
        opp.key_owner_id, opp.next_review_on = ctx.uid(key_owner), _day(review)
        for old_light, old_why, offset in history:
            ctx.session.add(KeyProjectLightChange(opportunity=opp, light=Light(old_light), reason=old_why,
                                                  changed_on=_day(offset), changed_at=at(_day(offset)),
                                                  changed_by_id=ctx.uid(key_owner)))
        ctx.session.add(KeyProjectLightChange(opportunity=opp, light=Light(light), reason=why,
                                              changed_on=_day(-3), changed_at=at(_day(-3)),
                                              changed_by_id=ctx.uid(key_owner)))
    return opp
