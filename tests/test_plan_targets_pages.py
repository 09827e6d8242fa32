"""Plan targets on the pages (issue 10 §5): edit rows (blank ones ignored, more rows without JavaScript),
clear errors on the row's field, actual and gap on the plan page, the business-design sections, and
revisions: history, diff and restore cover the targets; a stale save is a conflict that keeps the rows."""
from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from models import (
    AccountPlan, Opportunity, OpportunityStage, OpportunityStatus, PlanRevision, UserRole, Visibility,
)
from tests.test_plans_pages import form_data

ROW_FIELDS = ("metric", "custom_name", "unit", "baseline", "target", "actual", "gap_kind")


def rows(*targets: dict[str, str], blank: int = 1) -> dict[str, str]:
    """Form fields of target rows, then `blank` empty rows."""
    data = {}
    for i, target in enumerate([*targets, *[{}] * blank]):
        for name in ROW_FIELDS:
            data[f"targets-{i}-{name}"] = target.get(name, "")
    return data


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


@pytest.fixture
def team(create_user, create_account):
    editor = create_user(role=UserRole.MEMBER, name="王经理", locale="zh_CN")  # pages in Chinese
    account = create_account(name="华东电网", members=[editor])
    return account, editor


def save(client, account, version: int = 0, **targets_and_more):
    extra = targets_and_more.pop("extra", {})
    return client.post(f"/accounts/{account.id}/plans/FY2027/edit",
                       data={**form_data(version), **targets_and_more, **extra})


def won(app, account_id: int, amount: str, closed_on: date, visibility=Visibility.ORG) -> None:
    with app.app_context():
        from kb.db import session

        session.add(Opportunity(account_id=account_id, name=f"赢单{amount}", amount=Decimal(amount),
                                currency="CNY",
                                status=OpportunityStatus.WON, stage=OpportunityStage.CLOSED,
                                opened_on=date(2026, 10, 1), closed_on=closed_on, visibility=visibility))
        session.commit()


def stored_targets(app, account_id: int) -> list[tuple]:
    with app.app_context():
        from kb.db import session

        plan = session.scalar(select(AccountPlan).where(AccountPlan.account_id == account_id))
        return [(t.metric.value, t.custom_name, t.unit, t.baseline, t.target, t.actual,
                 t.gap_kind.value if t.gap_kind else None) for t in plan.targets]


def test_targets_saved_from_the_form_show_actual_and_gap(app, client, login_as, team):
    account, editor = team
    won(app, account.id, "300000.00", date(2027, 4, 1))
    won(app, account.id, "999999.00", date(2026, 12, 30))  # before FY2027: not counted
    login_as(editor)
    response = save(client, account, **rows(
        {"metric": "revenue", "unit": "cny", "baseline": "800000", "target": "1,000,000",
         "gap_kind": "performance"},
        {"metric": "custom", "custom_name": "联合创新项目", "unit": "个", "target": "2", "actual": "1",
         "gap_kind": "opportunity"},
        blank=2))
    assert response.status_code == 302
    assert stored_targets(app, account.id) == [
        ("revenue", "", "CNY", Decimal("800000.00"), Decimal("1000000.00"), None, "performance"),
        ("custom", "联合创新项目", "个", None, Decimal("2.00"), Decimal("1.00"), "opportunity")]
    page = text(client.get(f"/accounts/{account.id}/plans/FY2027"))
    assert "收入 800,000.00 CNY 1,000,000.00 CNY 300,000.00 CNY 来自赢单的机会点 700,000.00 CNY 业绩差距" in page
    assert "联合创新项目 — 2 个 1 个 1 个 机会差距" in page


@pytest.mark.parametrize("row, field, message", [
    ({"metric": "revenue", "target": "abc"}, "target", "请输入金额"),
    ({"metric": "revenue", "target": ""}, "target", "请输入金额"),
    ({"metric": "revenue", "target": "-5"}, "target", "金额不能为负"),
    ({"metric": "revenue", "target": "1.234"}, "target", "最多两位小数"),
    ({"metric": "orders", "unit": "万元", "target": "10"}, "unit", "收入和订货以币种计量"),
    ({"metric": "revenue", "target": "10", "actual": "5"}, "actual", "由赢单的机会点计算得出"),
    ({"metric": "custom", "unit": "次", "target": "3"}, "custom_name", "请为自定义指标命名"),
    ({"metric": "share_of_wallet", "unit": "%", "target": "30", "baseline": "1e400"}, "baseline", "金额"),
    ({"metric": "bogus", "target": "3"}, "metric", "请从列表中选择"),
    ({"metric": "", "target": "3"}, "metric", "请从列表中选择"),
])
def test_a_bad_target_row_is_refused_with_the_message_on_its_field(app, client, login_as, team, row, field,
                                                                   message):
    account, editor = team
    login_as(editor)
    response = save(client, account, **rows({"metric": "new_products", "unit": "个", "target": "1"}, row))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    cell = re.search(rf'<td class="has-error">[^<]*<[^>]+name="targets-1-{field}"[^>]*>.*?</td>', page, re.S)
    assert cell is not None and message in html.unescape(cell.group(0)), page[:200]
    assert stored_targets_or_none(app, account.id) is None  # nothing saved


def stored_targets_or_none(app, account_id: int):
    with app.app_context():
        from kb.db import session

        return session.scalar(select(AccountPlan.id).where(AccountPlan.account_id == account_id))


def test_add_rows_button_adds_blank_rows_and_saves_nothing(app, client, login_as, team):
    account, editor = team
    login_as(editor)
    page = client.get(f"/accounts/{account.id}/plans/FY2027/edit").get_data(as_text=True)
    assert 'name="targets-2-target"' in page and 'name="targets-3-target"' not in page
    response = save(client, account, **rows({"metric": "revenue", "target": "5"}, blank=2),
                    extra={"add_target_rows": "1"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'name="targets-5-target"' in page and 'name="targets-6-target"' not in page
    assert 'name="targets-0-target" type="text" value="5"' in page
    assert stored_targets_or_none(app, account.id) is None


def test_business_design_sections_are_saved_and_shown(app, client, login_as, team):
    account, editor = team
    login_as(editor)
    response = save(client, account, value_proposition="端到端**电网数字化**", risk_management="交付资源不足")
    assert response.status_code == 302
    page = text(client.get(f"/accounts/{account.id}/plans/FY2027"))
    assert "业务设计 · 价值主张" in page and "端到端 电网数字化" in page and "交付资源不足" in page
    assert "尚未填写" in page or "Not written yet" in page
    assert "业务设计 · 客户选择" in page  # listed as not written yet


def test_history_diff_and_restore_cover_the_targets(app, client, login_as, team):
    account, editor = team
    login_as(editor)
    save(client, account, **rows({"metric": "revenue", "target": "100"}))
    save(client, account, 1, **rows({"metric": "revenue", "target": "250"},
                                    {"metric": "customer_satisfaction", "unit": "分", "target": "90",
                                     "actual": "80"}))
    save(client, account, 2, **rows(blank=1))  # all targets removed
    assert stored_targets(app, account.id) == []
    with app.app_context():
        from kb.db import session

        contents = [r.content["targets"]
                    for r in session.scalars(select(PlanRevision).order_by(PlanRevision.number))]
    assert [len(c) for c in contents] == [1, 2, 0]
    history = text(client.get(f"/accounts/{account.id}/plans/FY2027/history"))
    assert history.count("目标") == 3  # each revision lists the targets among what it changed
    diff = client.get(f"/accounts/{account.id}/plans/FY2027/diff?a=1&b=2").get_data(as_text=True)
    assert "收入 · 目标值 <del>10</del><ins>25</ins>0.00 CNY" in diff
    assert "客户满意度 · 目标值 90 分 · 实际 80 分</ins>" in diff
    response = client.post(f"/accounts/{account.id}/plans/FY2027/revisions/2/restore", data={"version": "3"})
    assert response.status_code == 302
    assert stored_targets(app, account.id) == [
        ("revenue", "", "CNY", None, Decimal("250.00"), None, None),
        ("customer_satisfaction", "", "分", None, Decimal("90.00"), Decimal("80.00"), None)]
    page = text(client.get(f"/accounts/{account.id}/plans/FY2027"))
    assert "客户满意度 — 90 分 80 分 10 分" in page


def test_a_stale_save_is_a_conflict_and_keeps_the_typed_rows(app, client, login_as, team):
    account, editor = team
    login_as(editor)
    save(client, account, **rows({"metric": "revenue", "target": "100"}))
    save(client, account, 1, **rows({"metric": "revenue", "target": "200"}))
    response = save(client, account, 1, **rows({"metric": "orders", "target": "300"}))
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'name="targets-0-target" type="text" value="300"' in page  # mine kept
    assert "200.00" in page  # the stored target shown beside it
    assert stored_targets(app, account.id)[0][4] == Decimal("200.00")
    # the user left the targets as they found them: the stored targets are filled in, not undone
    response = save(client, account, 1, **rows({"metric": "revenue", "target": "100"}), strategy="新战略")
    assert response.status_code == 409
    assert 'name="targets-0-target" type="text" value="200.00"' in response.get_data(as_text=True)


def test_a_viewer_sees_targets_but_not_a_team_only_deal_in_the_actual(app, client, login_as, team,
                                                                        create_user):
    account, editor = team
    won(app, account.id, "100.00", date(2027, 2, 1))
    won(app, account.id, "900.00", date(2027, 2, 1), visibility=Visibility.TEAM)
    login_as(editor)
    save(client, account, **rows({"metric": "revenue", "target": "1000"}))
    page = text(client.get(f"/accounts/{account.id}/plans/FY2027"))
    assert "收入 — 1,000.00 CNY 1,000.00 CNY 来自赢单的机会点 0.00 CNY" in page
    login_as(create_user(role=UserRole.VIEWER, locale="zh_CN"))
    page = text(client.get(f"/accounts/{account.id}/plans/FY2027"))
    assert "收入 — 1,000.00 CNY 100.00 CNY 来自赢单的机会点 900.00 CNY" in page
    assert client.get(f"/accounts/{account.id}/plans/FY2027/edit").status_code == 403
    assert save(client, account, 1, **rows({"metric": "revenue", "target": "1"})).status_code == 403


def test_account_page_and_brief_show_the_targets_compactly(app, client, login_as, team, create_user):
    account, editor = team
    won(app, account.id, "400.00", date(2027, 5, 5))
    login_as(editor)
    save(client, account, **rows(
        {"metric": "orders", "baseline": "100", "target": "1000", "gap_kind": "performance"},
        {"metric": "share_of_wallet", "unit": "%", "target": "30"}))
    login_as(create_user(role=UserRole.VIEWER, locale="zh_CN"))
    for url in (f"/accounts/{account.id}", f"/accounts/{account.id}/brief"):
        page = client.get(url).get_data(as_text=True)
        card = text_of(page[page.index('id="plan-card-targets"') + 23:])
        assert card.startswith('数字化规划 指标 目标值 实际 差距 订货 1,000.00 CNY 400.00 CNY 600.00 CNY '
                               '钱包份额 30% 未填写 —'), card[:200]
        assert "100.00 CNY 1,000.00 CNY" not in card  # compact: no baseline column, no kind of gap


def test_an_account_without_targets_shows_no_numbers_block(app, client, login_as, team, create_plan):
    account, editor = team
    create_plan(account)
    login_as(editor)
    assert 'id="plan-card-targets"' not in client.get(f"/accounts/{account.id}").get_data(as_text=True)


def text_of(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()
