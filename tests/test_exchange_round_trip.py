"""Issue 11 "Done when": the demo, downloaded through the REAL exporter as a user downloads it, re-imports
into an empty instance with the same records.

The demo admin signs in and downloads, unmodified, the account list (`/accounts/export.xlsx` and `.csv`,
archived accounts included) and every account's workbook (`/accounts/<id>/export.xlsx`), in the Chinese and
in the English UI; the files go through the import service (kb.services.imports.run_import) of an empty
instance (the demo's users and groups only), and the records are compared field by field. Importing the
same files again changes nothing.

Carried: accounts (name, English name, aliases, group, parent, industry, region, tier, coverage,
description); stakeholders (names, title, department, reports-to, decision role, attitude, influence, layer,
relationship level, owners, notes, private notes, contact details); interactions (date, kind, title,
summary, visibility, people met, attendees) and their next steps (text, owner, due date, done).
Not carried (not in the columns): the archived flag (an archived account comes back active), plans (the
plan sheet is for reading), seats and members, created/updated stamps and authors, change history,
archived stakeholders and interactions (the exporter leaves them out as the pages do).
"""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from models import Account, Interaction, Stakeholder
from tests.conftest import PG_URL
from tests.exchange_support import empty_instance as _empty_instance
from tests.import_support import run

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="needs a second, empty database: SQLite run only")

CONTACTS = ("phone", "mobile", "email", "wechat_id", "assistant_name", "assistant_contact")


def _account(a: Account) -> dict[str, Any]:
    return {"name_en": a.name_en, "aliases": list(a.aliases or []),
            "group": a.customer_group.name if a.customer_group else "",
            "parent": a.parent.name if a.parent else "",
            "industry": a.industry, "region": a.region, "tier": a.tier, "coverage": a.coverage,
            "description": a.description}


def _stakeholder(s: Stakeholder) -> dict[str, Any]:
    out = {"name_en": s.name_en, "title": s.title, "department": s.department,
           "reports_to": s.reports_to.name if s.reports_to else "", "decision_role": s.decision_role,
           "attitude": s.attitude, "influence": s.influence, "layer": s.layer,
           "relationship_level": s.relationship_level,
           "primary_owner": s.primary_owner.email if s.primary_owner else "",
           "backup_owners": sorted(u.email for u in s.backup_owners), "notes": s.notes,
           "private_notes": s.private_notes}
    out.update({f: getattr(s, f) for f in CONTACTS})
    return out


def _interaction(i: Interaction) -> dict[str, Any]:
    return {"summary": i.summary, "visibility": i.visibility,
            "stakeholders": sorted(s.name for s in i.stakeholders),
            "attendees": sorted(u.email for u in i.attendees),
            "next_steps": [(s.text, s.owner.email if s.owner else "", s.due_on, s.done)
                           for s in i.next_steps]}


def _snapshot(app: Any) -> dict[str, Any]:
    """What the columns carry, keyed by names (ids differ between instances); archived rows left out."""
    with app.test_request_context():
        from kb.db import session

        accounts = {a.name: _account(a) for a in session.scalars(select(Account))}
        people = {(s.account.name, s.name): _stakeholder(s)
                  for s in session.scalars(select(Stakeholder).where(Stakeholder.archived_at.is_(None)))}
        visits = {(i.account.name, i.occurred_on, i.kind, i.title): _interaction(i)
                  for i in session.scalars(select(Interaction).where(Interaction.archived_at.is_(None)))}
        return {"accounts": accounts, "stakeholders": people, "interactions": visits}


def _demo_contacts(app: Any) -> None:
    """The demo has no contact details: give some stakeholders some (one with a leading '+', a formula
    start the exporter guards), so the round trip has contact values to carry."""
    with app.test_request_context():
        from kb.db import session

        for n, s in enumerate(session.scalars(select(Stakeholder).order_by(Stakeholder.id).limit(12))):
            s.phone = f"+86 10 6{n:03d} 1234"
            s.mobile = f"138{n:04d}5678"
            s.email = f"contact{n}@customer.example.cn"
            s.wechat_id = f"wx_{n}"
            s.assistant_name = f"助理{n}"
            s.assistant_contact = f"=分机 {n}"  # formula-like text stays text both ways
        session.commit()


@pytest.fixture
def demo(app: Any) -> Any:
    from kb.demo import load_demo

    with app.test_request_context():
        from kb.db import session

        load_demo(session)
        session.commit()
    _demo_contacts(app)
    return app


def _download(app: Any, locale: str) -> dict[str, Any]:
    """What the demo admin downloads in `locale`: the account list (xlsx, csv, archived included) and
    every account's workbook."""
    with app.test_request_context():
        from kb.db import session

        ids = list(session.scalars(select(Account.id).order_by(Account.id)))
    client = app.test_client()
    response = client.post("/login", data={"email": "admin@demo.kb", "password": "demo1234"})
    assert response.status_code in (302, 303), response.status_code
    with client.session_transaction() as browser:
        browser["locale"] = locale
    listing = client.get("/accounts/export.xlsx?archived=1")
    listing_csv = client.get("/accounts/export.csv?archived=1")
    assert listing.status_code == 200 and listing_csv.status_code == 200
    assert listing_csv.data.startswith(b"\xef\xbb\xbf")
    header = "客户名称" if locale == "zh_CN" else "name"
    assert header in listing_csv.data.decode("utf-8-sig").splitlines()[0]
    books = {}
    for account_id in ids:
        response = client.get(f"/accounts/{account_id}/export.xlsx")
        assert response.status_code == 200, (account_id, response.status_code)
        books[account_id] = response.data
    return {"list.xlsx": listing.data, "list.csv": listing_csv.data, "books": books}


def _import(app: Any, tmp_path: Any, admin: int, data: bytes, kind: str, name: str) -> Any:
    report = run(app, tmp_path, data, kind=kind, author=admin, name=name)
    assert getattr(report, "ok", False), (name, kind, getattr(report, "problems", report))
    return report


def _import_all(app: Any, tmp_path: Any, admin: int, files: dict[str, Any]) -> dict[str, list[int]]:
    """Import the list (xlsx, then csv), then every workbook's account, stakeholders and interactions;
    (created, updated, unchanged) summed per kind."""
    totals = {kind: [0, 0, 0] for kind in ("accounts", "stakeholders", "interactions")}

    def add(kind: str, report: Any) -> None:
        for n, value in enumerate((report.created, report.updated, report.unchanged)):
            totals[kind][n] += value

    add("accounts", _import(app, tmp_path, admin, files["list.xlsx"], "accounts", "accounts.xlsx"))
    add("accounts", _import(app, tmp_path, admin, files["list.csv"], "accounts", "accounts.csv"))
    for kind in ("accounts", "stakeholders", "interactions"):
        for account_id, book in files["books"].items():
            add(kind, _import(app, tmp_path, admin, book, kind, f"account-{account_id}.xlsx"))
    return totals


def _differences(before: dict[Any, dict[str, Any]], after: dict[Any, dict[str, Any]]) -> list[Any]:
    """(record, field, before, after) of every field that differs; records missing on either side."""
    out: list[Any] = [(key, "missing", None, None) for key in before.keys() - after.keys()]
    out += [(key, "extra", None, None) for key in after.keys() - before.keys()]
    for key in before.keys() & after.keys():
        out += [(key, f, v, after[key][f]) for f, v in before[key].items() if after[key][f] != v]
    return sorted(out, key=str)[:20]


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_demo_downloaded_by_the_admin_reimports_into_an_empty_instance_as_the_same_records(
        demo, migrated_database, tmp_path, locale):
    before = _snapshot(demo)
    assert len(before["accounts"]) == 16
    assert len(before["stakeholders"]) > 60 and len(before["interactions"]) > 100
    assert sum(1 for s in before["stakeholders"].values() if s["private_notes"]) > 0
    assert sum(1 for i in before["interactions"].values() if i["next_steps"]) > 10
    files = _download(demo, locale)
    other, admin = _empty_instance(migrated_database, tmp_path, "empty")
    try:
        first = _import_all(other, tmp_path, admin, files)
        after = _snapshot(other)
        for kind in ("accounts", "stakeholders", "interactions"):
            assert _differences(before[kind], after[kind]) == [], kind
        n_accounts, n_people, n_visits = (len(before[k])
                                          for k in ("accounts", "stakeholders", "interactions"))
        assert first["accounts"][0] == n_accounts  # each account once; its other rows are "unchanged"
        assert first["stakeholders"][0] == n_people and first["interactions"][0] == n_visits
        again = _import_all(other, tmp_path, admin, files)
        assert again == {"accounts": [0, 0, 2 * n_accounts + n_accounts],
                         "stakeholders": [0, 0, n_people], "interactions": [0, 0, n_visits]}
        assert _snapshot(other) == before
    finally:
        other.extensions["kb.db"].engine.dispose()


def test_visits_of_one_day_with_one_title_and_their_next_steps_reach_an_empty_instance(
        app, client, login_as, create_user, create_account, create_interaction, migrated_database, tmp_path):
    from datetime import date

    from models import UserRole

    account = create_account(name="甲客户", group=None)
    create_interaction(account, title="电话沟通", occurred_on=date(2026, 9, 1), summary="上午：确认需求",
                       next_steps=[{"text": "整理需求清单"}])
    create_interaction(account, title="电话沟通", occurred_on=date(2026, 9, 1), summary="下午：报价",
                       next_steps=[{"text": "发送报价单"}, {"text": "约技术交流"}])
    login_as(create_user(role=UserRole.ADMIN))
    data = client.get(f"/accounts/{account.id}/export.xlsx").data
    other, admin = _empty_instance(migrated_database, tmp_path, "empty")
    try:
        for kind in ("accounts", "interactions"):
            _import(other, tmp_path, admin, data, kind, "account.xlsx")
        with other.test_request_context():
            from kb.db import session

            visits = {i.summary: [s.text for s in i.next_steps] for i in session.scalars(select(Interaction))}
        assert visits == {"上午：确认需求": ["整理需求清单"], "下午：报价": ["发送报价单", "约技术交流"]}
        again = _import(other, tmp_path, admin, data, "interactions", "account.xlsx")
        assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    finally:
        other.extensions["kb.db"].engine.dispose()
