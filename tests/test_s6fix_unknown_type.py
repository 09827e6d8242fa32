"""`type:nonsense` in a search explains itself (s6 fix 6): a message naming the known types, translated,
instead of 0 results and silence; a known type gives no message."""
from __future__ import annotations

import pytest

from models import UserRole

TYPES = "account, plan, stakeholder, stakeholder_note, interaction, lead, opportunity, risk"


@pytest.fixture
def admin(create_user, create_group, create_account):
    create_account(group=create_group(), name="共同词客户")
    return create_user(role=UserRole.ADMIN)


@pytest.mark.parametrize("language, message", [
    ("zh-CN", f"没有 nonsense 这种类型：type: 后请写以下之一：{TYPES}。"),
    ("en", f"There is no type nonsense: write type: with one of {TYPES}."),
])
def test_unknown_type_is_explained(client, login_as, admin, language, message):
    login_as(admin)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    body = client.get("/api/v1/search", query_string={"q": "共同词 type:nonsense"}).get_json()
    assert body["total"] == 0 and body["message"] == message
    assert message in client.get("/search", query_string={"q": "共同词 type:nonsense"}).get_data(as_text=True)


def test_known_type_has_no_message(client, login_as, admin):
    login_as(admin)
    body = client.get("/api/v1/search", query_string={"q": "共同词 type:account"}).get_json()
    assert body["total"] == 1 and not body["message"]
