"""Demo loaders for stakeholders (with owners) and account plans (with their revision history)."""
from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from models import (
    ANSWER_FIELDS, SECTION_KEYS, AccountPlan, Attitude, DecisionRole, Influence, PlanRevision, PlanStatus,
    RelationshipLayer, Stakeholder, StakeholderOwner,
)

from .context import DemoContext, at, md
from .data_plans_a import PLANS_A
from .data_plans_b import PLANS_B, PLANS_FY2026
from .data_stakeholders import STAKEHOLDERS

logger = logging.getLogger(__name__)

ROLES = {"DM": DecisionRole.DECISION_MAKER, "INF": DecisionRole.INFLUENCER, "EVA": DecisionRole.EVALUATOR,
         "PUR": DecisionRole.PURCHASER, "USR": DecisionRole.USER, "COA": DecisionRole.COACH,
         "BLK": DecisionRole.BLOCKER}
ATTITUDES = {"S": Attitude.SUPPORT, "N": Attitude.NEUTRAL, "O": Attitude.OPPOSE}
INFLUENCE = {"H": Influence.HIGH, "M": Influence.MEDIUM, "L": Influence.LOW}
LAYERS = {"K": RelationshipLayer.KEY, "B": RelationshipLayer.BROAD, "O": RelationshipLayer.ORGANISATIONAL}
FIELDS = ANSWER_FIELDS + SECTION_KEYS


def load_stakeholders(ctx: DemoContext) -> None:
    """The decision chain of every account; owners' `since` is when the stakeholder was recorded."""
    count = 0
    for account_key, rows in STAKEHOLDERS.items():
        account, data = ctx.accounts[account_key], ctx.account_data[account_key]
        end = ctx.end_of(account_key) - timedelta(days=30)
        ctx.people_of[account_key] = []
        for (key, name, name_en, title, dept, boss, role, attitude, influence, layer, level, owners,
             notes, private) in rows:
            created = ctx.day_between(max(data["created"], date(2023, 1, 1)), end - timedelta(days=90))
            changed = ctx.day_between(created, end)
            author = owners[0] if owners and ctx.users[owners[0]].active else (
                ctx.holder(account_key, "AR", created) or "liming")
            editor = ctx.holder(account_key, "AR", changed) or "liming"
            person = Stakeholder(
                account=account, name=name, name_en=name_en, title=title, department=dept,
                reports_to=ctx.stakeholders[boss] if boss else None, decision_role=ROLES[role],
                attitude=ATTITUDES[attitude], influence=INFLUENCE[influence], layer=LAYERS[layer],
                relationship_level=level, notes=notes, private_notes=private,
                created_by_id=ctx.uid(author), created_at=at(created, 6),
                updated_by_id=ctx.uid(editor), updated_at=at(changed, 7),
            )
            person.owners = [
                StakeholderOwner(user_id=ctx.uid(user), is_primary=(i == 0), since=at(created, 6))
                for i, user in enumerate(owners)
            ]
            ctx.session.add(person)
            ctx.stakeholders[key] = person
            ctx.people_of[account_key].append(key)
            count += 1
    ctx.session.flush()
    ctx.counts["stakeholders"] = count


def load_plans(ctx: DemoContext) -> None:
    """FY2027 plans for every account and FY2026 plans for some, each with 2–4 revisions."""
    count = 0
    for account_key in ctx.account_data:
        old = PLANS_FY2026.get(account_key)
        if old:
            _add_plan(ctx, account_key, "FY2026", old, first=date(2024, 10, 8), later=date(2024, 11, 1),
                      last=date(2025, 2, 20))
            count += 1
        spec = PLANS_A.get(account_key) or PLANS_B[account_key]
        first = date(2025, 7, 10) if spec["stale"] else date(2026, 1, 12)
        # Later saves fall in 2026, so only the answers meant to be stale are older than 12 months.
        _add_plan(ctx, account_key, "FY2027", spec, first=first, later=date(2026, 1, 5),
                  last=ctx.end_of(account_key))
        count += 1
    ctx.session.flush()
    ctx.counts["plans"] = count


def draft_of(text: str) -> str:
    """What a first draft of `text` looked like: its first line, marked as unfinished."""
    first = text.split("\n", 1)[0].strip()
    return f"{first}\n\n（待补充）" if first != text else f"{text.rstrip('。')}（初稿，待补充）"


def _final_content(spec: dict[str, Any]) -> dict[str, str]:
    content = {name: md(spec[name]) for name in ANSWER_FIELDS}
    content.update({name: md(spec["sections"].get(name, "")) for name in SECTION_KEYS})
    return content


def _snapshots(ctx: DemoContext, spec: dict[str, Any], n: int) -> list[dict[str, str]]:
    """The field values at revisions 1..n: stale fields are final from revision 1, the others at a
    random revision ≥ 2 (before that, a first draft; sections start empty)."""
    final = _final_content(spec)
    final_at = {name: 1 if name in spec["stale"] else ctx.rng.randint(2, n) for name in FIELDS}
    final_at[ctx.rng.choice([f for f in FIELDS if f not in spec["stale"]])] = n  # the last save changed something
    snapshots = []
    for number in range(1, n + 1):
        snap = {}
        for name, text in final.items():
            if number >= final_at[name] or not text:
                snap[name] = text
            elif name in SECTION_KEYS and number == 1:
                snap[name] = ""
            else:
                snap[name] = draft_of(text)
        snapshots.append(snap)
    return snapshots


def _revision_days(ctx: DemoContext, first: date, last: date, n: int, later: date) -> list[date]:
    """Days of revisions 1..n: the first near `first`, the others from `later` on, before `last`."""
    days = [ctx.day_between(first, first + timedelta(days=60))]
    for _ in range(n - 1):
        step = max(days[-1], later) + timedelta(days=ctx.rng.randint(20, 100))
        days.append(min(step, last - timedelta(days=3)))
    return sorted(days)


COMMENTS = ["{period} 规划初稿", "补充盈利模式与竞争分析", "根据客户高层会谈更新决策人", "客户群月度评审后修改"]


def _add_plan(ctx: DemoContext, account_key: str, period: str, spec: dict[str, Any], *, first: date,
              later: date, last: date) -> AccountPlan:
    """One plan with n revisions; the plan holds the last one, `field_changes` who changed what last."""
    n = ctx.rng.randint(2, 4)
    snapshots = _snapshots(ctx, spec, n)
    days = _revision_days(ctx, first, last, n, later)
    dm_ids = [ctx.stakeholders[k].id for k in spec["dm"]]
    authors = [ctx.uid(ctx.holder(account_key, "AR" if i % 2 == 0 else "SR", day) or "liming")
               for i, day in enumerate(days)]
    status = PlanStatus(spec["status"])
    plan = AccountPlan(account=ctx.accounts[account_key], period=period, version=n, status=status,
                       reviewed_on=days[-1] if status == PlanStatus.REVIEWED else None,
                       decision_maker_links=[ctx.stakeholders[k] for k in spec["dm"]])
    changes: dict[str, dict[str, Any]] = {}
    for number, (snap, day, author) in enumerate(zip(snapshots, days, authors), start=1):
        when = at(day, 8, 30 + number)
        previous = snapshots[number - 2] if number > 1 else {}
        changes.update({name: {"by": author, "at": when.isoformat()} for name in FIELDS
                        if snap[name] and previous.get(name) != snap[name]})
        last_status = status if number == n else PlanStatus.DRAFT
        content = _content(snap, dm_ids=dm_ids if number > 1 else dm_ids[:1], status=last_status,
                            period=period)
        plan.revisions.append(PlanRevision(number=number, content=content, author_id=author, created_at=when,
                                           comment=_comment(number, last_status, period)))
    for name in ANSWER_FIELDS:
        setattr(plan, name, snapshots[-1][name])
    plan.sections = {name: snapshots[-1][name] for name in SECTION_KEYS}
    plan.field_changes = changes
    plan.created_by_id, plan.created_at = authors[0], at(days[0], 8, 31)
    plan.updated_by_id, plan.updated_at = authors[-1], at(days[-1], 8, 30 + n)
    ctx.session.add(plan)
    return plan


def _content(snap: dict[str, str], *, dm_ids: list[int], status: PlanStatus, period: str) -> dict[str, Any]:
    """A revision's full snapshot, shaped like the plans service writes it."""
    content: dict[str, Any] = {name: snap[name] for name in ANSWER_FIELDS}
    content.update(sections={name: snap[name] for name in SECTION_KEYS}, decision_maker_ids=dm_ids,
                   status=status.value, period=period)
    return content


def _comment(number: int, status: PlanStatus, period: str) -> str:
    if number == 1:
        return COMMENTS[0].format(period=period)
    return "客户群评审通过" if status == PlanStatus.REVIEWED else COMMENTS[number % 4 or 1]
