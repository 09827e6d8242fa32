"""Import page (upload → dry run → confirm), the templates, the API and the CLI."""
from __future__ import annotations

import io
import re
import time

import pytest
from sqlalchemy import func, select

from models import Account, ImportRun, Stakeholder
from tests.import_support import csv_bytes

ROWS = [["客户名称", "姓名", "职务", "汇报对象"], ["华东电力集团", "甲", "总经理", ""],
        ["华东电力集团", "乙", "CIO", "甲"]]


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


def _upload(client, data, name="people.csv", kind="stakeholders", encoding=""):
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    # encoded in memory: the test client's own encoder spools big bodies to a temporary file it never closes
    boundary, body = encode_multipart({"kind": kind, "encoding": encoding,
                                       "file": FileStorage(io.BytesIO(data), filename=name)})
    response = client.post("/import", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    if response.status_code == 302 and "/import/jobs/" in response.location:
        return _wait(client, response.location)  # the dry run runs in the background; the page polls
    return response


def test_page_dry_run_then_confirm(app, client, login_as, admin, east):
    login_as(admin)
    assert 'href="/import"' in client.get("/").get_data(as_text=True)
    page = client.get("/import").get_data(as_text=True)
    assert "/import/template/stakeholders.xlsx" in page
    response = _upload(client, csv_bytes(ROWS, encoding="gbk"))
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 rows: 2 to create, 0 to update, 0 unchanged, 0 problem(s)." in text
    assert "Confirm import" in text and "gb18030" in text
    assert _count(app, Stakeholder) == 0
    token = re.search(r'name="token" type="hidden" value="([0-9a-f]{32})"', text).group(1)
    submit = re.search(r'name="submit_token" type="hidden" value="([^"]+)"', text).group(1)
    response = client.post("/import/confirm", data={"token": token, "kind": "stakeholders", "encoding": "",
                                                    "submit_token": submit, "rows": "2"})
    assert response.status_code == 302 and f"/import/jobs/{token}" in response.location
    response = _wait(client, response.location)
    assert response.status_code == 302 and "/import/runs/" in response.location
    result = client.get(response.location).get_data(as_text=True)
    assert "2 rows: 2 created, 0 updated, 0 unchanged." in result and "people.csv" in result
    assert _count(app, Stakeholder) == 2 and _count(app, ImportRun) == 1
    # the upload is gone: confirming again (another tab, a replay) imports nothing twice
    again = client.post("/import/confirm", data={"token": token, "kind": "stakeholders", "encoding": "",
                                                 "submit_token": "other"}, follow_redirects=True)
    assert "expired or was already imported" in again.get_data(as_text=True)
    assert _count(app, Stakeholder) == 2 and _count(app, ImportRun) == 1
    assert "people.csv" in client.get("/import").get_data(as_text=True)  # recent imports


def _wait(client, job_url, seconds=60, headers=None):
    """Poll the job page (as the browser does, every 2 s) until the background job has finished."""
    deadline = time.monotonic() + seconds
    while True:
        response = client.get(job_url, headers=headers or {})
        if response.status_code != 200 or "import-progress" not in response.get_data(as_text=True):
            return response
        assert time.monotonic() < deadline, "the import did not finish"
        time.sleep(0.1)


def test_confirmed_import_with_problems_found_late_writes_nothing(app, client, login_as, admin, east,
                                                                create_user):
    """A problem the dry run could not see (the owner left between dry run and confirm) is shown after
    the confirm, and nothing is written."""
    owner = create_user("member", email="leaving@example.com")
    login_as(admin)
    rows = [["客户名称", "姓名", "主责任人"], ["华东电力集团", "甲", "leaving@example.com"],
            ["华东电力集团", "乙", ""]]
    text = _upload(client, csv_bytes(rows)).get_data(as_text=True)
    assert "2 rows: 2 to create" in text
    token = re.search(r'name="token" type="hidden" value="([0-9a-f]{32})"', text).group(1)
    with app.app_context():
        from kb.db import session
        from models import User

        session.get(User, owner.id).active = False
        session.commit()
    response = client.post("/import/confirm", data={"token": token, "kind": "stakeholders", "encoding": "",
                                                    "submit_token": "t1", "rows": "2"})
    response = _wait(client, response.location)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Nothing was imported" in page and "no longer active" in page
    assert _count(app, Stakeholder) == 0 and _count(app, ImportRun) == 0


def test_job_page_of_another_user_is_not_found(client, login_as, admin, create_user):
    login_as(admin)
    assert client.get("/import/jobs/" + "a" * 32).status_code == 404
    assert client.get("/import/jobs/..%2F..%2Fsecret").status_code == 404


def test_page_shows_problems_and_offers_no_confirm(client, login_as, admin, east):
    login_as(admin)
    rows = [*ROWS, ["华东电力集团", "丙", "", "查无此人"]]
    text = _upload(client, csv_bytes(rows)).get_data(as_text=True)
    assert "No stakeholder of this account is named “查无此人”." in text
    assert "Confirm import" not in text and "1 problem(s)" in text


def test_page_file_error_is_shown_on_the_field(client, login_as, admin):
    login_as(admin)
    response = _upload(client, b"%PDF", name="a.pdf")
    assert response.status_code == 422 and "Upload an .xlsx or .csv file." in response.get_data(as_text=True)
    response = client.post("/import", data={"kind": "stakeholders"}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Choose a file to import." in response.get_data(as_text=True)


def test_confirm_of_someone_elses_upload_is_refused(app, client, login_as, admin, create_user, east):
    login_as(admin)
    text = _upload(client, csv_bytes(ROWS)).get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([0-9a-f]{32})"', text).group(1)
    other = create_user("admin")
    login_as(other)
    response = client.post("/import/confirm", data={"token": token, "kind": "stakeholders", "encoding": "",
                                                    "submit_token": "x"}, follow_redirects=True)
    assert "expired or was already imported" in response.get_data(as_text=True)
    assert _count(app, Stakeholder) == 0


def test_viewer_gets_no_import_page(client, login_as, create_user):
    viewer = create_user("viewer")
    login_as(viewer)
    assert client.get("/import").status_code == 403
    assert 'href="/import"' not in client.get("/").get_data(as_text=True)


def test_upload_bigger_than_the_usual_request_limit(app, client, login_as, admin, east):
    login_as(admin)
    rows = [["客户名称", "姓名", "备注"]] + [["华东电力集团", f"人{i}", "备注" * 300] for i in range(900)]
    data = csv_bytes(rows)
    assert len(data) > app.config["MAX_CONTENT_LENGTH"]
    text = _upload(client, data).get_data(as_text=True)
    assert "900 rows: 900 to create" in text


@pytest.mark.parametrize("kind,header", [("accounts", "客户名称"), ("stakeholders", "决策角色"),
                                          ("interactions", "日期")])
def test_template_has_headers_sample_and_drop_downs_and_imports(app, tmp_path, client, login_as, admin, kind,
                                                               header, create_account, create_stakeholder):
    from openpyxl import load_workbook

    create_stakeholder(create_account(name="华东移动通信有限公司"), name="周建国")
    login_as(admin)
    response = client.get(f"/import/template/{kind}.xlsx", headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    sheet = workbook.worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert header in headers
    assert sheet.data_validations.dataValidation, "enumerations have drop-down lists"
    if kind == "stakeholders":
        rows = [r for r in workbook["lists"].iter_rows(values_only=True)]
        assert "决策者" in [r[headers.index("决策角色")] for r in rows]
    if kind != "accounts":  # the sample account exists; the sample row imports as it is
        from tests.import_support import run

        report = run(app, tmp_path, response.data, kind=kind, author=admin, name="t.xlsx", dry_run=True)
        assert report.ok and report.rows == 1, report.problems


def test_api_dry_run_import_and_errors(app, client, admin, east):
    # the session signs the client in; API writes from a session need no CSRF here (disabled in tests)
    client.post("/login", data={"email": admin.email, "password": "password123"})
    files = {"file": (io.BytesIO(csv_bytes(ROWS, delimiter=";")), "people.csv")}
    response = client.post("/api/v1/imports?kind=stakeholders&dry_run=1", data=files,
                           content_type="multipart/form-data")
    assert response.status_code == 200
    assert response.get_json() == {"dry_run": True, "kind": "stakeholders", "rows": 2, "created": 2,
                                   "updated": 0, "unchanged": 0, "error_count": 0, "errors": []}
    assert _count(app, Stakeholder) == 0
    files = {"file": (io.BytesIO(csv_bytes(ROWS)), "people.csv")}
    body = client.post("/api/v1/imports?kind=stakeholders", data=files, content_type="multipart/form-data").get_json()
    assert (body["dry_run"], body["created"]) == (False, 2) and _count(app, Stakeholder) == 2
    bad = [*ROWS, ["华东电力集团", "丙", "", "查无此人"]]
    files = {"file": (io.BytesIO(csv_bytes(bad)), "people.csv")}
    response = client.post("/api/v1/imports?kind=stakeholders", data=files, content_type="multipart/form-data")
    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        {"row": 4, "column": "汇报对象", "message": "No stakeholder of this account is named “查无此人”."}]
    assert _count(app, Stakeholder) == 2
    response = client.post("/api/v1/imports?kind=people", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "kind" in response.get_json()["error"]["fields"]
    response = client.post("/api/v1/imports?kind=accounts", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "file" in response.get_json()["error"]["fields"]


def test_api_viewer_refused(client, create_user, login_as):
    login_as(create_user("viewer"))
    files = {"file": (io.BytesIO(csv_bytes(ROWS)), "people.csv")}
    response = client.post("/api/v1/imports?kind=stakeholders", data=files, content_type="multipart/form-data")
    assert response.status_code == 403 and response.get_json()["error"]["code"]


def test_cli_dry_run_and_import(app, runner, tmp_path, admin, east):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes(ROWS, encoding="gbk"))
    result = runner.invoke(args=["kb", "import", str(path), "--kind", "stakeholders", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "2 rows; 2 would be created" in result.output and _count(app, Stakeholder) == 0
    result = runner.invoke(args=["kb", "import", str(path), "--kind", "stakeholders", "--encoding", "gbk",
                                 "--as", admin.email])
    assert result.exit_code == 0, result.output
    assert "2 were created" in result.output and _count(app, Stakeholder) == 2
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([*ROWS, ["华东电力集团", "丙", "", "查无此人"]]))
    result = runner.invoke(args=["kb", "import", str(bad), "--kind", "stakeholders"])
    assert result.exit_code != 0 and "row 4, 汇报对象" in result.output and "Nothing was imported" in result.output
    assert _count(app, Stakeholder) == 2 and _count(app, Account) == 1


def test_page_and_problems_in_chinese(client, login_as, admin, east):
    login_as(admin)
    page = client.get("/import", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "从 Excel 或 CSV 导入" in page and "检查文件（试运行）" in page
    rows = [*ROWS, ["华东电力集团", "丙", "", "查无此人"]]
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    boundary, body = encode_multipart({"kind": "stakeholders", "encoding": "",
                                       "file": FileStorage(io.BytesIO(csv_bytes(rows)), filename="p.csv")})
    response = client.post("/import", data=body, content_type=f"multipart/form-data; boundary={boundary}",
                           headers={"Accept-Language": "zh-CN"})
    text = _wait(client, response.location, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "该客户下没有名为“查无此人”的关键人。" in text
    assert "共 3 行：新建 2，更新 0，未变 0，问题 1 个。" in text


def test_job_page_shows_progress_and_reloads_then_an_interrupted_job(app, client, login_as, admin):
    from kb.exchange import jobs

    login_as(admin)
    token = "b" * 32
    jobs.write_status(app.instance_path, token, state="running", rows_done=4200, user_id=admin.id,
                      kind="stakeholders", file_name="big.xlsx", rows=20000, dry_run=False, encoding=None)
    page = client.get(f"/import/jobs/{token}").get_data(as_text=True)
    assert "Importing: 4200 of 20000 rows read; about 316 seconds left." in page
    assert '<meta http-equiv="refresh" content="2">' in page
    status = jobs._path(app.instance_path, token)
    body = status.read_text(encoding="utf-8").replace('"updated_at": ', '"updated_at": -')
    status.write_text(body, encoding="utf-8")
    page = client.get(f"/import/jobs/{token}").get_data(as_text=True)
    assert "The import was interrupted; nothing was written." in page and "refresh" not in page


def test_xlsx_uploads_through_the_api_and_the_page(app, client, login_as, admin, east, create_stakeholder):
    """Uploads are stored without their extension; a workbook must still be read as one (it was a 500:
    openpyxl refused the stored path by its extension)."""
    from tests.import_support import headers, xlsx_bytes

    login_as(admin)
    workbook = xlsx_bytes([headers("stakeholders", ["account", "name"]), ["华东电力集团", "钱七"]])
    files = {"file": (io.BytesIO(workbook), "people.xlsx")}
    response = client.post("/api/v1/imports?kind=stakeholders&dry_run=1", data=files,
                           content_type="multipart/form-data")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert (response.get_json()["rows"], response.get_json()["created"]) == (1, 1)
    page = client.post("/import", data={"kind": "stakeholders", "file": (io.BytesIO(workbook), "people.xlsx")},
                       content_type="multipart/form-data", follow_redirects=True)
    assert page.status_code == 200 and "Internal" not in page.get_data(as_text=True)
    garbage = {"file": (io.BytesIO(b"not a workbook at all"), "people.xlsx")}
    response = client.post("/api/v1/imports?kind=stakeholders&dry_run=1", data=garbage,
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "This file is not an Excel workbook (.xlsx) that can be read." in response.get_data(as_text=True)


def test_cli_speaks_one_language(app, runner, tmp_path, admin, east):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([*ROWS, ["华东电力集团", "丙", "", "查无此人"]]))
    english = runner.invoke(args=["kb", "import", str(bad), "--kind", "stakeholders"])
    problem = next(line for line in english.output.splitlines() if line.startswith("row 4, 汇报对象: "))
    assert problem.endswith("No stakeholder of this account is named “查无此人”.")  # English, like the summary
    assert "Nothing was imported." in english.output
    chinese = runner.invoke(args=["kb", "import", str(bad), "--kind", "stakeholders", "--lang", "zh_CN"])
    assert chinese.exit_code != 0
    assert "第 4 行，汇报对象：" in chinese.output and "未导入任何内容。" in chinese.output
    assert "4 行；将新建" not in chinese.output  # rejected: no "would be created" summary for a real import
    assert "rows;" not in chinese.output and "Nothing was imported" not in chinese.output
    assert _count(app, Stakeholder) == 0
