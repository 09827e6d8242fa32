"""Accounts (客户): create, change, archive and restore them, and name their team members.

Nothing is ever hard-deleted: archiving sets `archived_at`, restoring clears it. Every change records its
author through `Account.touch`.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from models import (
    Account, AccountPlan, Coverage, CustomerGroup, PlanRevision, Tier, TriangleSeat, User, UserRole,
)

from .. import clock, policy
from .. import account_keys  # (also registers the events that keep Account.search_key in step)
from ..group_names import display_group_name
from ..db import session
from . import plans, reference_lists
from .duplicates import matching_fields, possible_duplicates
from .errors import PossibleDuplicate, ValidationFailed
from .triangles import Triangle
# The readers of each account's current plan live in .current_plans (issue 9); re-exported here.
from .current_plans import (  # noqa: F401
    current_plans, plan_completeness, plan_meters, plan_status, stale_answers,
)
from .versioning import claim_version, settle_version

logger = logging.getLogger(__name__)

MAX_NAME = 200
MAX_ALIASES = 20
MAX_ALIAS = 100
MAX_SHORT_TEXT = 50
MAX_DESCRIPTION = 20_000
#: Fields `create_account` / `update_account` accept, in form order.
FIELDS = ("name", "name_en", "aliases", "industry", "region", "tier", "coverage", "customer_group_id",
          "parent_id", "description")


def account_filters_stmt(*, q: str = "", group_id: int | None = None, industry: str = "", region: str = "",
                         tier: Tier | None = None, coverage: Coverage | None = None,
                         include_archived: bool = False) -> Select[tuple[Account]]:
    """SELECT of accounts matching the filters, ordered by name in pinyin (`Account.sort_key`).

    `q` matches the name, the English name, the aliases and the pinyin forms search finds the account by,
    word by word, the way search matches names (kb.account_keys.account_name_clause: Chinese words as part
    of a name, other words whole or from 4 characters a word's start; normalised by kb.textnorm).
    """
    stmt = select(Account)
    name_clause = account_keys.account_name_clause(q)
    if name_clause is not None:
        stmt = stmt.where(name_clause)
    if group_id is not None:
        stmt = stmt.where(Account.customer_group_id == group_id)
    if industry:
        stmt = stmt.where(Account.industry == reference_lists.canonical_value("industry", industry))
    if region:
        stmt = stmt.where(Account.region == reference_lists.canonical_value("region", region))
    if tier is not None:
        stmt = stmt.where(Account.tier == tier)
    if coverage is not None:
        stmt = stmt.where(Account.coverage == coverage)
    if not include_archived:
        stmt = stmt.where(Account.archived_at.is_(None))
    return stmt.order_by(Account.sort_key, Account.id)


def distinct_values(column: str, *, english: bool = False, offered_only: bool = False) -> list[tuple[str, str]]:
    """Choices for `industry` or `region`: (stored value, label in the UI language) of the managed list's
    active values in list order, then the other values accounts use, sorted — free text, and (unless
    `offered_only`, as account forms ask) values the list no longer offers."""
    col = {"industry": Account.industry, "region": Account.region}[column]
    listed = reference_lists.entries(column)
    known = {e.value for e in reference_lists.entries(column, include_inactive=offered_only)}
    used = [v for v in session.scalars(select(col).where(col != "").distinct().order_by(col)) if v not in known]
    return [(e.value, e.label(english=english)) for e in listed] + [
        (v, reference_lists.label_for(column, v, english=english)) for v in used]


def group_choices(*, english: bool = False) -> list[tuple[int, str]]:
    """(id, name) of every customer group, by name (for selects); the English name when `english` and set."""
    rows = session.execute(select(CustomerGroup.id, CustomerGroup.name, CustomerGroup.name_en)
                           .order_by(CustomerGroup.name))
    choices = [(i, display_group_name(name, name_en, english=english)) for i, name, name_en in rows]
    return sorted(choices, key=lambda c: c[1].casefold()) if english else choices


def clean_aliases(aliases: Iterable[str] | str | None) -> list[str]:
    """Trim aliases and drop empty ones and duplicates (case-insensitive), keeping the first spelling."""
    if aliases is None:
        return []
    if isinstance(aliases, str):
        aliases = [aliases]
    seen: set[str] = set()
    result: list[str] = []
    for alias in aliases:
        text = str(alias).strip()
        if text and text.lower() not in seen:
            seen.add(text.lower())
            result.append(text)
    return result


def _coerce_enum(enum_cls: type, value: Any, field: str, errors: dict[str, str]) -> Any:
    if isinstance(value, enum_cls):
        return value
    try:
        return enum_cls(value)
    except ValueError:
        errors[field] = _("Choose one of the listed values.")
        return None


def _is_ancestor(candidate_id: int, account_id: int) -> bool:
    """Whether `account_id` is `candidate_id` or one of its ancestors (walking up the parent links)."""
    seen: set[int] = set()
    current: int | None = candidate_id
    while current is not None and current not in seen:
        if current == account_id:
            return True
        seen.add(current)
        current = session.scalar(select(Account.parent_id).where(Account.id == current))
    return False


def _check_text(values: dict[str, Any], errors: dict[str, str]) -> None:
    name = values["name"] = (values.get("name") or "").strip()
    if not 1 <= len(name) <= MAX_NAME:
        errors["name"] = _("Enter a name of 1 to %(n)d characters.", n=MAX_NAME)
    values["name_en"] = (values.get("name_en") or "").strip()
    if len(values["name_en"]) > MAX_NAME:
        errors["name_en"] = _("Enter at most %(n)d characters.", n=MAX_NAME)
    for field in ("industry", "region"):  # a managed list's value, whichever language it was typed in
        values[field] = reference_lists.canonical_value(field, values.get(field))
        if len(values[field]) > MAX_SHORT_TEXT:
            errors[field] = _("Enter at most %(n)d characters.", n=MAX_SHORT_TEXT)
    values["description"] = values.get("description") or ""
    if len(values["description"]) > MAX_DESCRIPTION:
        errors["description"] = _("Enter at most %(n)d characters.", n=MAX_DESCRIPTION)
    aliases = values["aliases"] = clean_aliases(values.get("aliases"))
    if len(aliases) > MAX_ALIASES:
        errors["aliases"] = _("Give at most %(n)d aliases.", n=MAX_ALIASES)
    elif any(len(a) > MAX_ALIAS for a in aliases):
        errors["aliases"] = _("Each alias may have at most %(n)d characters.", n=MAX_ALIAS)


def _check_links(values: dict[str, Any], account: Account | None, author: User,
                 errors: dict[str, str]) -> None:
    group_id = values.get("customer_group_id") or None
    values["customer_group_id"] = group_id
    if group_id is not None and session.get(CustomerGroup, group_id) is None:
        errors["customer_group_id"] = _("This customer group does not exist.")
    elif account is not None:  # creating: create_account's gate has checked the group
        policy.check_may_place_account(author, account, group_id)
    parent_id = values["parent_id"] = values.get("parent_id") or None
    if parent_id is None:
        return
    parent = session.get(Account, parent_id)
    if parent is None:
        errors["parent_id"] = _("This parent account does not exist.")
        return
    if account is None or parent_id != account.parent_id:
        policy.check_may_set_parent(author, parent)  # a new parent needs the author on its team too
    if account is not None and account.id is not None and _is_ancestor(parent_id, account.id):
        errors["parent_id"] = _("An account cannot be its own parent, nor a parent of one of its parents.")


def _validated(values: dict[str, Any], account: Account | None, author: User) -> dict[str, Any]:
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown account fields: {sorted(unknown)}")
    errors: dict[str, str] = {}
    _check_text(values, errors)
    values["tier"] = _coerce_enum(Tier, values.get("tier", Tier.STANDARD), "tier", errors)
    values["coverage"] = _coerce_enum(Coverage, values.get("coverage", Coverage.DIRECT), "coverage", errors)
    _check_links(values, account, author, errors)
    if errors:
        raise ValidationFailed(next(iter(errors.values())), errors)
    return values


def create_account(*, author: User, name: str, name_en: str = "", aliases: Iterable[str] = (),
                   industry: str = "", region: str = "", tier: Tier = Tier.STANDARD,
                   coverage: Coverage = Coverage.DIRECT, customer_group_id: int | None = None,
                   parent_id: int | None = None, description: str = "",
                   confirm_duplicate: bool = False) -> Account:
    """Create an account where `author` may (see kb.policy.may_create_account).

    Raises PermissionDenied (group or parent not allowed for `author`), ValidationFailed (bad input, a
    customer group that does not exist — checked before the permission) and,
    unless `confirm_duplicate`, PossibleDuplicate when its names match existing accounts
    (kb.services.duplicates).
    """
    if customer_group_id and session.get(CustomerGroup, customer_group_id) is None:  # before the gate:
        message = _("This customer group does not exist.")  # a typo is no lack of permission
        raise ValidationFailed(message, {"customer_group_id": message})
    policy.check_may_create_account(author, customer_group_id or None)
    values = _validated(dict(name=name, name_en=name_en, aliases=aliases, industry=industry, region=region,
                             tier=tier, coverage=coverage, customer_group_id=customer_group_id,
                             parent_id=parent_id, description=description), None, author)
    if not confirm_duplicate:
        _refuse_possible_duplicates(values)
    account = Account(**values)
    account.touch(author.id)
    session.add(account)
    session.flush()
    logger.info("account %s created by user %s", account.id, author.id)
    return account


def _refuse_possible_duplicates(values: dict[str, Any]) -> None:
    matches = possible_duplicates(name=values["name"], name_en=values["name_en"], aliases=values["aliases"])
    if matches:
        names = "、".join(m.name for m in matches[:5])
        fields = matching_fields(matches, name=values["name"], name_en=values["name_en"],
                                 aliases=values["aliases"])  # the fields that match: ECMC as an alias → aliases
        raise PossibleDuplicate(
            _("Possible duplicate: %(names)s already exists under a matching name. "
              "Check it, or confirm that this is a different customer.", names=names),
            [(m.id, m.name) for m in matches], {f: _("An account with a matching name exists.") for f in fields})


def update_account(*, account: Account, author: User, base_version: int | None = None,
                   **fields: Any) -> Account:
    """Change the given fields of an account (same names as `create_account`); others stay as they are.

    Raises AccountArchived / PermissionDenied (kb.policy.check_may_edit_account; a new group or parent
    the author may not use), ValidationFailed, and Conflict(current=account) when `base_version` (the
    version the caller read; None: not checked) is no longer the stored one.
    """
    policy.check_may_edit_account(author, account)
    current = {f: getattr(account, f) for f in FIELDS}
    values = _validated({**current, **fields}, account, author)
    claim_version(account, base_version, _("Someone saved this account while you were editing it."),
                  bump=False)
    changed = [f for f, value in values.items() if current[f] != value]
    for field in changed:
        setattr(account, field, values[field])
    if changed:  # a save without changes does not make anyone "last editor", nor moves the version on
        account.touch(author.id)
    if settle_version(account):
        session.flush()
    return account


def archive_account(*, account: Account, author: User) -> Account:
    """Archive an account (hidden from lists by default, nothing deleted); raises PermissionDenied."""
    policy.check_may_archive_account(author, account)
    if account.set_archived(True, author.id):
        session.flush()
    return account


def restore_account(*, account: Account, author: User) -> Account:
    """Bring an archived account back; raises PermissionDenied."""
    policy.check_may_archive_account(author, account)
    if account.set_archived(False, author.id):
        session.flush()
    return account


def member_candidates() -> list[User]:
    """Users who may be named account members: active, not viewers, by name."""
    return list(session.scalars(
        select(User).where(User.active.is_(True), User.role != UserRole.VIEWER).order_by(User.name, User.id)
    ))


def set_members(*, account: Account, user_ids: Iterable[int], author: User) -> Account:
    """Make exactly these users the account's named members (active, non-viewer users only).

    Raises AccountArchived / PermissionDenied (kb.policy.check_may_edit_account) and ValidationFailed.
    """
    policy.check_may_edit_account(author, account)
    wanted = sorted({int(u) for u in user_ids})
    users = list(session.scalars(select(User).where(User.id.in_(wanted)))) if wanted else []
    allowed = [u for u in users if u.active and u.role != UserRole.VIEWER]
    if len(allowed) != len(wanted):
        message = _("Only active users who are not viewers can be team members.")
        raise ValidationFailed(message, {"member_ids": message})
    if {u.id for u in account.members} != set(wanted):
        account.members = sorted(allowed, key=lambda u: (u.name, u.id))
        account.touch(author.id)
        session.flush()
    return account


# --- reading, for the account pages ----------------------------------------------------------------

def get_account(account_id: int) -> Account | None:
    """The account with its group, parent, children and named members loaded (constant queries)."""
    return session.scalar(
        select(Account).where(Account.id == account_id).options(
            joinedload(Account.customer_group), joinedload(Account.parent),  # many-to-one: in the same row
            selectinload(Account.children), selectinload(Account.members),
        )
    )


def list_options() -> list[Any]:
    """Loader options for account lists (the group name is shown on each row)."""
    return [selectinload(Account.customer_group)]


def list_page_options() -> list[Any]:
    """Loader options for the account list's page: the group in the account's row (a many-to-one join), so
    the page runs no second statement for the groups of its rows."""
    return [joinedload(Account.customer_group)]


def account_choices(exclude_id: int | None = None) -> list[tuple[int, str]]:
    """(id, name) of every account, for a parent-account select."""
    rows = session.execute(select(Account.id, Account.name, Account.archived_at).order_by(Account.name))
    return [(i, name + (" " + _("(archived)") if archived else "")) for i, name, archived in rows
            if i != exclude_id]


def team_triangle(account: Account, *, today: date | None = None) -> Triangle:
    """The AR/SR/FR seats in force on `today` (default kb.clock.today()) in the account's customer group,
    and those scheduled to start later (`.scheduled`)."""
    today = today or clock.today()
    if account.customer_group_id is None:
        return Triangle.build([], today)
    seats = session.scalars(
        select(TriangleSeat).where(TriangleSeat.customer_group_id == account.customer_group_id,
                                   TriangleSeat.is_open() | (TriangleSeat.ended_on > today))
        .options(selectinload(TriangleSeat.user))
    )
    return Triangle.build(seats, today)


def team_accounts(user: User, *, limit: int) -> tuple[list[Account], int]:
    """The first `limit` not-archived accounts on whose team `user` is, by name, and how many there are in
    all: one statement (the total rides along as a window count), so the home page does the same work
    whatever the portfolio."""
    rows = session.execute(
        select(Account, func.count().over())
        .where(Account.id.in_(policy.team_account_ids(user)), Account.archived_at.is_(None))
        .options(*list_options()).order_by(Account.name, Account.id).limit(limit)).all()
    return [account for account, _ in rows], (rows[0][1] if rows else 0)


def plan_history_summary(account_id: int) -> list[tuple[AccountPlan, int, datetime | None]]:
    """Each plan of the account with its revision count and latest revision time, latest period first."""
    rows = session.execute(
        select(AccountPlan, func.count(PlanRevision.id), func.max(PlanRevision.created_at))
        .outerjoin(PlanRevision, PlanRevision.plan_id == AccountPlan.id)
        .where(AccountPlan.account_id == account_id)
        .options(selectinload(AccountPlan.updated_by))
        .group_by(AccountPlan.id)
    ).all()
    result = [(plan, count, latest) for plan, count, latest in rows]
    return sorted(result, key=lambda r: plans.period_sort_key(r[0].period), reverse=True)
