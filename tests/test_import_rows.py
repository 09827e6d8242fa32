"""Import: every problem is reported with its row and column and nothing is written; a dry run writes
nothing; re-importing changes nothing; external keys; who may import into which account."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import Account, ImportRun, IndexEvent, Interaction, Stakeholder
from tests.import_support import csv_bytes, run


@pytest.fixture
def admin(create_user):
    return create_user("admin", email="admin@example.com")


@pytest.fixture
def east(create_account, create_group):
    return create_account(group=create_group(name="电力客户群"), name="华东电力集团")


def _count(app, model, *where):
    with app.app_context():
        from kb.db import session

        return session.scalar(select(func.count()).select_from(model).where(*where))


def _problems(report_or_error):
    report = getattr(report_or_error, "report", report_or_error)
    return [(p.row, p.column, p.message) for p in report.problems]


def test_account_problems_are_reported_by_row_and_column(app, tmp_path, admin, east):
    rows = [["客户名称", "所属客户群", "上级客户", "客户级别", "行业"],
            ["好客户", "电力客户群", "华东电力集团", "key", "电力"],
            ["坏客户一", "不存在的群", "", "", ""],
            ["坏客户二", "", "没有这个客户", "超级", ""],
            ["坏客户三", "", "", "", "很" * 51],
            ["华东电力集团有限公司", "", "", "", ""]]
    report = run(app, tmp_path, csv_bytes(rows), kind="accounts", author=admin, dry_run=True)
    problems = _problems(report)
    assert (3, "所属客户群", "Unknown customer group “不存在的群”.") in problems
    assert (4, "上级客户", "No account is named “没有这个客户”.") in problems
    assert any(p[:2] == (4, "客户级别") and "超级" in p[2] for p in problems)
    assert (5, "行业", "Value too long: at most 50 characters (this one has 51).") in problems
    assert any(p[:2] == (6, "客户名称") and "Possible duplicate" in p[2] and "华东电力集团" in p[2] for p in problems)
    assert not any(p[0] == 2 for p in problems)
    assert report.created == 1 and report.problem_count == 5


def test_stakeholder_problems_reports_to_cycle_owner_and_enum(app, tmp_path, admin, east, create_stakeholder):
    create_stakeholder(east, name="周总")
    rows = [["客户名称", "姓名", "汇报对象", "主责任人", "决策角色", "关系程度"],
            ["华东电力集团", "甲", "乙", "admin@example.com", "决策者", "3"],
            ["华东电力集团", "乙", "甲", "", "", ""],
            ["华东电力集团", "丙", "不存在的人", "", "", ""],
            ["华东电力集团", "丁", "周总", "nobody@example.com", "", ""],
            ["华东电力集团", "戊", "", "", "老板", "3"],
            ["没有的客户", "己", "", "", "", ""],
            ["华东电力集团", "庚", "", "", "", "9"]]
    error = run(app, tmp_path, csv_bytes(rows), kind="stakeholders", author=admin)
    problems = _problems(error)
    assert any(p[0] in (2, 3) and p[1] == "汇报对象" and "loop" in p[2] for p in problems)  # 甲 → 乙 → 甲
    assert (4, "汇报对象", "No stakeholder of this account is named “不存在的人”.") in problems
    assert (5, "主责任人", "No user has the e-mail address nobody@example.com.") in problems
    assert any(p[:2] == (6, "决策角色") and "老板" in p[2] for p in problems)
    assert (8, "关系程度", "Choose a relationship level from 1 to 5.") in problems
    assert (7, "客户名称", "No account is named “没有的客户”.") in problems
    # a confirmed import with problems writes nothing at all
    assert error.status == 422 and "nothing was imported" in error.message
    assert _count(app, Stakeholder) == 1 and _count(app, ImportRun) == 0
    assert _count(app, Stakeholder, Stakeholder.name == "甲") == 0


@pytest.mark.parametrize("text,message", [
    ("2026-02-30", "2026-02-30 is not a date that exists."),
    ("2026年13月1日", "2026年13月1日 is not a date that exists."),
    ("29/11/2026", "day/month forms such as 29/11/2026 are ambiguous"),
    ("下周三", "write 2026-11-29, 2026/11/29 or 2026年11月29日"),
])
def test_dates_that_do_not_exist_or_are_ambiguous(app, tmp_path, admin, east, text, message):
    rows = [["客户名称", "日期", "类型"], ["华东电力集团", text, "拜访"]]
    report = run(app, tmp_path, csv_bytes(rows), kind="interactions", author=admin, dry_run=True)
    [(row, column, got)] = _problems(report)
    assert (row, column) == (2, "日期") and message in got


def test_interaction_date_rule_of_the_service_applies(app, tmp_path, admin, east):
    rows = [["客户名称", "日期", "类型"], ["华东电力集团", "1970-01-01", "拜访"]]
    report = run(app, tmp_path, csv_bytes(rows), kind="interactions", author=admin, dry_run=True)
    assert _problems(report) == [(2, "日期", "Enter a date after 1980-01-01.")]


def test_dry_run_writes_nothing_not_even_search_events(app, tmp_path, admin, east):
    events = _count(app, IndexEvent)
    rows = [["客户名称", "姓名", "职务"], ["华东电力集团", "甲", "CIO"], ["华东电力集团", "乙", "CTO"]]
    report = run(app, tmp_path, csv_bytes(rows), kind="stakeholders", author=admin, dry_run=True)
    assert report.ok and report.created == 2 and report.dry_run
    assert [o.action for o in report.outcomes] == ["create", "create"]
    assert _count(app, Stakeholder) == 0 and _count(app, IndexEvent) == events and _count(app, ImportRun) == 0


def test_import_then_reimport_changes_nothing_then_an_edit_updates(app, tmp_path, admin, east):
    rows = [["外部编号", "客户名称", "姓名", "职务", "汇报对象", "态度"],
            ["S1", "华东电力集团", "甲", "总经理", "", "支持"],
            ["S2", "华东电力集团", "乙", "CIO", "甲", "中立"]]
    first = run(app, tmp_path, csv_bytes(rows), kind="stakeholders", author=admin)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    with app.app_context():
        from kb.db import session

        versions = dict(session.execute(select(Stakeholder.name, Stakeholder.version)).all())
        yi = session.scalar(select(Stakeholder).where(Stakeholder.name == "乙"))
        assert yi.reports_to.name == "甲" and yi.external_key == "S2"
        assert yi.import_run_id == first.import_run_id
    events = _count(app, IndexEvent)
    again = run(app, tmp_path, csv_bytes(rows), kind="stakeholders", author=admin)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert _count(app, Stakeholder) == 2 and _count(app, IndexEvent) == events
    with app.app_context():
        from kb.db import session

        assert dict(session.execute(select(Stakeholder.name, Stakeholder.version)).all()) == versions
    rows[2][1:4] = ["华东电力集团", "乙（改名）", "首席信息官"]  # same external key: the same person
    changed = run(app, tmp_path, csv_bytes(rows), kind="stakeholders", author=admin)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    with app.app_context():
        from kb.db import session

        yi = session.scalar(select(Stakeholder).where(Stakeholder.external_key == "S2"))
        assert (yi.name, yi.title, yi.version) == ("乙（改名）", "首席信息官", versions["乙"] + 1)


def test_rows_without_keys_match_on_the_normalised_name(app, tmp_path, admin, create_account):
    create_account(name="台灣大哥大", name_en="Taiwan Mobile", industry="电信")
    rows = [["客户名称", "行业"], ["台湾大哥大", "电信"]]
    report = run(app, tmp_path, csv_bytes(rows), kind="accounts", author=admin)
    assert (report.created, report.unchanged) == (0, 1)
    assert _count(app, Account) == 1


def test_the_same_record_twice_in_a_file_is_a_problem(app, tmp_path, admin, east):
    rows = [["客户名称", "姓名"], ["华东电力集团", "甲"], ["华东电力集团", "甲"]]
    report = run(app, tmp_path, csv_bytes(rows), kind="stakeholders", author=admin, dry_run=True)
    assert _problems(report) == [(3, "姓名", "Row 2 already stands for the same record.")]


def test_member_imports_into_own_accounts_only(app, tmp_path, create_user, create_group, create_seat,
                                              create_account):
    member = create_user("member")
    mine = create_group(name="我的群")
    create_seat(mine, member)
    create_account(group=mine, name="我的客户")
    create_account(group=create_group(name="别人的群"), name="别人的客户")
    rows = [["客户名称", "姓名"], ["我的客户", "甲"], ["别人的客户", "乙"]]
    error = run(app, tmp_path, csv_bytes(rows), kind="stakeholders", author=member)
    assert _problems(error) == [(3, "客户名称", "You may not change this account.")]
    assert _count(app, Stakeholder) == 0
    ok = run(app, tmp_path, csv_bytes(rows[:2]), kind="stakeholders", author=member)
    assert ok.created == 1
    accounts = [["客户名称", "所属客户群"], ["新客户", "别人的群"]]
    refused = run(app, tmp_path, csv_bytes(accounts), kind="accounts", author=member, dry_run=True)
    assert [p[:2] for p in _problems(refused)] == [(2, "所属客户群")]


def test_viewer_may_not_import(app, tmp_path, create_user, east):
    viewer = create_user("viewer")
    rows = [["客户名称", "姓名"], ["华东电力集团", "甲"]]
    error = run(app, tmp_path, csv_bytes(rows), kind="stakeholders", author=viewer, dry_run=True)
    assert error.status == 403


def test_interactions_reimport_unchanged_and_records_show_their_import(app, tmp_path, admin, east,
                                                                       create_stakeholder, client, auth):
    create_stakeholder(east, name="周总")
    rows = [["客户名称", "日期", "类型", "标题", "会见关键人", "我方参加人"],
            ["华东电力集团", "2026-10-08", "拜访", "交流", "周总", "admin@example.com"]]
    first = run(app, tmp_path, csv_bytes(rows), kind="interactions", author=admin, name="visits.csv")
    assert first.created == 1
    again = run(app, tmp_path, csv_bytes(rows), kind="interactions", author=admin, name="visits.csv")
    assert (again.created, again.unchanged) == (0, 1) and _count(app, Interaction) == 1
    with app.app_context():
        from kb.db import session

        interaction_id = session.scalar(select(Interaction.id))
    auth.login()
    page = client.get(f"/interactions/{interaction_id}").get_data(as_text=True)
    assert "Imported from visits.csv" in page
