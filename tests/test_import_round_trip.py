"""Round trip: the demo accounts, stakeholders and interactions (with their next steps), written to
workbooks with the shared columns (kb/exchange/columns.py, as exports write them), imported into an empty
instance, give the same records; importing the same workbooks again changes nothing.

The writer here is the test's own (the export branch writes the same columns); what is compared is what
the columns carry. Not carried, so not compared: archived flags, plans, seats, created/updated stamps.
"""
from __future__ import annotations

import io
import shutil
from typing import Any

import pytest
from sqlalchemy import select

from kb import create_app
from kb.exchange.columns import (
    ACCOUNT_COLUMNS, INTERACTION_COLUMNS, LIST_JOIN, NEXT_STEP_COLUMNS, SHEET_TITLES, STAKEHOLDER_COLUMNS,
    enum_cell,
)
from models import Account, Interaction, Stakeholder, User
from tests.conftest import PG_URL, make_config
from tests.import_support import run

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="needs a second, empty database: SQLite run only")


def _account_row(a: Account) -> dict[str, Any]:
    return {"external_key": a.external_key or "", "name": a.name, "name_en": a.name_en,
            "aliases": LIST_JOIN.join(a.aliases or []), "group": a.customer_group.name if a.customer_group else "",
            "parent": a.parent.name if a.parent else "", "industry": a.industry, "region": a.region,
            "tier": enum_cell(a.tier, "zh"), "coverage": enum_cell(a.coverage, "zh"), "description": a.description}


def _stakeholder_row(s: Stakeholder) -> dict[str, Any]:
    return {"external_key": s.external_key or "", "account": s.account.name, "name": s.name, "name_en": s.name_en,
            "title": s.title, "department": s.department, "reports_to": s.reports_to.name if s.reports_to else "",
            "decision_role": enum_cell(s.decision_role, "zh"), "attitude": enum_cell(s.attitude, "zh"),
            "influence": enum_cell(s.influence, "zh"), "layer": enum_cell(s.layer, "zh"),
            "relationship_level": s.relationship_level,
            "primary_owner": s.primary_owner.email if s.primary_owner else "",
            "backup_owners": LIST_JOIN.join(u.email for u in s.backup_owners), "notes": s.notes,
            "private_notes": s.private_notes, "phone": s.phone, "mobile": s.mobile, "email": s.email,
            "wechat_id": s.wechat_id, "assistant_name": s.assistant_name, "assistant_contact": s.assistant_contact}


def _interaction_row(i: Interaction) -> dict[str, Any]:
    return {"external_key": i.external_key or "", "account": i.account.name, "occurred_on": i.occurred_on,
            "kind": enum_cell(i.kind, "zh"), "title": i.title, "summary": i.summary,
            "visibility": enum_cell(i.visibility, "zh"),
            "stakeholders": LIST_JOIN.join(s.name for s in i.stakeholders),
            "attendees": LIST_JOIN.join(u.email for u in i.attendees)}


def _step_rows(i: Interaction) -> list[dict[str, Any]]:
    return [{"interaction_key": i.external_key or "", "account": i.account.name, "occurred_on": i.occurred_on,
             "interaction_title": i.title, "text": s.text, "owner": s.owner.email if s.owner else "",
             "due_on": s.due_on, "done": "是" if s.done else "否", "interaction_row": None} for s in i.next_steps]


def _workbook(sheets: list[tuple[str, Any, list[dict[str, Any]]]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for kind, columns, rows in sheets:
        sheet = workbook.create_sheet(SHEET_TITLES[kind][0])
        sheet.append([c.header_zh for c in columns])
        for row in rows:
            sheet.append([row[c.key] for c in columns])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text, never a formula
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _export(app) -> dict[str, bytes]:
    with app.test_request_context():
        from kb.db import session

        accounts = list(session.scalars(select(Account).order_by(Account.id)))
        people = list(session.scalars(select(Stakeholder).order_by(Stakeholder.id)))
        visits = list(session.scalars(select(Interaction).order_by(Interaction.id)))
        return {
            "accounts": _workbook([("accounts", ACCOUNT_COLUMNS, [_account_row(a) for a in accounts])]),
            "stakeholders": _workbook([("stakeholders", STAKEHOLDER_COLUMNS, [_stakeholder_row(s) for s in people])]),
            "interactions": _workbook([
                ("interactions", INTERACTION_COLUMNS, [_interaction_row(i) for i in visits]),
                ("next_steps", NEXT_STEP_COLUMNS, [r for i in visits for r in _step_rows(i)])]),
        }


def _snapshot(app) -> dict[str, Any]:
    """What the columns carry, keyed by names (ids differ between instances)."""
    with app.test_request_context():
        from kb.db import session

        accounts = {a.name: {k: v for k, v in _account_row(a).items() if k != "external_key"}
                    for a in session.scalars(select(Account))}
        people = {(s.account.name, s.name): {k: v for k, v in _stakeholder_row(s).items() if k != "external_key"}
                  for s in session.scalars(select(Stakeholder))}
        visits = {(i.account.name, i.occurred_on, i.kind, i.title):
                  ({k: v for k, v in _interaction_row(i).items() if k != "external_key"},
                   [{k: v for k, v in r.items() if k != "interaction_key"} for r in _step_rows(i)])
                  for i in session.scalars(select(Interaction))}
        return {"accounts": accounts, "stakeholders": people, "interactions": visits}


@pytest.fixture
def empty_instance(migrated_database, tmp_path):
    target = tmp_path / "empty" / "kb.sqlite3"
    target.parent.mkdir()
    shutil.copyfile(migrated_database, target)
    other = create_app(make_config(tmp_path / "empty", f"sqlite:///{target}"))
    yield other
    other.extensions["kb.db"].engine.dispose()


def test_demo_exported_and_imported_into_an_empty_instance_gives_the_same_records(app, empty_instance, tmp_path):
    from kb.demo import load_demo
    from kb.demo.context import DemoContext
    from kb.demo.load_people import load_groups, load_users

    with app.test_request_context():
        from kb.db import session

        load_demo(session)
        session.commit()
    files = _export(app)
    before = _snapshot(app)
    assert len(before["accounts"]) == 16 and len(before["stakeholders"]) == 75 and len(before["interactions"]) == 114
    with empty_instance.test_request_context():
        from kb.db import session

        ctx = DemoContext(session)
        load_users(ctx)
        load_groups(ctx)
        for user in session.scalars(select(User)):
            user.active = True  # a new instance's people are active (the demo has one who left)
        session.commit()
        admin = session.scalar(select(User).where(User.email == "admin@demo.kb")).id
    for kind in ("accounts", "stakeholders", "interactions"):
        report = run(empty_instance, tmp_path, files[kind], kind=kind, author=admin, name=f"{kind}.xlsx")
        assert getattr(report, "ok", False), getattr(report, "report", report)
        assert report.created == len(before[kind]) and report.updated == 0
    assert _snapshot(empty_instance) == before
    for kind in ("accounts", "stakeholders", "interactions"):
        again = run(empty_instance, tmp_path, files[kind], kind=kind, author=admin, name=f"{kind}.xlsx")
        assert (again.created, again.updated, again.unchanged) == (0, 0, len(before[kind])), again.problems
