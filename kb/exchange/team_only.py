"""Team-only stakeholder columns on the way in: private notes and contact details.

The rule is kb.policy.sees_team_content (the account team and admins), the same that decides whether an
export carries these columns and that kb.services.stakeholders applies to every write.
"""
from __future__ import annotations

from typing import Any

from models import Account

from .. import policy
from .columns import TEAM_ONLY_STAKEHOLDER_KEYS
from .context import ImportContext


def team_only_values(ctx: ImportContext, account: Account, values: dict[str, Any]) -> dict[str, str]:
    """The team-only values of one stakeholder row to write: the non-empty cells of the team-only columns
    the file has (an empty cell keeps what is stored), and none at all when the import's author may not
    see the account's team content (the service would ignore them; the row's edit check then reports)."""
    present = [k for k in TEAM_ONLY_STAKEHOLDER_KEYS if ctx.has(k) and values.get(k)]
    if not present or not policy.sees_team_content(ctx.author, account):
        return {}
    return {k: values[k] for k in present}
