"""What the exports hold, cell by cell: headers in the reader's language (the import's columns, so an
export re-imports), labels, links by name and e-mail, dates, the plan sheet; the list filters."""
from __future__ import annotations

from datetime import date

import pytest

from models import Attitude, DecisionRole, InteractionKind, SeatRole, Tier, UserRole, Visibility

from .exports_support import BOM, csv_rows, sheet_rows, workbook

ZH = {"Accept-Language": "zh-CN"}


@pytest.fixture
def account(create_user, create_group, create_account, create_seat, create_stakeholder, create_interaction,
            create_plan):
    group = create_group(name="华东运营商群", name_en="East China carriers")
    owner = create_user(name="李经理", email="li@example.com")
    backup = create_user(name="赵经理", email="zhao@example.com")
    create_seat(group, owner, SeatRole.AR)
    parent = create_account(name="中国移动", name_en="China Mobile")
    account = create_account(group=group, name="中国移动浙江公司", name_en="China Mobile Zhejiang",
                             aliases=["浙江移动", "ZJ Mobile"], tier=Tier.STRATEGIC, parent_id=parent.id,
                             description="省级运营商")
    boss = create_stakeholder(account, name="刘总", title="总经理", decision_role=DecisionRole.DECISION_MAKER,
                              attitude=Attitude.SUPPORT, owners=[owner, backup], relationship_level=4,
                              notes="关注 专网 建设")
    create_stakeholder(account, name="王工", reports_to=boss, title="工程师")
    create_interaction(account, title="高层会谈", kind=InteractionKind.EXECUTIVE_MEETING, summary="讨论 5G 专网",
                       occurred_on=date(2026, 9, 15), stakeholders=[boss], attendees=[owner, backup],
                       next_steps=[{"text": "发送方案", "owner_id": owner.id, "due_on": date(2026, 12, 1)},
                                   {"text": "约技术交流", "done": True}])
    create_plan(account, period="FY2027", strategy="数字化转型", sections={"competitors": "友商A"})
    return account


@pytest.fixture
def admin(create_user):
    return create_user(role=UserRole.ADMIN, name="管理员")


def _by_header(rows):
    head = rows[0]
    return [dict(zip(head, r)) for r in rows[1:]]


def test_the_workbook_in_english_holds_the_account_as_the_import_reads_it(client, login_as, admin, account):
    login_as(admin)
    response = client.get(f"/accounts/{account.id}/export.xlsx")
    assert response.headers["Content-Disposition"].startswith("attachment; filename=account-")
    book = workbook(response)
    assert book.sheetnames == ["accounts", "Account plan", "stakeholders", "interactions", "next_steps",
                               "leads", "opportunities", "risks", "contracts", "About this export"]
    [row] = _by_header(sheet_rows(book, "accounts"))
    assert row["name"] == "中国移动浙江公司" and row["name_en"] == "China Mobile Zhejiang"
    assert row["aliases"] == "浙江移动; ZJ Mobile" and row["group"] == "华东运营商群" and row["parent"] == "中国移动"
    assert row["tier"] == "Strategic" and row["coverage"] == "Direct (iron triangle)"
    people = {p["name"]: p for p in _by_header(sheet_rows(book, "stakeholders"))}
    assert people["刘总"]["decision_role"] == "Decision-maker" and people["刘总"]["attitude"] == "Supports us"
    assert people["刘总"]["primary_owner"] == "li@example.com" and people["刘总"]["backup_owners"] == "zhao@example.com"
    assert people["刘总"]["relationship_level"] == 4
    assert people["王工"]["reports_to"] == "刘总" and people["王工"]["account"] == "中国移动浙江公司"
    [visit] = _by_header(sheet_rows(book, "interactions"))
    assert visit["kind"] == "Executive meeting" and visit["visibility"] == "Everyone"
    assert visit["occurred_on"].date() == date(2026, 9, 15)
    assert visit["stakeholders"] == "刘总" and visit["attendees"] == "li@example.com; zhao@example.com"
    steps = _by_header(sheet_rows(book, "next_steps"))
    assert [(s["text"], s["owner"], s["done"]) for s in steps] == [("发送方案", "li@example.com", "no"),
                                                                    ("约技术交流", None, "yes")]
    assert steps[0]["due_on"].date() == date(2026, 12, 1) and steps[0]["interaction_title"] == "高层会谈"
    plan = dict(sheet_rows(book, "Account plan")[1:])
    assert plan["Period"] == "FY2027" and plan["Customer strategy"] == "数字化转型" and plan["Competitors"] == "友商A"
    about = dict(sheet_rows(book, "About this export")[1:])
    assert about["Account"] == "中国移动浙江公司" and about["Records exported"] == 1 + 2 + 1 + 2


def test_the_workbook_in_chinese_has_chinese_sheets_headers_and_labels(client, login_as, admin, account):
    login_as(admin)
    book = workbook(client.get(f"/accounts/{account.id}/export.xlsx", headers=ZH))
    assert book.sheetnames[:5] == ["客户", "客户规划", "关键人", "拜访记录", "下一步"]
    [row] = _by_header(sheet_rows(book, "客户"))
    assert row["客户名称"] == "中国移动浙江公司" and row["所属客户群"] == "华东运营商群" and row["客户级别"] == "战略"
    people = {p["姓名"]: p for p in _by_header(sheet_rows(book, "关键人"))}
    assert people["刘总"]["决策角色"] == "决策者" and people["王工"]["汇报对象"] == "刘总"
    steps = _by_header(sheet_rows(book, "下一步"))
    assert [s["已完成"] for s in steps] == ["否", "是"]


def test_a_big_account_is_capped_per_sheet_and_says_so(app, client, login_as, admin, account, monkeypatch):
    import kb.exports.account_book as book_module

    monkeypatch.setattr(book_module, "SHEET_MAX_ROWS", 1)
    login_as(admin)
    book = workbook(client.get(f"/accounts/{account.id}/export.xlsx"))
    assert len(sheet_rows(book, "stakeholders")) == 2 and len(sheet_rows(book, "next_steps")) == 2
    about = sheet_rows(book, "About this export")
    capped = [r[1] for r in about if str(r[0]).startswith("Only the first 1 rows")]
    assert capped == ["stakeholders", "next_steps"]


def test_the_account_list_csv_has_the_list_filters_a_bom_and_chinese_headers(client, login_as, admin, account,
                                                                            create_account):
    create_account(name="浙江电力", industry="能源", tier=Tier.GROWTH)
    create_account(name="已归档客户", archived_at=None)
    login_as(admin)
    response = client.get("/accounts/export.csv?industry=能源", headers=ZH)
    assert response.data.startswith(BOM)
    assert response.headers["Content-Disposition"].startswith('attachment; filename="accounts-')
    rows = csv_rows(response)
    assert rows[0][:3] == ["外部编号", "客户名称", "英文名称"]
    assert [(r[1], r[8]) for r in rows[1:]] == [("浙江电力", "成长")]
    everything = csv_rows(client.get("/accounts/export.csv?q=浙江"))
    assert rows[0] != everything[0] and everything[0][1] == "name"
    assert sorted(r[1] for r in everything[1:]) == ["中国移动浙江公司", "浙江电力"]


def test_archived_accounts_only_when_the_list_asks_for_them(client, login_as, admin, account, create_account):
    from models import utcnow

    create_account(name="旧客户", archived_at=utcnow())
    login_as(admin)
    names = {r[1] for r in csv_rows(client.get("/accounts/export.csv"))[1:]}
    assert "旧客户" not in names and "中国移动浙江公司" in names
    names = {r[1] for r in csv_rows(client.get("/accounts/export.csv?archived=y"))[1:]}
    assert "旧客户" in names


def test_the_account_list_is_capped(client, login_as, admin, account, monkeypatch):
    import kb.exports.lists as lists

    monkeypatch.setattr(lists, "LIST_MAX_ROWS", 1)
    login_as(admin)
    assert len(csv_rows(client.get("/accounts/export.csv"))) == 2


def test_search_results_export_type_title_account_date_snippet_and_link(client, login_as, admin, account):
    login_as(admin)
    rows = csv_rows(client.get("/search/export.csv?q=专网&type=interaction", headers=ZH))
    assert rows[0] == ["类型", "名称/标题", "客户", "日期", "摘要", "链接"]
    [hit] = rows[1:]
    assert hit[0] == "拜访记录" and hit[1] == "高层会谈" and hit[2] == "中国移动浙江公司" and hit[3] == "2026-09-15"
    assert "«专网»" in hit[4]
    assert hit[5].startswith("http://localhost/interactions/")


def test_search_export_keeps_the_filters_of_the_page(client, login_as, admin, account):
    login_as(admin)
    rows = csv_rows(client.get("/search/export.csv?q=专网&type=interaction"))
    assert [r[0] for r in rows[1:]] == ["Interaction"]
    for both in ("type=stakeholder,interaction", "type=stakeholder&type=interaction", ""):
        rows = csv_rows(client.get(f"/search/export.csv?q=专网&{both}"))
        assert sorted(r[0] for r in rows[1:]) == ["Interaction", "Stakeholder"], both
    rows = csv_rows(client.get("/search/export.csv?q=专网&date_from=2026-10-01"))
    assert [r[0] for r in rows[1:]] == ["Stakeholder"]  # the visit (2026-09-15) is filtered out


def test_search_export_without_a_query_goes_back_to_the_search_page(client, login_as, admin, account):
    login_as(admin)
    response = client.get("/search/export.xlsx?q=")
    assert response.status_code == 302 and response.headers["Location"].endswith("/search")
    assert client.get("/search/export.pdf?q=x").status_code == 404


def test_pages_link_to_the_exports(client, login_as, admin, account, create_user):
    login_as(admin)
    show = client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert f"/accounts/{account.id}/export.xlsx" in show and f"/accounts/{account.id}/exports" in show
    listing = client.get("/accounts?industry=电信").get_data(as_text=True)
    assert "/accounts/export.xlsx?industry=" in listing and "/accounts/export.csv?industry=" in listing
    found = client.get("/search?q=专网&type=interaction").get_data(as_text=True)
    assert "/search/export.csv?q=" in found and "type=interaction" in found
    login_as(create_user(role=UserRole.VIEWER))
    show = client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert f"/accounts/{account.id}/export.xlsx" in show and f"/accounts/{account.id}/exports" not in show


@pytest.mark.parametrize("headers", [{}, ZH])
def test_every_exported_header_is_one_the_import_reads(client, login_as, admin, account, headers):
    """The import matches headers with kb.exchange.columns.header_map: each sheet's header row must map,
    column by column, to that kind's columns in order (private notes present for an admin)."""
    from kb.exchange.columns import KINDS, SHEET_TITLES, header_map

    login_as(admin)
    book = workbook(client.get(f"/accounts/{account.id}/export.xlsx", headers=headers))
    for kind, (zh, en) in SHEET_TITLES.items():
        head = sheet_rows(book, zh if headers else en)[0]
        assert [header_map(kind)[h_key].key for h_key in map(_key, head)] == [c.key for c in KINDS[kind]], kind
    listing = csv_rows(client.get("/accounts/export.csv", headers=headers))[0]
    assert [header_map("accounts")[_key(h)].key for h in listing] == [c.key for c in KINDS["accounts"]]


def _key(text):
    from kb.exchange.columns import header_key

    return header_key(text)
