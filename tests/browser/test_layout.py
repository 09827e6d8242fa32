"""Layout details a new user noticed: required-field asterisks on their label's line, the plan history's
compare/restore buttons on one line, a formatting hint by each plan field, previews that stop growing."""
from __future__ import annotations

import pytest

from tests.browser.conftest import expect

pytestmark = pytest.mark.browser


def _box(locator):
    box = locator.bounding_box()
    assert box, f"{locator} is not visible"
    return box


def test_required_asterisk_sits_on_its_labels_line(page, sign_in, create_user, create_account):
    account = create_account()
    sign_in(create_user(role="admin"))
    page.goto(f"/accounts/{account.id}/stakeholders/new")
    label, star = page.locator("label[for='name']"), page.locator("label[for='name'] + .req")
    expect(star).to_have_text("*")
    lb, sb = _box(label), _box(star)
    assert abs((lb["y"] + lb["height"] / 2) - (sb["y"] + sb["height"] / 2)) < lb["height"] / 2, (lb, sb)
    assert sb["x"] >= lb["x"] + lb["width"] - 1  # right after the label, not under it


def test_plan_history_buttons_do_not_wrap(app, page, sign_in, create_user, create_group, create_account,
                                          create_plan):
    from kb.db import session
    from kb.services.plans import get_plan, save_plan
    from models import PlanStatus, User

    member = create_user()
    account = create_account(group=create_group(), members=[member])
    create_plan(account, period="FY2027", strategy="一")
    with app.test_request_context():
        author = session.get(User, member.id)
        for n, text in enumerate(("二", "三"), start=1):
            plan = get_plan(account_id=account.id, period="FY2027")
            save_plan(account=plan.account, period="FY2027", author=author, base_version=plan.version,
                      answers={"strategy": text}, sections={}, decision_maker_ids=[], status=PlanStatus.DRAFT,
                      comment="根据客户最新的数字化转型规划和年度预算调整了战略描述，补充了竞争对手的最新动向" * n)
            session.commit()
    sign_in(member)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/accounts/{account.id}/plans/FY2027/history")
        row = page.locator("tr:has(button:text-is('恢复'))").first
        diff, restore = _box(row.locator("a.btn")), _box(row.locator("button.btn"))
        assert abs(diff["y"] - restore["y"]) < 2, (width, diff, restore)
        one_line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.plan-rev-actions .btn')).lineHeight)")
        assert diff["height"] < 2 * one_line and restore["height"] < 2 * one_line, (width, diff, restore)


def test_plan_fields_show_a_formatting_hint_and_previews_scroll(page, sign_in, create_user, create_group,
                                                                create_account, create_plan):
    member = create_user()
    account = create_account(group=create_group(), members=[member])
    create_plan(account, period="FY2027", strategy="战略")
    sign_in(member)
    page.goto(f"/accounts/{account.id}/plans/FY2027/edit")
    hint = page.locator("#field-strategy .md-hint")
    expect(hint).to_contain_text("加粗")
    expect(hint).to_contain_text("| a | b |")
    page.locator("textarea[name='strategy']").fill("\n\n".join(f"第{i}段" for i in range(60)))
    preview = page.locator("#preview-strategy")
    expect(preview).to_contain_text("第59段")
    size = preview.evaluate("e => [e.clientHeight, e.scrollHeight, getComputedStyle(e).overflowY]")
    assert size[0] < size[1] and size[2] == "auto", size
    assert size[0] <= 20 * 15 + 1  # 20rem at the 15 px root size
