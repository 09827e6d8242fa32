"""/api/docs: Swagger UI from vendored files renders the operations of /api/v1/openapi.json, under the
app's strict CSP (the `page` fixture fails on any JavaScript error or CSP violation)."""
import pytest

from tests.browser.conftest import expect

pytestmark = pytest.mark.browser


def test_the_reference_lists_the_operations_and_can_call_one(page, live_server, sign_in, create_user,
                                                             create_account):
    create_account(name="华东移动通信有限公司")
    sign_in(create_user(role="admin"))
    external = []
    page.on("request", lambda r: None if r.url.startswith((live_server.url, "data:")) else external.append(r.url))
    page.goto("/api/docs")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any(p.strip().startswith("/accounts/{account_id}") for p in paths)
    assert len(paths) >= 50
    assert not external, external  # nothing from a CDN
    # Try one read with the signed-in session.
    # the tag in Swagger UI's ids is the tag's name in the reader's language: find the operation by its id
    page.locator("[id$='-list_accounts'] .opblock-summary").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".live-responses-table tbody .response-col_status").first).to_contain_text("200")
    expect(page.locator(".live-responses-table tbody .microlight").first).to_contain_text("华东移动通信有限公司")
