"""WCAG 2.1 A/AA, measured by axe-core (bundled in axe-playwright-python; nothing is downloaded at run time)
on every page kind: signed out and signed in, in Chinese and in English, at 1280 px and at 390 px.

To keep the run bounded, one browser context per language signs in once and each page is loaded once: axe
runs on it at the wide width, the viewport shrinks to a phone and axe runs again on the same document.
"""
from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from kb.demo import DEMO_PASSWORD
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.test_pages_smoke import demo_ids, page_urls  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (1280, 390)
#: Checked for sideways scrolling only (axe's findings do not depend on the width below 390 px).
NARROWEST = 320
LOCALES = {"zh_CN": ("zh-CN", "zh-CN"), "en": ("en-US", "en")}  # name: (browser locale, expected <html lang>)
AXE = Axe()
#: The outermost elements that stick out of the viewport on the right, as tag.class.
OVERFLOWING_JS = """() => {
  const width = document.documentElement.clientWidth, out = [];
  for (const el of document.querySelectorAll('main *, header *')) {
    if (el.getBoundingClientRect().right > width + 0.5 && !out.some(o => o.contains(el))) out.push(el);
  }
  return out.slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
}"""
NOT_PAGES = {"health.check", "health.favicon",  # JSON for load balancers and an image, not pages to read
             "accounts.decision_chain_svg"}  # an SVG image (its copy inside the account page is scanned)


def axe_violations(page: Any, where: str) -> list[str]:
    """Run axe-core on `page` for WCAG 2.0/2.1 A and AA; one readable line per violating element."""
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA},
                                     "resultTypes": ["violations"]})
    lines = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            lines.append(f"{where}: [{violation['impact']}] {violation['id']} — {violation['help']}\n"
                         f"    at {', '.join(map(str, node['target']))}: {node['html'][:160]}\n"
                         f"    {node.get('failureSummary', '').replace(chr(10), ' ')[:300]}")
    return lines


def sideways_scroll(page: Any, where: str) -> list[str]:
    """The page itself must not scroll sideways (WCAG 1.4.10 reflow); wide tables scroll in their own box."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow <= 0:
        return []
    culprits = page.evaluate(OVERFLOWING_JS)
    return [f"{where}: the page scrolls sideways by {overflow}px; too wide: {', '.join(culprits)}"]


def resize(page: Any, width: int) -> None:
    """Set the viewport's width and let the page's resize handlers run before anything is checked: the browser
    fires `resize` at its next frame, and static/js/app.js then makes a table box that now scrolls a focusable
    region. Checked at once, axe could run between the two (scrollable-region-focusable on a table without a
    link, now and then in CI) — a state no person sees."""
    page.set_viewport_size({"width": width, "height": 900})
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def scan_at_each_width(page: Any, where: str) -> list[str]:
    """axe at every width in WIDTHS on the already loaded page; the viewport is left at the first width."""
    found = []
    for width in WIDTHS:
        resize(page, width)
        found += axe_violations(page, f"{where} @{width}px") + sideways_scroll(page, f"{where} @{width}px")
    # the narrowest phone (WCAG 1.4.10 reflow is judged at 320 CSS px): nothing may push the page sideways
    resize(page, NARROWEST)
    found += sideways_scroll(page, f"{where} @{NARROWEST}px")
    resize(page, WIDTHS[0])
    return found


def open_context(browser: Any, live_server: Any, locale: str) -> Any:
    context = browser.new_context(locale=locale, viewport={"width": WIDTHS[0], "height": 900},
                                  base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.mark.parametrize("ui_locale", list(LOCALES))
def test_no_wcag_a_or_aa_violation_on_any_page(app, browser, live_server, demo_ids, ui_locale):  # noqa: F811
    browser_locale, html_lang = LOCALES[ui_locale]
    context = open_context(browser, live_server, browser_locale)
    page = context.new_page()
    js_errors: list[str] = []
    page.on("pageerror", lambda exc: js_errors.append(f"{page.url}: {exc}"))
    found: list[str] = []
    try:
        page.goto("/login")
        assert page.get_attribute("html", "lang") == html_lang
        found += scan_at_each_width(page, "signed out /login")

        # a failed sign-in: the form with its errors shown
        page.fill('input[name="email"]', demo_ids["admin_email"])
        page.fill('input[name="password"]', "not-the-password")
        with page.expect_navigation():
            page.click('form:has(input[name="password"]) button[type="submit"]')
        found += scan_at_each_width(page, "failed sign-in /login")

        page.fill('input[name="email"]', demo_ids["admin_email"])
        page.fill('input[name="password"]', DEMO_PASSWORD)
        with page.expect_navigation():
            page.click('form:has(input[name="password"]) button[type="submit"]')
        assert "/login" not in page.url
        if page.get_attribute("html", "lang") != html_lang:  # the admin's saved language wins: switch
            with page.expect_navigation():
                page.click("form.langswitch button")
        assert page.get_attribute("html", "lang") == html_lang

        urls = [(endpoint, url) for endpoint, url in page_urls(app, demo_ids) if endpoint not in NOT_PAGES]
        urls.append(("error page 404", "/no-such-page"))
        for endpoint, url in urls:
            page.goto(url)
            found += scan_at_each_width(page, f"{endpoint} {url}")
    finally:
        context.close()
    assert not js_errors, js_errors
    assert not found, f"{len(found)} WCAG A/AA violations ({ui_locale}):\n" + "\n".join(found)
