"""Stakeholders' contact details (phone, mobile, email, WeChat ID, assistant) in exports and imports: the
columns appear only for readers who may see them (account team, admins: kb.policy.sees_team_content) and an
exported workbook re-imports them; an author outside the team cannot write them through an import."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from models import SeatRole, Stakeholder, UserRole

from .exports_support import sheet_rows, sheet_text, workbook
from .import_support import run

CONTACT = {"phone": "+86 571 8888 0000", "mobile": "13900001111", "email": "liu.zong@zj.example.cn",
           "wechat_id": "liuzong_zj", "assistant_name": "陈秘书", "assistant_contact": "=0571-8888 0001"}
CONTACT_HEADERS_ZH = ["电话", "手机", "邮箱", "微信号", "助理", "助理联系方式"]


@pytest.fixture
def world(create_user, create_group, create_account, create_seat, create_stakeholder):
    group = create_group(name="华东运营商群")
    seated, named, other = create_user(name="座席成员"), create_user(name="指名成员"), create_user(name="外部成员")
    viewer, admin = create_user(role=UserRole.VIEWER), create_user(role=UserRole.ADMIN, name="管理员")
    create_seat(group, seated, SeatRole.AR)
    account = create_account(group=group, name="中国移动浙江公司", members=[named])
    boss = create_stakeholder(account, name="刘总", **CONTACT)
    create_stakeholder(account, name="王工", reports_to=boss)
    return dict(account=account, seated=seated, named=named, other=other, viewer=viewer, admin=admin)


@pytest.mark.parametrize("reader", ["seated", "named", "admin"])
def test_the_team_and_admins_export_contact_details(client, login_as, world, reader):
    login_as(world[reader])
    book = workbook(_download(client, world))
    people = sheet_rows(book, "关键人")
    assert people[0][-6:] == CONTACT_HEADERS_ZH
    assert people[1][-6:] == list(CONTACT.values())  # "+86…" and "=0571…" kept as the text typed
    assert book["关键人"].cell(row=2, column=len(people[0])).data_type == "s"  # text, never a formula


@pytest.mark.parametrize("reader", ["other", "viewer"])
def test_other_readers_get_no_contact_column_and_no_contact_value(client, login_as, world, reader):
    login_as(world[reader])
    book = workbook(_download(client, world))
    people = sheet_rows(book, "关键人")
    assert not set(CONTACT_HEADERS_ZH) & set(people[0])
    assert [r[people[0].index("姓名")] for r in people[1:]] == ["刘总", "王工"]
    text = sheet_text(book)
    assert not [v for v in CONTACT.values() if v in text]


def _download(client, world, locale="zh_CN"):
    with client.session_transaction() as browser:
        browser["locale"] = locale
    return client.get(f"/accounts/{world['account'].id}/export.xlsx")


def _contacts(app, name="刘总"):
    with app.test_request_context():
        from kb.db import session

        person = session.scalar(select(Stakeholder).where(Stakeholder.name == name))
        return {k: getattr(person, k) for k in CONTACT}


def _blank_contacts(app):
    with app.test_request_context():
        from kb.db import session

        person = session.scalar(select(Stakeholder).where(Stakeholder.name == "刘总"))
        for key in CONTACT:
            setattr(person, key, "")
        session.commit()


def test_an_exported_workbook_imports_the_contact_details_back(app, client, login_as, world, tmp_path):
    login_as(world["named"])
    data = _download(client, world, "en").data  # English headers: the import reads either language
    _blank_contacts(app)
    report = run(app, tmp_path, data, kind="stakeholders", author=world["named"], name="account.xlsx")
    assert report.ok, report.problems
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert _contacts(app) == CONTACT
    again = run(app, tmp_path, data, kind="stakeholders", author=world["named"], name="account.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_an_outsider_cannot_write_contact_details_through_an_import(app, client, login_as, world, tmp_path):
    login_as(world["admin"])
    data = _download(client, world).data
    _blank_contacts(app)
    report = run(app, tmp_path, data, kind="stakeholders", author=world["other"], name="account.xlsx")
    assert not getattr(report, "ok", False)  # rejected: nothing written
    report = report.report
    assert {(p.row, p.column) for p in report.problems} == {(2, h) for h in CONTACT_HEADERS_ZH}
    assert report.problems[0].message == "Only the account team and admins may import this column."
    assert _contacts(app) == {k: "" for k in CONTACT}


def test_a_bad_contact_value_is_reported_on_its_row_and_column(app, world, tmp_path):
    from .import_support import csv_bytes, headers

    rows = [headers("stakeholders", ["account", "name", "mobile"]), ["中国移动浙江公司", "刘总", "call me"]]
    report = run(app, tmp_path, csv_bytes(rows), kind="stakeholders", author=world["admin"], dry_run=True)
    problems = [(p.row, p.column) for p in report.problems]
    assert problems == [(2, "手机")], report.problems
    assert _contacts(app)["mobile"] == CONTACT["mobile"]
