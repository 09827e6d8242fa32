"""Interactions (拜访记录) and their next steps: who met whom, what was learnt, what happens next — the writes
here, the lists in kb/services/interaction_lists.py (re-exported).

Visibility is decided by kb.policy only: every list here takes the `viewer` and filters with
`interaction_visible_clause`, so team-only interactions never leak into lists, counts or next steps.
"""
from __future__ import annotations

import enum
import logging
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from models import (
    Account, Interaction, InteractionKind, NextStep, Stakeholder, User, Visibility, utcnow,
)

from .. import policy
from ..db import session
from .interaction_lists import (  # noqa: F401 — the read side, re-exported
    interaction_options, visible_interactions_stmt, recent_interactions, recent_interactions_and_total, count_interactions, stakeholder_interactions_stmt, stakeholder_interactions, open_next_steps, open_next_steps_and_total, _open_next_steps_stmt, _owned_visible_step_ids,
)
from .dates import checked_day
from .errors import ValidationFailed
from .versioning import claim_version, settle_version

logger = logging.getLogger(__name__)

TITLE_MAX = 200
SUMMARY_MAX = 20_000
STEP_MAX = 500
MAX_STEPS = 30
FUTURE_LIMIT = timedelta(days=366)


def _enum(enum_cls: type[enum.Enum], value: Any, field: str, errors: dict[str, str]) -> Any:
    try:
        return value if isinstance(value, enum_cls) else enum_cls(value)
    except ValueError:
        errors[field] = _("Choose one of the listed values.")
        return None


def _check_date(value: Any, field: str, errors: dict[str, str], required: bool) -> date | None:
    """A real date between 1980 and a year from today (kb.services.dates)."""
    return checked_day(value, field, errors, required=required, horizon=FUTURE_LIMIT,
                       too_far=_("This date is more than a year ahead; check the year."))


def _check_ids(ids: Iterable[Any], field: str, errors: dict[str, str]) -> list[int]:
    out: list[int] = []
    for x in ids or ():
        if isinstance(x, bool) or not isinstance(x, int):
            errors[field] = _("Unknown id.")
            return []
        if x not in out:
            out.append(x)
    return out


def _load_stakeholders(ids: list[int], account_id: int, errors: dict[str, str]) -> list[Stakeholder]:
    found = list(session.scalars(select(Stakeholder).where(Stakeholder.id.in_(ids)))) if ids else []
    if len(found) != len(ids) or any(s.account_id != account_id for s in found):
        errors["stakeholder_ids"] = _("Choose stakeholders of this account.")
    return found


def _load_users(ids: list[int], allowed_inactive: set[int], field: str,
                errors: dict[str, str], loaded: dict[int, User] | None = None) -> dict[int, User]:
    """The users of `ids` (`loaded`: already read, no query); unknown or inactive ones → errors[field]."""
    if loaded is not None:
        users = loaded
    else:
        users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    for uid in ids:
        user = users.get(uid)
        if user is None:
            errors[field] = _("Unknown user.")
        elif not user.active and uid not in allowed_inactive:
            errors[field] = _("%(name)s is no longer active; choose an active user.", name=user.name)
    return users


def _clean_steps(raw: Iterable[dict[str, Any]], existing: list[NextStep],
                 errors: dict[str, str]) -> list[dict[str, Any]]:
    """Validate next-step rows; rows with no text, owner or due date are ignored. A row's error is keyed
    by its index in `raw` (`next_steps-<i>-text`, `-due_on`, `-owner_id`: the form's field names)."""
    steps: list[dict[str, Any]] = []
    rows: list[int] = []
    for index, row in enumerate(raw or ()):
        text = row.get("text") or ""
        text = text.strip() if isinstance(text, str) else None
        if text == "" and not row.get("owner_id") and not row.get("due_on"):
            continue
        n = len(steps) + 1
        key = f"next_steps-{index}-"
        if text is None or not text:
            errors[key + "text"] = _("Next step %(n)d: describe what is to be done.", n=n)
        elif len(text) > STEP_MAX:
            errors[key + "text"] = _("Next step %(n)d: at most %(max)d characters.", n=n, max=STEP_MAX)
        due = _check_date(row.get("due_on"), key + "due_on", errors, required=False)
        steps.append({"id": row.get("id"), "text": text or "", "owner_id": row.get("owner_id") or None,
                      "due_on": due, "done": bool(row.get("done"))})
        rows.append(index)
    if len(steps) > MAX_STEPS:
        errors["next_steps"] = _("At most %(n)d next steps per interaction.", n=MAX_STEPS)
    had = {s.owner_id for s in existing if s.owner_id}
    owners = [(index, step["owner_id"]) for index, step in zip(rows, steps) if step["owner_id"] is not None]
    ids = [uid for _index, uid in owners if isinstance(uid, int) and not isinstance(uid, bool)]
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    for index, uid in owners:  # one query for all owners; the error on the row that names the user
        field = f"next_steps-{index}-owner_id"
        if not _check_ids([uid], field, errors):
            continue
        _load_users([uid], had, field, errors, users)
    return steps


def _validate(interaction: Interaction | None, account_id: int, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    title = data["title"] if isinstance(data["title"], str) else ""
    summary = data["summary"] if isinstance(data["summary"], str) else ""
    if len(title.strip()) > TITLE_MAX:
        errors["title"] = _("Enter at most %(n)d characters.", n=TITLE_MAX)
    if len(summary) > SUMMARY_MAX:
        errors["summary"] = _("Enter at most %(n)d characters.", n=SUMMARY_MAX)
    existing_steps = list(interaction.next_steps) if interaction is not None else []
    clean: dict[str, Any] = {
        "title": title.strip(), "summary": summary.strip(),
        "occurred_on": _check_date(data["occurred_on"], "occurred_on", errors, required=True),
        "kind": _enum(InteractionKind, data["kind"], "kind", errors),
        "visibility": _enum(Visibility, data["visibility"], "visibility", errors),
    }
    sids = _check_ids(data["stakeholder_ids"], "stakeholder_ids", errors)
    clean["stakeholders"] = _load_stakeholders(sids, account_id, errors)
    aids = _check_ids(data["attendee_ids"], "attendee_ids", errors)
    had = {u.id for u in interaction.attendees} if interaction is not None else set()
    users = _load_users(aids, had, "attendee_ids", errors)
    clean["attendees"] = [users[a] for a in aids if a in users]
    clean["next_steps"] = _clean_steps(data["next_steps"], existing_steps, errors)
    if errors:
        raise ValidationFailed(next(iter(errors.values())), errors)
    return clean


def _mark_done(step: NextStep, done: bool) -> None:
    if done and not step.done:
        step.done_at = utcnow()
    elif not done:
        step.done_at = None
    step.done = done


def _set_steps(interaction: Interaction, rows: list[dict[str, Any]]) -> None:
    """Replace the next steps, reusing existing rows: by id when given, else by position."""
    existing = list(interaction.next_steps)
    by_id = {s.id: s for s in existing}
    use_ids = any(r["id"] is not None for r in rows)
    claimed: set[int] = set()
    steps: list[NextStep] = []
    for position, row in enumerate(rows):
        step = None
        if use_ids:
            step = by_id.get(row["id"]) if isinstance(row["id"], int) else None
        elif position < len(existing):
            step = existing[position]
        if step is None or step.id in claimed:
            step = NextStep()
        else:
            claimed.add(step.id)
        before = (step.position, step.text, step.owner_id, step.due_on, step.done)
        step.position, step.text = position, row["text"]
        step.owner_id, step.due_on = row["owner_id"], row["due_on"]
        _mark_done(step, row["done"])
        after = (step.position, step.text, step.owner_id, step.due_on, step.done)
        if step.id is not None and before != after:
            step.version += 1  # a tick sent from a page showing the old step is then a conflict
        steps.append(step)
    interaction.next_steps = steps


def _apply(interaction: Interaction, clean: dict[str, Any], author: User) -> None:
    rows = clean.pop("next_steps")
    for key, value in clean.items():
        setattr(interaction, key, value)
    _set_steps(interaction, rows)
    interaction.touch(author.id)


def create_interaction(*, account: Account, author: User, occurred_on: date, kind: Any, title: str = "",
                       summary: str = "", visibility: Any = Visibility.ORG,
                       stakeholder_ids: Iterable[int] = (), attendee_ids: Iterable[int] = (),
                       next_steps: Iterable[dict[str, Any]] = ()) -> Interaction:
    """Record an interaction on `account`; raises ValidationFailed(fields=...) on bad input.

    `next_steps`: dicts with text, owner_id, due_on, done (and optionally id when editing).
    Raises AccountArchived / PermissionDenied (kb.policy.check_may_edit_account) first.
    """
    policy.check_may_edit_account(author, account)
    data = dict(locals())
    clean = _validate(None, account.id, data)
    interaction = Interaction(account_id=account.id)
    interaction.next_steps = []
    session.add(interaction)
    _apply(interaction, clean, author)
    session.flush()
    logger.info("interaction %s created on account %s by user %s", interaction.id, account.id, author.id)
    return interaction


def update_interaction(*, interaction: Interaction, author: User, base_version: int | None = None,
                       stamp_unchanged: bool = True, **fields: Any) -> Interaction:
    """Change an interaction; fields as for create (omitted ones keep their value).

    A save that changes nothing keeps the version; with `stamp_unchanged` (the edit page: the saver
    confirmed the record) it still records `author` and the time as the last editor, without it (an API
    PATCH sending back what GET gave) `updated_at` and `updated_by_id` stay as they were too.

    Next steps are replaced by the given list; existing steps keep their ids (matched by id, or by
    position when no ids are given). The next steps are part of the interaction's version: raises
    Conflict(current=interaction) when `base_version` (None: not checked) is no longer the stored one,
    AccountArchived / PermissionDenied and ValidationFailed.
    """
    policy.check_may_edit_account(author, interaction.account_id)
    current: dict[str, Any] = {
        "occurred_on": interaction.occurred_on, "kind": interaction.kind, "title": interaction.title,
        "summary": interaction.summary, "visibility": interaction.visibility,
        "stakeholder_ids": [s.id for s in interaction.stakeholders],
        "attendee_ids": [u.id for u in interaction.attendees],
        "next_steps": [
            {"id": s.id, "text": s.text, "owner_id": s.owner_id, "due_on": s.due_on, "done": s.done}
            for s in interaction.next_steps
        ],
    }
    unknown = set(fields) - set(current)
    if unknown:
        raise TypeError(f"unknown interaction fields: {sorted(unknown)}")
    current.update(fields)
    clean = _validate(interaction, interaction.account_id, current)
    claim_version(interaction, base_version, _("Someone saved this interaction while you were editing it."),
                  bump=False)
    _apply(interaction, clean, author)
    settle_version(interaction, related=interaction.next_steps,  # nothing changed: version kept
                   keep_stamps=not stamp_unchanged)
    session.flush()
    return interaction


def set_next_step_done(*, step: NextStep, done: bool, author: User,
                       base_version: int | None = None) -> NextStep:
    """Tick a next step done (or re-open it); the interaction records who changed it.

    Raises AccountArchived / PermissionDenied (kb.policy.check_may_edit_account), and Conflict(current=step)
    when `base_version` (the step's version the caller saw; None: not checked) is no longer the stored one,
    e.g. the step was reworded meanwhile. The interaction's version moves on too, so an edit form of the
    interaction opened before the tick cannot silently undo it.
    """
    policy.check_may_edit_account(author, step.interaction.account_id)
    claim_version(step, base_version, _("Someone changed this next step after you opened the page."))
    claim_version(step.interaction, None, "")
    _mark_done(step, bool(done))
    step.interaction.touch(author.id)
    session.flush()
    return step


def archive_interaction(*, interaction: Interaction, author: User) -> Interaction:
    """Archive (never delete) an interaction: it leaves lists and next-step lists; raises PermissionDenied."""
    policy.check_may_edit_account(author, interaction.account_id)
    if interaction.set_archived(True, author.id):
        session.flush()
    return interaction


def restore_interaction(*, interaction: Interaction, author: User) -> Interaction:
    """Bring an archived interaction back; raises AccountArchived / PermissionDenied."""
    policy.check_may_edit_account(author, interaction.account_id)
    if interaction.set_archived(False, author.id):
        session.flush()
    return interaction
