"""The team dashboard (issue 8 §3): what needs attention on the accounts a reader is on.

For a set of accounts (a lead's team accounts, every account for an admin, one customer group's accounts on
the group page): overdue next steps, upcoming ones (next 14 days), relationships at risk
(kb.services.relationship_risk, the one rule, checked for all people at once), stale plan answers (the account list's rule), accounts not
visited for N days, coverage by relationship layer per account, and visits per month over the last 12
months. Each figure is a count with a bounded list behind it.

Bounded work: a fixed number of SQL statements whatever the number of accounts, people and visits (grouped
queries, LIMITs, IN lists of at most ACCOUNT_LIMIT accounts). Team-only visits and their next steps count only
for readers who may see them (kb.policy.interaction_visible_clause).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, NamedTuple

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import contains_eager, joinedload

from models import Account, NextStep, RelationshipLayer, Stakeholder, StakeholderOwner, User, UserRole

from .. import clock, policy
from ..db import session
from ..id_lists import in_ids
from .bounded import _importance
from . import dashboard_visits, plan_figures, relationship_risk, risk_facts

#: Accounts a dashboard covers at most (an admin's "everything"), by name order.
ACCOUNT_LIMIT = 200
#: Rows behind each count.
LIST_LIMIT = 20
#: Stakeholders checked for risk at most (those who matter most first): the count says when it stopped.
RISK_SCAN_LIMIT = 100  # (issue 9: the scan is the page's largest cost at 2,000 accounts; 20 rows are shown)
#: Upcoming next steps: due within this many days from today.
UPCOMING_DAYS = 14
#: What counts as a visit for "not visited" and the chart.
VISIT_KINDS = dashboard_visits.VISIT_KINDS


@dataclass
class Listed:
    """A count and (up to LIST_LIMIT of) the rows behind it; `capped` = the count is a lower bound."""

    count: int = 0
    rows: list[Any] = field(default_factory=list)
    capped: bool = False


@dataclass
class Dashboard:
    """Everything the dashboard shows for `accounts` (see build())."""

    accounts: list[Account]
    overdue: Listed
    upcoming: Listed
    at_risk: Listed
    stale: Listed
    not_visited: Listed
    #: account id → layer → (stakeholders with an active owner, stakeholders), for the first LIST_LIMIT
    #: accounts (the rows the page shows: issue 9)
    layers: dict[int, dict[RelationshipLayer, tuple[int, int]]]
    #: first day of each of the last 12 months, oldest first
    months: list[date]
    #: account id → visits per month (aligned with `months`)
    visits: dict[int, list[int]]
    not_visited_days: int
    today: date
    more_accounts: int = 0
    #: account id → relationships at risk, for the accounts build() was asked to count (`risk_count_accounts`:
    #: the group page's table), from the same run of the rule as `at_risk`
    risk_counts: dict[int, int] = field(default_factory=dict)
    #: account id → PlanFigures of its current plan (kb.services.plan_figures), for each account of
    #: `accounts` that has a plan (the home page's "My accounts" reuses them: issue 9)
    plan_figures: dict[int, Any] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.accounts


class StepOwner(NamedTuple):
    """The owner of a listed next step, as the dashboard prints it."""

    name: str
    active: bool


class StepRow(NamedTuple):
    """A listed next step: what the dashboard prints of it (`NextStep`'s attributes of the same names; the
    visit's account's name; the owner, None when nobody owns it)."""

    id: int
    interaction_id: int
    text: str
    due_on: date | None
    account_name: str
    owner: StepOwner | None


class AccountName(NamedTuple):
    """The account of a listed person, as the dashboard prints it."""

    name: str


class PersonRow(NamedTuple):
    """A person listed at risk: what the dashboard prints of them (`Stakeholder`'s attributes of the same
    names; issue 9: not ORM objects with their account)."""

    id: int
    name: str
    title: str | None
    account_id: int
    account: AccountName


def reader_accounts(reader: Any) -> tuple[list[Account], int]:
    """The accounts a reader's home dashboard covers, and how many more were left out.

    Admins: every not-archived account; members (leads): the accounts they are on the team of (seat in
    force in the group, or named member), with their customer group loaded; viewers and others: none. At
    most ACCOUNT_LIMIT, by name.
    """
    stmt = select(Account).where(Account.archived_at.is_(None))
    if not policy.is_admin(reader):
        if getattr(reader, "role", None) != UserRole.MEMBER:
            return [], 0
        # a member's dashboard accounts are also their "My accounts" on home, which names each one's group
        # (joined: one statement, not two — issue 9)
        stmt = (stmt.where(Account.id.in_(policy.team_account_ids(reader)))
                .options(joinedload(Account.customer_group)))
    return _capped(stmt)


def group_accounts(group_id: int) -> tuple[list[Account], int]:
    """The not-archived accounts of one customer group (at most ACCOUNT_LIMIT), and how many more."""
    return _capped(select(Account).where(Account.archived_at.is_(None),
                                         Account.customer_group_id == group_id))


def _capped(stmt: Any) -> tuple[list[Account], int]:
    rows = list(session.scalars(stmt.order_by(Account.sort_key, Account.name, Account.id)
                                .limit(ACCOUNT_LIMIT + 1)))
    if len(rows) <= ACCOUNT_LIMIT:
        return rows, 0
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    return rows[:ACCOUNT_LIMIT], total - ACCOUNT_LIMIT


def _step_filter(ids: list[int], reader: Any) -> tuple[Any, ...]:
    """Open next steps of visible, not archived interactions of `ids`, by the interaction's account,
    visibility and archived time as kept on next_step (migration 0018's triggers keep them equal)."""
    return (in_ids(NextStep.account_id, ids), NextStep.done.is_(False),
            NextStep.interaction_archived_at.is_(None),
            policy.team_only_clause(reader, NextStep.visibility, NextStep.account_id))


def _steps(ids: list[int], reader: Any, today: date) -> tuple[Listed, Listed]:
    """(overdue, upcoming within UPCOMING_DAYS) open next steps of `ids` the reader may see.

    One statement: window functions over one range of ix_next_step_account_open per account (SQLite reads the
    index alone) find both counts and the first LIST_LIMIT of each list (issue 9, it was a visit of every
    interaction of every account, on PostgreSQL a hash join over the whole next_step table), joined to what
    the page prints of those rows (StepRow: not ORM objects with their visit, account and owner), with the
    account's name and the owner's (issue 9: one round trip, not two)."""
    overdue = NextStep.due_on < today
    bucket = case((overdue, 0), else_=1)  # 0 overdue, 1 due today .. today + UPCOMING_DAYS
    order = (NextStep.due_on, NextStep.id)
    ranked = (select(NextStep.id.label("id"), bucket.label("bucket"),
                     func.row_number().over(partition_by=bucket, order_by=order).label("position"),
                     func.count().over(partition_by=bucket).label("total"))
              .where(*_step_filter(ids, reader), NextStep.due_on <= today + timedelta(days=UPCOMING_DAYS))
              .subquery())
    # The listed ones, at most LIST_LIMIT of each bucket: the LIMIT (always met) tells the planner so, which
    # then fetches them by primary key (without it PostgreSQL expected a thousand and hashed all next_step).
    listed_ids = (select(ranked.c.id, ranked.c.bucket, ranked.c.total).where(ranked.c.position <= LIST_LIMIT)
                  .limit(2 * LIST_LIMIT).subquery())
    shown = (select(listed_ids.c.bucket, listed_ids.c.total, NextStep.id, NextStep.interaction_id,
                    NextStep.text, NextStep.due_on, Account.name, NextStep.owner_id, User.name, User.active)
             .select_from(listed_ids).join(NextStep, NextStep.id == listed_ids.c.id)
             .join(Account, Account.id == NextStep.account_id)  # the visit's account (kept on next_step)
             .outerjoin(User, User.id == NextStep.owner_id)
             .order_by(*order))
    totals = {0: 0, 1: 0}
    listed: dict[int, list[StepRow]] = {0: [], 1: []}
    for which, total, step_id, interaction_id, text, due_on, account_name, owner_id, owner_name, active \
            in session.execute(shown):
        totals[int(which)] = int(total)
        owner = StepOwner(owner_name, bool(active)) if owner_id is not None else None
        listed[int(which)].append(StepRow(step_id, interaction_id, text, due_on, account_name, owner))
    return Listed(count=totals[0], rows=listed[0]), Listed(count=totals[1], rows=listed[1])


def _risks(ids: list[int], today: date, risk_days: dict[str, int], count_ids: list[int] | None = None
           ) -> tuple[Listed, dict[int, int]]:
    """Stakeholders at risk (kb.services.relationship_risk, the one rule) among the RISK_SCAN_LIMIT who
    matter most of `ids`; rows are (PersonRow, [Risk, …]). The people checked are read as plain rows
    (kb.services.risk_facts); only the LIST_LIMIT listed are read with their names (PersonRow) and put in
    words, each distinct reason once (issue 9).

    With `count_ids` (account ids), also {account id: its active stakeholders at risk} for them, the figures
    of relationship_risk.at_risk_counts, in the same run of the rule (the people of both sets checked once:
    issue 9, the group page ran it twice); else {}."""
    checked = risk_facts.load_facts(
        where=(in_ids(Stakeholder.account_id, ids), Stakeholder.archived_at.is_(None)),
        order_by=(_importance(), Stakeholder.name), limit=RISK_SCAN_LIMIT + 1)
    capped = len(checked) > RISK_SCAN_LIMIT
    checked = checked[:RISK_SCAN_LIMIT]
    counted = relationship_risk.account_facts(count_ids) if count_ids else []
    everyone = list({s.id: s for s in [*counted, *checked]}.values())  # each person once
    found = relationship_risk.risk_findings(
        stakeholders=everyone, today=today, **risk_days)  # type: ignore[arg-type]  # same attributes
    counts = (relationship_risk.count_at_risk(account_ids=count_ids, people=counted, found=found)
              if count_ids else {})
    risky = [s.id for s in checked if found.get(s.id)]
    shown = {row.id: row for row in (
        PersonRow(i, name, title, account_id, AccountName(account_name)) for i, name, title, account_id,
        account_name in session.execute(
            select(Stakeholder.id, Stakeholder.name, Stakeholder.title, Stakeholder.account_id, Account.name)
            .join(Account, Account.id == Stakeholder.account_id)
            .where(in_ids(Stakeholder.id, risky[:LIST_LIMIT]))))} if risky else {}
    said: dict[Any, Any] = {}  # each distinct reason translated once for the list
    rows = [(shown[i], relationship_risk.in_words(found[i], said)) for i in risky[:LIST_LIMIT]]
    return Listed(count=len(risky), rows=rows, capped=capped), counts


def _stale(accounts: list[Account], stale_after_days: int, today: date
           ) -> tuple[Listed, dict[int, plan_figures.PlanFigures]]:
    """Accounts whose current plan has answers unchanged for `stale_after_days` (the account list's rule,
    kb.services.plan_states), with those answers; rows are (account, PlanFigures, [StaleAnswer, …]). The
    plans are read as plain rows (kb.services.plan_figures: issue 9, building every current plan whole was
    a large part of the page). Also returns the figures of every account's current plan
    (Dashboard.plan_figures)."""
    figures = plan_figures.current_plan_figures((a.id for a in accounts), today=today,
                                                stale_after_days=stale_after_days)
    stale = [(a, figures[a.id], list(figures[a.id].stale)) for a in accounts
             if a.id in figures and figures[a.id].stale]
    return Listed(count=len(stale), rows=stale[:LIST_LIMIT]), figures


def _not_visited(accounts: list[Account], last: dict[int, date], today: date, days: int) -> Listed:
    """Accounts with no visit the reader may see in the last `days` days, longest-unvisited first (`last`:
    their latest visits the reader may see, kb.services.dashboard_visits)."""
    cutoff = today - timedelta(days=days)
    rows = [(a, last.get(a.id)) for a in accounts if last.get(a.id) is None or last[a.id] < cutoff]
    rows.sort(key=lambda r: (r[1] is not None, r[1] or date.min))
    return Listed(count=len(rows), rows=rows[:LIST_LIMIT])


def _layers(ids: list[int]) -> dict[int, dict[RelationshipLayer, tuple[int, int]]]:
    """Per account and layer: (stakeholders with at least one active owner, all active stakeholders).

    Whether a stakeholder has an active owner is a correlated subquery with LIMIT 1 per stakeholder row: one
    seek of stakeholder_owner's primary key (stakeholder first) per person, and of user's for each owner, so
    the work follows the people counted, not the whole table (issue 9: a semi-join of the owned set made
    PostgreSQL hash all 60,000 stakeholder_owner rows, 6–10 ms at 2,000 accounts; an EXISTS became a hashed
    subplan over them — a scalar subquery with LIMIT cannot be hashed)."""
    # the owner's active flag by its primary key, per owner row (a join or IN here is pulled up by
    # PostgreSQL into a loop over every user for each stakeholder)
    active = (select(User.active).where(User.id == StakeholderOwner.user_id)
              .correlate(StakeholderOwner).scalar_subquery())
    owned = (select(literal(1)).select_from(StakeholderOwner)
             .where(StakeholderOwner.stakeholder_id == Stakeholder.id, active.is_(True))
             .limit(1).correlate(Stakeholder).scalar_subquery())
    result: dict[int, dict[RelationshipLayer, tuple[int, int]]] = {
        i: {layer: (0, 0) for layer in RelationshipLayer} for i in ids}
    for account_id, layer, covered, total in session.execute(
            select(Stakeholder.account_id, Stakeholder.layer, func.count(owned), func.count())
            .where(in_ids(Stakeholder.account_id, ids), Stakeholder.archived_at.is_(None))
            .group_by(Stakeholder.account_id, Stakeholder.layer)):
        result[account_id][RelationshipLayer(layer)] = (int(covered or 0), int(total))
    return result


def last_months(today: date, n: int = 12) -> list[date]:
    """First days of the `n` months ending with `today`'s month, oldest first."""
    months, year, month = [], today.year, today.month
    for _ in range(n):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def build(*, accounts: list[Account], reader: Any, stale_after_days: int, not_visited_days: int = 90,
          risk_days: dict[str, int] | None = None, more_accounts: int = 0,
          today: date | None = None, risk_count_accounts: list[int] | None = None) -> Dashboard:
    """The dashboard of `accounts` as `reader` may see it (team-only visits and steps per policy).

    `stale_after_days`: plan answers older than this are stale (config STALE_AFTER_DAYS);
    `not_visited_days`: accounts without a visit for longer are listed (config NOT_VISITED_DAYS, default 90);
    `risk_days`: {"key_days", "other_days"} of the risk rule (config RISK_CONTACT_DAYS_KEY / _OTHER);
    `today` defaults to kb.clock.today(); `risk_count_accounts`: account ids whose relationships at risk are
    also counted (Dashboard.risk_counts, = relationship_risk.at_risk_counts) in the same run of the rule.
    A fixed number of statements whatever the data size.
    """
    today = today or clock.today()
    ids = [a.id for a in accounts]
    months = last_months(today)
    if not ids:
        return Dashboard(accounts=[], overdue=Listed(), upcoming=Listed(), at_risk=Listed(), stale=Listed(),
                         not_visited=Listed(), layers={}, months=months, visits={},
                         not_visited_days=not_visited_days, today=today, more_accounts=more_accounts,
                         risk_counts=relationship_risk.at_risk_counts(
                             account_ids=risk_count_accounts or [], today=today, **(risk_days or {})))
    overdue, upcoming = _steps(ids, reader, today)
    at_risk, risk_counts = _risks(ids, today, risk_days or {}, risk_count_accounts)
    last_visits, visits = dashboard_visits.last_visits_and_months(ids=ids, reader=reader, today=today,
                                                                  months=months)
    stale, figures = _stale(accounts, stale_after_days, today)
    return Dashboard(
        accounts=accounts,
        overdue=overdue, upcoming=upcoming, risk_counts=risk_counts,
        at_risk=at_risk, stale=stale, plan_figures=figures,
        not_visited=_not_visited(accounts, last_visits, today, not_visited_days),
        layers=_layers(ids[:LIST_LIMIT]), months=months, visits=visits,
        not_visited_days=not_visited_days, today=today, more_accounts=more_accounts,
    )


def recent_plans(*, limit: int = 10) -> list[Any]:
    """The latest-saved account plans of not-archived accounts (a viewer's home: what they can read)."""
    from models import AccountPlan
    return list(session.scalars(
        select(AccountPlan).join(AccountPlan.account).where(Account.archived_at.is_(None))
        .options(contains_eager(AccountPlan.account))
        .order_by(AccountPlan.updated_at.desc(), AccountPlan.id.desc()).limit(limit)))
