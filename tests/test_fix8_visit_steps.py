"""The visit page marks a next step done with the same unmistakable button as the account page."""
from __future__ import annotations

from models import NextStep

ZH = {"Accept-Language": "zh-CN"}


def test_visit_page_has_mark_as_done_button_and_returns_there(app, client, login_as, create_user,
                                                              create_group, create_account,
                                                              create_interaction):
    ar = create_user(name="王客户经理")
    account = create_account(group=create_group(), name="华夏电力", members=[ar])
    visit = create_interaction(account, title="季度拜访", next_steps=[{"text": "发送方案", "owner_id": ar.id}])
    login_as(ar)
    page = client.get(f"/interactions/{visit.id}", headers=ZH).get_data(as_text=True)
    assert "✓</span> 标记为已完成</button>" in page
    assert ">已完成</button>" not in page
    account_page = client.get(f"/accounts/{account.id}", headers=ZH).get_data(as_text=True)
    assert "✓</span> 标记为已完成</button>" in account_page
    with app.app_context():
        from kb.db import session
        step = session.query(NextStep).one()
        step_id, version = step.id, step.version
    done = client.post(f"/next-steps/{step_id}/toggle", data={"done": "1", "version": version,
                                                         "next": f"/interactions/{visit.id}"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/interactions/{visit.id}")
    page = client.get(f"/interactions/{visit.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "↺</span> Mark as not done</button>" in page
