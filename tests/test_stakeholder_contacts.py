"""Stakeholders' contact details: validated, and seen only by the account team and admins (the rule of
private notes) — on the page, in the form, in the API and in search. New stakeholders start "unknown"."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from models import Influence, Stakeholder
from tests.api_support import Api, make_token
from tests.search_support import find, keys

MOBILE = "138-0013-8000"
EMAIL = "sun.chuzhang@example.cn"
WECHAT = "sun_cz_2026"


@pytest.fixture
def world(client, create_user, create_group, create_seat, create_account, create_stakeholder):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    group = create_group()
    seated, rotated_out = create_user(name="座席成员"), create_user()
    create_seat(group, seated, "SR")
    create_seat(group, rotated_out, "AR", started_on=date(2023, 1, 1), ended_on=date(2024, 1, 1))
    account = create_account(group=group)
    person = create_stakeholder(account, name="孙处长", owners=[seated], influence=Influence.HIGH,
                                mobile=MOBILE, email=EMAIL,
                                wechat_id=WECHAT, assistant_name="小刘秘书", assistant_contact="分机 8021")
    return SimpleNamespace(account=account, person=person, admin=create_user(role="admin"), seated=seated,
                           off_team=create_user(), rotated_out=rotated_out, viewer=create_user(role="viewer"))


SECRETS = (MOBILE, EMAIL, WECHAT, "小刘秘书", "分机 8021")


def form_data(**overrides):
    data = {"name": "孙处长", "decision_role": "influencer", "attitude": "neutral", "influence": "medium",
            "layer": "key", "relationship_level": "3", "reports_to_id": "0", "primary_owner_id": "0",
            "notes": ""}
    data.update(overrides)
    return data


@pytest.mark.parametrize("who", ["admin", "seated"])
def test_team_sees_contact_details(app, client, login_as, world, who):
    login_as(getattr(world, who))
    html = client.get(f"/stakeholders/{world.person.id}").get_data(as_text=True)
    assert all(secret in html for secret in SECRETS)
    form = client.get(f"/stakeholders/{world.person.id}/edit").get_data(as_text=True)
    assert f'value="{EMAIL}"' in form
    body = Api(client, make_token(app, getattr(world, who))).request(
        "GET", f"/stakeholders/{world.person.id}").get_json()
    assert body["mobile"] == MOBILE and body["wechat_id"] == WECHAT and body["assistant_name"] == "小刘秘书"


@pytest.mark.parametrize("who", ["off_team", "rotated_out", "viewer"])
def test_outsiders_never_see_contact_details(app, client, login_as, world, who):
    user = getattr(world, who)
    login_as(user)
    for url in (f"/stakeholders/{world.person.id}", f"/accounts/{world.account.id}",
                f"/accounts/{world.account.id}/stakeholders", f"/accounts/{world.account.id}/brief"):
        html = client.get(url).get_data(as_text=True)
        assert "孙处长" in html and not any(secret in html for secret in SECRETS), url
    api = Api(client, make_token(app, user))
    body = api.request("GET", f"/stakeholders/{world.person.id}").get_json()
    assert body["name"] == "孙处长"
    assert not {"phone", "mobile", "email", "wechat_id", "assistant_name", "assistant_contact"} & set(body)
    listed = api.request("GET", f"/accounts/{world.account.id}/stakeholders").get_json()["items"]
    assert listed and "mobile" not in listed[0]
    for query in ("13800138000", EMAIL, WECHAT, "小刘秘书"):
        assert not keys(find(app, query, user)), query


def test_team_finds_a_stakeholder_by_phone_number_in_search(app, world):
    for query in ("13800138000", "138 0013 8000", WECHAT):
        assert f"stakeholder_note:{world.person.id}" in keys(find(app, query, world.seated)), query


def test_outsider_cannot_write_contact_details_through_the_api(app, client, world):
    # An off-team member may not edit at all; an admin may. A member of the team writes them.
    api = Api(client, make_token(app, world.seated))
    response = api.request("PATCH", f"/stakeholders/{world.person.id}", json={"phone": "+86 21 5555 0101"})
    assert response.status_code == 200 and response.get_json()["phone"] == "+86 21 5555 0101"
    outsider = Api(client, make_token(app, world.off_team))
    refused = outsider.request("PATCH", f"/stakeholders/{world.person.id}", json={"phone": "13912345678"})
    assert refused.status_code == 403


@pytest.mark.parametrize("field, value, message", [
    ("email", "not-an-email", "Enter a valid email address."),
    ("phone", "call me maybe", "Enter a phone number: digits, spaces, +, -, ( and ) only (7 to 20 digits)."),
    ("mobile", "12", "Enter a phone number: digits, spaces, +, -, ( and ) only (7 to 20 digits)."),
    ("wechat_id", "微信 号", "Enter a WeChat ID: letters, digits, _ and - only."),
    ("assistant_name", "名" * 101, "Enter at most 100 characters."),
])
def test_bad_contact_details_are_refused_with_a_message(app, client, login_as, world, field, value, message):
    login_as(world.seated)
    response = client.post(f"/stakeholders/{world.person.id}/edit", data=form_data(**{field: value}))
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    api = Api(client, make_token(app, world.seated))
    response = api.request("PATCH", f"/stakeholders/{world.person.id}", json={field: value},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_full_width_phone_is_stored_in_ascii(app, client, login_as, world):
    login_as(world.seated)
    response = client.post(f"/stakeholders/{world.person.id}/edit",
                           data=form_data(phone="０２１－５５５５０１０１", email=EMAIL))
    assert response.status_code == 302
    with app.app_context():
        from kb.db import session
        assert session.get(Stakeholder, world.person.id).phone == "021-55550101"


def test_new_stakeholder_starts_unknown(app, client, login_as, world):
    login_as(world.seated)
    form = client.get(f"/accounts/{world.account.id}/stakeholders/new").get_data(as_text=True)
    for name in ("decision_role", "attitude", "influence"):
        select = form.split(f'name="{name}"')[1].split("</select>")[0]
        assert '<option selected value="unknown">Unknown</option>' in select, name
    api = Api(client, make_token(app, world.seated))
    body = api.request("POST", f"/accounts/{world.account.id}/stakeholders", json={"name": "新来的人"}).get_json()
    assert (body["decision_role"], body["attitude"], body["influence"]) == ("unknown", "unknown", "unknown")
    brief = client.get(f"/accounts/{world.account.id}/brief").get_data(as_text=True)
    assert "新来的人" not in brief.split('id="who-decides"')[1].split("</section>")[0]


def test_chinese_label_of_unknown(client, login_as, world):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    login_as(world.seated)
    form = client.get(f"/accounts/{world.account.id}/stakeholders/new").get_data(as_text=True)
    assert '<option selected value="unknown">未知</option>' in form
