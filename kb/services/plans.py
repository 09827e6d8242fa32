"""Account plans (客户规划): reading the five 30-second answers, saving with revisions and conflict checks.

Every save writes a full-content `PlanRevision`; `plan.version` always equals the latest revision number,
so a form carrying an older version is an edit conflict. Diffs live in `plan_diff.py`.
"""
from __future__ import annotations

import logging
import re
from typing import Any, NamedTuple

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from models import ANSWER_FIELDS, SECTION_KEYS, Account, AccountPlan, PlanRevision, PlanStatus, Stakeholder, User, utcnow

from .. import clock, policy
from ..db import session
from . import plan_targets
from .errors import Conflict, ServiceError, ValidationFailed
from .plan_states import (  # noqa: F401  (re-exported: callers import them from kb.services.plans)
    STALE_AFTER_DAYS, AnswerState, answer_states, changed_by_users, completeness, parse_iso, section_states,
    stale_count,
)
from .versioning import claim_version

logger = logging.getLogger(__name__)

PERIOD_RE = re.compile(r"^(?:FY)?(\d{4})(?:(H[12])|(Q[1-4]))?$")
MAX_PERIOD = 20
#: The years a plan period may name (an account plan is for the years around now, not FY0001 or FY9999).
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_TEXT = 20_000
MAX_COMMENT = 500
#: Last month of each sub-period, to order periods ("latest period" = latest end, then shortest span).
_PERIOD_END = {None: 12, "H1": 6, "H2": 12, "Q1": 3, "Q2": 6, "Q3": 9, "Q4": 12}


class RevisionNotFound(ServiceError):
    """No revision with that number in this plan."""

    status = 404


# --- periods -------------------------------------------------------------------------------------------

def normalise_period(text: str | None) -> str:
    """Upper-case, trimmed form of a period (``fy2027`` → ``FY2027``)."""
    return (text or "").strip().upper()


def valid_period(text: str | None) -> bool:
    """Whether `text` looks like FY2027, 2027, 2027H1 or 2027Q3 (case-insensitive, ≤ 20 chars) with a year
    from MIN_YEAR to MAX_YEAR."""
    period = normalise_period(text)
    match = PERIOD_RE.match(period) if len(period) <= MAX_PERIOD else None
    return match is not None and MIN_YEAR <= int(match.group(1)) <= MAX_YEAR


def period_sort_key(period: str) -> tuple[int, int, int]:
    """Order periods by year, then end month; a full year sorts after its last quarter/half."""
    match = PERIOD_RE.match(normalise_period(period))
    if match is None:
        return (0, 0, 0)
    sub = match.group(2) or match.group(3)
    return (int(match.group(1)), _PERIOD_END[sub], 1 if sub is None else 0)


# --- reading -------------------------------------------------------------------------------------------

def _plan_options() -> list[Any]:
    return [selectinload(AccountPlan.decision_maker_links), selectinload(AccountPlan.updated_by)]


def get_plan(*, account_id: int, period: str) -> AccountPlan | None:
    """The plan of `account_id` for `period` (case-insensitive), decision makers loaded; None if missing."""
    period = normalise_period(period)
    if not valid_period(period):
        return None
    return session.scalar(
        select(AccountPlan).where(AccountPlan.account_id == account_id, AccountPlan.period == period)
        .options(*_plan_options())
    )


def list_plans(*, account_id: int) -> list[AccountPlan]:
    """All plans of an account, latest period first."""
    plans = session.scalars(
        select(AccountPlan).where(AccountPlan.account_id == account_id).options(*_plan_options())
    ).all()
    return sorted(plans, key=lambda p: period_sort_key(p.period), reverse=True)


class PlanPeriod(NamedTuple):
    """A plan as a list of an account's periods names it (the plan page's "Other periods")."""

    id: int
    period: str


def plan_periods(*, account_id: int) -> list[PlanPeriod]:
    """The periods of an account's plans, latest first (as `list_plans` orders them): one statement that reads
    two columns, not whole plans with their decision-makers and authors (issue 9: the plan page read every
    plan of the account whole to print their periods)."""
    rows = session.execute(select(AccountPlan.id, AccountPlan.period)
                           .where(AccountPlan.account_id == account_id))
    return sorted((PlanPeriod(i, period) for i, period in rows), key=lambda p: period_sort_key(p.period),
                  reverse=True)


def current_plan(*, account_id: int) -> AccountPlan | None:
    """The account's plan with the latest period (FY2028 after 2027Q4), or None."""
    plans = list_plans(account_id=account_id)
    return plans[0] if plans else None


def plan_content(plan: AccountPlan) -> dict[str, Any]:
    """The full content of a plan as a revision stores it."""
    content: dict[str, Any] = {key: getattr(plan, key) or "" for key in ANSWER_FIELDS}
    content["sections"] = {key: (plan.sections or {}).get(key, "") for key in SECTION_KEYS}
    content["decision_maker_ids"] = sorted(s.id for s in plan.decision_maker_links)
    content["status"] = plan.status.value if plan.status else PlanStatus.DRAFT.value
    content["period"] = plan.period
    content["targets"] = plan_targets.targets_content(plan)
    return content


def list_revisions(plan: AccountPlan) -> list[PlanRevision]:
    """The plan's revisions, newest first, authors loaded."""
    return list(session.scalars(
        select(PlanRevision).where(PlanRevision.plan_id == plan.id)
        .options(selectinload(PlanRevision.author)).order_by(PlanRevision.number.desc())
    ))


def get_revision(plan: AccountPlan, number: int) -> PlanRevision:
    """Revision `number` of `plan`; raises RevisionNotFound."""
    revision = session.scalar(
        select(PlanRevision).where(PlanRevision.plan_id == plan.id, PlanRevision.number == number)
    )
    if revision is None:
        raise RevisionNotFound(_("This plan has no revision #%(n)s.", n=number))
    return revision


def diff_revisions(plan: AccountPlan, a: int, b: int) -> list[Any]:
    """Per-field diff (list of plan_diff.FieldDiff) from revision `a` to `b`; raises RevisionNotFound."""
    from .plan_diff import diff_contents

    return diff_contents(get_revision(plan, a).content or {}, get_revision(plan, b).content or {})


# --- writing -------------------------------------------------------------------------------------------

def _clean_text(value: Any) -> str:
    text = "" if value is None else str(value)
    return text.replace("\r\n", "\n").replace("\r", "\n").rstrip().lstrip("\n")


def _check_texts(answers: dict[str, str], sections: dict[str, str], comment: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    for key in [*answers, *sections]:
        if key not in ANSWER_FIELDS and key not in SECTION_KEYS:
            errors[key] = _("Unknown plan field.")
    for key, text in [*answers.items(), *sections.items()]:
        if len(text) > MAX_TEXT:
            errors[key] = _("Keep this under %(n)d characters (now %(len)d).", n=MAX_TEXT, len=len(text))
    if len(comment) > MAX_COMMENT:
        errors["comment"] = _("Keep the comment under %(n)d characters.", n=MAX_COMMENT)
    return errors


def _decision_makers(account: Account, ids: list[int]) -> tuple[list[Stakeholder], dict[str, str]]:
    wanted = sorted({int(i) for i in ids})
    if not wanted:
        return [], {}
    found = list(session.scalars(
        select(Stakeholder).where(Stakeholder.id.in_(wanted), Stakeholder.account_id == account.id)
    ))
    if len(found) != len(wanted):
        return found, {"decision_maker_ids": _("Decision-makers must be stakeholders of this account.")}
    return found, {}


def _raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationFailed(next(iter(errors.values())), errors)


def _next_number(plan: AccountPlan) -> int:
    if plan.id is None:
        return 1
    current = session.scalar(select(func.max(PlanRevision.number)).where(PlanRevision.plan_id == plan.id))
    return (current or 0) + 1


def _claim(plan: AccountPlan, base_version: int | None, message: str) -> None:
    """Raise Conflict unless the stored version is still `base_version`, checked while taking the plan.

    The version read earlier may already be outdated by a save committed since. The conditional UPDATE of
    `claim_version` changes nothing here (`bump=False`: the version is the revision number, set by `_apply`);
    it only matches while the version is unchanged, and it holds the row (PostgreSQL) or the database
    (SQLite) until the request ends, so two simultaneous saves of one version cannot both pass.
    """
    claim_version(plan, base_version or 0, message, bump=False)


def _insert(plan: AccountPlan) -> None:
    """Insert a new plan; another request creating the same account/period first is a Conflict."""
    try:
        # A savepoint: only this insert is undone (the caller's transaction stays usable to read the winner).
        with session.begin_nested():
            session.add(plan)
            session.flush()
    except IntegrityError:
        existing = get_plan(account_id=plan.account_id, period=plan.period)
        raise Conflict(_("Someone created this plan at the same moment."), current=existing) from None


def _write_fields(plan: AccountPlan, content: dict[str, Any], links: list[Stakeholder], author: User,
                  is_new: bool) -> bool:
    """Copy the changed parts of `content` into `plan`, stamping `field_changes`; True if anything changed."""
    stamp = {"by": author.id, "at": utcnow().isoformat()}
    changes = dict(plan.field_changes or {})
    changed = [k for k in ANSWER_FIELDS if (getattr(plan, k) or "") != content[k]]
    for key in changed:
        setattr(plan, key, content[key])
    old_sections = plan.sections or {}
    changed_sections = [k for k in SECTION_KEYS if old_sections.get(k, "") != content["sections"][k]]
    if changed_sections:
        plan.sections = dict(content["sections"])
    changed += changed_sections
    if is_new or sorted(s.id for s in plan.decision_maker_links) != content["decision_maker_ids"]:
        plan.decision_maker_links = links
        if content["decision_maker_ids"] or not is_new:
            changed.append("decision_maker_ids")
    changes.update({key: dict(stamp) for key in changed})
    if "targets" in content and plan_targets.write_targets(plan, content["targets"]):
        changed.append("targets")
    status = PlanStatus(content["status"])
    status_changed = plan.status != status
    if status_changed:
        plan.reviewed_on = clock.today() if status == PlanStatus.REVIEWED else plan.reviewed_on
        plan.status = status
    if changed:
        plan.field_changes = changes
    return bool(changed) or status_changed


def _apply(plan: AccountPlan, *, author: User, content: dict[str, Any], links: list[Stakeholder],
           comment: str, restored_from: int | None = None, force: bool = False) -> bool:
    """Write `content` into `plan`; record a revision if anything changed (or a comment/`force`)."""
    is_new = plan.id is None
    changed = _write_fields(plan, content, links, author, is_new)
    if not (changed or comment or force or is_new):
        return False
    plan.touch(author.id)
    if is_new:
        _insert(plan)
    number = _next_number(plan)
    session.add(PlanRevision(plan_id=plan.id, number=number, content=plan_content(plan), comment=comment,
                             author_id=author.id, restored_from=restored_from))
    plan.version = number
    session.flush()
    logger.info("plan %s saved as revision %s by user %s", plan.id, number, author.id)
    return True


def save_plan(*, account: Account, period: str, author: User, base_version: int | None, answers: dict[str, str],
              sections: dict[str, str], decision_maker_ids: list[int], status: PlanStatus,
              comment: str = "", targets: list[dict[str, Any]] | None = None) -> AccountPlan:
    """Create or update the plan of `account` for `period`, writing a revision.

    Raises ValidationFailed (bad period, texts too long, decision-makers of another account) and
    Conflict(current=plan) when `base_version` is not the stored version. Saving without any change and
    without a comment records nothing (no revision, same version); a comment alone records a revision.
    `targets` (rows of metric, custom_name, unit, baseline, target, actual, gap_kind; checked by
    plan_targets.check_targets, messages keyed ``targets-<row>-<field>``) replace the plan's targets in
    order; None keeps them as they are. Raises AccountArchived / PermissionDenied
    (kb.policy.check_may_edit_account) before anything else.
    """
    policy.check_may_edit_account(author, account)
    period = normalise_period(period)
    answers = {k: _clean_text(v) for k, v in answers.items()}
    sections = {k: _clean_text(v) for k, v in sections.items()}
    comment = (comment or "").strip()
    errors = {} if valid_period(period) else {"period": _("Write the period like FY2027, 2027, 2027H1 or 2027Q3.")}
    errors.update(_check_texts(answers, sections, comment))
    links, dm_errors = _decision_makers(account, decision_maker_ids)
    errors.update(dm_errors)
    clean_targets = plan_targets.check_targets(targets, errors) if targets is not None else None
    _raise_if(errors)
    plan = get_plan(account_id=account.id, period=period)
    if plan is not None:
        _claim(plan, base_version, _("Someone saved this plan while you were editing it."))
    else:
        plan = AccountPlan(account_id=account.id, period=period, version=0, sections={}, field_changes={},
                           status=PlanStatus.DRAFT)
        for key in ANSWER_FIELDS:
            setattr(plan, key, "")
    content: dict[str, Any] = {key: answers.get(key, getattr(plan, key) or "") for key in ANSWER_FIELDS}
    content["sections"] = {key: sections.get(key, (plan.sections or {}).get(key, "")) for key in SECTION_KEYS}
    content["decision_maker_ids"] = sorted(s.id for s in links)
    content["status"] = PlanStatus(status).value
    if clean_targets is not None:
        content["targets"] = clean_targets
    _apply(plan, author=author, content=content, links=links, comment=comment)
    return plan


def restore_revision(*, plan: AccountPlan, number: int, author: User, base_version: int | None,
                     comment: str = "") -> AccountPlan:
    """Make revision `number`'s content current again, as a NEW revision recording `restored_from`.

    Raises RevisionNotFound, and Conflict(current=plan) if `base_version` is not the stored version.
    Decision-makers that no longer belong to the account are dropped. Raises AccountArchived /
    PermissionDenied (kb.policy.check_may_edit_account) first.
    """
    policy.check_may_edit_account(author, plan.account_id)
    revision = get_revision(plan, number)
    _claim(plan, base_version, _("Someone saved this plan after you opened its history."))
    old = revision.content or {}
    content: dict[str, Any] = {key: str(old.get(key) or "") for key in ANSWER_FIELDS}
    old_sections = old.get("sections") or {}
    content["sections"] = {key: str(old_sections.get(key) or "") for key in SECTION_KEYS}
    ids = [i for i in old.get("decision_maker_ids") or [] if isinstance(i, int)]
    links = list(session.scalars(
        select(Stakeholder).where(Stakeholder.id.in_(ids), Stakeholder.account_id == plan.account_id)
    )) if ids else []
    content["decision_maker_ids"] = sorted(s.id for s in links)
    content["status"] = old.get("status") if old.get("status") in {s.value for s in PlanStatus} else "draft"
    content["targets"] = plan_targets.restorable_targets(old)  # revisions before targets existed: none
    _apply(plan, author=author, content=content, links=links, comment=(comment or "").strip()[:MAX_COMMENT],
           restored_from=number, force=True)
    return plan
