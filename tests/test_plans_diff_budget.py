"""Plan diffs are bounded: a worst-case pair of revisions is compared within a time budget, coarsely but
correctly, and the page says so; ordinary diffs keep their character-level detail."""
from __future__ import annotations

import html
import re

import pytest

from kb.services import plan_diff
from kb.services.plan_diff import DiffBudget, diff_contents, text_diff
from models import UserRole
from tests.test_plans_pages import form_data

LINES = 3000
#: Every other line is the same word, the lines between all differ: difflib took over a minute on this.
OLD = "\n".join("同" if i % 2 == 0 else f"项{i}" for i in range(LINES))
NEW = "\n".join("同" if i % 2 == 0 else f"目{i}" for i in range(LINES))
COARSE_NOTICE = "differ in too many places to compare in detail"


def sides(diff_html: str) -> tuple[str, str]:
    """The old and the new text a diff's HTML shows (what a reader reconstructs from <del>/<ins>)."""
    old = re.sub(r"<ins>.*?</ins>", "", diff_html, flags=re.S).replace("<del>", "").replace("</del>", "")
    new = re.sub(r"<del>.*?</del>", "", diff_html, flags=re.S).replace("<ins>", "").replace("</ins>", "")
    return html.unescape(old), html.unescape(new)


def test_worst_case_hits_the_budget_and_stays_correct():
    budget = DiffBudget()
    result = text_diff(OLD, NEW, budget=budget)
    assert budget.hit  # stopped by the budget, not compared to the end
    assert sides(str(result)) == (OLD, NEW)


def test_spent_budget_gives_whole_blocks_replaced():
    budget = DiffBudget(0)
    result = str(text_diff("甲\n乙\n丙", "甲\n乙改\n丙", budget=budget))
    assert budget.hit
    assert sides(result) == ("甲\n乙\n丙", "甲\n乙改\n丙")
    assert "<del>" in result and "<ins>" in result


def test_budget_is_shared_by_all_fields_of_a_page():
    old = {"strategy": OLD, "profit_model": "原来的盈利模式", "sections": {}}
    new = {"strategy": NEW, "profit_model": "新的盈利模式", "sections": {}}
    diffs = {d.key: d for d in diff_contents(old, new)}
    assert diffs["strategy"].coarse
    # the second field comes after the budget is spent: shown whole, still correct
    assert diffs["profit_model"].coarse
    assert sides(str(diffs["profit_model"].html)) == ("原来的盈利模式", "新的盈利模式")


@pytest.mark.parametrize("old, new, marked", [
    ("第一版：保持现状", "第二版：全面数字化", ["<del>保持现状</del>", "<ins>全面数字化</ins>"]),
    ("拜访结论\n- 认可方案\n- 补充报价", "拜访结论\n- 认可方案\n- 补充硬件报价", ["补充<ins>硬件</ins>报价"]),
    ("a\nb\nc", "a\nc", ["a\n<del>b</del>\nc"]),  # a removed line keeps its own line
])
def test_ordinary_diffs_keep_character_detail(old, new, marked):
    budget = DiffBudget(30)  # generous: a busy test machine must not turn this into a coarse diff
    result = str(text_diff(old, new, budget=budget))
    assert not budget.hit
    for piece in marked:
        assert piece in result
    if len(old.split("\n")) == len(new.split("\n")):
        assert sides(result) == (old, new)


def test_worst_case_diff_page_says_it_is_coarse(client, login_as, create_user, create_account, create_plan):
    editor = create_user(role=UserRole.MEMBER, name="王经理")
    account = create_account(name="华东电网", members=[editor])
    create_plan(account, strategy=OLD, author=editor)
    login_as(editor)
    assert client.post(f"/accounts/{account.id}/plans/FY2027/edit",
                       data=form_data(1, strategy=NEW)).status_code == 302
    page = client.get(f"/accounts/{account.id}/plans/FY2027/diff?a=1&b=2").get_data(as_text=True)
    assert COARSE_NOTICE in page
    shown = page[page.index('<div class="plan-diff-text">') + len('<div class="plan-diff-text">'):]
    assert sides(shown[:shown.index("</div>")]) == (OLD, NEW)


def test_ordinary_diff_page_has_no_coarse_notice(client, login_as, create_user, create_account, create_plan):
    editor = create_user(role=UserRole.MEMBER, name="王经理")
    account = create_account(name="华东电网", members=[editor])
    create_plan(account, strategy="第一版：保持现状", author=editor)
    login_as(editor)
    client.post(f"/accounts/{account.id}/plans/FY2027/edit", data=form_data(1, strategy="第二版：全面数字化"))
    page = client.get(f"/accounts/{account.id}/plans/FY2027/diff?a=1&b=2").get_data(as_text=True)
    assert "<del>保持现状</del>" in page and COARSE_NOTICE not in page


def test_budget_default_is_well_under_a_second():
    assert 0 < plan_diff.DIFF_BUDGET <= 0.5
