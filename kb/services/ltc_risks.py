"""Risks and open issues (风险及遗留问题) of an account or of one of its opportunities.

Open ones are listed overdue first, then by due date. Resolving needs a resolution. Who reads them:
kb.policy.risk_visible_clause (an opportunity's risks as the opportunity).
"""
from __future__ import annotations

import logging
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from models import Account, Opportunity, Risk, RiskStatus, User

from .. import clock, policy
from ..db import session
from . import ltc_checks as check
from .versioning import claim_version, settle_version

logger = logging.getLogger(__name__)

DESCRIPTION_MAX = 1000
RESOLUTION_MAX = 5000
FIELDS = ("description", "owner_id", "due_on", "status", "resolution")


def risk_options() -> list[Any]:
    """Loader options: owner, account and opportunity without lazy loads."""
    return [selectinload(Risk.owner), selectinload(Risk.account), selectinload(Risk.opportunity)]


def visible_risks_stmt(*, viewer: Any, account_id: int | None = None, opportunity_id: int | None = None,
                       status: RiskStatus | None = None) -> Select[tuple[Risk]]:
    """SELECT of the risks `viewer` may see; open first, by due date (undated last), then newest."""
    stmt = (select(Risk).join(Risk.account).where(policy.risk_visible_clause(viewer))
            .order_by(Risk.status != RiskStatus.OPEN, Risk.due_on.is_(None), Risk.due_on, Risk.id.desc()))
    if account_id is not None:
        stmt = stmt.where(Risk.account_id == account_id)
    else:
        stmt = stmt.where(Account.archived_at.is_(None))
    if opportunity_id is not None:
        stmt = stmt.where(Risk.opportunity_id == opportunity_id)
    if status is not None:
        stmt = stmt.where(Risk.status == status)
    return stmt


def _validate(risk: Risk | None, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    clean = {
        "description": check.text(data.get("description"), "description", DESCRIPTION_MAX, errors,
                                  required=True),
        "owner_id": check.active_user(data.get("owner_id"), "owner_id", errors,
                                      keep=risk.owner_id if risk is not None else None),
        "due_on": check.day(data.get("due_on"), "due_on", errors),
        "status": check.choice(RiskStatus, data.get("status") or RiskStatus.OPEN, "status", errors),
        "resolution": check.text(data.get("resolution"), "resolution", RESOLUTION_MAX, errors),
    }
    if clean["status"] == RiskStatus.RESOLVED and not clean["resolution"]:
        errors["resolution"] = _("Say how the risk was resolved.")
    check.raise_if(errors)
    return clean


def _apply(risk: Risk, clean: dict[str, Any], author: User) -> None:
    was = risk.status
    for key, value in clean.items():
        setattr(risk, key, value)
    if risk.status == RiskStatus.RESOLVED and was != RiskStatus.RESOLVED:
        risk.resolved_on = clock.today()
    elif risk.status == RiskStatus.OPEN:
        risk.resolved_on = None
    risk.touch(author.id)


def create_risk(*, author: User, account: Account | None = None, opportunity: Opportunity | None = None,
                **fields: Any) -> Risk:
    """Record a risk of `opportunity` (its account too) or of `account`; fields as in FIELDS.

    Raises AccountArchived / PermissionDenied (an opportunity's editors, else the account's) and
    ValidationFailed (description required; resolving needs a resolution; real dates; active owner).
    """
    if (account is None) == (opportunity is None):
        raise TypeError("give an account or an opportunity")
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown risk fields: {sorted(unknown)}")
    if opportunity is not None:
        policy.check_may_edit_opportunity(author, opportunity)
        account_id = opportunity.account_id
    else:
        policy.check_may_edit_account(author, account)
        account_id = account.id
    clean = _validate(None, fields)
    risk = Risk(account_id=account_id, opportunity=opportunity)
    session.add(risk)
    _apply(risk, clean, author)
    session.flush()
    logger.info("risk %s recorded on account %s by user %s", risk.id, account_id, author.id)
    return risk


def update_risk(*, risk: Risk, author: User, base_version: int | None = None, **fields: Any) -> Risk:
    """Change the given fields of `risk`. Raises AccountArchived / PermissionDenied, Conflict(current=risk)
    on a stale `base_version` (None: not checked), ValidationFailed (as create_risk)."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown risk fields: {sorted(unknown)}")
    policy.check_may_edit_risk(author, risk)
    current = {name: getattr(risk, name) for name in FIELDS}
    current.update(fields)
    clean = _validate(risk, current)
    claim_version(risk, base_version, _("Someone saved this risk while you were editing it."), bump=False)
    _apply(risk, clean, author)
    settle_version(risk)  # nothing changed: version kept
    session.flush()
    return risk


def open_risks(*, viewer: Any, account_id: int, limit: int) -> list[Risk]:
    """Up to `limit` open risks of the account that `viewer` may see, by due date."""
    stmt = visible_risks_stmt(viewer=viewer, account_id=account_id, status=RiskStatus.OPEN)
    return list(session.scalars(stmt.options(*risk_options()).limit(limit)))
