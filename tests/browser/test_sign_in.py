"""Signing in and out through the real login form, in a real browser, with CSRF protection on."""
import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_sign_in_through_the_login_form(page, create_user):
    user = create_user(name="李明")
    page.goto("/")
    assert "/login" in page.url  # pages need sign-in
    page.fill('input[name="email"]', user.email)
    page.fill('input[name="password"]', PASSWORD)
    with page.expect_navigation():
        page.click('form:has(input[name="password"]) button[type="submit"]')
    assert page.url.endswith("/")
    assert "李明" in page.inner_text("header")
    assert page.locator("nav.mainnav").is_visible()


def test_wrong_password_keeps_you_on_the_login_form(page, create_user):
    user = create_user()
    page.goto("/login")
    page.fill('input[name="email"]', user.email)
    page.fill('input[name="password"]', "not-the-password")
    with page.expect_navigation():
        page.click('form:has(input[name="password"]) button[type="submit"]')
    assert "/login" in page.url
    assert page.locator(".flash-error").is_visible()
    assert page.locator("nav.mainnav").count() == 0


def test_sign_out(page, sign_in, create_user):
    sign_in(create_user())
    with page.expect_navigation():
        page.click('form[action="/logout"] button')
    assert "/login" in page.url
    page.goto("/")
    assert "/login" in page.url
