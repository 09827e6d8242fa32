"""What the home page and the team dashboard show of each account's current plan — how many of the five
answers are given and which are stale — read as plain rows, without building the plans (issue 9).

The rule is kb.services.plan_states' (`answer_flags`: the account list's and the plan page's rule); only the
reading differs: building every current plan whole, with its decision-maker links as stakeholder objects,
for the 50 accounts of a team was a large part of the home page at 2,000 accounts. Here one statement reads
the plans' periods, answer texts, `field_changes`, save times and whether they link a decision-maker (an
EXISTS, not the links), and the current plan of each account is picked from them. Read-only.
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


def current_plan_figures(account_ids: Iterable[int], *, today: date,
                         stale_after_days: int) -> dict[int, PlanFigures]:
    """{account id: PlanFigures of its current plan (its latest period, kb.services.plans.period_sort_key)}
    for the accounts that have a plan: ONE statement whatever the number of accounts, plans and periods
    (issue 9: on PostgreSQL each statement is a round trip; the current plans' ids were read first). Every
    plan of the accounts is read (two or three per account, a few hundred characters each) and only the
    current one's figures are worked out. `today` is the user's day (kb.clock.today()); `stale_after_days` the
    STALE_AFTER_DAYS setting (days). Raises nothing."""
    ids = list(account_ids)
    if not ids:
        return {}
    linked = exists().where(plan_decision_maker.c.plan_id == AccountPlan.id)
    columns = [getattr(AccountPlan, key) for key in ANSWER_FIELDS]
    current: dict[int, tuple[tuple[int, int, int], Any]] = {}
    for row in session.execute(
            select(AccountPlan.id, AccountPlan.account_id, AccountPlan.period, AccountPlan.field_changes,
                   AccountPlan.updated_at, AccountPlan.created_at, linked, *columns)
            .where(in_ids(AccountPlan.account_id, ids)).order_by(AccountPlan.id)):
        key = period_sort_key(row[2])
        if row[1] not in current or key > current[row[1]][0]:  # the first of equal periods, as before
            current[row[1]] = (key, row)
    return {account_id: _figures(row, today, stale_after_days) for account_id, (_key, row) in current.items()}


def _figures(row: Any, today: date, stale_after_days: int) -> PlanFigures:
    """PlanFigures of one plan's row (see current_plan_figures)."""
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
    return PlanFigures(plan_id, account_id, period, answered, tuple(stale))
