"""The five answers and the extra sections of an account plan as the pages show them: answered, stale (not
changed for STALE_AFTER_DAYS), who changed each last; and how complete a plan is. Moved out of
kb/services/plans.py (which re-exports these names) to keep modules small; read-only, no writes.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from models import ANSWER_FIELDS, SECTION_KEYS, AccountPlan, User

from .. import clock
from ..db import session
from ..labels import ANSWER_LABELS, ANSWER_QUESTIONS, SECTION_LABELS

#: Default for the STALE_AFTER_DAYS setting: an answer not changed for this many days is stale.
STALE_AFTER_DAYS = 365


@dataclass(frozen=True)
class AnswerState:
    """One of the five answers as the 30-second card shows it."""

    key: str
    label: Any
    question: Any
    text: str
    answered: bool
    stale: bool
    changed_at: datetime | None
    changed_by: User | None



def parse_iso(value: Any) -> datetime | None:
    """The datetime of an ISO string as stored in `field_changes`, or None."""
    try:
        return datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _changed_by_users(plan: AccountPlan | None) -> dict[int, User]:
    return changed_by_users([plan] if plan is not None else [])


def changed_by_users(plan_list: Iterable[AccountPlan]) -> dict[int, User]:
    """{user id: User} of everyone who last changed an answer or section of these plans, in ONE query."""
    user_ids = {c.get("by") for plan in plan_list for c in (plan.field_changes or {}).values()
                if isinstance(c, dict) and c.get("by")}
    return {u.id: u for u in session.scalars(select(User).where(User.id.in_(user_ids)))} if user_ids else {}


def answer_flags(*, key: str, text: str, changes: dict[str, Any] | None, saved_at: datetime | None,
                 has_links: bool, today: date, stale_after_days: int) -> tuple[bool, bool, datetime | None, Any]:
    """The one rule of an answer's state: (answered, stale, changed at, changed by user id) of answer `key`
    with text `text`, from the plan's `field_changes` (`changes`), its last save time (`saved_at`, for older
    data without field_changes) and whether it links decision-makers (`has_links`). Stale: answered and
    last changed more than `stale_after_days` days before `today` (the user's day). Raises nothing."""
    changes = changes or {}
    change = changes.get(key) if isinstance(changes.get(key), dict) else {}
    if key == "decision_makers" and not change and isinstance(changes.get("decision_maker_ids"), dict):
        change = changes["decision_maker_ids"]
    changed_at = parse_iso(change.get("at"))
    if changed_at is None and text.strip():
        changed_at = saved_at  # older data without field_changes
    answered = bool(text.strip()) or (key == "decision_makers" and has_links)
    changed_on = clock.local_date(changed_at) if changed_at is not None else None  # the user's day, not UTC's
    stale = answered and changed_on is not None and (today - changed_on) > timedelta(days=stale_after_days)
    return answered, stale, changed_at, change.get("by")


def _state(plan: AccountPlan | None, key: str, text: str, users: dict[int, User], today: date,
           stale_days: int, has_links: bool | None = None) -> AnswerState:
    answered, stale, changed_at, by = answer_flags(
        key=key, text=text, changes=(plan.field_changes or {}) if plan is not None else {},
        saved_at=(plan.updated_at or plan.created_at) if plan is not None else None,
        has_links=key == "decision_makers" and _has_links(plan, has_links), today=today, stale_after_days=stale_days)
    is_answer = key in ANSWER_FIELDS
    return AnswerState(key=key, label=(ANSWER_LABELS if is_answer else SECTION_LABELS)[key],
                       question=ANSWER_QUESTIONS[key] if is_answer else "", text=text, answered=answered,
                       stale=stale, changed_at=changed_at, changed_by=users.get(by))


def answer_states(plan: AccountPlan | None, *, today: date | None = None,
                  stale_after_days: int = STALE_AFTER_DAYS,
                  users: dict[int, User] | None = None) -> list[AnswerState]:
    """The five answers with answered/stale flags and who changed each last (one query for the users).

    An answer is stale when its text last changed more than `stale_after_days` (the STALE_AFTER_DAYS
    setting, which views pass in) days before `today`. `users` (from `changed_by_users` of several
    plans) saves the query when the caller shows many plans.
    """
    users = _changed_by_users(plan) if users is None else users
    today = today or clock.today()
    return [_state(plan, key, (getattr(plan, key) or "") if plan is not None else "", users, today,
                   stale_after_days) for key in ANSWER_FIELDS]


def stale_count(plan: AccountPlan | None, *, today: date | None = None,
                stale_after_days: int = STALE_AFTER_DAYS, has_links: bool | None = None) -> int:
    """How many of the five answers are stale (same rule as `answer_states`, without querying who wrote them);
    `has_links` as for `completeness`."""
    if plan is None:
        return 0
    today = today or clock.today()
    return sum(1 for key in ANSWER_FIELDS
               if _state(plan, key, getattr(plan, key) or "", {}, today, stale_after_days, has_links).stale)


def section_states(plan: AccountPlan, *, today: date | None = None,
                   stale_after_days: int = STALE_AFTER_DAYS,
                   users: dict[int, User] | None = None) -> list[AnswerState]:
    """The plan's extra sections (strategic intent, gaps, ...) in the same shape as `answer_states`; `users`
    (`changed_by_users` of the plan, as for `answer_states`) saves the query."""
    users, today = _changed_by_users(plan) if users is None else users, today or clock.today()
    sections = plan.sections or {}
    return [_state(plan, key, str(sections.get(key) or ""), users, today, stale_after_days)
            for key in SECTION_KEYS]


def _has_links(plan: AccountPlan | None, known: bool | None = None) -> bool:
    if known is not None:  # read by the caller (an EXISTS), so the links need not be loaded
        return plan is not None and known
    return plan is not None and bool(plan.decision_maker_links)


def completeness(plan: AccountPlan | None, *, has_links: bool | None = None) -> int:
    """How many of the five answers are filled in (0..5); linked decision-makers answer "who decides".
    `has_links`: whether the plan links decision-makers, when the caller read it (None: from the plan)."""
    if plan is None:
        return 0
    return sum(1 for key in ANSWER_FIELDS if (getattr(plan, key) or "").strip()
               or (key == "decision_makers" and _has_links(plan, has_links)))
