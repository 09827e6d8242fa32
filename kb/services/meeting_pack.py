"""The printable meeting pack of LTC's two regular meetings: the sales project review (销售项目分析会) and
the sales business meeting (销售业务会). What changed since the last meeting's date: key projects with
their lights and the light and stage changes since then, overdue risks, every stage change since then;
the "decisions to record" section is left empty for the meeting to fill in.

Read through kb.policy like the four watches (kb.services.watches); a constant number of statements,
lists bounded by `limit`.
"""
from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import CustomerGroup, KeyProjectLightChange, Opportunity, OpportunityStageChange

from .. import clock, policy
from ..db import session
from .errors import ValidationFailed
from .watch_period import scope_accounts_stmt
from .watches_lists import KeyProjectRow, RiskRow, key_projects, risk_watch

#: Without a date: what changed in the last two weeks.
DEFAULT_SINCE_DAYS = 14


class Meeting(str, enum.Enum):
    """The two regular meetings of the sales-management organisation."""

    PROJECT_REVIEW = "project_review"  # 销售项目分析会
    BUSINESS = "business"  # 销售业务会


@dataclass(frozen=True)
class KeyProjectUpdate:
    """A key project and what changed on it since the meeting date (newest first)."""

    project: KeyProjectRow
    light_changes: list[KeyProjectLightChange]
    stage_changes: list[OpportunityStageChange]

    @property
    def changed(self) -> bool:
        return bool(self.light_changes or self.stage_changes)

    @property
    def changes(self) -> list[tuple[str, KeyProjectLightChange | OpportunityStageChange]]:
        """Light and stage changes in one list, in date order (oldest first): ("light" | "stage", change)."""
        rows = [("light", c) for c in self.light_changes] + [("stage", c) for c in self.stage_changes]
        return sorted(rows, key=lambda row: (row[1].changed_on, row[0] == "stage", row[1].id))


@dataclass(frozen=True)
class MeetingPack:
    """Everything the printed pack shows; `stage_changes` of every visible opportunity in scope."""

    meeting: Meeting
    group: CustomerGroup | None
    since: date
    today: date
    key_projects: list[KeyProjectUpdate]
    overdue_risks: list[RiskRow]
    stage_changes: list[OpportunityStageChange]


def default_since(today: date) -> date:
    """The meeting date assumed when none is given: DEFAULT_SINCE_DAYS before `today`."""
    return today - timedelta(days=DEFAULT_SINCE_DAYS)


def _stage_changes(viewer: Any, group_id: int | None, since: date,
                   limit: int) -> list[OpportunityStageChange]:
    visible = select(Opportunity.id).where(policy.opportunity_visible_clause(viewer),
                                           Opportunity.account_id.in_(scope_accounts_stmt(group_id)))
    stmt = (select(OpportunityStageChange)
            .where(OpportunityStageChange.changed_on >= since,
                   OpportunityStageChange.opportunity_id.in_(visible))
            .order_by(OpportunityStageChange.changed_on.desc(), OpportunityStageChange.id.desc())
            .options(selectinload(OpportunityStageChange.opportunity).selectinload(Opportunity.account),
                     selectinload(OpportunityStageChange.changed_by))
            .limit(limit))
    return list(session.scalars(stmt))


def meeting_pack(*, viewer: Any, since: date, meeting: Meeting = Meeting.PROJECT_REVIEW,
                 group: CustomerGroup | None = None, today: date | None = None,
                 limit: int = 200) -> MeetingPack:
    """The pack of `meeting` for `group` (None: every group) with the changes from `since` (the last
    meeting's date, included) to `today` (default kb.clock.today()), as `viewer` may see them.

    Raises ValidationFailed (field `since`) when `since` is after today.
    """
    today = today or clock.today()
    if since > today:
        message = _("The last meeting's date cannot be after today.")
        raise ValidationFailed(message, {"since": message})
    group_id = group.id if group is not None else None
    projects = key_projects(viewer=viewer, group_id=group_id, today=today, limit=limit)
    changes = _stage_changes(viewer, group_id, since, limit)
    lights: dict[int, list[KeyProjectLightChange]] = defaultdict(list)
    ids = [p.opportunity.id for p in projects]
    if ids:
        for change in session.scalars(
                select(KeyProjectLightChange)
                .where(KeyProjectLightChange.opportunity_id.in_(ids),
                       KeyProjectLightChange.changed_on >= since)
                .order_by(KeyProjectLightChange.changed_on.desc(), KeyProjectLightChange.id.desc())
                .options(selectinload(KeyProjectLightChange.changed_by))):
            lights[change.opportunity_id].append(change)
    stages: dict[int, list[OpportunityStageChange]] = defaultdict(list)
    for change in changes:
        stages[change.opportunity_id].append(change)
    risks = risk_watch(viewer=viewer, group_id=group_id, today=today, limit=limit)
    return MeetingPack(
        meeting=meeting, group=group, since=since, today=today,
        key_projects=[KeyProjectUpdate(p, lights.get(p.opportunity.id, []), stages.get(p.opportunity.id, []))
                      for p in projects],
        overdue_risks=[row for row in risks.rows if row.overdue],
        stage_changes=changes,
    )
