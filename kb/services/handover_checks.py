"""Checks on the per-group / per-account successors of a handover (kb.services.handover).

A successor choice that cannot mean anything is refused rather than silently ignored: two successors for the
same customer group or account, an archived account (read-only, never handed over), or a group or account
in which the leaver holds nothing. Each function returns errors by field name (empty: all good); the
handover service raises them as one HandoverError (422 on the page and in the API).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import gettext as _

from models import Account, CustomerGroup

from ..db import session


def duplicate_errors(pairs: Iterable[tuple[str, int, int]]) -> dict[str, str]:
    """`pairs` as kb.services.handover.successors_from takes them (("customer_group"|"account", id, user
    id), …): an error on `assignments-<i>` (the index of the first repeat) naming the first group or account
    given more than one successor.
    Only ids are named — this runs before the access check."""
    seen: set[tuple[str, int]] = set()
    for index, (scope, record_id, _user_id) in enumerate(pairs):
        if (scope, record_id) in seen:
            message = (_("Customer group %(id)d is given more than one successor: keep one.", id=record_id)
                       if scope == "customer_group" else
                       _("Account %(id)d is given more than one successor: keep one.", id=record_id))
            return {f"assignments-{index}": message}
        seen.add((scope, record_id))
    return {}


def unheld_errors(*, leaver_name: str, changes: Iterable[Any], by_group: Mapping[int, Any],
                  by_account: Mapping[int, Any]) -> dict[str, str]:
    """An error on `assignments` for the first override that moves nothing: an archived account, or a
    group / account where none of `changes` (the handover's lines, kb.services.handover.Change) lies.
    Runs after the access check, so the names may be shown."""
    lines = list(changes)
    held_groups = {c.customer_group_id for c in lines}
    held_accounts = {c.account_id for c in lines}
    for account_id in by_account:
        account = session.get(Account, account_id)
        if account is not None and account.archived:
            return {"assignments": _("%(account)s is archived: its work is not handed over. Remove this "
                                     "successor.", account=account.name)}
        if account_id not in held_accounts:
            name = account.name if account is not None else str(account_id)
            return {"assignments": _("%(name)s holds nothing in %(account)s: remove this successor.",
                                     name=leaver_name, account=name)}
    for group_id in by_group:
        if group_id not in held_groups:
            group = session.get(CustomerGroup, group_id)
            return {"assignments": _("%(name)s holds nothing in customer group %(group)s: remove this "
                                     "successor.", name=leaver_name,
                                     group=group.name if group is not None else str(group_id))}
    return {}
