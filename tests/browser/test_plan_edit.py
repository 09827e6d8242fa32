"""The issue's browser test: a team member edits a plan answer in Chinese and sees it on the account page."""
import pytest

from kb.services.plans import get_plan
from tests.browser.conftest import expect

pytestmark = pytest.mark.browser

ANSWER = "客户战略：以客户为中心，三年内成为区域数字化领先者"


def test_team_member_edits_strategy_in_chinese_and_sees_it_on_the_account_page(
        app, page, sign_in, screenshot, create_user, create_group, create_account, create_plan):
    member = create_user(name="王小明")
    account = create_account(group=create_group(name="华东运营商客户群"), name="华东移动", members=[member])
    create_plan(account, period="FY2027", strategy="旧的战略描述")

    sign_in(member)
    page.goto(f"/accounts/{account.id}")
    with page.expect_navigation():
        page.click(f"#plan-card a[href='/accounts/{account.id}/plans/FY2027/edit']")
    assert page.url.endswith(f"/accounts/{account.id}/plans/FY2027/edit")

    strategy = page.locator("textarea[name='strategy']")
    expect(strategy).to_have_value("旧的战略描述")
    strategy.fill(ANSWER)
    # the live Markdown preview posts to /preview with the CSRF header: it must render the Chinese text
    expect(page.locator("#preview-strategy")).to_contain_text(ANSWER)
    with page.expect_navigation():
        page.click("form.plan-form button.btn-primary[type='submit']")
    assert page.locator(".flash-success").is_visible()

    page.goto(f"/accounts/{account.id}")
    card = page.locator("#plan-card")
    expect(card.locator("#answer-strategy .body")).to_have_text(ANSWER)
    expect(card.locator("#answer-strategy .meta")).to_contain_text("王小明")
    expect(page.locator("h1")).to_contain_text("华东移动")
    screenshot("account-page-plan-edited")

    with app.app_context():
        plan = get_plan(account_id=account.id, period="FY2027")
        assert plan.strategy == ANSWER
        assert plan.version == 2


def test_non_member_gets_no_edit_link_and_a_403(page, sign_in, create_user, create_account, create_plan):
    account = create_account(members=[create_user()])
    create_plan(account, period="FY2027", strategy="战略")
    sign_in(create_user(name="路人"))
    page.goto(f"/accounts/{account.id}")
    expect(page.locator("#answer-strategy .body")).to_have_text("战略")
    assert page.locator(f"#plan-card a[href$='/plans/FY2027/edit']").count() == 0
    response = page.goto(f"/accounts/{account.id}/plans/FY2027/edit")
    assert response.status == 403
