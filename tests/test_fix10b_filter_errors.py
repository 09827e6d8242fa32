"""A refused list filter shows only the error (issue 10 fix): no "0 个机会点 这里没有机会点。" or "尚未记录风险。"
under it, and the parameter is named by its label (状态, 阶段), not "status :"."""
from __future__ import annotations

import html
import re

import pytest

from models import UserRole
from tests.api_support import world  # noqa: F401  # `world` is a fixture


def _text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


@pytest.mark.parametrize("url, shown, never", [
    ("/opportunities?status=won2", "状态：", ["0 个机会点", "这里没有机会点", "status :", "status:"]),
    ("/opportunities?stage=x", "阶段：", ["0 个机会点", "这里没有机会点", "stage :", "stage:"]),
    ("/leads?status=x", "状态：", ["0 条线索", "还没有线索", "status :", "status:"]),
    ("/accounts/{account}/risks?all=perhaps", "同时显示已解决的：", ["尚未记录风险", "all :", "all:"]),
])
def test_only_the_error_is_shown_named_by_its_label(client, world, login_as, create_user, url, shown, never):
    login_as(create_user(role=UserRole.MEMBER, locale="zh_CN", name="张成员"))
    page = client.get(url.format(account=world.account.id))
    assert page.status_code == 422
    body = _text(page)
    assert "未显示列表：地址中的筛选条件无效。" in body
    assert shown in body
    for text in never:
        assert text not in body, text
