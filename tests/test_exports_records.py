"""Every download is recorded (who, when, what, format, rows); the account team and admins see an account's
exports, admins see every export; other members and viewers do not."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from models import ExportRecord, SeatRole, UserRole

ZH = {"Accept-Language": "zh-CN"}


@pytest.fixture
def world(create_user, create_group, create_account, create_seat, create_stakeholder):
    group = create_group()
    seated, named, other = create_user(name="座席成员"), create_user(name="指名成员"), create_user(name="外部成员")
    viewer, admin = create_user(role=UserRole.VIEWER, name="只读用户"), create_user(role=UserRole.ADMIN)
    create_seat(group, seated, SeatRole.SR)
    account = create_account(group=group, name="国家电网", members=[named])
    create_stakeholder(account, name="刘总")
    return dict(account=account, seated=seated, named=named, other=other, viewer=viewer, admin=admin)


def _records(app):
    with app.app_context():
        from kb.db import session

        return [(r.user_id, r.kind, r.account_id, r.row_format, r.row_count, r.filters)
                for r in session.scalars(select(ExportRecord).order_by(ExportRecord.id))]


def test_each_download_is_recorded_with_who_what_format_and_rows(app, client, login_as, world):
    viewer, account = world["viewer"], world["account"]
    login_as(viewer)
    assert client.get(f"/accounts/{account.id}/export.xlsx").status_code == 200
    assert client.get("/accounts/export.csv?q=电网&tier=key").status_code == 200
    assert client.get("/accounts/export.xlsx").status_code == 200
    assert client.get("/search/export.csv?q=刘总&type=stakeholder").status_code == 200
    assert _records(app) == [
        (viewer.id, "account", account.id, "xlsx", 2, {}),  # the account and its one stakeholder
        (viewer.id, "accounts", None, "csv", 1, {"q": "电网", "tier": "key"}),
        (viewer.id, "accounts", None, "xlsx", 1, {}),
        (viewer.id, "search", None, "csv", 1, {"q": "刘总", "type": "stakeholder"}),
    ]


def test_refused_and_missing_exports_are_not_recorded(app, client, login_as, world):
    login_as(world["admin"])
    assert client.get("/accounts/999999/export.xlsx").status_code == 404
    assert client.get("/search/export.csv?q=").status_code == 302
    assert _records(app) == []


@pytest.mark.parametrize("reader,status", [("seated", 200), ("named", 200), ("admin", 200),
                                           ("other", 403), ("viewer", 403)])
def test_the_account_team_and_admins_see_who_exported_the_account(client, login_as, world, reader, status):
    account = world["account"]
    login_as(world["other"])
    client.get(f"/accounts/{account.id}/export.xlsx")
    login_as(world[reader])
    response = client.get(f"/accounts/{account.id}/exports")
    assert response.status_code == status
    if status == 200:
        page = response.get_data(as_text=True)
        assert "外部成员" in page and world["other"].email in page and "Account workbook" in page
        assert "1 export" in page


@pytest.mark.parametrize("reader,status", [("admin", 200), ("seated", 403), ("other", 403), ("viewer", 403)])
def test_only_admins_see_every_export(client, login_as, world, reader, status):
    login_as(world["viewer"])
    client.get("/accounts/export.csv?industry=电信")
    client.get(f"/accounts/{world['account'].id}/export.xlsx")
    login_as(world[reader])
    response = client.get("/admin/exports")
    assert response.status_code == status
    if status == 200:
        page = response.get_data(as_text=True)
        assert page.count("只读用户") == 2 and "industry=电信" in page
        assert "Account list" in page and "国家电网" in page


def test_the_records_page_reads_in_chinese(client, login_as, world):
    login_as(world["admin"])
    client.get(f"/accounts/{world['account'].id}/export.xlsx")
    page = client.get("/admin/exports", headers=ZH).get_data(as_text=True)
    assert "导出记录" in page and "客户工作簿" in page and "1 次导出" in page
    assert "Exports" not in page
    show = client.get(f"/accounts/{world['account'].id}", headers=ZH).get_data(as_text=True)
    assert "导出 Excel" in show and "Export to Excel" not in show
    listing = client.get("/accounts", headers=ZH).get_data(as_text=True)
    assert "导出 .csv" in listing and "导出 .xlsx" in listing


def test_an_empty_records_page_says_so(client, login_as, world):
    login_as(world["admin"])
    page = client.get(f"/accounts/{world['account'].id}/exports").get_data(as_text=True)
    assert "Nothing has been exported yet." in page


def test_admins_find_the_records_from_the_users_page(client, login_as, world):
    login_as(world["admin"])
    assert "/admin/exports" in client.get("/admin/users").get_data(as_text=True)
