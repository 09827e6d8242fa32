"""What is signed on an account and what cash is still to come (the account page's contracts panel).

Per currency (amounts are never added across currencies): the signed total of the contracts, the payments
received (actual amounts of payment milestones that are done), and what is still to come — per contract
its amount less the payments received, never below zero — plus the next milestone not yet done. Only the
contracts of opportunities the reader may see count (kb.policy.opportunity_visible_clause), so a
team-only contract never shows in anyone else's totals.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import selectinload

from models import Contract, ContractMilestone, MilestoneKind

from ..db import session
from .contracts import visible_contracts_stmt

#: At most this many contracts are summed per account page (bounded work); `CashSummary.more` says so.
MAX_CONTRACTS = 200
ZERO = Decimal("0.00")


@dataclass
class CashLine:
    """One currency's figures (Decimal, two decimals, in `currency`)."""

    currency: str
    signed: Decimal = ZERO
    received: Decimal = ZERO
    to_come: Decimal = ZERO
    contracts: int = 0


@dataclass
class CashSummary:
    """`lines` by currency (CNY first, then alphabetical); the next open milestone and its contract."""

    lines: list[CashLine] = field(default_factory=list)
    next_milestone: ContractMilestone | None = None
    contracts: list[Contract] = field(default_factory=list)
    more: bool = False


def received(contract: Contract) -> Decimal:
    """Payments received on `contract`: actual amounts of its payment milestones that are done."""
    return sum((m.actual_amount or ZERO for m in contract.milestones
                if m.kind == MilestoneKind.PAYMENT and m.done), ZERO)


def to_come(contract: Contract) -> Decimal:
    """Cash still to come on `contract`: its amount less the payments received, not below zero."""
    return max(contract.amount - received(contract), ZERO)


def account_cash(*, viewer: Any, account_id: int) -> CashSummary:
    """The signed totals, payments received and cash still to come of account `account_id`, per currency,
    as `viewer` may see them, and the next milestone not yet done (earliest planned date)."""
    stmt = visible_contracts_stmt(viewer=viewer, account_id=account_id).options(
        selectinload(Contract.milestones))
    contracts = list(session.scalars(stmt.limit(MAX_CONTRACTS + 1)))
    summary = CashSummary(contracts=contracts[:MAX_CONTRACTS], more=len(contracts) > MAX_CONTRACTS)
    lines: dict[str, CashLine] = {}
    pending: list[ContractMilestone] = []
    for contract in summary.contracts:
        line = lines.setdefault(contract.currency, CashLine(contract.currency))
        line.signed += contract.amount
        line.received += received(contract)
        line.to_come += to_come(contract)
        line.contracts += 1
        pending += [m for m in contract.milestones if not m.done]
    summary.lines = sorted(lines.values(), key=lambda c: (c.currency != "CNY", c.currency))
    if pending:
        summary.next_milestone = min(pending, key=lambda m: (m.planned_on, m.id))
    return summary
