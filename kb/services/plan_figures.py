"""What the home page and the team dashboard show of each account's current plan — how many of the five
answers are given and which are stale — read as plain rows, without building the plans (issue 9).

The rule is kb.services.plan_states' (`answer_flags`: the account list's and the plan page's rule); only the
reading differs: building every current plan whole, with its decision-maker links as stakeholder objects,
for the 50 accounts of a team was a large part of the home page at 2,000 accounts. Here two statements read
the periods, then the current plans' answer texts, `field_changes`, save times and whether they link a
decision-maker (an EXISTS, not the links). Read-only.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import exists, select

from models import ANSWER_FIELDS, AccountPlan, plan_decision_maker

from ..db import session
from ..id_lists import in_ids
from ..labels import ANSWER_LABELS
from .plan_states import answer_flags
from .plans import period_sort_key


@dataclass(frozen=True)
class StaleAnswer:
    """One stale answer of a plan as the lists show it: its key and its label (translated lazily)."""

    key: str
    label: Any


@dataclass(frozen=True)
class PlanFigures:
    """An account's current plan as the lists show it: `id` and `period` (to link it), `answered` (0..5)
    and its stale answers in the order of the five questions."""

    id: int
    account_id: int
    period: str
    answered: int
    stale: tuple[StaleAnswer, ...]


def _current_plan_ids(ids: list[int]) -> list[int]:
    """Ids of the current (latest-period, kb.services.plans.period_sort_key) plan of each account."""
    latest: dict[int, tuple[tuple[int, int, int], int]] = {}
    for plan_id, account_id, period in session.execute(
            select(AccountPlan.id, AccountPlan.account_id, AccountPlan.period)
            .where(in_ids(AccountPlan.account_id, ids)).order_by(AccountPlan.id)):
        key = period_sort_key(period)
        if account_id not in latest or key > latest[account_id][0]:
            latest[account_id] = (key, plan_id)
    return [plan_id for _key, plan_id in latest.values()]


def current_plan_figures(account_ids: Iterable[int], *, today: date,
                         stale_after_days: int) -> dict[int, PlanFigures]:
    """{account id: PlanFigures of its current plan} for the accounts that have a plan: two statements
    whatever the number of accounts, plans and periods. `today` is the user's day (kb.clock.today());
    `stale_after_days` the STALE_AFTER_DAYS setting (days). Raises nothing."""
    ids = list(account_ids)
    plan_ids = _current_plan_ids(ids) if ids else []
    if not plan_ids:
        return {}
    linked = exists().where(plan_decision_maker.c.plan_id == AccountPlan.id)
    columns = [getattr(AccountPlan, key) for key in ANSWER_FIELDS]
    result = {}
    for row in session.execute(
            select(AccountPlan.id, AccountPlan.account_id, AccountPlan.period, AccountPlan.field_changes,
                   AccountPlan.updated_at, AccountPlan.created_at, linked, *columns)
            .where(in_ids(AccountPlan.id, plan_ids))):
        plan_id, account_id, period, changes, updated_at, created_at, has_links, *texts = row
        answered, stale = 0, []
        for key, text in zip(ANSWER_FIELDS, texts):
            given, old, _at, _by = answer_flags(
                key=key, text=text or "", changes=changes if isinstance(changes, dict) else {},
                saved_at=updated_at or created_at, has_links=bool(has_links), today=today,
                stale_after_days=stale_after_days)
            answered += given
            if old:
                stale.append(StaleAnswer(key, ANSWER_LABELS[key]))
        result[account_id] = PlanFigures(plan_id, account_id, period, answered, tuple(stale))
    return result
