"""An empty required cell of an import says which column is required ("Account is required." /
"客户名称为必填项。"), in every sheet (accounts, stakeholders, interactions, next steps) and through the
CLI, the page and the API; a refused CLI import claims no created rows (the tester's D4: "1 rows; 1 were
created … 2 problem(s)" then "Nothing was imported", and "No account is named “”.")."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from models import Interaction, NextStep, Stakeholder
from tests.import_support import csv_bytes, run
from tests.test_import_pages import _wait


@pytest.fixture
def admin(create_user):
    return create_user("admin", email="admin@example.com")


@pytest.fixture
def east(create_account, create_group):
    return create_account(group=create_group(name="电力客户群"), name="华东电力集团")


def _count(app, model):
    with app.app_context():
        from kb.db import session
        return session.scalar(select(func.count()).select_from(model))


def _workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


#: The tester's workbook: one visit, and its next step naming it by external key with no account name.
VISIT_AND_STEP = {
    "拜访记录": [["外部编号", "客户名称", "日期", "类型", "标题"], ["V-119", "华东电力集团", "2026-11-20", "visit", "需求交流"]],
    "下一步": [["拜访外部编号", "客户名称", "下一步"], ["V-119", "", "提交方案建议书"]],
}


def test_cli_report_of_a_refused_import_claims_no_created_rows(app, runner, tmp_path, admin, east):
    path = tmp_path / "visits.xlsx"
    path.write_bytes(_workbook(VISIT_AND_STEP))
    result = runner.invoke(args=["kb", "import", str(path), "--kind", "interactions"])
    assert result.exit_code != 0
    lines = result.output.splitlines()
    assert lines[0] == "visits.xlsx (interactions): 1 rows, 1 problem(s); no row was written."
    assert "row 2, next_steps · 客户名称: Account is required." in lines
    assert "were created" not in result.output and "No account is named" not in result.output
    assert "Nothing was imported." in result.output
    assert _count(app, Interaction) == 0 and _count(app, NextStep) == 0
    chinese = runner.invoke(args=["kb", "import", str(path), "--kind", "interactions", "--lang", "zh_CN"])
    assert "visits.xlsx（interactions）：1 行，1 个问题；未写入任何行。" in chinese.output
    assert "第 2 行，下一步 · 客户名称：客户名称为必填项。" in chinese.output
    assert "已新建" not in chinese.output


def test_cli_dry_run_still_says_would_be_created(runner, tmp_path, admin, east):
    path = tmp_path / "visits.xlsx"
    path.write_bytes(_workbook(VISIT_AND_STEP))
    result = runner.invoke(args=["kb", "import", str(path), "--kind", "interactions", "--dry-run"])
    assert "visits.xlsx (interactions): 1 rows; 1 would be created, 0 would be updated, 0 unchanged, " \
           "1 problem(s)." in result.output


def test_a_step_with_its_account_is_imported(app, runner, tmp_path, admin, east):
    sheets = dict(VISIT_AND_STEP, 下一步=[["拜访外部编号", "客户名称", "下一步"], ["V-119", "华东电力集团", "提交方案建议书"]])
    path = tmp_path / "visits.xlsx"
    path.write_bytes(_workbook(sheets))
    result = runner.invoke(args=["kb", "import", str(path), "--kind", "interactions"])
    assert result.exit_code == 0, result.output
    assert "1 rows; 1 were created" in result.output
    assert _count(app, Interaction) == 1 and _count(app, NextStep) == 1


def test_a_step_sheet_without_an_account_column_names_it(app, tmp_path, admin, east):
    sheets = dict(VISIT_AND_STEP, 下一步=[["拜访外部编号", "下一步"], ["V-119", "提交方案建议书"]])
    report = run(app, tmp_path, _workbook(sheets), kind="interactions", author=admin, name="v.xlsx",
                 dry_run=True)
    assert [(p.row, p.column, p.message) for p in report.problems] == [
        (2, "next_steps · account", "Account is required.")]


@pytest.mark.parametrize("kind, rows, problems", [
    ("accounts", [["客户名称", "行业"], ["", "能源"]], [(2, "客户名称", "Name is required.")]),
    ("stakeholders", [["客户名称", "姓名", "职务"], ["", "", "CIO"]],
     [(2, "客户名称", "Account is required."), (2, "姓名", "Name is required.")]),
    ("interactions", [["客户名称", "日期", "类型", "标题"], ["", "", "", "需求交流"]],
     [(2, "客户名称", "Account is required."), (2, "日期", "Occurred on is required."),
      (2, "类型", "Kind is required.")]),
])
def test_every_sheets_empty_required_cells_name_their_column(app, tmp_path, admin, east, kind, rows,
                                                            problems):
    report = run(app, tmp_path, csv_bytes(rows), kind=kind, author=admin, dry_run=True)
    assert [(p.row, p.column, p.message) for p in report.problems] == problems


def test_an_empty_step_text_names_its_column(app, tmp_path, admin, east):
    sheets = dict(VISIT_AND_STEP, 下一步=[["拜访外部编号", "客户名称", "下一步"], ["V-119", "华东电力集团", ""]])
    report = run(app, tmp_path, _workbook(sheets), kind="interactions", author=admin, name="v.xlsx",
                 dry_run=True)
    assert [(p.row, p.column, p.message) for p in report.problems] == [
        (2, "next_steps · 下一步", "Text is required.")]


def test_the_page_and_the_api_say_which_column_is_required(app, client, admin, east):
    client.post("/login", data={"email": admin.email, "password": "password123"})
    files = {"file": (io.BytesIO(csv_bytes([["客户名称", "姓名"], ["", "欧阳明"]])), "people.csv")}
    body = client.post("/api/v1/imports?kind=stakeholders&dry_run=1", data=files,
                       content_type="multipart/form-data", headers={"Accept-Language": "zh-CN"}).get_json()
    assert body["errors"] == [{"row": 2, "column": "客户名称", "message": "客户名称为必填项。"}]
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    boundary, data = encode_multipart({"kind": "stakeholders", "encoding": "", "file": FileStorage(
        io.BytesIO(csv_bytes([["客户名称", "姓名"], ["华东电力集团", ""]])), filename="p.csv")})
    response = client.post("/import", data=data, content_type=f"multipart/form-data; boundary={boundary}",
                           headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 302, response.get_data(as_text=True)
    page = _wait(client, response.location, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "姓名为必填项。" in page and "共 1 行：新建 0，更新 0，未变 0，问题 1 个。" in page
    assert _count(app, Stakeholder) == 0
