"""Import: the files people send (GBK, UTF-8 with BOM, semicolons, tabs, a workbook with real date cells)
import correctly; headers and values in Chinese or English."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from models import Account, Interaction, InteractionKind, Stakeholder, Tier, DecisionRole, Attitude, Visibility
from tests.import_support import csv_bytes, headers, run, xlsx_bytes

ACCOUNT_ROWS = [
    ["客户名称", "英文名称", "别名", "所属客户群", "客户级别", "覆盖模式", "行业"],
    ["华东电力集团", "East Power", "东电；EP", "电力客户群", "战略", "直销（铁三角）", "电力"],
    ["西部燃气", "West Gas", "", "Energy", "growth", "Channel", "燃气"],
]


@pytest.fixture
def admin(create_user):
    return create_user("admin", email="admin@example.com")


@pytest.fixture
def group(create_group):
    return create_group(name="电力客户群", name_en="Energy")


def _accounts(app):
    with app.app_context():
        from kb.db import session

        found = {a.name: a for a in session.scalars(select(Account))}
        session.expunge_all()  # readable after the context ends (its rollback would expire them)
        return found


@pytest.mark.parametrize("encoding,delimiter", [
    ("gbk", ","), ("gb18030", ";"), ("utf-8-sig", ","), ("utf-8-sig", ";"), ("utf-8", "\t"), ("utf-8", ";"),
])
def test_csv_in_the_encodings_and_separators_excel_writes(app, tmp_path, admin, group, encoding, delimiter):
    data = csv_bytes(ACCOUNT_ROWS, encoding=encoding, delimiter=delimiter)
    report = run(app, tmp_path, data, kind="accounts", author=admin)
    assert report.ok, report.problems
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    accounts = _accounts(app)
    power, gas = accounts["华东电力集团"], accounts["西部燃气"]
    assert power.name_en == "East Power" and power.aliases == ["东电", "EP"]
    assert power.tier == Tier.STRATEGIC and power.customer_group_id == group.id and power.industry == "电力"
    assert gas.tier == Tier.GROWTH and gas.coverage.value == "channel" and gas.customer_group_id == group.id


def test_gbk_file_with_the_encoding_named_by_the_user(app, tmp_path, admin, group):
    data = csv_bytes(ACCOUNT_ROWS, encoding="gbk")
    assert run(app, tmp_path, data, kind="accounts", author=admin, encoding="gbk").created == 2
    assert "华东电力集团" in _accounts(app)


def test_wrong_encoding_named_is_a_clear_error_not_mojibake(app, tmp_path, admin, group):
    data = csv_bytes(ACCOUNT_ROWS, encoding="gbk")
    error = run(app, tmp_path, data, kind="accounts", author=admin, encoding="utf-8")
    assert error.status == 422 and "utf-8" in error.fields["file"]
    assert _accounts(app) == {}


def test_english_headers_any_case_width_and_spacing(app, tmp_path, admin, group):
    rows = [["NAME", " Name_EN ", "ｇｒｏｕｐ", "Tier"], ["华北银行", "North Bank", "电力客户群", "Key"]]
    report = run(app, tmp_path, csv_bytes(rows), kind="accounts", author=admin)
    assert report.ok, report.problems
    assert _accounts(app)["华北银行"].tier == Tier.KEY


def test_workbook_with_excel_date_cells_and_text_dates(app, tmp_path, admin, create_account, create_stakeholder):
    account = create_account(name="华东电力集团")
    create_stakeholder(account, name="张伟")
    keys = ["account", "occurred_on", "kind", "title", "visibility", "stakeholders", "attendees"]
    rows = [headers("interactions", keys),
            ["华东电力集团", datetime(2026, 10, 8), "拜访", "数据中心交流", "仅客户团队", "张伟", "admin@example.com"],
            ["华东电力集团", date(2026, 9, 30), "call", "电话", "org", "", ""],
            ["华东电力集团", "2026年8月1日", "高层会晤", "高层会晤", "", "", ""],
            ["华东电力集团", "2026/7/2", "Event", "展会", "Everyone", "", ""]]
    data = xlsx_bytes(rows, number_formats={2: "yyyy/m/d"})
    report = run(app, tmp_path, data, kind="interactions", author=admin, name="visits.xlsx")
    assert report.ok, report.problems
    assert report.created == 4
    with app.app_context():
        from kb.db import session

        found = {i.title: i for i in session.scalars(select(Interaction))}
        visit = found["数据中心交流"]
        assert visit.occurred_on == date(2026, 10, 8) and visit.kind == InteractionKind.VISIT
        assert visit.visibility == Visibility.TEAM
        assert [s.name for s in visit.stakeholders] == ["张伟"]
        assert [u.email for u in visit.attendees] == ["admin@example.com"]
        assert found["电话"].occurred_on == date(2026, 9, 30)
        assert found["高层会晤"].occurred_on == date(2026, 8, 1)
        assert found["高层会晤"].kind == InteractionKind.EXECUTIVE_MEETING
        assert found["展会"].occurred_on == date(2026, 7, 2)


def test_workbook_sheet_named_for_the_kind_is_used(app, tmp_path, admin, create_account):
    from openpyxl import Workbook
    import io

    create_account(name="华东电力集团")
    workbook = Workbook()
    workbook.active.title = "客户"
    workbook.active.append(["客户名称"])
    workbook.active.append(["不该导入"])
    people = workbook.create_sheet("关键人")
    people.append(["客户名称", "姓名", "决策角色", "态度", "关系程度"])
    people.append(["华东电力集团", "李娜", "决策者", "Supports us", 4])
    out = io.BytesIO()
    workbook.save(out)
    report = run(app, tmp_path, out.getvalue(), kind="stakeholders", author=admin, name="export.xlsx")
    assert report.ok, report.problems
    with app.app_context():
        from kb.db import session

        li = session.scalar(select(Stakeholder).where(Stakeholder.name == "李娜"))
        assert li.decision_role == DecisionRole.DECISION_MAKER and li.attitude == Attitude.SUPPORT
        assert li.relationship_level == 4


def test_csv_apostrophe_guard_of_exports_is_removed(app, tmp_path, admin, group):
    rows = [["客户名称", "客户简介"], ["公式客户", "'=1+2 不是公式"]]
    assert run(app, tmp_path, csv_bytes(rows), kind="accounts", author=admin).ok
    assert _accounts(app)["公式客户"].description == "=1+2 不是公式"


@pytest.mark.parametrize("name,data,message", [
    ("notes.pdf", b"%PDF-1.4", "Upload an .xlsx or .csv file."),
    ("broken.xlsx", b"not a zip", "not an Excel workbook"),
    ("empty.csv", b"", "The file is empty."),
    ("unknown.csv", "客户名称,电话号码\n甲,1\n".encode(), "Unknown column “电话号码”"),
    ("missing.csv", "英文名称\nX\n".encode(), "Required column missing: 客户名称 / name."),
    ("twice.csv", "客户名称,name\n甲,乙\n".encode(), "appears twice"),
])
def test_files_that_cannot_be_imported_say_why(app, tmp_path, admin, name, data, message):
    error = run(app, tmp_path, data, kind="accounts", author=admin, name=name)
    assert error.status == 422 and message in error.fields["file"]


@pytest.mark.parametrize("text", ["客户名称\t英文名称\n测试TAB客户\tTab Co\n", "客户名称\n华北\n"])
def test_a_short_gb18030_file_is_read_as_chinese(text):
    """A few Chinese cells give the detector little to go on (a new user's tab file was read as Korean)."""
    from kb.exchange.reading import detect_encoding

    sample = text.encode("gb18030")
    assert detect_encoding(sample) == "gb18030"
    assert sample.decode(detect_encoding(sample)) == text


def test_a_formula_never_calculated_is_reported_not_read_as_empty(app, tmp_path, admin, create_account):
    """A workbook written by a program (openpyxl here) stores `=1+1` without a value: the import says so on
    the cell instead of importing an empty title."""
    create_account(name="华东电力集团")
    data = xlsx_bytes([headers("stakeholders", ["account", "name", "title"]), ["华东电力集团", "钱七", "=1+1"]])
    report = run(app, tmp_path, data, kind="stakeholders", author=admin, name="people.xlsx", dry_run=True)
    problems = [(p.row, p.column, p.message) for p in report.problems]
    assert problems == [(2, "职务", "This cell holds a formula that was never calculated (=1+1): open the file in "
                                    "Excel or WPS, save it, and import it again.")]
