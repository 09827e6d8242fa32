"""Create forms carry a token per rendered form: a double submit creates one record and leads to it."""
from __future__ import annotations

import re
import threading
from typing import Any

import pytest
from sqlalchemy import func, select

from models import Account, CustomerGroup, Interaction, Stakeholder, TriangleSeat, User
from tests.factories import PASSWORD

TOKEN = re.compile(r'name="submit_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="submit_token"')


def rendered_token(client: Any, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200
    match = TOKEN.search(page.get_data(as_text=True))
    assert match, "the form has no submit_token"
    return match.group(1) or match.group(2)


def count(app: Any, model: type) -> int:
    with app.app_context():
        from kb.db import session

        return session.scalar(select(func.count()).select_from(model))


Forms = dict[str, tuple[str, dict[str, Any], type]]


def _forms(account_id: int, group_id: int = 0, holder_id: int = 0) -> Forms:
    """Each create form: (path, a valid submission, model)."""
    return {
        "seat": (f"/groups/{group_id}/seats",
                 {"role": "AR", "user_id": str(holder_id), "started_on": "2026-07-01"}, TriangleSeat),
        "user": ("/admin/users/new", {"name": "赵新人", "email": "zhao@example.com", "role": "member",
                                      "password": "s3cret-pass", "confirm": "s3cret-pass"}, User),
        "account": ("/accounts/new", {"name": "招商银行", "tier": "strategic", "coverage": "direct",
                                      "customer_group_id": "", "parent_id": ""}, Account),
        "stakeholder": (f"/accounts/{account_id}/stakeholders/new", {
            "name": "王建国", "reports_to_id": "0", "decision_role": "decision_maker", "attitude": "support",
            "influence": "high", "layer": "key", "relationship_level": "4", "primary_owner_id": "0"},
            Stakeholder),
        "interaction": (f"/accounts/{account_id}/interactions/new", {
            "occurred_on": "2026-10-12", "kind": "visit", "title": "数字化规划交流", "visibility": "org"},
            Interaction),
        "group": ("/groups/new", {"name": "西南能源客户群"}, CustomerGroup),
    }


@pytest.fixture
def admin(create_user, login_as):
    user = create_user(role="admin", name="管理员")
    login_as(user)
    return user


@pytest.mark.parametrize("kind", ["account", "stakeholder", "interaction", "group", "seat", "user"])
def test_a_double_submit_creates_once_and_leads_to_the_record(app, client, admin, create_account,
                                                              create_group, create_user, kind):
    holder = create_user(role="member", name="李客户经理")
    path, data, model = _forms(create_account(name="宁波港").id, create_group().id, holder.id)[kind]
    before = count(app, model)
    token = rendered_token(client, path)
    first = client.post(path, data={**data, "submit_token": token})
    assert first.status_code == 302, first.get_data(as_text=True)[:500]
    second = client.post(path, data={**data, "submit_token": token})
    assert second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert count(app, model) == before + 1
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "This form had already been sent: here is what it created." in page


def test_each_rendered_form_creates_its_own_record(app, client, admin):
    first, second = rendered_token(client, "/accounts/new"), rendered_token(client, "/accounts/new")
    assert first != second
    data = _forms(0)["account"][1]
    assert client.post("/accounts/new", data={**data, "submit_token": first}).status_code == 302
    assert client.post("/accounts/new", data={**data, "submit_token": second, "name": "平安银行"}).status_code == 302
    assert count(app, Account) == 2


def test_a_refused_submit_keeps_the_token_usable(app, client, admin):
    token = rendered_token(client, "/accounts/new")
    data = _forms(0)["account"][1]
    refused = client.post("/accounts/new", data={**data, "name": "", "submit_token": token})
    assert refused.status_code == 422
    assert token in refused.get_data(as_text=True)  # the corrected form is sent with the same token
    assert client.post("/accounts/new", data={**data, "submit_token": token}).status_code == 302
    assert count(app, Account) == 1


def test_chinese_note_on_the_second_submit(app, client, admin):
    token = rendered_token(client, "/groups/new")
    client.post("/groups/new", data={"name": "西南能源客户群", "submit_token": token})
    second = client.post("/groups/new", data={"name": "西南能源客户群", "submit_token": token},
                         headers={"Accept-Language": "zh-CN"}, follow_redirects=True)
    assert "此表单已经提交过，这是当时创建的记录。" in second.get_data(as_text=True)


def test_two_submits_at_once_create_one_account(app, admin, monkeypatch):
    """Two clicks in flight together: the second waits for the first's commit, then follows it."""
    from kb.services import accounts as service

    inside, release = threading.Event(), threading.Event()
    create = service.create_account

    def slow_create(**kw: Any) -> Any:
        if not inside.is_set():
            inside.set()
            assert release.wait(10)
        return create(**kw)

    monkeypatch.setattr(service, "create_account", slow_create)
    clients = [app.test_client(), app.test_client()]
    for c in clients:
        assert c.post("/login", data={"email": admin.email, "password": PASSWORD}).status_code == 302
    token = rendered_token(clients[0], "/accounts/new")
    data = {**_forms(0)["account"][1], "submit_token": token}
    responses: list[Any] = [None, None]

    def send(i: int) -> None:
        responses[i] = clients[i].post("/accounts/new", data=data)

    threads = [threading.Thread(target=send, args=(i,)) for i in (0, 1)]
    threads[0].start()
    assert inside.wait(10)
    threads[1].start()
    threads[1].join(0.5)
    release.set()
    for t in threads:
        t.join(15)
    assert [r.status_code for r in responses] == [302, 302]
    assert responses[0].headers["Location"] == responses[1].headers["Location"]
    assert count(app, Account) == 1
