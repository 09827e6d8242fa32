"""Plan history page, revision diffs and restore through the web pages."""
from __future__ import annotations

import pytest

from models import UserRole
from tests.test_plans_pages import form_data, revisions, stored_plan


@pytest.fixture
def edited(client, login_as, create_user, create_account, create_plan):
    """A plan with three revisions saved by 王经理; returns (account, editor, plan)."""
    editor = create_user(role=UserRole.MEMBER, name="王经理")
    account = create_account(name="华东电网", members=[editor])
    plan = create_plan(account, strategy="第一版：保持现状", author=editor)
    login_as(editor)
    url = f"/accounts/{account.id}/plans/FY2027/edit"
    assert client.post(url, data=form_data(1, strategy="第二版：全面数字化", comment="客户换了CIO")).status_code == 302
    assert client.post(url, data=form_data(2, strategy="第二版：全面数字化", competitors="甲公司")).status_code == 302
    return account, editor, plan


def test_history_lists_revisions_newest_first(client, edited):
    account, editor, plan = edited
    response = client.get(f"/accounts/{account.id}/plans/FY2027/history")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.index('id="rev-3"') < page.index('id="rev-2"') < page.index('id="rev-1"')
    assert "客户换了CIO" in page and "王经理" in page
    rev2 = page[page.index('id="rev-2"'):page.index('id="rev-1"')]
    assert "Customer strategy" in rev2 or "客户战略" in rev2
    rev3 = page[page.index('id="rev-3"'):page.index('id="rev-2"')]
    assert "Competitors" in rev3 or "竞争" in rev3
    assert f'/accounts/{account.id}/plans/FY2027/revisions/1/restore' in page


def test_diff_page_shows_character_changes(client, edited):
    account, editor, plan = edited
    response = client.get(f"/accounts/{account.id}/plans/FY2027/diff?a=1&b=2")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<del>保持现状</del>" in page and "<ins>全面数字化</ins>" in page
    default = client.get(f"/accounts/{account.id}/plans/FY2027/diff").get_data(as_text=True)
    assert "<ins>甲公司</ins>" in default  # latest two revisions by default


@pytest.mark.parametrize("query", ["a=1&b=99", "a=0&b=2", "a=-1&b=2", "a=x&b=2", "a=99"])
def test_diff_unknown_revision_is_404(client, edited, query):
    account, editor, plan = edited
    assert client.get(f"/accounts/{account.id}/plans/FY2027/diff?{query}").status_code == 404


def test_restore_through_the_page(app, client, edited):
    account, editor, plan = edited
    response = client.post(f"/accounts/{account.id}/plans/FY2027/revisions/1/restore", data={"version": "3"},
                           follow_redirects=True)
    assert response.status_code == 200
    assert "第一版：保持现状" in response.get_data(as_text=True)
    stored = stored_plan(app, account.id)
    assert stored.version == 4 and stored.strategy == "第一版：保持现状"
    latest = revisions(app, plan.id)[-1]
    assert (latest.number, latest.restored_from) == (4, 1)
    history = client.get(f"/accounts/{account.id}/plans/FY2027/history").get_data(as_text=True)
    assert "restored from #1" in history or "恢复自 #1" in history


def test_restore_with_old_version_saves_nothing(app, client, edited):
    account, editor, plan = edited
    response = client.post(f"/accounts/{account.id}/plans/FY2027/revisions/1/restore", data={"version": "2"},
                           follow_redirects=True)
    assert "nothing was restored" in response.get_data(as_text=True)
    assert stored_plan(app, account.id).version == 3


@pytest.mark.parametrize("number", [99, 0])
def test_restore_unknown_revision_is_404(app, client, edited, number):
    account, editor, plan = edited
    response = client.post(f"/accounts/{account.id}/plans/FY2027/revisions/{number}/restore", data={"version": "3"})
    assert response.status_code == 404
    assert stored_plan(app, account.id).version == 3


def test_restore_needs_post(client, edited):
    account, editor, plan = edited
    assert client.get(f"/accounts/{account.id}/plans/FY2027/revisions/1/restore").status_code == 405
