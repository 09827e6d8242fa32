"""Contracts (合同, LTC "MCE", minimal): a won opportunity becomes a contract; milestones lead to cash.

LTC = ML (leads) → MO (opportunities) → MCE (manage contract execution) (DOMAIN.md). Only a WON opportunity
becomes a contract (`NotWon`, API code ``not_won``), at most one contract per opportunity. A contract has a
unique number, a signed date, an amount and currency; its milestones (delivery, acceptance, invoicing,
payment) have planned and actual dates and amounts. Access is the opportunity's, through kb.policy
(`opportunity_visible_clause`, `may_see_opportunity`, `check_may_edit_opportunity`): a team-only
opportunity's contract is team-only. Services flush only; the request commits.
"""
from __future__ import annotations

import logging
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from models import Contract, ContractMilestone, MilestoneKind, Opportunity, OpportunityStatus, User

from .. import clock, policy
from ..db import session
from . import contract_totals
from . import ltc_checks as check
from .errors import ValidationFailed
from .versioning import claim_version, settle_version

logger = logging.getLogger(__name__)

NUMBER_MAX = 50
NOTES_MAX = 1000
TITLE_MAX = 200
#: At most this many milestones per contract (bounded pages and sums).
MAX_MILESTONES = 60
CONTRACT_FIELDS = ("number", "signed_on", "amount", "currency", "notes")
MILESTONE_FIELDS = ("kind", "title", "planned_on", "actual_on", "planned_amount", "actual_amount")


class NotWon(ValidationFailed):
    """Only a won opportunity becomes a contract."""

    code = "not_won"


def contract_options() -> list[Any]:
    """Loader options: the opportunity (for access) and the milestones, without lazy loads."""
    return [selectinload(Contract.opportunity).selectinload(Opportunity.account),
            selectinload(Contract.milestones)]


def visible_contracts_stmt(*, viewer: Any, account_id: int | None = None) -> Select[tuple[Contract]]:
    """SELECT of the contracts `viewer` may read (those of the opportunities they may read), newest
    signature first; of one account when `account_id` is given."""
    stmt = (select(Contract).join(Opportunity, Opportunity.id == Contract.opportunity_id)
            .where(policy.opportunity_visible_clause(viewer))
            .order_by(Contract.signed_on.desc(), Contract.id.desc()))
    if account_id is not None:
        stmt = stmt.where(Contract.account_id == account_id)
    return stmt


def contract_of(opportunity: Opportunity) -> Contract | None:
    """The contract `opportunity` became, if any."""
    return session.scalar(select(Contract).where(Contract.opportunity_id == opportunity.id)
                          .options(*contract_options()))


def _validate_contract(contract: Contract | None, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    clean = {
        "number": check.text(data.get("number"), "number", NUMBER_MAX, errors, required=True),
        "signed_on": check.day(data.get("signed_on"), "signed_on", errors, required=True),
        "amount": check.amount(data.get("amount"), "amount", errors, required=True),
        "currency": check.currency(data.get("currency"), "currency", errors),
        "notes": check.text(data.get("notes"), "notes", NOTES_MAX, errors),
    }
    if clean["signed_on"] is not None and "signed_on" not in errors and clean["signed_on"] > clock.today():
        errors["signed_on"] = _("A contract cannot be signed in the future.")
    if clean["number"] and "number" not in errors:
        # The exact number too: SQLite's lower() folds ASCII only (see groups._check_group).
        same = or_(Contract.number == clean["number"], func.lower(Contract.number) == clean["number"].lower())
        taken = session.scalar(select(Contract.id).where(same))
        if taken is not None and (contract is None or taken != contract.id):
            errors["number"] = _("Another contract already has this number.")
    if not errors:  # the milestones' rules, once the fields themselves are sound
        errors = contract_totals.contract_errors(contract, clean)
    check.raise_if(errors)
    return clean


def create_contract(*, opportunity: Opportunity, author: User, **fields: Any) -> Contract:
    """Record the contract a won `opportunity` became; `fields` as CONTRACT_FIELDS (currency defaults to
    the opportunity's). Amount: Decimal, two decimals, in `currency`.

    Raises AccountArchived / PermissionDenied (check_may_edit_opportunity), NotWon (422 ``not_won``: the
    opportunity is not won), ValidationFailed (already has a contract; number required and unique; signed
    date real and not ahead of today; amount required and non-negative; known currency).
    """
    unknown = set(fields) - set(CONTRACT_FIELDS)
    if unknown:
        raise TypeError(f"unknown contract fields: {sorted(unknown)}")
    policy.check_may_edit_opportunity(author, opportunity)
    if opportunity.status != OpportunityStatus.WON:
        message = _("Only a won opportunity can become a contract.")
        raise NotWon(message, {"opportunity_id": message})
    if contract_of(opportunity) is not None:
        message = _("This opportunity already has a contract.")
        raise ValidationFailed(message, {"opportunity_id": message})
    clean = _validate_contract(None, {"currency": opportunity.currency, **fields})
    contract = Contract(opportunity=opportunity, account_id=opportunity.account_id, **clean)
    contract.touch(author.id)
    session.add(contract)
    session.flush()
    logger.info("contract %s signed for opportunity %s, recorded by user %s", contract.id, opportunity.id,
                author.id)
    return contract


def update_contract(*, contract: Contract, author: User, base_version: int | None = None,
                    **fields: Any) -> Contract:
    """Change the given CONTRACT_FIELDS. Raises AccountArchived / PermissionDenied, Conflict(current=
    contract) on a stale `base_version` (None: not checked), ValidationFailed (as create_contract; and
    kb.services.contract_totals: the amount not below the planned payments, not signed after a milestone)."""
    unknown = set(fields) - set(CONTRACT_FIELDS)
    if unknown:
        raise TypeError(f"unknown contract fields: {sorted(unknown)}")
    policy.check_may_edit_opportunity(author, contract.opportunity)
    current = {name: getattr(contract, name) for name in CONTRACT_FIELDS}
    current.update(fields)
    clean = _validate_contract(contract, current)
    claim_version(contract, base_version, _("Someone saved this contract while you were editing it."),
                  bump=False)
    for key, value in clean.items():
        setattr(contract, key, value)
    contract.touch(author.id)
    settle_version(contract)  # nothing changed: version kept
    session.flush()
    return contract


def _validate_milestone(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    clean = {
        "kind": check.choice(MilestoneKind, data.get("kind"), "kind", errors),
        "title": check.text(data.get("title"), "title", TITLE_MAX, errors),
        "planned_on": check.day(data.get("planned_on"), "planned_on", errors, required=True),
        "actual_on": check.day(data.get("actual_on"), "actual_on", errors),
        "planned_amount": check.amount(data.get("planned_amount"), "planned_amount", errors),
        "actual_amount": check.amount(data.get("actual_amount"), "actual_amount", errors),
    }
    if clean["actual_on"] is not None and "actual_on" not in errors and clean["actual_on"] > clock.today():
        errors["actual_on"] = _("A milestone cannot be done on a day still ahead.")
    if clean["actual_amount"] is not None and clean["actual_on"] is None and "actual_on" not in errors:
        errors["actual_on"] = _("Give the date the milestone was done.")
    check.raise_if(errors)
    return clean


def add_milestone(*, contract: Contract, author: User, **fields: Any) -> ContractMilestone:
    """Add a milestone (MILESTONE_FIELDS; `kind` and `planned_on` required) to `contract`.

    Raises AccountArchived / PermissionDenied (the opportunity's editors), ValidationFailed (known kind;
    real dates, the actual one not ahead of today and given with an actual amount; amounts non-negative
    with two decimals; at most MAX_MILESTONES; kb.services.contract_totals: planned or received payments
    not above the contract amount, no date before signing)."""
    unknown = set(fields) - set(MILESTONE_FIELDS)
    if unknown:
        raise TypeError(f"unknown milestone fields: {sorted(unknown)}")
    policy.check_may_edit_opportunity(author, contract.opportunity)
    clean = _validate_milestone(fields)
    check.raise_if(contract_totals.milestone_errors(contract, None, clean))
    if len(contract.milestones) >= MAX_MILESTONES:
        message = _("At most %(n)d milestones per contract.", n=MAX_MILESTONES)
        raise ValidationFailed(message, {"kind": message})
    milestone = ContractMilestone(contract=contract, **clean)
    milestone.touch(author.id)
    session.add(milestone)
    contract.touch(author.id)
    session.flush()
    return milestone


def update_milestone(*, milestone: ContractMilestone, author: User, base_version: int | None = None,
                     **fields: Any) -> ContractMilestone:
    """Change the given MILESTONE_FIELDS. Raises AccountArchived / PermissionDenied, Conflict(current=
    milestone) on a stale `base_version`, ValidationFailed (as add_milestone)."""
    unknown = set(fields) - set(MILESTONE_FIELDS)
    if unknown:
        raise TypeError(f"unknown milestone fields: {sorted(unknown)}")
    policy.check_may_edit_opportunity(author, milestone.contract.opportunity)
    current = {name: getattr(milestone, name) for name in MILESTONE_FIELDS}
    current.update(fields)
    clean = _validate_milestone(current)
    check.raise_if(contract_totals.milestone_errors(milestone.contract, milestone, clean))
    claim_version(milestone, base_version, _("Someone saved this milestone while you were editing it."),
                  bump=False)
    for key, value in clean.items():
        setattr(milestone, key, value)
    milestone.touch(author.id)
    settle_version(milestone)  # nothing changed: version kept
    session.flush()
    return milestone


def mark_milestone_done(*, milestone: ContractMilestone, author: User, base_version: int | None = None,
                        actual_on: date | None = None) -> ContractMilestone:
    """Mark `milestone` done on `actual_on` (default today) with its planned amount as the actual one
    (unless an actual amount is already recorded). Raises as update_milestone."""
    amount = milestone.actual_amount if milestone.actual_amount is not None else milestone.planned_amount
    return update_milestone(milestone=milestone, author=author, base_version=base_version,
                            actual_on=actual_on or clock.today(), actual_amount=amount)
