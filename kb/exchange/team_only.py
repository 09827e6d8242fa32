"""Team-only stakeholder columns on the way in: private notes and contact details.

The rule is kb.policy.sees_team_content (the account team and admins), the same that decides whether an
export carries these columns and that kb.services.stakeholders applies to every write.
"""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from models import Account

from .. import policy
from .columns import TEAM_ONLY_STAKEHOLDER_KEYS
from .context import ImportContext


def team_only_values(ctx: ImportContext, number: int, account: Account,
                     values: dict[str, Any]) -> dict[str, str]:
    """The team-only values of stakeholder row `number` to write: the non-empty cells of the team-only
    columns the file has (an empty cell keeps what is stored). When the import's author may not see the
    account's team content, each such non-empty cell is a problem of the row instead (nothing is written)."""
    present = [k for k in TEAM_ONLY_STAKEHOLDER_KEYS if ctx.has(k) and values.get(k)]
    if not present:
        return {}
    if not policy.sees_team_content(ctx.author, account):
        for key in present:
            ctx.problem(number, key, _("Only the account team and admins may import this column."))
        return {}
    return {k: values[k] for k in present}
