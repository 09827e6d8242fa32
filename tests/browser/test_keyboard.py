"""Keyboard-only use: the skip link, a focus ring one can see on text fields, signing in, and a failed submit
that puts the keyboard on the field in error. Previews do not re-announce themselves while the user types."""
from __future__ import annotations

import re

import pytest

from tests.browser.conftest import expect
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two CSS rgb()/rgba() colours."""
    la, lb = (_luminance(tuple(int(x) for x in re.findall(r"\d+", c)[:3])) for c in (a, b))
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def test_skip_link_is_the_first_tab_stop_and_jumps_to_the_content(page, sign_in, create_user):
    sign_in(create_user())
    page.goto("/accounts")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    expect(skip).to_have_text("跳到主要内容")
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is inside the content, not the top bar again
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_text_field_focus_ring_contrasts_with_white(page):
    page.goto("/login")
    email = page.locator('input[name="email"]')
    email.focus()
    style = email.evaluate("e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth, s.outlineColor] }")
    assert style[0] == "solid" and float(style[1].removesuffix("px")) >= 2, style
    assert contrast(style[2], "rgb(255, 255, 255)") >= 3, style  # WCAG 1.4.11: 3:1 for focus indicators


def test_sign_in_with_the_keyboard_only(page, create_user):
    user = create_user(name="键盘用户")
    page.goto("/login")
    expect(page.locator('input[name="email"]')).to_be_focused()  # autofocus
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    expect(page.locator('input[name="password"]')).to_be_focused()
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/")
    assert "键盘用户" in page.inner_text("header")


def test_failed_submit_puts_the_keyboard_on_the_first_field_in_error(page, sign_in, create_user, create_account):
    admin = create_user(role="admin")
    account = create_account(name="华东电网")
    sign_in(admin)
    page.goto(f"/accounts/{account.id}/stakeholders/new")
    page.fill('input[name="title"]', "首席信息官")  # the name, required, stays empty
    with page.expect_navigation():
        page.locator('input[name="title"]').press("Enter")
    name = page.locator('input[name="name"]')
    expect(name).to_be_focused()
    expect(name).to_have_attribute("aria-invalid", "true")
    error_ids = name.get_attribute("aria-describedby").split()
    assert any(page.locator(f"#{i}").inner_text().strip() for i in error_ids)
    expect(page.locator(".error-summary")).to_have_attribute("role", "alert")
    expect(page.locator(".error-summary a[href='#name']")).to_be_visible()
    expect(page.locator('input[name="title"]')).to_have_value("首席信息官")  # nothing typed is lost


def test_previews_are_named_regions_that_do_not_announce_each_keystroke(
        page, sign_in, create_user, create_group, create_account, create_plan):
    member = create_user()
    account = create_account(group=create_group(), members=[member])
    create_plan(account, period="FY2027", strategy="旧的战略")
    sign_in(member)
    page.goto(f"/accounts/{account.id}/plans/FY2027/edit")
    page.locator("textarea[name='strategy']").fill("**新战略**")
    preview = page.locator("#preview-strategy")
    expect(preview.locator("strong")).to_have_text("新战略")
    assert preview.get_attribute("aria-live") is None
    assert page.locator(".md-preview[aria-live], .preview[aria-live]").count() == 0
    expect(preview).to_have_attribute("role", "region")
    assert preview.get_attribute("aria-label").startswith("预览")

    page.goto(f"/accounts/{account.id}/interactions/new")
    summary_preview = page.locator("#preview-summary")
    assert summary_preview.get_attribute("aria-live") is None
    expect(summary_preview).to_have_attribute("role", "region")


def test_plan_decision_makers_by_keyboard_keep_every_saved_choice(
        app, page, sign_in, create_user, create_group, create_account, create_stakeholder, create_plan):
    member = create_user()
    account = create_account(group=create_group(), members=[member])
    people = [create_stakeholder(account, name=name) for name in ("赵总", "钱主任", "孙处长", "李工程师")]
    create_plan(account, period="FY2027", strategy="战略")
    sign_in(member)
    url = f"/accounts/{account.id}/plans/FY2027/edit"

    def tick_by_keyboard(name: str) -> None:
        page.locator("input[data-picker-filter='decision_maker_ids-options']").focus()
        page.keyboard.type(name)
        page.keyboard.press("Enter")  # Enter in the filter does not submit the form
        page.keyboard.press("Tab")  # the next stop is the first matching checkbox still in view
        for _ in range(10):  # past any ticked choice (ticked ones stay in view) to the one asked for
            if page.evaluate("n => document.activeElement.type === 'checkbox' && "
                             "document.activeElement.parentElement.textContent.includes(n)", name):
                break
            page.keyboard.press("Tab")
        else:
            pytest.fail(f"{name} cannot be reached with Tab from the filter")
        page.keyboard.press("Space")
        page.keyboard.press("ArrowDown")  # arrow keys do not change a checkbox list's choices
        page.locator("input[data-picker-filter='decision_maker_ids-options']").fill("")

    def save() -> None:
        page.locator("input[name='comment']").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator(".flash-success").is_visible()

    page.goto(url)
    for person in people[:3]:
        tick_by_keyboard(person.name)
    save()
    page.goto(url)
    ticked = page.locator("#decision_maker_ids-options input:checked")
    expect(ticked).to_have_count(3)
    tick_by_keyboard(people[3].name)
    save()

    from kb.services.plans import get_plan
    with app.app_context():
        assert sorted(s.name for s in get_plan(account_id=account.id, period="FY2027").decision_maker_links) == \
            sorted(p.name for p in people)
