"""The error summary above a failed form names each row field in error of a FieldList, translated, with its
message and a link to that row's input (s6 fix 1): never the list's bare English name ("Next Steps")."""
from __future__ import annotations

import pytest


def summary(html):
    return html.split('class="flash flash-error error-summary"')[1].split("</div>")[0]


@pytest.mark.parametrize("language, line, english", [
    ("zh-CN", "下一步 第 1 行，截止日期：不是有效的日期值。", True),
    ("en", "Next steps, row 1, Due: Not a valid date value.", False),
])
def test_next_step_row_error_in_the_summary(client, login_as, create_user, create_group, create_account,
                                            language, line, english):
    member = create_user()
    account = create_account(group=create_group(), members=[member])
    login_as(member)
    response = client.post(f"/accounts/{account.id}/interactions/new", headers={"Accept-Language": language},
                           data={"occurred_on": "2025-06-01", "kind": "visit", "visibility": "org",
                                 "summary": "拜访", "next_steps-0-text": "t", "next_steps-0-due_on": "abc"})
    assert response.status_code == 422
    box = summary(response.get_data(as_text=True))
    assert f'<a href="#next_steps-0-due_on">{line}</a>' in box
    assert "Next Steps" not in box
    if english:
        assert "Next steps" not in box and "Due" not in box


def test_plan_target_row_error_in_the_summary(client, login_as, create_user, create_group, create_account):
    member = create_user()
    account = create_account(group=create_group(), members=[member])
    login_as(member)
    response = client.post(f"/accounts/{account.id}/plans/FY2027/edit", headers={"Accept-Language": "zh-CN"},
                           data={"status": "draft", "version": "0", "targets-0-metric": "new_products",
                                 "targets-0-target": "1", "targets-0-actual": "NaN"})
    assert response.status_code == 422, response.status_code
    box = summary(response.get_data(as_text=True))
    assert 'href="#targets-0-actual"' in box and "目标 第 1 行，实际" in box and "Targets" not in box
