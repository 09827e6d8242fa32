"""An account's last activity: the day someone last worked on it (a visit, a plan save, an edit of the account).

The account list's "last activity" column uses this instead of the account record's own `updated_at`, which
stays years old while the team visits the customer every month.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import func, select

from kb import clock, policy
from kb.db import session
from models import Account, AccountPlan, Interaction


def last_activity(*, account_ids: Iterable[int], reader: Any) -> dict[int, date]:
    """Latest of: the account's own edit, its plans' saves, and the past visits `reader` may see (by visit date).

    Team-only visits of other teams do not count for a reader outside the team (their dates are team content).
    Three grouped queries, whatever the number of accounts.
    """
    ids = list(account_ids)
    if not ids:
        return {}
    latest: dict[int, date] = {}

    def keep(account_id: int, when: Any) -> None:
        if when is not None:
            day = clock.local_date(when)
            latest[account_id] = max(latest.get(account_id, day), day)

    for account_id, when in session.execute(select(Account.id, Account.updated_at).where(Account.id.in_(ids))):
        keep(account_id, when)
    for account_id, when in session.execute(
            select(AccountPlan.account_id, func.max(AccountPlan.updated_at))
            .where(AccountPlan.account_id.in_(ids)).group_by(AccountPlan.account_id)):
        keep(account_id, when)
    for account_id, when in session.execute(
            select(Interaction.account_id, func.max(Interaction.occurred_on))
            .where(Interaction.account_id.in_(ids), Interaction.archived_at.is_(None),
                   Interaction.occurred_on <= clock.today(), policy.interaction_visible_clause(reader))
            .group_by(Interaction.account_id)):
        keep(account_id, when)
    return latest
