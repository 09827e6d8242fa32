"""A bad date in a sub-form (a next step's due date: a plain WTForms form, outside Flask-WTF's translations)
reads "Not a valid date value." in the reader's language, not always in English."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("language, shown, hidden", [
    ("zh-CN", "不是有效的日期值。", "Not a valid date value."),
    ("en", "Not a valid date value.", "不是有效的日期值。"),
])
def test_bad_due_date_message_in_the_readers_language(client, login_as, create_user, create_group,
                                                      create_account, language, shown, hidden):
    member = create_user()
    account = create_account(group=create_group(), members=[member])
    login_as(member)
    response = client.post(f"/accounts/{account.id}/interactions/new", headers={"Accept-Language": language},
                           data={"occurred_on": "2025-06-01", "kind": "visit", "visibility": "org",
                                 "summary": "拜访", "next_steps-0-text": "跟进报价",
                                 "next_steps-0-due_on": "2025-13-45"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422, response.status_code
    assert shown in page and hidden not in page
