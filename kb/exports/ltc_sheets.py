"""The Lead to Cash sheets of the account workbook: leads (线索), opportunities (机会点), risks (风险) and
contracts (合同, one row per milestone). Issue 10 §7: LTC records are read through the exports too.

Access goes through kb.policy's clauses only: `lead_visible_clause`, `opportunity_visible_clause` (team-only
ones for the account team, admins and project-triangle holders), `risk_visible_clause`; a contract follows
its opportunity. Values as the other sheets write them: dates as date cells, amounts as numbers with the
currency in its own column, enumeration labels in the reader's language, our users as e-mail addresses.
Every sheet reads at most `limit` + 1 rows (the caller's cap cuts the last one and says so).
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from models import Account, Contract, ContractMilestone, Lead, Opportunity, OpportunitySeat, Risk

from .. import clock, policy
from ..db import session
from ..exchange.columns import LIST_JOIN, Column
from .rows import Labels

_BATCH = 1_000

#: Sheet kind → (Chinese title, English title).
LTC_SHEET_TITLES = {
    "leads": ("线索", "leads"), "opportunities": ("机会点", "opportunities"),
    "risks": ("风险", "risks"), "contracts": ("合同", "contracts"),
}


def _c(key: str, zh: str, en: str | None = None) -> Column:
    return Column(key, zh, en or key, "text", key)


LEAD_COLUMNS: tuple[Column, ...] = (
    _c("title", "线索名称"), _c("account", "客户"), _c("source", "来源"), _c("status", "状态"),
    _c("estimated_amount", "预计金额"), _c("currency", "币种"), _c("owner", "负责人"),
    _c("budget_confirmed", "预算已确认"), _c("budget_amount", "预算金额"),
    _c("budget_confirmed_on", "预算确认日期"), _c("drop_reason", "放弃原因"), _c("visibility", "可见范围"),
    _c("description", "描述"),
)
OPPORTUNITY_COLUMNS: tuple[Column, ...] = (
    _c("name", "机会点名称"), _c("account", "客户"), _c("stage", "阶段"), _c("status", "状态"),
    _c("amount", "金额"), _c("currency", "币种"), _c("win_probability", "赢率(%)", "win_probability_percent"),
    _c("expected_close_on", "预计关闭日期"), _c("opened_on", "立项日期"), _c("closed_on", "关闭日期"),
    _c("close_reason", "关闭原因"), _c("key_project", "山头项目"), _c("light", "项目灯"),
    _c("light_reason", "亮灯原因"), _c("key_owner", "山头项目负责人"),
    _c("triangle", "项目铁三角", "project_triangle"), _c("competitors", "竞争对手"),
    _c("visibility", "可见范围"),
)
RISK_COLUMNS: tuple[Column, ...] = (
    _c("description", "风险及遗留问题", "description"), _c("account", "客户"),
    _c("opportunity", "机会点"), _c("owner", "负责人"), _c("due_on", "到期日"), _c("status", "状态"),
    _c("resolution", "处理结果"), _c("resolved_on", "解决日期"),
)
CONTRACT_COLUMNS: tuple[Column, ...] = (
    _c("number", "合同编号"), _c("opportunity", "机会点"), _c("signed_on", "签订日期"),
    _c("amount", "合同金额", "contract_amount"), _c("currency", "币种"), _c("milestone_kind", "里程碑类型"),
    _c("milestone", "里程碑"), _c("planned_on", "计划日期"), _c("planned_amount", "计划金额"),
    _c("actual_on", "实际日期"), _c("actual_amount", "实际金额"),
)


def ltc_title(kind: str, locale: str) -> str:
    """The title of LTC sheet `kind` (a key of LTC_SHEET_TITLES) in `locale` (``zh``/``en``)."""
    zh, en = LTC_SHEET_TITLES[kind]
    return en if locale.startswith("en") else zh


def _email(user: Any) -> str:
    return user.email if user is not None else ""


def _scalars(stmt: Any) -> Iterator[Any]:
    result = session.scalars(stmt.execution_options(yield_per=_BATCH))
    try:
        yield from result
    finally:
        result.close()


def lead_rows(*, account: Account, reader: Any, labels: Labels, limit: int) -> Iterator[list[Any]]:
    """LEAD_COLUMNS of the account's leads `reader` may see, newest first; at most `limit` + 1 rows."""
    stmt = (select(Lead).where(Lead.account_id == account.id, policy.lead_visible_clause(reader))
            .options(selectinload(Lead.owner)).order_by(Lead.id.desc()).limit(limit + 1))
    for lead in _scalars(stmt):
        values = {
            "title": lead.title, "account": account.name, "source": labels(lead.source),
            "status": labels(lead.status), "estimated_amount": lead.estimated_amount, "currency": lead.currency,
            "owner": _email(lead.owner), "budget_confirmed": labels.yes_no(lead.budget_confirmed),
            "budget_amount": lead.budget_amount, "budget_confirmed_on": lead.budget_confirmed_on,
            "drop_reason": lead.drop_reason, "visibility": labels(lead.visibility), "description": lead.description,
        }
        yield [values[c.key] for c in LEAD_COLUMNS]


def _triangle(opportunity: Opportunity, today: Any) -> str:
    """The project-triangle seats in force today as ``AR ar@x; SR sr@x`` (roles in AR, SR, FR order)."""
    seats = sorted(opportunity.seats_in_force(today), key=lambda s: (s.role.value, s.id))
    return LIST_JOIN.join(f"{seat.role.value} {seat.user.email}" for seat in seats)


def opportunity_rows(*, account: Account, reader: Any, labels: Labels, limit: int) -> Iterator[list[Any]]:
    """OPPORTUNITY_COLUMNS of the account's opportunities `reader` may see (open ones first, then newest
    opened); the triangle is the seats in force on the reader's today. At most `limit` + 1 rows."""
    today = clock.today()
    stmt = (select(Opportunity)
            .where(Opportunity.account_id == account.id, policy.opportunity_visible_clause(reader))
            .options(selectinload(Opportunity.key_owner),
                     selectinload(Opportunity.seats).selectinload(OpportunitySeat.user))
            .order_by(Opportunity.closed_on.is_not(None), Opportunity.opened_on.desc(), Opportunity.id.desc())
            .limit(limit + 1))
    for opp in _scalars(stmt):
        values = {
            "name": opp.name, "account": account.name, "stage": labels(opp.stage), "status": labels(opp.status),
            "amount": opp.amount, "currency": opp.currency, "win_probability": opp.win_probability,
            "expected_close_on": opp.expected_close_on, "opened_on": opp.opened_on, "closed_on": opp.closed_on,
            "close_reason": opp.close_reason, "key_project": labels.yes_no(opp.key_project),
            "light": labels(opp.light) if opp.key_project else "",
            "light_reason": opp.light_reason if opp.key_project else "",
            "key_owner": _email(opp.key_owner) if opp.key_project else "",
            "triangle": _triangle(opp, today), "competitors": opp.competitors,
            "visibility": labels(opp.visibility),
        }
        yield [values[c.key] for c in OPPORTUNITY_COLUMNS]


def risk_rows(*, account: Account, reader: Any, labels: Labels, limit: int) -> Iterator[list[Any]]:
    """RISK_COLUMNS of the account's risks and open issues `reader` may see (open first, soonest due
    first); an opportunity's risk only when `reader` sees the opportunity. At most `limit` + 1 rows."""
    stmt = (select(Risk).where(Risk.account_id == account.id, policy.risk_visible_clause(reader))
            .options(selectinload(Risk.owner), selectinload(Risk.opportunity))
            .order_by(Risk.resolved_on.is_not(None), Risk.due_on.is_(None), Risk.due_on, Risk.id)
            .limit(limit + 1))
    for risk in _scalars(stmt):
        values = {
            "description": risk.description, "account": account.name,
            "opportunity": risk.opportunity.name if risk.opportunity is not None else "",
            "owner": _email(risk.owner), "due_on": risk.due_on, "status": labels(risk.status),
            "resolution": risk.resolution, "resolved_on": risk.resolved_on,
        }
        yield [values[c.key] for c in RISK_COLUMNS]


def contract_rows(*, account: Account, reader: Any, labels: Labels, limit: int) -> Iterator[list[Any]]:
    """CONTRACT_COLUMNS: one row per milestone (a contract without milestones: one row with the milestone
    columns empty), each with its contract's number, signature date, amount and currency. Only contracts of
    opportunities `reader` may see. Newest signed first, milestones in plan order; at most `limit` + 1 rows."""
    stmt = (select(Contract, ContractMilestone)
            .join(Contract.opportunity)
            .outerjoin(ContractMilestone, ContractMilestone.contract_id == Contract.id)
            .where(Contract.account_id == account.id, policy.opportunity_visible_clause(reader))
            .options(contains_eager(Contract.opportunity))
            .order_by(Contract.signed_on.desc(), Contract.id.desc(), ContractMilestone.planned_on,
                      ContractMilestone.id)
            .limit(limit + 1))
    result = session.execute(stmt.execution_options(yield_per=_BATCH))
    try:
        for contract, milestone in result:
            values = {
                "number": contract.number, "opportunity": contract.opportunity.name,
                "signed_on": contract.signed_on, "amount": contract.amount, "currency": contract.currency,
                "milestone_kind": labels(milestone.kind) if milestone is not None else "",
                "milestone": milestone.title if milestone is not None else "",
                "planned_on": milestone.planned_on if milestone is not None else None,
                "planned_amount": milestone.planned_amount if milestone is not None else None,
                "actual_on": milestone.actual_on if milestone is not None else None,
                "actual_amount": milestone.actual_amount if milestone is not None else None,
            }
            yield [values[c.key] for c in CONTRACT_COLUMNS]
    finally:
        result.close()


#: kind → its columns and its row source, in the order the sheets appear.
LTC_SHEETS = (
    ("leads", LEAD_COLUMNS, lead_rows), ("opportunities", OPPORTUNITY_COLUMNS, opportunity_rows),
    ("risks", RISK_COLUMNS, risk_rows), ("contracts", CONTRACT_COLUMNS, contract_rows),
)
