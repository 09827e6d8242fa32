"""Leads (线索, LTC "ML"): record, cultivate, drop (with a reason) or convert into an opportunity.

A lead becomes an opportunity only once the customer has confirmed an investment budget (客户明确了投资预算,
course notes LTC01): `convert_lead` refuses a lead without a confirmed budget (amount and date) with
`BudgetNotConfirmed` (422, API code ``budget_not_confirmed``). Visibility is decided by kb.policy only.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from models import Account, Lead, LeadSource, LeadStatus, Opportunity, User, Visibility

from .. import clock, policy
from ..db import session
from . import ltc_checks as check
from .errors import ValidationFailed
from .versioning import claim_version, settle_version

logger = logging.getLogger(__name__)

TITLE_MAX = 200
PROSPECT_MAX = 200
DESCRIPTION_MAX = 20_000
REASON_MAX = 500
#: The fields a caller may set on a lead (create and update).
FIELDS = ("prospect_name", "title", "description", "source", "estimated_amount", "currency", "owner_id",
          "status", "drop_reason", "budget_confirmed", "budget_amount", "budget_confirmed_on", "visibility")


class BudgetNotConfirmed(ValidationFailed):
    """A lead is converted into an opportunity only once the customer's budget is confirmed."""

    code = "budget_not_confirmed"


def lead_options() -> list[Any]:
    """Loader options for lists and pages: account, owner and opportunity without lazy loads."""
    return [selectinload(Lead.account), selectinload(Lead.owner), selectinload(Lead.opportunity)]


def visible_leads_stmt(*, viewer: Any, account_id: int | None = None, status: LeadStatus | None = None
                       ) -> Select[tuple[Lead]]:
    """SELECT of the leads `viewer` may see (of open accounts, or prospects), newest first."""
    stmt = (select(Lead).outerjoin(Lead.account)
            .where(policy.lead_visible_clause(viewer))
            .order_by(Lead.created_at.desc(), Lead.id.desc()))
    if account_id is not None:
        stmt = stmt.where(Lead.account_id == account_id)
    else:
        stmt = stmt.where(Account.archived_at.is_(None) | Lead.account_id.is_(None))
    if status is not None:
        stmt = stmt.where(Lead.status == status)
    return stmt


def _validate(lead: Lead | None, data: dict[str, Any], has_account: bool) -> dict[str, Any]:
    errors: dict[str, str] = {}
    clean = {
        "prospect_name": check.text(data.get("prospect_name"), "prospect_name", PROSPECT_MAX, errors),
        "title": check.text(data.get("title"), "title", TITLE_MAX, errors, required=True),
        "description": check.text(data.get("description"), "description", DESCRIPTION_MAX, errors),
        "source": check.choice(LeadSource, data.get("source") or LeadSource.OTHER, "source", errors),
        "estimated_amount": check.amount(data.get("estimated_amount"), "estimated_amount", errors),
        "currency": check.currency(data.get("currency"), "currency", errors),
        "owner_id": check.active_user(data.get("owner_id"), "owner_id", errors,
                                      keep=lead.owner_id if lead is not None else None),
        "status": check.choice(LeadStatus, data.get("status") or LeadStatus.NEW, "status", errors),
        "drop_reason": check.text(data.get("drop_reason"), "drop_reason", REASON_MAX, errors),
        "budget_confirmed": bool(data.get("budget_confirmed")),
        "budget_amount": check.amount(data.get("budget_amount"), "budget_amount", errors),
        "budget_confirmed_on": check.day(data.get("budget_confirmed_on"), "budget_confirmed_on", errors),
        "visibility": check.choice(Visibility, data.get("visibility") or Visibility.ORG, "visibility",
                                   errors),
    }
    if not has_account:
        if not clean["prospect_name"]:
            errors["prospect_name"] = _("Choose an account or name the prospect.")
        if clean["visibility"] == Visibility.TEAM:
            errors["visibility"] = _("A prospect's lead has no account team: it cannot be team-only.")
    if clean["status"] == LeadStatus.DROPPED and not clean["drop_reason"]:
        errors["drop_reason"] = _("Say why the lead is dropped.")
    was_converted = lead is not None and lead.status == LeadStatus.CONVERTED
    if clean["status"] == LeadStatus.CONVERTED and not was_converted:
        errors["status"] = _("Convert the lead into an opportunity to mark it converted.")
    elif was_converted and clean["status"] != LeadStatus.CONVERTED:
        errors["status"] = _("This lead became an opportunity; its status stays converted.")
    if clean["budget_confirmed"]:
        if clean["budget_amount"] is None and "budget_amount" not in errors:
            errors["budget_amount"] = _("A confirmed budget needs its amount.")
        if clean["budget_confirmed_on"] is None and "budget_confirmed_on" not in errors:
            errors["budget_confirmed_on"] = _("A confirmed budget needs the date it was confirmed.")
    confirmed_on, today = clean["budget_confirmed_on"], clock.today()
    if confirmed_on is not None and confirmed_on > today and (
            lead is None or confirmed_on != lead.budget_confirmed_on):
        errors["budget_confirmed_on"] = _("A budget cannot be confirmed in the future (today is %(d)s).",
                                          d=today.isoformat())
    check.raise_if(errors)
    return clean


def create_lead(*, author: User, account: Account | None = None, **fields: Any) -> Lead:
    """Record a lead of `account` (or of a prospect: `prospect_name`, no account); fields as in FIELDS.

    Raises AccountArchived / PermissionDenied (kb.policy.check_may_create_lead) and ValidationFailed
    (title required; a dropped lead needs `drop_reason`; a confirmed budget needs amount and date, not
    after today in the user's zone (kb.clock; a stored date is kept as it is); a prospect's lead cannot be team-only; status `converted` only through `convert_lead`).
    """
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown lead fields: {sorted(unknown)}")
    policy.check_may_create_lead(author, account)
    clean = _validate(None, fields, account is not None)
    lead = Lead(account_id=account.id if account is not None else None, **clean)
    if account is not None:
        lead.prospect_name = ""
    lead.touch(author.id)
    session.add(lead)
    session.flush()
    logger.info("lead %s created by user %s", lead.id, author.id)
    return lead


#: `update_lead(account_id=KEEP)`: the lead's account is not being set.
KEEP: Any = object()
LINKABLE_MAX = 500


def linkable_accounts(*, user: User) -> list[tuple[int, str]]:
    """(id, name) of the accounts `user` may link a prospect's lead to (those they may edit, kb.policy),
    by name; at most LINKABLE_MAX."""
    rows = session.execute(select(Account.id, Account.name).where(policy.editable_account_clause(user))
                           .order_by(Account.name, Account.id).limit(LINKABLE_MAX))
    return [(i, name) for i, name in rows]


def _account_to_link(lead: Lead, author: User, account_id: Any) -> Account | None:
    """The account a prospect's lead is being linked to (None: no change). Raises ValidationFailed on
    `account_id` when the lead already has another account, or the account is unknown or not editable."""
    if account_id is KEEP or account_id == lead.account_id or (account_id in (None, 0) and lead.account_id is None):
        return None
    if lead.account_id is not None:
        raise ValidationFailed(_("This lead already belongs to an account; its account does not change."),
                               {"account_id": _("The account of a lead does not change once set.")})
    account = (session.get(Account, account_id)
               if isinstance(account_id, int) and not isinstance(account_id, bool) else None)
    if account is None or not policy.may_edit_account(author, account):
        raise ValidationFailed(_("Choose an account you may edit."),
                               {"account_id": _("Choose an account you may edit.")})
    return account


def update_lead(*, lead: Lead, author: User, base_version: int | None = None, account_id: Any = KEEP,
                **fields: Any) -> Lead:
    """Change the given fields of `lead` (others keep their value). `account_id` links a prospect's lead
    (no account yet) to an existing account `author` may edit, so it can then be converted; KEEP (the
    default) or the current value changes nothing.

    Raises AccountArchived / PermissionDenied, Conflict(current=lead) when `base_version` (None: not
    checked) is no longer the stored one, and ValidationFailed (rules as for create_lead; on `account_id`:
    a lead's account once set does not change, the account must exist and be editable by `author`).
    """
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown lead fields: {sorted(unknown)}")
    policy.check_may_edit_lead(author, lead)
    account = _account_to_link(lead, author, account_id)
    current = {name: getattr(lead, name) for name in FIELDS}
    current.update(fields)
    clean = _validate(lead, current, lead.account_id is not None or account is not None)
    claim_version(lead, base_version, _("Someone saved this lead while you were editing it."), bump=False)
    for name, value in clean.items():
        setattr(lead, name, value)
    if account is not None:
        lead.account_id, lead.account, lead.prospect_name = account.id, account, ""
        logger.info("lead %s linked to account %s by user %s", lead.id, account.id, author.id)
    lead.touch(author.id)
    settle_version(lead)  # nothing changed: version kept
    session.flush()
    return lead


def convert_lead(*, lead: Lead, author: User, name: str = "", base_version: int | None = None,
                 seats: Mapping[str, Any] | None = None) -> Opportunity:
    """Turn `lead` into an opportunity of its account (named `name`, default the lead's title): the lead
    keeps the link (`opportunity.lead_id`) and is marked converted; the opportunity starts in the first
    stage with the budget as its amount, its project triangle formed from `seats` (as create_opportunity).

    Raises BudgetNotConfirmed (422, code budget_not_confirmed) unless the budget is confirmed with amount
    and date; ValidationFailed for a prospect's lead (no account yet), a dropped or converted lead;
    AccountArchived / PermissionDenied; Conflict(current=lead) on a stale `base_version`.
    """
    from .opportunities import create_opportunity  # opportunities import nothing from here

    policy.check_may_edit_lead(author, lead)
    confirmed = lead.budget_confirmed and None not in (lead.budget_amount, lead.budget_confirmed_on)
    if not confirmed:
        raise BudgetNotConfirmed(
            _("The customer has not confirmed an investment budget yet: record the confirmed budget (amount "
              "and date) before converting the lead into an opportunity."),
            {"budget_confirmed": _("Confirm the customer's budget first.")})
    if lead.status in (LeadStatus.CONVERTED, LeadStatus.DROPPED) or lead.opportunity is not None:
        raise ValidationFailed(_("Only an open lead can be converted."))
    if lead.account_id is None:
        raise ValidationFailed(_("Create the account of %(name)s first, then link the lead to it.",
                                 name=lead.prospect_name),
                               {"account_id": _("This lead has no account yet.")})
    claim_version(lead, base_version, _("Someone saved this lead while you were converting it."))
    opportunity = create_opportunity(
        account=lead.account, author=author, name=(name or lead.title).strip(), lead=lead,
        amount=lead.budget_amount, currency=lead.currency, visibility=lead.visibility,
        solution=lead.description, seats=seats)
    lead.status = LeadStatus.CONVERTED
    lead.touch(author.id)
    session.flush()
    logger.info("lead %s converted into opportunity %s by user %s", lead.id, opportunity.id, author.id)
    return opportunity
