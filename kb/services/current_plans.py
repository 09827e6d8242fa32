"""Each account's current plan (its latest period) and what the lists show of it: how complete it is and
which answers are stale (kb.services.plans' rule). Moved out of kb/services/accounts.py (which re-exports
these names) to keep modules small; read-only, no writes.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload

from models import Account, AccountPlan, plan_decision_maker

from .. import clock
from ..db import session
from . import plans


def current_plans(account_ids: Iterable[int]) -> dict[int, AccountPlan]:
    """The current (latest-period, kb.services.plans.period_sort_key) plan of each of these accounts that
    has one, with its decision-maker links: three statements whatever the number of accounts and periods.
    The periods are read first as plain rows, so only the current plans are built whole (issue 9: with
    several periods per account, older plans and their links were most of the home page's plan work)."""
    plan_ids = _current_plan_ids(account_ids)
    if not plan_ids:
        return {}
    rows = session.scalars(
        select(AccountPlan).where(AccountPlan.id.in_(plan_ids))
        # selectinload: a joinedload of the many-to-many made the database build the whole join
        .options(selectinload(AccountPlan.decision_maker_links)))
    return {plan.account_id: plan for plan in rows}


def _current_plan_ids(account_ids: Iterable[int]) -> list[int]:
    """The id of each account's current plan (latest period), from the periods read as plain rows."""
    ids = list(account_ids)
    if not ids:
        return []
    latest: dict[int, tuple[tuple[int, int, int], int]] = {}
    for plan_id, account_id, period in session.execute(
            select(AccountPlan.id, AccountPlan.account_id, AccountPlan.period)
            .where(AccountPlan.account_id.in_(ids)).order_by(AccountPlan.id)):
        key = plans.period_sort_key(period)
        if account_id not in latest or key > latest[account_id][0]:
            latest[account_id] = (key, plan_id)
    return [plan_id for _key, plan_id in latest.values()]


def plan_meters(account_ids: Iterable[int], *,
                stale_after_days: int = plans.STALE_AFTER_DAYS) -> tuple[dict[int, int], dict[int, int]]:
    """What `plan_status` gives (answered and stale answers, 0..5 each, of each account's current plan), in
    TWO statements for the account list: whether a plan links decision-makers is an EXISTS of the plan's row,
    so the linked people are not read nor built (issue 9: a third statement and most of the meters' work)."""
    ids = list(account_ids)
    plan_ids = _current_plan_ids(ids)
    links = exists().where(plan_decision_maker.c.plan_id == AccountPlan.id)
    current = ({plan.account_id: (plan, bool(linked)) for plan, linked in session.execute(
        select(AccountPlan, links).where(AccountPlan.id.in_(plan_ids)))} if plan_ids else {})
    today, answered, stale = clock.today(), {}, {}
    for account_id in ids:
        plan, linked = current.get(account_id, (None, False))
        answered[account_id] = plans.completeness(plan, has_links=linked)
        stale[account_id] = plans.stale_count(plan, today=today, stale_after_days=stale_after_days,
                                              has_links=linked)
    return answered, stale


def plan_completeness(account_ids: Iterable[int]) -> dict[int, int]:
    """Answered questions (0..5) of each account's current plan, in ONE query for all the accounts."""
    ids = list(account_ids)
    current = current_plans(ids)
    return {account_id: plans.completeness(current.get(account_id)) for account_id in ids}


def plan_status(account_ids: Iterable[int], *,
                stale_after_days: int = plans.STALE_AFTER_DAYS) -> tuple[dict[int, int], dict[int, int]]:
    """Answered and stale answers (0..5 each) of each account's current plan, in ONE query for all of them.

    A stale answer counts as answered too; the list marks it ("3/5 · 1 stale") rather than hiding it.
    """
    ids = list(account_ids)
    current = current_plans(ids)
    today = clock.today()
    answered = {account_id: plans.completeness(current.get(account_id)) for account_id in ids}
    stale = {account_id: plans.stale_count(current.get(account_id), today=today,
                                           stale_after_days=stale_after_days) for account_id in ids}
    return answered, stale


def stale_answers(accounts: list[Account], limit: int = 20, *,
                  stale_after_days: int = plans.STALE_AFTER_DAYS) -> list[tuple[Account, AccountPlan, list[Any]]]:
    """For up to `limit` accounts: their current plan and its answers unchanged for `stale_after_days`."""
    current = current_plans(a.id for a in accounts[:limit])
    users, today = plans.changed_by_users(current.values()), clock.today()  # one query, not one per plan
    result = []
    for account in accounts[:limit]:
        plan = current.get(account.id)
        stale = ([s for s in plans.answer_states(plan, today=today, stale_after_days=stale_after_days,
                                                 users=users) if s.stale]
                 if plan is not None else [])
        if stale:
            result.append((account, plan, stale))
    return result
