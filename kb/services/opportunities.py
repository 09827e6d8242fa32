"""Opportunities (机会点, LTC "MO"): stages with their history, closing, and must-win key projects (山头项目).

Every stage change is a row (`OpportunityStageChange`: from, to, who, when), so stage durations and the
sales decision cycle (opening → close, in days) are computed here, never typed. Closing (won, lost or
abandoned, always with a reason) moves the opportunity to the `closed` stage and ends its project
triangle's seats (kb.services.opportunity_seats; the seats stay as history). A key project carries a light
(green/yellow/red) with its reason, an owner and a next review date; each light set is kept as history.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from models import (
    Account, KeyProjectLightChange, Lead, Light, Opportunity, OpportunitySeat, OpportunityStage,
    OpportunityStageChange, OpportunityStatus, Stakeholder, User, Visibility,
)

from .. import clock, policy
from ..db import session
from . import ltc_checks as check
from .opening_triangle import check_opening_seats, form_opening_triangle
from .opportunity_seats import end_all_seats
from .versioning import claim_version, settle_version

logger = logging.getLogger(__name__)

NAME_MAX = 200
TEXT_MAX = 20_000
SHORT_MAX = 500
#: The stages an open opportunity moves through, in order (closing is done by choosing a status).
OPEN_STAGES = (OpportunityStage.VALIDATE, OpportunityStage.PRE_BID, OpportunityStage.BID,
               OpportunityStage.NEGOTIATION)
FIELDS = ("name", "stage", "status", "close_reason", "amount", "currency", "expected_close_on",
          "win_probability", "competitors", "solution", "notes", "visibility", "stakeholder_ids",
          "key_project", "light", "light_reason", "key_owner_id", "next_review_on")


def opportunity_options() -> list[Any]:
    """Loader options for pages and lists: account, stakeholders, seats, history, without lazy loads."""
    return [
        selectinload(Opportunity.account), selectinload(Opportunity.stakeholders),
        selectinload(Opportunity.seats).selectinload(OpportunitySeat.user),
        selectinload(Opportunity.stage_changes).selectinload(OpportunityStageChange.changed_by),
        selectinload(Opportunity.light_changes).selectinload(KeyProjectLightChange.changed_by),
        selectinload(Opportunity.key_owner), selectinload(Opportunity.lead),
    ]


def visible_opportunities_stmt(*, viewer: Any, account_id: int | None = None, group_id: int | None = None,
                               stage: OpportunityStage | None = None, status: OpportunityStatus | None = None,
                               key_project: bool | None = None) -> Select[tuple[Opportunity]]:
    """SELECT of the opportunities `viewer` may see, with the given filters; open ones first, then by
    expected close date. Without `account_id`, opportunities of archived accounts are left out."""
    stmt = (select(Opportunity).join(Opportunity.account).where(policy.opportunity_visible_clause(viewer))
            .order_by((Opportunity.status != OpportunityStatus.OPEN), Opportunity.expected_close_on.is_(None),
                      Opportunity.expected_close_on, Opportunity.id.desc()))
    if account_id is not None:
        stmt = stmt.where(Opportunity.account_id == account_id)
    else:
        stmt = stmt.where(Account.archived_at.is_(None))
    if group_id is not None:
        stmt = stmt.where(Account.customer_group_id == group_id)
    if stage is not None:
        stmt = stmt.where(Opportunity.stage == stage)
    if status is not None:
        stmt = stmt.where(Opportunity.status == status)
    if key_project is not None:
        stmt = stmt.where(Opportunity.key_project.is_(key_project))
    return stmt


def _stakeholders(ids: Any, account_id: int, errors: dict[str, str]) -> list[Stakeholder]:
    if not isinstance(ids, (list, tuple)) or any(isinstance(i, bool) or not isinstance(i, int) for i in ids):
        errors["stakeholder_ids"] = _("Unknown id.")
        return []
    ids = list(dict.fromkeys(ids))[:200]
    found = list(session.scalars(select(Stakeholder).where(Stakeholder.id.in_(ids)))) if ids else []
    if len(found) != len(ids) or any(s.account_id != account_id for s in found):
        errors["stakeholder_ids"] = _("Choose stakeholders of this account.")
    return found


def _validate(opportunity: Opportunity | None, account_id: int, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {
        "name": check.text(data.get("name"), "name", NAME_MAX, errors, required=True),
        "stage": check.choice(OpportunityStage, data.get("stage") or OpportunityStage.VALIDATE, "stage",
                              errors),
        "status": check.choice(OpportunityStatus, data.get("status") or OpportunityStatus.OPEN, "status",
                               errors),
        "close_reason": check.text(data.get("close_reason"), "close_reason", SHORT_MAX, errors),
        "amount": check.amount(data.get("amount"), "amount", errors),
        "currency": check.currency(data.get("currency"), "currency", errors),
        "expected_close_on": check.day(data.get("expected_close_on"), "expected_close_on", errors),
        "win_probability": check.percent(data.get("win_probability"), "win_probability", errors),
        "competitors": check.text(data.get("competitors"), "competitors", SHORT_MAX, errors),
        "solution": check.text(data.get("solution"), "solution", TEXT_MAX, errors),
        "notes": check.text(data.get("notes"), "notes", TEXT_MAX, errors),
        "visibility": check.choice(Visibility, data.get("visibility") or Visibility.ORG, "visibility",
                                   errors),
        "stakeholders": _stakeholders(data.get("stakeholder_ids") or [], account_id, errors),
        "key_project": bool(data.get("key_project")),
        "light": check.choice(Light, data["light"], "light", errors) if data.get("light") else None,
        "light_reason": check.text(data.get("light_reason"), "light_reason", SHORT_MAX, errors),
        "key_owner_id": check.active_user(data.get("key_owner_id"), "key_owner_id", errors,
                                          keep=opportunity.key_owner_id if opportunity else None),
        "next_review_on": check.day(data.get("next_review_on"), "next_review_on", errors),
    }
    _check_stage_rules(opportunity, clean, errors)
    if clean["key_project"] and clean["light"] is None and "light" not in errors:
        errors["light"] = _("A key project needs a traffic light.")
    light_changed = clean["light"] is not None and (
        opportunity is None or clean["light"] != opportunity.light)
    if clean["key_project"] and light_changed and not clean["light_reason"]:
        errors["light_reason"] = _("Say why the light is %(light)s.", light=_light_word(clean["light"]))
    elif (clean["key_project"] and light_changed and opportunity is not None and opportunity.light is not None
          and clean["light_reason"] == opportunity.light_reason):
        errors["light_reason"] = _("The light changed: give a new reason for %(light)s.",
                                   light=_light_word(clean["light"]))
    check.raise_if(errors)
    return clean


def _light_word(light: Light | None) -> str:
    return {Light.GREEN: _("green"), Light.YELLOW: _("yellow"), Light.RED: _("red")}.get(light, "")


def _check_stage_rules(opportunity: Opportunity | None, clean: dict[str, Any],
                       errors: dict[str, str]) -> None:
    status, stage = clean["status"], clean["stage"]
    if status is None or stage is None:
        return
    was_closed = opportunity is not None and opportunity.is_closed
    if was_closed:
        if status != opportunity.status or stage != opportunity.stage:
            errors["status"] = _("This opportunity is closed; its stage and status no longer change.")
        return
    if status == OpportunityStatus.OPEN and stage == OpportunityStage.CLOSED:
        errors["stage"] = _("To close an opportunity choose won, lost or abandoned as its status.")
    if status != OpportunityStatus.OPEN:
        clean["stage"] = OpportunityStage.CLOSED
        if not clean["close_reason"]:
            errors["close_reason"] = _("Say why the opportunity is won, lost or abandoned.")


def _record_stage(opportunity: Opportunity, before: OpportunityStage | None, author: User,
                  today: date) -> None:
    session.add(OpportunityStageChange(
        opportunity=opportunity, from_stage=before, to_stage=opportunity.stage, status=opportunity.status,
        changed_on=today, changed_by_id=author.id))


def _apply(opportunity: Opportunity, clean: dict[str, Any], author: User) -> None:
    today = clock.today()
    before_stage, before_light = opportunity.stage, opportunity.light
    was_open = opportunity.id is None or opportunity.status == OpportunityStatus.OPEN  # new: status unset yet
    closing = was_open and clean["status"] != OpportunityStatus.OPEN
    for key, value in clean.items():
        setattr(opportunity, key, value)
    if opportunity.id is None or opportunity.stage != before_stage:
        _record_stage(opportunity, None if opportunity.id is None else before_stage, author, today)
    if closing:
        opportunity.closed_on = today
        end_all_seats(opportunity=opportunity, day=today, author=author)
    if opportunity.key_project and opportunity.light is not None and (
            opportunity.id is None or opportunity.light != before_light):
        session.add(KeyProjectLightChange(opportunity=opportunity, light=opportunity.light,
                                          reason=opportunity.light_reason, changed_on=today,
                                          changed_by_id=author.id))
    opportunity.touch(author.id)


def create_opportunity(*, account: Account, author: User, lead: Lead | None = None,
                       seats: Mapping[str, Any] | None = None, **fields: Any) -> Opportunity:
    """Open an opportunity on `account` (fields as in FIELDS; `lead`: the lead it comes from). `seats`
    (``{"AR": user_id | None, "SR": …, "FR": …}``, None = none) forms its project iron triangle from the
    opening day, in the same transaction (kb.services.opening_triangle; errors on ``seats.AR`` etc.).

    Its opening is the first stage-change row (today, by `author`). Raises AccountArchived /
    PermissionDenied (kb.policy.check_may_edit_account) and ValidationFailed (name required, amounts
    non-negative with two decimals, win probability 0–100, real dates, closing needs a reason, a key
    project needs a light and the light's reason).
    """
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown opportunity fields: {sorted(unknown)}")
    policy.check_may_edit_account(author, account)
    clean = _validate(None, account.id, fields)
    chosen = check_opening_seats(seats or {})
    opportunity = Opportunity(account_id=account.id, account=account, lead=lead, opened_on=clock.today(),
                              stage_changes=[], light_changes=[], seats=[])
    session.add(opportunity)
    _apply(opportunity, clean, author)
    session.flush()
    form_opening_triangle(opportunity=opportunity, author=author, seats=chosen)
    logger.info("opportunity %s opened on account %s by user %s", opportunity.id, account.id, author.id)
    return opportunity


def update_opportunity(*, opportunity: Opportunity, author: User, base_version: int | None = None,
                       **fields: Any) -> Opportunity:
    """Change the given fields (others keep their value). A new stage is recorded with who and when;
    a status of won/lost/abandoned closes the opportunity (stage `closed`, `closed_on` today) and ends its
    project triangle; a new light of a key project is recorded with its reason, which must be given anew
    (the previous light's reason kept unchanged is refused on `light_reason`).

    Raises AccountArchived / PermissionDenied (kb.policy.check_may_edit_opportunity: account team,
    project triangle, admins), Conflict(current=opportunity) when `base_version` (None: not checked) is no
    longer the stored one, ValidationFailed (rules as for create; a closed opportunity's stage and status
    no longer change).
    """
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown opportunity fields: {sorted(unknown)}")
    policy.check_may_edit_opportunity(author, opportunity)
    current: dict[str, Any] = {name: getattr(opportunity, name) for name in FIELDS
                               if name != "stakeholder_ids"}
    current["stakeholder_ids"] = [s.id for s in opportunity.stakeholders]
    current.update(fields)
    clean = _validate(opportunity, opportunity.account_id, current)
    claim_version(opportunity, base_version, _("Someone saved this opportunity while you were editing it."),
                  bump=False)
    _apply(opportunity, clean, author)
    settle_version(opportunity)  # nothing changed: version kept
    session.flush()
    return opportunity


@dataclass(frozen=True)
class StageSpan:
    """How long an opportunity stood in one stage: from `started_on` to `ended_on` (None: still there)."""

    stage: OpportunityStage
    started_on: date
    ended_on: date | None
    days: int
    changed_by: User | None


def stage_spans(opportunity: Opportunity, today: date | None = None) -> list[StageSpan]:
    """The stages the opportunity went through, in order, with their durations in days (computed from
    the stage-change rows; the open stage counts up to `today`, default kb.clock.today()). The closed
    stage is the end, not a span, and is left out."""
    today = today or clock.today()
    changes = sorted(opportunity.stage_changes, key=lambda c: (c.changed_on, c.id))
    spans = []
    for i, change in enumerate(changes):
        if change.to_stage == OpportunityStage.CLOSED:
            continue
        until = changes[i + 1].changed_on if i + 1 < len(changes) else None
        days = ((until or today) - change.changed_on).days
        spans.append(StageSpan(change.to_stage, change.changed_on, until, max(days, 0), change.changed_by))
    return spans


def decision_cycle_days(opportunity: Opportunity) -> int | None:
    """The sales decision cycle: days from opening to close; None while the opportunity is open."""
    if opportunity.closed_on is None:
        return None
    return (opportunity.closed_on - opportunity.opened_on).days
