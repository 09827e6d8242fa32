"""Rules that tie a contract's milestones to the contract (issue 10, MCE): the planned payments never add up
to more than the contract amount, the payments received neither, and no milestone is planned or done before
the contract was signed. Used by kb/services/contracts.py when a milestone or the contract is saved.

All amounts are Decimal with two decimals in the contract's currency (a contract's milestones share it).
Each function returns {field: message} (empty when the rule holds); the caller raises ValidationFailed.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _

from models import Contract, ContractMilestone, MilestoneKind

from .. import formatting

ZERO = Decimal("0.00")


def _payments(contract: Contract, skip: ContractMilestone | None) -> list[ContractMilestone]:
    return [m for m in contract.milestones if m.kind == MilestoneKind.PAYMENT and m is not skip]


def planned_payments(contract: Contract) -> Decimal:
    """The planned amounts of `contract`'s payment milestones, added up (Decimal, contract currency)."""
    return sum((m.planned_amount or ZERO for m in _payments(contract, None)), ZERO)


def received_payments(contract: Contract) -> Decimal:
    """The amounts already received on `contract`'s payment milestones, added up (Decimal, contract
    currency)."""
    return sum((m.actual_amount or ZERO for m in _payments(contract, None)), ZERO)


def milestone_errors(contract: Contract, milestone: ContractMilestone | None,
                     clean: dict[str, Any]) -> dict[str, str]:
    """What is wrong with saving `clean` (the milestone's checked fields) as `milestone` (None: a new one)
    of `contract`: planned or received payments above the contract amount, dates before signing."""
    errors: dict[str, str] = {}
    others = _payments(contract, milestone)
    if clean["kind"] == MilestoneKind.PAYMENT:
        planned = sum((m.planned_amount or ZERO for m in others), ZERO) + (clean["planned_amount"] or ZERO)
        if planned > contract.amount:
            errors["planned_amount"] = _(
                "The planned payments would come to %(total)s, more than the contract amount of %(amount)s.",
                total=formatting.money(planned, contract.currency),
                amount=formatting.money(contract.amount, contract.currency))
        got = sum((m.actual_amount or ZERO for m in others), ZERO) + (clean["actual_amount"] or ZERO)
        if got > contract.amount:
            errors["actual_amount"] = _(
                "The payments received would come to %(total)s, more than the contract amount of %(amount)s.",
                total=formatting.money(got, contract.currency),
                amount=formatting.money(contract.amount, contract.currency))
    for name in ("planned_on", "actual_on"):
        day: date | None = clean[name]
        if day is not None and contract.signed_on is not None and day < contract.signed_on:
            errors[name] = _("The contract was signed on %(day)s: a milestone cannot come before it.",
                             day=contract.signed_on.isoformat())
    return errors


def contract_errors(contract: Contract | None, clean: dict[str, Any]) -> dict[str, str]:
    """What is wrong with saving `clean` (the contract's checked fields) on `contract` (None: a new one, which
    has no milestones yet): an amount below the planned payments or the payments already received, a signing
    date after a milestone."""
    if contract is None:
        return {}
    errors: dict[str, str] = {}
    planned = planned_payments(contract)
    if clean["amount"] is not None and clean["amount"] < planned:
        errors["amount"] = _("The payment milestones already plan %(total)s: the amount cannot be lower.",
                             total=formatting.money(planned, clean["currency"] or contract.currency))
    received = received_payments(contract)
    if "amount" not in errors and clean["amount"] is not None and clean["amount"] < received:
        errors["amount"] = _("Payments of %(total)s have already been received: the amount cannot be lower.",
                             total=formatting.money(received, clean["currency"] or contract.currency))
    days = [d for m in contract.milestones for d in (m.planned_on, m.actual_on) if d is not None]
    if clean["signed_on"] is not None and days and clean["signed_on"] > min(days):
        errors["signed_on"] = _("A milestone is dated %(day)s: the contract cannot be signed after it.",
                                day=min(days).isoformat())
    return errors
