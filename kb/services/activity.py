"""An account's last activity: the day someone last worked on it (a visit, a plan save, an edit of the account).

The account list's "last activity" column uses this instead of the account record's own `updated_at`, which
stays years old while the team visits the customer every month.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import case, func, literal, select

from kb import clock, policy
from kb.db import session
from models import Account, AccountPlan, Interaction, Visibility


def _latest_visit(visibility: Visibility, reader: Any, today: date) -> Any:
    """The account row's latest not-archived visit of this visibility up to `today`, if `reader` may see
    such visits of the account (else NULL): a correlated subquery.

    Why one subquery per visibility: `ix_interaction_account_latest` (account, visibility, date,
    archived) then finds the answer with one backward index seek, whatever the number of visits. Filtering the
    account's visits by the visibility rule instead read every visit row of the account (on PostgreSQL,
    or on SQLite with the date in the WHERE): an account with a hundred team-only visits its reader may
    not see cost a hundred row reads (issue 9: 6–7 ms for a page of 25 accounts at 2,000 accounts).
    The rule itself is kb.policy's, asked about a visit of this visibility on the account row's account.
    """
    latest = (select(Interaction.occurred_on)
              .where(Interaction.account_id == Account.id, Interaction.visibility == visibility,
                     Interaction.archived_at.is_(None), Interaction.occurred_on <= today)
              .order_by(Interaction.occurred_on.desc()).limit(1)
              .correlate(Account).scalar_subquery())
    may_see = policy.team_only_clause(reader, literal(visibility, Interaction.visibility.type), Account.id)
    return case((may_see, latest))


def last_activity(*, account_ids: Iterable[int], reader: Any) -> dict[int, date]:
    """Latest of: the account's own edit, its plans' saves, and the past visits `reader` may see (by visit date).

    Team-only visits of other teams do not count for a reader outside the team (their dates are team content).
    ONE statement whatever the number of accounts and visits: the plans' and the visits' latest dates are
    correlated subqueries of the account row, each an index seek.
    """
    ids = list(account_ids)
    if not ids:
        return {}
    today = clock.today()
    plan_saved = (select(func.max(AccountPlan.updated_at)).where(AccountPlan.account_id == Account.id)
                  .correlate(Account).scalar_subquery())
    visits = [_latest_visit(visibility, reader, today) for visibility in Visibility]
    latest: dict[int, date] = {}
    for account_id, *times in session.execute(
            select(Account.id, Account.updated_at, plan_saved, *visits).where(Account.id.in_(ids))):
        days = [clock.local_date(when) for when in times if when is not None]
        if days:
            latest[account_id] = max(days)
    return latest
