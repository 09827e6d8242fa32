"""Demo loader for contracts (kb/demo/data_contracts.py): the won demo opportunity's contract and its
milestones, written with the models directly like the other loaders; deterministic (offsets from ANCHOR)."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from models import Contract, ContractMilestone, MilestoneKind, Opportunity

from .context import ANCHOR, DemoContext, at
from .data_contracts import CONTRACT, MILESTONES, OPPORTUNITY_NAME


def _day(offset: int) -> date:
    return ANCHOR + timedelta(days=offset)


def load_contracts(ctx: DemoContext) -> None:
    """Add the demo contract with its milestones (after load_ltc: it needs the won opportunity)."""
    account_ids = [a.id for a in ctx.accounts.values()]  # this load's accounts (`--force` loads twice)
    opp = ctx.session.scalar(select(Opportunity).where(Opportunity.name == OPPORTUNITY_NAME,
                                                       Opportunity.account_id.in_(account_ids)))
    if opp is None:
        return
    number = CONTRACT["number"]
    if ctx.session.scalar(select(Contract.id).where(Contract.number == number)) is not None:
        number = f"{number}-{opp.id}"  # contract numbers are unique
    signed = _day(CONTRACT["signed"])
    contract = Contract(opportunity=opp, account_id=opp.account_id, number=number,
                        signed_on=signed, amount=Decimal(CONTRACT["amount"]), currency=opp.currency,
                        notes=CONTRACT["notes"], created_by_id=opp.created_by_id, created_at=at(signed),
                        updated_at=at(signed))
    ctx.session.add(contract)
    for kind, title, planned, planned_amount, actual, actual_amount in MILESTONES:
        ctx.session.add(ContractMilestone(
            contract=contract, kind=MilestoneKind(kind), title=title, planned_on=_day(planned),
            planned_amount=Decimal(planned_amount) if planned_amount else None,
            actual_on=_day(actual) if actual is not None else None,
            actual_amount=Decimal(actual_amount) if actual_amount else None,
            created_by_id=opp.created_by_id, created_at=at(signed), updated_at=at(signed)))
    ctx.session.flush()
    ctx.counts.update({"contracts": 1})
