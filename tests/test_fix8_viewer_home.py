"""A viewer's home offers search and the latest plans, never "my accounts", "my next steps" or an invitation
to join a team; members keep theirs."""
from __future__ import annotations

import pytest

ZH = {"Accept-Language": "zh-CN"}
OWN_WORK = ("我的客户", "您尚未加入任何客户团队", "我未完成的下一步", "您负责的客户，以及您承诺的下一步。")


def test_viewer_home_has_no_own_work_and_no_invitation(client, login_as, create_user, create_account,
                                                       create_group, create_plan):
    create_plan(create_account(create_group(), name="华夏电力"), strategy="扩大投资")
    login_as(create_user(role="viewer", name="只读"))
    page = client.get("/", headers=ZH).get_data(as_text=True)
    assert "搜索知识库" in page and "华夏电力" in page  # search and the recent plans
    assert "只读权限：可搜索知识库、阅读最新的客户规划。" in page
    for text in OWN_WORK:
        assert text not in page, text
    assert 'id="my-accounts"' not in page and 'id="my-steps"' not in page


@pytest.mark.parametrize("role", ["member", "admin"])
def test_members_and_admins_keep_their_accounts_and_steps(client, login_as, create_user, role):
    login_as(create_user(role=role))
    page = client.get("/", headers=ZH).get_data(as_text=True)
    assert "我的客户" in page and "我未完成的下一步" in page and "您负责的客户，以及您承诺的下一步。" in page
