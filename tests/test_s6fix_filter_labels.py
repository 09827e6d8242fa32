"""A refused list filter on a page names the allowed values by their translated labels, never the raw codes
(s6 fix 5); the API keeps naming its documented codes."""
from __future__ import annotations

import html
import re

import pytest

from models import UserRole
from tests.api_support import world  # noqa: F401  # `world` is a fixture


def _text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


@pytest.mark.parametrize("url, locale, shown, never", [
    ("/opportunities?stage=bogus", "zh_CN", "阶段：必须是以下值之一：验证机会点", ["validate", "pre_bid", "negotiation"]),
    ("/opportunities?stage=bogus", "en", "Validate the opportunity, Pre-bid guidance", ["pre_bid", "negotiation,"]),
    ("/opportunities?status=bogus", "zh_CN", "赢单", ["won", "abandoned"]),
    ("/leads?status=bogus", "zh_CN", "新建", ["cultivating", "dropped"]),
])
def test_page_names_allowed_values_by_label(client, world, login_as, create_user, url, locale, shown, never):
    login_as(create_user(role=UserRole.MEMBER, locale=locale, name="张成员"))
    page = client.get(url)
    assert page.status_code == 422
    body = _text(page)
    assert shown in body
    for text in never:
        assert text not in body, text


def test_api_still_names_the_codes(client, world, login_as, create_user):
    login_as(create_user(role=UserRole.MEMBER, locale="zh_CN", name="张成员"))
    answer = client.get("/api/v1/opportunities?stage=bogus")
    assert answer.status_code == 422
    assert "validate, pre_bid, bid, negotiation, closed" in answer.get_json()["error"]["fields"]["stage"]
