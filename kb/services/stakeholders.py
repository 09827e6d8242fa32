"""Stakeholders (关键人): the account's decision chain, its owners among our users, and its rules.

Rules enforced here (views and the API only call these functions):
- reports-to: a stakeholder of the same account, not itself, and never a cycle;
- owners: at most one primary and any number of backups, all active users, no one twice;
  backups need a primary;
- lengths and enum values; nothing is hard-deleted (archive).
"""
from __future__ import annotations

import enum
import logging
from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import literal, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from models import (
    Account, Attitude, DecisionRole, Influence, RelationshipLayer, Stakeholder, StakeholderOwner, User,
)

from .. import policy
from ..db import session
from . import stakeholder_history as history
from .errors import ValidationFailed
from .stakeholder_contacts import CONTACT_FIELDS, clean_contacts
from .versioning import claim_version, settle_version

logger = logging.getLogger(__name__)

NAME_MAX = 100
TITLE_MAX = 150
NOTES_MAX = 10_000
LEVELS = range(1, 6)
#: The relationship layer of a new stakeholder when none is given (API and the web form's preselection).
DEFAULT_LAYER = RelationshipLayer.BROAD
_UNSET: Any = object()


def chain_options() -> list[Any]:
    """Loader options so a stakeholder's owners (with users) and reports-to need no lazy loads. The owners'
    users come in the owners' statement (a many-to-one join), not in one of their own (issue 9)."""
    return [
        selectinload(Stakeholder.owners).joinedload(StakeholderOwner.user),
        selectinload(Stakeholder.reports_to),
    ]


def decision_chain(*, account_id: int) -> list[Stakeholder]:
    """Active stakeholders of the account in hierarchy order (each boss before its reports, then by name).

    Owners (with their users) and reports-to are eager-loaded: a constant number of queries. Each returned
    stakeholder carries a transient `chain_depth` (0 = top of the chain) for indenting a power map.
    """
    rows = list(session.scalars(
        select(Stakeholder)
        .where(Stakeholder.account_id == account_id, Stakeholder.archived_at.is_(None))
        .options(*chain_options())
        .order_by(Stakeholder.name, Stakeholder.id)
    ))
    return order_by_hierarchy(rows)


def order_by_hierarchy(rows: list[Stakeholder]) -> list[Stakeholder]:
    """Depth-first order of `rows` (already sorted by name), setting `chain_depth` on each."""
    ids = {s.id for s in rows}
    children: dict[int | None, list[Stakeholder]] = {}
    for s in rows:
        parent = s.reports_to_id if s.reports_to_id in ids else None
        children.setdefault(parent, []).append(s)
    ordered: list[Stakeholder] = []
    seen: set[int] = set()

    def visit(node: Stakeholder, depth: int) -> None:
        if node.id in seen:
            return
        seen.add(node.id)
        node.chain_depth = depth  # type: ignore[attr-defined]
        ordered.append(node)
        for child in children.get(node.id, []):
            visit(child, depth + 1)

    for root in children.get(None, []):
        visit(root, 0)
    for s in rows:  # anything caught in a (legacy) cycle still shows up
        visit(s, 0)
    return ordered


def direct_reports(stakeholder: Stakeholder) -> list[Stakeholder]:
    """Active stakeholders reporting directly to `stakeholder`, by name, owners eager-loaded."""
    return list(session.scalars(
        select(Stakeholder)
        .where(Stakeholder.reports_to_id == stakeholder.id, Stakeholder.archived_at.is_(None))
        .options(*chain_options())
        .order_by(Stakeholder.name, Stakeholder.id)
    ))


def chain_upward(stakeholder: Stakeholder, limit: int = 50) -> list[Stakeholder]:
    """Whom `stakeholder` reports to, then their boss, … up to the top (nearest first; at most `limit`,
    a cycle cut where it closes; archived bosses included, as recorded).

    One statement whatever the depth (a recursive CTE over reports-to, at most `limit` levels), none for
    the top of a chain (issue 9: the walk lazy-loaded one boss per statement)."""
    if stakeholder.reports_to_id is None:
        return []
    up = (select(Stakeholder.id, Stakeholder.reports_to_id, literal(1).label("depth"))
          .where(Stakeholder.id == stakeholder.reports_to_id).cte("chain_up", recursive=True))
    boss = aliased(Stakeholder)
    up = up.union_all(select(boss.id, boss.reports_to_id, up.c.depth + 1)
                      .join(up, boss.id == up.c.reports_to_id).where(up.c.depth < limit))
    by_id = {s.id: s for s in session.scalars(select(Stakeholder).where(Stakeholder.id.in_(select(up.c.id))))}
    chain: list[Stakeholder] = []
    seen = {stakeholder.id}
    current = by_id.get(stakeholder.reports_to_id)
    while current is not None and current.id not in seen and len(chain) < limit:
        chain.append(current)
        seen.add(current.id)
        current = by_id.get(current.reports_to_id) if current.reports_to_id is not None else None
    return chain


def account_stakeholders(account_id: int) -> list[Stakeholder]:
    """Active stakeholders of an account by name (for select fields)."""
    return list(session.scalars(
        select(Stakeholder)
        .where(Stakeholder.account_id == account_id, Stakeholder.archived_at.is_(None))
        .order_by(Stakeholder.name, Stakeholder.id)
    ))


def _enum(enum_cls: type[enum.Enum], value: Any, field: str, errors: dict[str, str]) -> Any:
    try:
        return value if isinstance(value, enum_cls) else enum_cls(value)
    except ValueError:
        errors[field] = _("Choose one of the listed values.")
        return None


def _text(value: Any, field: str, maximum: int, errors: dict[str, str], required: bool = False) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        errors[field] = _("Enter text.")
        return ""
    if required and not text:
        errors[field] = _("This field is required.")
    elif len(text) > maximum:
        errors[field] = _("Enter at most %(n)d characters.", n=maximum)
    return text


def _check_reports_to(stakeholder: Stakeholder | None, account_id: int, reports_to_id: Any,
                      name: str, errors: dict[str, str]) -> int | None:
    """Validate the reports-to choice; walks the chain upward to refuse cycles."""
    if reports_to_id in (None, "", 0):
        return None
    valid_id = isinstance(reports_to_id, int) and not isinstance(reports_to_id, bool)
    boss = session.get(Stakeholder, reports_to_id) if valid_id else None
    if boss is None or boss.account_id != account_id:
        errors["reports_to_id"] = _("Choose a stakeholder of this account.")
        return None
    if stakeholder is not None and boss.id == stakeholder.id:
        errors["reports_to_id"] = _("A stakeholder cannot report to themselves.")
        return None
    if boss.archived_at is not None and (stakeholder is None or stakeholder.reports_to_id != boss.id):
        errors["reports_to_id"] = _("%(name)s is archived; choose an active stakeholder.", name=boss.name)
        return None
    if stakeholder is not None:
        seen: set[int] = set()
        current: Stakeholder | None = boss
        while current is not None and current.id not in seen:
            if current.reports_to_id == stakeholder.id:
                errors["reports_to_id"] = _(
                    "%(boss)s already reports (directly or indirectly) to %(name)s; this would make a loop.",
                    boss=boss.name, name=name or stakeholder.name,
                )
                return None
            seen.add(current.id)
            current = current.reports_to
    return boss.id


def _check_owners(primary_owner_id: Any, backup_owner_ids: Iterable[Any], current: set[int],
                  errors: dict[str, str]) -> tuple[int | None, list[int]]:
    """Validate owners: active users (assigned ones may stay), no duplicates, backups need a primary."""
    primary = primary_owner_id or None
    backups = [b for b in backup_owner_ids or () if b not in (None, "", 0)]
    wanted = ([primary] if primary is not None else []) + backups
    if not all(isinstance(x, int) and not isinstance(x, bool) for x in wanted):
        errors["backup_owner_ids" if primary is None or isinstance(primary, int) else "primary_owner_id"] = _(
            "Unknown user.")
        return None, []
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(wanted)))} if wanted else {}
    for field, ids in (("primary_owner_id", [primary] if primary else []), ("backup_owner_ids", backups)):
        for uid in ids:
            user = users.get(uid)
            if user is None:
                errors[field] = _("Unknown user.")
            elif not user.active and uid not in current:
                errors[field] = _("%(name)s is no longer active; choose an active user.", name=user.name)
    if len(set(backups)) != len(backups):
        errors["backup_owner_ids"] = _("Each backup owner can be listed only once.")
    elif primary is not None and primary in backups:
        errors["backup_owner_ids"] = _("The primary owner cannot also be a backup owner.")
    elif backups and primary is None:
        errors["primary_owner_id"] = _("Choose a primary owner before adding backups.")
    return primary, backups


def _validate(stakeholder: Stakeholder | None, account_id: int, data: dict[str, Any]) -> dict[str, Any]:
    """Check every field; returns cleaned values or raises ValidationFailed with all field messages."""
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {
        "name": _text(data["name"], "name", NAME_MAX, errors, required=True),
        "name_en": _text(data.get("name_en", ""), "name_en", NAME_MAX, errors),
        "title": _text(data["title"], "title", TITLE_MAX, errors),
        "department": _text(data["department"], "department", TITLE_MAX, errors),
        "notes": _text(data["notes"], "notes", NOTES_MAX, errors),
        "decision_role": _enum(DecisionRole, data["decision_role"], "decision_role", errors),
        "attitude": _enum(Attitude, data["attitude"], "attitude", errors),
        "influence": _enum(Influence, data["influence"], "influence", errors),
        "layer": _enum(RelationshipLayer, data["layer"], "layer", errors),
    }
    if data["private_notes"] is not None:
        clean["private_notes"] = _text(data["private_notes"], "private_notes", NOTES_MAX, errors)
    clean.update(clean_contacts(data, errors))
    level = data["relationship_level"]
    if isinstance(level, bool) or not isinstance(level, int) or level not in LEVELS:
        errors["relationship_level"] = _("Choose a relationship level from 1 to 5.")
    clean["relationship_level"] = level
    clean["reports_to_id"] = _check_reports_to(stakeholder, account_id, data["reports_to_id"],
                                               clean["name"], errors)
    current = {o.user_id for o in stakeholder.owners} if stakeholder is not None else set()
    clean["owners"] = _check_owners(data["primary_owner_id"], data["backup_owner_ids"], current, errors)
    if errors:
        raise ValidationFailed(next(iter(errors.values())), errors)
    return clean


def _set_owners(stakeholder: Stakeholder, primary: int | None, backups: list[int]) -> None:
    """Replace the owner list, keeping existing rows (and their `since`) for users who stay."""
    existing = {o.user_id: o for o in stakeholder.owners}
    wanted = ([(primary, True)] if primary is not None else []) + [(b, False) for b in backups]
    owners = []
    for uid, is_primary in wanted:
        owner = existing.get(uid) or StakeholderOwner(user_id=uid)
        owner.is_primary = is_primary
        owners.append(owner)
    stakeholder.owners = owners


def _apply(stakeholder: Stakeholder, clean: dict[str, Any], author: User) -> None:
    primary, backups = clean.pop("owners")
    for key, value in clean.items():
        setattr(stakeholder, key, value)
    _set_owners(stakeholder, primary, backups)
    stakeholder.touch(author.id)


def create_stakeholder(*, account: Account, author: User, name: str, title: str = "", department: str = "",
                       reports_to_id: int | None = None, decision_role: Any = DecisionRole.UNKNOWN,
                       attitude: Any = Attitude.UNKNOWN, influence: Any = Influence.UNKNOWN,
                       layer: Any = DEFAULT_LAYER, relationship_level: int = 1, notes: str = "",
                       private_notes: str | None = "", primary_owner_id: int | None = None,
                       backup_owner_ids: Iterable[int] = (), name_en: str = "", phone: str | None = "",
                       mobile: str | None = "", email: str | None = "", wechat_id: str | None = "",
                       assistant_name: str | None = "", assistant_contact: str | None = "") -> Stakeholder:
    """Add a stakeholder to `account`. Decision role, attitude and influence start as "unknown".

    Raises AccountArchived / PermissionDenied (kb.policy.check_may_edit_account) and
    ValidationFailed(fields=...) on bad input. Private notes and contact details (phone, mobile, email,
    WeChat ID, assistant name and contact: kb.services.stakeholder_contacts) from an author outside the
    team are ignored.
    """
    policy.check_may_edit_account(author, account)
    data = dict(locals())
    data.pop("account"), data.pop("author")
    if data["private_notes"] is None or not policy.sees_team_content(author, account):
        data["private_notes"] = ""
        data.update({field: "" for field in CONTACT_FIELDS})
    clean = _validate(None, account.id, data)
    stakeholder = Stakeholder(account_id=account.id)
    session.add(stakeholder)
    _apply(stakeholder, clean, author)
    session.flush()
    logger.info("stakeholder %s created on account %s by user %s", stakeholder.id, account.id, author.id)
    return stakeholder


def update_stakeholder(*, stakeholder: Stakeholder, author: User, base_version: int | None = None,
                       **fields: Any) -> Stakeholder:
    """Change a stakeholder. Fields as for create; omitted ones keep their value.

    `private_notes=None` (or omitted) keeps the stored private notes, and so does any value sent by an
    author who may not see them (kb.policy.sees_team_content): the one place private notes are guarded on
    the way in. Contact details (CONTACT_FIELDS) are guarded the same way. Every change of a tracked
    field (title, reports-to, decision role, attitude, influence) is kept as a StakeholderChange.
    Raises AccountArchived / PermissionDenied, ValidationFailed, and Conflict(current=stakeholder)
    when `base_version` (None: not checked) is no longer the stored version.
    """
    policy.check_may_edit_account(author, stakeholder.account_id)
    if not policy.sees_team_content(author, stakeholder.account_id):
        fields.pop("private_notes", None)
        for field in CONTACT_FIELDS:
            fields.pop(field, None)
    current: dict[str, Any] = {
        "name": stakeholder.name, "name_en": stakeholder.name_en, "title": stakeholder.title,
        "department": stakeholder.department, "reports_to_id": stakeholder.reports_to_id,
        "decision_role": stakeholder.decision_role, "attitude": stakeholder.attitude,
        "influence": stakeholder.influence, "layer": stakeholder.layer,
        "relationship_level": stakeholder.relationship_level, "notes": stakeholder.notes,
        "private_notes": None,
        "primary_owner_id": next((o.user_id for o in stakeholder.owners if o.is_primary), None),
        "backup_owner_ids": [o.user_id for o in stakeholder.owners if not o.is_primary],
        **{field: None for field in CONTACT_FIELDS},
    }
    unknown = set(fields) - set(current)
    if unknown:
        raise TypeError(f"unknown stakeholder fields: {sorted(unknown)}")
    current.update(fields)
    clean = _validate(stakeholder, stakeholder.account_id, current)
    claim_version(stakeholder, base_version, _("Someone saved this stakeholder while you were editing it."),
                  bump=False)
    before = history.snapshot(stakeholder)
    _apply(stakeholder, clean, author)
    settle_version(stakeholder, related=stakeholder.owners)  # nothing changed: version kept
    history.record_changes(stakeholder=stakeholder, before=before, author=author)
    session.flush()
    return stakeholder


def archive_stakeholder(*, stakeholder: Stakeholder, author: User) -> Stakeholder:
    """Archive (never delete): the stakeholder leaves the decision chain; history keeps it.

    Direct reports keep pointing at the archived person so the chain stays readable on their pages.
    Raises AccountArchived / PermissionDenied (kb.policy.check_may_edit_account).
    """
    policy.check_may_edit_account(author, stakeholder.account_id)
    if stakeholder.set_archived(True, author.id):
        session.flush()
    return stakeholder


def restore_stakeholder(*, stakeholder: Stakeholder, author: User) -> Stakeholder:
    """Bring an archived stakeholder back into the decision chain; raises AccountArchived / PermissionDenied."""
    policy.check_may_edit_account(author, stakeholder.account_id)
    if stakeholder.set_archived(False, author.id):
        session.flush()
    return stakeholder
