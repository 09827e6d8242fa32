"""The dashboard's visit figures (home, group page): each account's latest visit the reader may see ("not
visited for N days") and its visits per month (the chart), in ONE statement (issue 9: on PostgreSQL every
statement is a round trip, and the two used to be two).

Team-only visits count only where kb.policy's team-only rule lets the reader see them, in both figures.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import case, extract, func, literal, null, select, union_all

from models import Account, Interaction, InteractionKind, Visibility

from .. import policy
from ..db import session
from ..id_lists import in_ids

#: What counts as a visit for "not visited" and the chart.
VISIT_KINDS = (InteractionKind.VISIT, InteractionKind.EXECUTIVE_MEETING)


def visits_stmt(ids: list[int], reader: Any, today: date) -> Any:
    """SELECT of the account ids of the not-archived visits of `ids` up to `today` that `reader` may see (one
    row per visit: add columns, filters and groups).

    Every visibility is named (always true) so that both databases seek ix_interaction_account_kind once per
    account, visibility and kind, then read only the dates asked for (the reader's rule is an OR that no
    index can seek)."""
    return select(Interaction.account_id).where(
        in_ids(Interaction.account_id, ids), Interaction.visibility.in_(list(Visibility)),
        Interaction.kind.in_(VISIT_KINDS), Interaction.occurred_on <= today,
        Interaction.archived_at.is_(None), policy.interaction_visible_clause(reader))


def _latest(visibility: Visibility, kind: InteractionKind, reader: Any, today: date) -> Any:
    """The account row's latest not-archived visit of this visibility and kind up to `today`, if `reader` may
    see such visits of the account (else NULL): a correlated subquery.

    Why this shape: ix_interaction_account_kind (account, visibility, kind, date, archived) gives it as one
    backward index seek, read index-only, on PostgreSQL too. With `archived_at IS NULL` before the date in
    the index (ix_interaction_account_visible), PostgreSQL cannot use the index order — an IS NULL is no
    equality to it — and read and sorted every visit of the account (issue 9); with two kinds in one
    subquery, it could not either."""
    newest = (select(Interaction.occurred_on)
              .where(Interaction.account_id == Account.id, Interaction.visibility == visibility,
                     Interaction.kind == kind, Interaction.occurred_on <= today,
                     Interaction.archived_at.is_(None))
              .order_by(Interaction.occurred_on.desc()).limit(1).correlate(Account).scalar_subquery())
    may_see = policy.team_only_clause(reader, literal(visibility, Interaction.visibility.type), Account.id)
    return case((may_see, newest))


def last_visits_and_months(*, ids: list[int], reader: Any, today: date, months: list[date]
                           ) -> tuple[dict[int, date], dict[int, list[int]]]:
    """({account id: its latest visit up to `today` the reader may see}, {account id: visits the reader may
    see per month of `months`, aligned with it}) for the accounts `ids`; accounts never visited are missing
    from the first. `months`: first days of months, oldest first (kb.services.dashboard.last_months).

    One statement, a UNION ALL of one row per account (its latest visit of each visibility and kind: one
    index seek each; no year or month) and the grouped counts per account and month over `months` (one
    index range per account, visibility and kind): the work follows the number of accounts and months, not
    of visits."""
    latest_columns = [_latest(visibility, kind, reader, today)
                      for visibility in Visibility for kind in VISIT_KINDS]
    per_account = select(Account.id, null(), null(), null(), *latest_columns).where(in_ids(Account.id, ids))
    year, month = extract("year", Interaction.occurred_on), extract("month", Interaction.occurred_on)
    per_month = (visits_stmt(ids, reader, today)
                 .add_columns(year, month, func.count(), *[null() for _ in latest_columns])
                 .where(Interaction.occurred_on >= months[0]).group_by(Interaction.account_id, year, month))
    index = {(m.year, m.month): i for i, m in enumerate(months)}
    latest: dict[int, date] = {}
    counts = {i: [0] * len(months) for i in ids}
    # (the per-account select comes first: its columns give the union's types, so dates are read as dates)
    for account_id, y, m, n, *days in session.execute(union_all(per_account, per_month)):
        if y is None:
            known = [day for day in days if day is not None]
            if known:
                latest[account_id] = max(known)
        elif (int(y), int(m)) in index:
            counts[account_id][index[(int(y), int(m))]] = int(n)
    return latest, counts
