"""Control characters in typed text: 422 with a message on the field and the text kept, in forms and API.

PostgreSQL cannot store NUL at all (the driver raises, the page would be a 500 and the typed text lost), and
no other control character except tab and line breaks is anything a person means to type.
"""
from __future__ import annotations

import html
from typing import Any, Callable

import pytest
from sqlalchemy import func, select

from models import Account, AccountPlan, CustomerGroup, Interaction, Stakeholder, User, UserRole

from .api_support import assert_error

REFUSED = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\x9f"]


@pytest.fixture
def world(create_user, create_group, create_account, create_plan):
    admin = create_user(UserRole.ADMIN)
    group = create_group()
    account = create_account(group)
    create_plan(account)
    return type("World", (), {"admin": admin, "group": group, "account": account})


def _count(app: Any, model: Any) -> int:
    with app.app_context():
        from kb.db import session
        return session.scalar(select(func.count(model.id)))


# (name, model counted, URL, form data with TYPED in the text field under test)
TYPED = "客户关注港口自动化{}并希望年底前试点"
FORMS: list[tuple[str, Any, Callable[[Any], str], Callable[[str], dict[str, Any]]]] = [
    ("account name", Account, lambda w: "/accounts/new",
     lambda t: {"name": t, "tier": "standard", "coverage": "direct", "customer_group_id": "",
                "parent_id": ""}),
    ("account description", Account, lambda w: "/accounts/new",
     lambda t: {"name": "新客户", "tier": "standard", "coverage": "direct", "customer_group_id": "",
                "parent_id": "", "description": t}),
    ("stakeholder notes", Stakeholder, lambda w: f"/accounts/{w.account.id}/stakeholders/new",
     lambda t: {"name": "王建国", "reports_to_id": "0", "decision_role": "decision_maker", "attitude": "support",
                "influence": "high", "layer": "key", "relationship_level": "4", "primary_owner_id": "0",
                "notes": t}),
    ("visit summary", Interaction, lambda w: f"/accounts/{w.account.id}/interactions/new",
     lambda t: {"occurred_on": "2026-10-12", "kind": "visit", "title": "交流", "summary": t,
                "visibility": "org"}),
    ("next step text", Interaction, lambda w: f"/accounts/{w.account.id}/interactions/new",
     lambda t: {"occurred_on": "2026-10-12", "kind": "visit", "title": "交流", "summary": "纪要",
                "visibility": "org", "next_steps-0-text": t, "next_steps-0-owner_id": "0"}),
    ("group description", CustomerGroup, lambda w: "/groups/new",
     lambda t: {"name": "新客户群", "description": t}),
    ("new plan period", AccountPlan, lambda w: f"/accounts/{w.account.id}/plans/new",
     lambda t: {"period": "FY2028" + t}),
    ("user name", User, lambda w: "/admin/users/new",
     lambda t: {"name": t, "email": "new@example.com", "role": "member", "password": "s3cret-pass",
                "confirm": "s3cret-pass"}),
]


@pytest.mark.parametrize("name, model, url, data", FORMS, ids=[f[0] for f in FORMS])
@pytest.mark.parametrize("char", ["\x00", "\x1b"], ids=["NUL", "ESC"])
def test_control_character_in_a_form_is_422_with_the_text_kept(app, client, login_as, world, name, model, url,
                                                               data, char):
    login_as(world.admin)
    before = _count(app, model)
    typed = TYPED.format(char)
    response = client.post(url(world), data=data(typed))
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert f"Remove the control character U+{ord(char):04X} (at character" in page
    assert TYPED.format("") in page.replace(char, "")  # the typed text comes back
    assert _count(app, model) == before


@pytest.mark.parametrize("char", REFUSED, ids=[f"U+{ord(c):04X}" for c in REFUSED])
def test_every_control_character_is_refused(app, client, login_as, world, char):
    login_as(world.admin)
    response = client.post(f"/accounts/{world.account.id}/interactions/new",
                           data={"occurred_on": "2026-10-12", "kind": "visit", "title": "交流",
                                 "summary": TYPED.format(char), "visibility": "org"})
    assert response.status_code == 422
    assert f"U+{ord(char):04X} (at character 10)" in html.unescape(response.text)


def test_tabs_and_line_breaks_are_text(app, client, login_as, world):
    login_as(world.admin)
    summary = "第一行\r\n\t缩进的第二行\n第三行"
    response = client.post(f"/accounts/{world.account.id}/interactions/new",
                           data={"occurred_on": "2026-10-12", "kind": "visit", "title": "交流",
                                 "summary": summary, "visibility": "org"})
    assert response.status_code == 302
    with app.app_context():
        from kb.db import session
        stored = session.scalar(select(Interaction.summary).where(Interaction.account_id == world.account.id))
    assert "\t缩进的第二行" in stored and "第三行" in stored


def test_the_message_is_in_chinese_by_default(client, login_as, world):
    login_as(world.admin)
    response = client.post("/groups/new", data={"name": "新客户群\x00"}, headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 422
    assert "控制字符 U+0000" in html.unescape(response.text)


def test_sign_in_with_a_control_character_is_a_form_error_not_a_crash(client, world):
    response = client.post("/login", data={"email": "admin\x00@example.com", "password": "password123"})
    assert response.status_code in (200, 422)
    assert "U+0000" in html.unescape(response.text)


@pytest.mark.parametrize("query", ["q=%00", "q=abc%1b", "industry=%00"])
def test_account_filters_with_control_characters_are_ignored(client, login_as, world, query):
    login_as(world.admin)
    response = client.get(f"/accounts?{query}")
    assert response.status_code == 200
    assert world.account.name in response.text  # the bad filter is dropped, the list still shows


@pytest.mark.parametrize("char", ["\x01", "\x1b", "\x7f"])
def test_the_api_refuses_the_same_characters(client, login_as, world, char):
    login_as(world.admin)
    response = client.post("/api/v1/accounts", json={"name": f"新客户{char}"})
    error = assert_error(response, 422, "name")
    assert f"U+{ord(char):04X}" in error["fields"]["name"]


@pytest.mark.parametrize("name, model, url, data", FORMS, ids=[f[0] for f in FORMS])
def test_text_not_sent_as_utf8_is_422_not_saved_as_percent_escapes(app, client, login_as, world, name, model,
                                                                    url, data):
    """An old client posting GBK bytes: werkzeug would keep them as the literal text "%D6%D0%B9%FA"; the
    form refuses that field instead of saving the escapes as if typed."""
    from urllib.parse import urlencode

    login_as(world.admin)
    before = _count(app, model)
    marker = "\ue000"  # stands for the GBK bytes of 中国 in the url-encoded body
    body = urlencode(data(marker)).replace("%EE%80%80", "%D6%D0%B9%FA")
    response = client.post(url(world), data=body, content_type="application/x-www-form-urlencoded",
                           headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "This text was not sent as UTF-8 and cannot be read: type or paste it again." in html.unescape(response.text)
    assert _count(app, model) == before


def test_percent_signs_typed_as_text_are_kept(app, client, login_as, world):
    login_as(world.admin)
    response = client.post("/groups/new", data={"name": "折扣群", "description": "毛利 %D6 以上，100% 交付"})
    assert response.status_code == 302
    with app.app_context():
        from kb.db import session
        assert session.scalar(select(CustomerGroup.description).where(CustomerGroup.name == "折扣群")) == \
            "毛利 %D6 以上，100% 交付"
