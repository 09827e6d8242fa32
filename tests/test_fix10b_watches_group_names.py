"""/watches "Per customer group" names each group in the reader's language (issue 10 fix): the English UI
shows the group's English name, the Chinese UI its Chinese name."""
from __future__ import annotations

import html
import re

from models import UserRole
from tests.api_support import world  # noqa: F401  # `world` is a fixture
from tests.watches_support import add_opportunity


def _per_group(response) -> str:
    body = response.get_data(as_text=True)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def test_group_names_follow_the_ui_language(app, client, world, login_as, create_user):
    add_opportunity(app, world.account, "分组项目")
    login_as(create_user(role=UserRole.VIEWER, locale="en", name="Reader EN"))
    english = _per_group(client.get("/watches"))
    assert world.group.name_en in english
    assert "华东运营商客户群" not in english
    login_as(create_user(role=UserRole.VIEWER, locale="zh_CN", name="读者"))
    chinese = _per_group(client.get("/watches"))
    assert "华东运营商客户群" in chinese
