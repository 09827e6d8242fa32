"""Plan targets read with thousands separators and whole counts without ".00" (issue 10 fix): the plan
page, the account page's 数字化规划 card and the revision diff."""
from __future__ import annotations

from tests.test_plan_targets_pages import rows, save, team, text  # noqa: F401  # `team` is a fixture


def test_targets_are_thousands_separated_and_whole_counts_plain(client, login_as, team):
    account, editor = team
    login_as(editor)
    save(client, account, **rows({"metric": "custom", "custom_name": "新增站点", "unit": "个", "baseline": "1200",
                                  "target": "5000", "actual": "3800"},
                                 {"metric": "customer_satisfaction", "unit": "分", "target": "88",
                                  "actual": "86.5"}))
    page = text(client.get(f"/accounts/{account.id}/plans/FY2027"))
    assert "新增站点 1,200 个 5,000 个 3,800 个 1,200 个" in page
    assert "客户满意度 — 88 分 86.5 分 1.5 分" in page
    assert "5000" not in page and "88.00" not in page
    card = text(client.get(f"/accounts/{account.id}"))
    assert "新增站点 5,000 个 3,800 个 1,200 个" in card
    save(client, account, 1, **rows({"metric": "custom", "custom_name": "新增站点", "unit": "个",
                                     "baseline": "1200", "target": "6000", "actual": "3800"}))
    diff = client.get(f"/accounts/{account.id}/plans/FY2027/diff?a=1&b=2").get_data(as_text=True)
    assert "新增站点 · 目标值 <del>5</del><ins>6</ins>,000 个 · 基线 1,200 个 · 实际 3,800 个" in diff
    assert "客户满意度 · 目标值 88 分 · 实际 86.5 分" in diff
