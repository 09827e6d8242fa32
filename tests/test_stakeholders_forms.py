"""Stakeholder create / edit / archive through the HTTP layer: validation of shape and of meaning."""
from __future__ import annotations

import html
from html.parser import HTMLParser
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from models import Attitude, DecisionRole, Influence, RelationshipLayer, Stakeholder, StakeholderOwner


@pytest.fixture
def world(client, create_user, create_group, create_seat, create_account, create_stakeholder):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    group = create_group()
    member = create_user(name="李经理")
    create_seat(group, member, "AR")
    colleague = create_user(name="赵工")
    account = create_account(group=group, name="华东电网")
    other = create_account(name="西部银行")
    return SimpleNamespace(
        group=group, member=member, colleague=colleague, account=account, other=other,
        admin=create_user(role="admin"), viewer=create_user(role="viewer"), off_team=create_user(),
        inactive=create_user(active=False, name="离职员工"),
        foreign=create_stakeholder(other, name="外部人"),
    )


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "王建国", "name_en": "Wang Jianguo", "title": "首席信息官", "department": "信息中心",
        "reports_to_id": "0", "decision_role": "decision_maker", "attitude": "support", "influence": "high",
        "layer": "key", "relationship_level": "4", "primary_owner_id": "0", "notes": "关注**数字化转型**",
        "private_notes": "",
    }
    data.update(overrides)
    return data


def count_stakeholders(app, account) -> int:
    with app.app_context():
        from kb.db import session
        return session.scalar(select(func.count(Stakeholder.id)).where(Stakeholder.account_id == account.id))


def load(app, stakeholder_id: int) -> SimpleNamespace:
    with app.app_context():
        from kb.db import session
        s = session.get(Stakeholder, stakeholder_id)
        return SimpleNamespace(
            name=s.name, title=s.title, reports_to_id=s.reports_to_id, decision_role=s.decision_role,
            attitude=s.attitude, relationship_level=s.relationship_level, notes=s.notes,
            private_notes=s.private_notes, archived=s.archived_at is not None,
            created_by_id=s.created_by_id, updated_by_id=s.updated_by_id,
            owners=[(o.user_id, o.is_primary) for o in s.owners],
        )


def test_member_creates_a_stakeholder_with_owners(app, client, login_as, world):
    login_as(world.member)
    page = client.get(f"/accounts/{world.account.id}/stakeholders/new")
    assert page.status_code == 200
    assert "Reports to" in page.text and "Primary owner" in page.text
    response = client.post(f"/accounts/{world.account.id}/stakeholders/new", data=form_data(
        primary_owner_id=str(world.member.id), backup_owner_ids=[str(world.colleague.id)],
        notes='关注**数字化转型**<img src=x onerror="alert(1)"><script>alert(2)</script>'))
    assert response.status_code == 302
    sid = int(response.headers["Location"].rstrip("/").split("/")[-1])
    stored = load(app, sid)
    assert stored.name == "王建国" and stored.decision_role == DecisionRole.DECISION_MAKER
    assert stored.attitude == Attitude.SUPPORT and stored.relationship_level == 4
    assert stored.owners == [(world.member.id, True), (world.colleague.id, False)]
    assert stored.created_by_id == world.member.id == stored.updated_by_id

    page = client.get(f"/stakeholders/{sid}")
    assert page.status_code == 200
    for text in ("王建国", "首席信息官", "信息中心", "Decision-maker", "Supports us", "4 · Trusted",
                 "李经理", "赵工", "<strong>数字化转型</strong>"):
        assert text in page.text
    assert "onerror" not in page.text and "<script>alert(2)" not in page.text
    assert "Created" in page.text


def test_edit_changes_fields_and_reports_to(app, client, login_as, world, create_stakeholder):
    boss = create_stakeholder(world.account, name="总经理甲")
    person = create_stakeholder(world.account, name="处长乙", owners=[world.member])
    login_as(world.member)
    form = client.get(f"/stakeholders/{person.id}/edit")
    assert form.status_code == 200 and "总经理甲" in form.text and "外部人" not in form.text
    response = client.post(f"/stakeholders/{person.id}/edit", data=form_data(
        name="处长乙", reports_to_id=str(boss.id), attitude="oppose", relationship_level="2",
        primary_owner_id=str(world.colleague.id)))
    assert response.status_code == 302
    stored = load(app, person.id)
    assert stored.reports_to_id == boss.id and stored.attitude == Attitude.OPPOSE
    assert stored.owners == [(world.colleague.id, True)]
    page = client.get(f"/stakeholders/{person.id}")
    assert "总经理甲" in page.text
    boss_page = client.get(f"/stakeholders/{boss.id}")
    assert "处长乙" in boss_page.text  # listed as a direct report


LONG = {"name": 101, "name_en": 101, "title": 151, "department": 151, "notes": 10_001,
        "private_notes": 10_001}


@pytest.mark.parametrize("overrides, message", [
    ({"name": ""}, "Enter the person's name."),
    ({"name": "   "}, "Enter the person's name."),
    *[({field: "长" * n}, "Enter at most") for field, n in LONG.items()],
    ({"decision_role": "king"}, "Not a valid choice"),
    ({"attitude": "love"}, "Not a valid choice"),
    ({"influence": "huge"}, "Not a valid choice"),
    ({"layer": "galactic"}, "Not a valid choice"),
    ({"relationship_level": "0"}, "Not a valid choice"),
    ({"relationship_level": "6"}, "Not a valid choice"),
    ({"relationship_level": "abc"}, "Invalid Choice"),
    ({"reports_to_id": "abc"}, "Invalid Choice"),
    ({"reports_to_id": "999999"}, "Choose a stakeholder of this account."),
    ({"primary_owner_id": "999999"}, "Unknown user."),
    ({"backup_owner_ids": ["999999"], "primary_owner_id": "MEMBER"}, "Unknown user."),
    ({"backup_owner_ids": ["COLLEAGUE"]}, "Choose a primary owner before adding backups."),
    ({"primary_owner_id": "MEMBER", "backup_owner_ids": ["MEMBER"]},
     "The primary owner cannot also be a backup owner."),
    ({"primary_owner_id": "MEMBER", "backup_owner_ids": ["COLLEAGUE", "COLLEAGUE"]},
     "Each backup owner can be listed only once."),
    ({"primary_owner_id": "INACTIVE"}, "is no longer active"),
    ({"primary_owner_id": "MEMBER", "backup_owner_ids": [str(n) for n in range(1000, 1051)]},
     "Choose at most 50."),
    ({"primary_owner_id": "MEMBER", "backup_owner_ids": ["INACTIVE"]}, "is no longer active"),
])
def test_bad_input_is_refused_with_a_clear_message(app, client, login_as, world, overrides, message):
    ids = {"MEMBER": world.member.id, "COLLEAGUE": world.colleague.id, "INACTIVE": world.inactive.id}

    def fill(value: Any) -> Any:
        if isinstance(value, list):
            return [fill(v) for v in value]
        return str(ids[value]) if value in ids else value

    login_as(world.member)
    before = count_stakeholders(app, world.account)
    response = client.post(f"/accounts/{world.account.id}/stakeholders/new",
                           data=form_data(**{k: fill(v) for k, v in overrides.items()}))
    assert response.status_code == 422
    assert message in html.unescape(response.text)
    assert count_stakeholders(app, world.account) == before


def test_reports_to_a_stakeholder_of_another_account_is_refused(app, client, login_as, world):
    login_as(world.member)
    response = client.post(f"/accounts/{world.account.id}/stakeholders/new",
                           data=form_data(reports_to_id=str(world.foreign.id)))
    assert response.status_code == 422
    assert "Choose a stakeholder of this account." in response.text
    assert count_stakeholders(app, world.account) == 0


def test_reports_to_itself_is_refused(app, client, login_as, world, create_stakeholder):
    person = create_stakeholder(world.account, name="自己")
    login_as(world.member)
    response = client.post(f"/stakeholders/{person.id}/edit",
                           data=form_data(name="自己", reports_to_id=str(person.id)))
    assert response.status_code == 422
    assert "A stakeholder cannot report to themselves." in response.text
    assert load(app, person.id).reports_to_id is None


def test_a_three_step_cycle_is_refused_with_names(app, client, login_as, world, create_stakeholder):
    top = create_stakeholder(world.account, name="甲总")
    middle = create_stakeholder(world.account, name="乙处长", reports_to=top)
    bottom = create_stakeholder(world.account, name="丙科长", reports_to=middle)
    login_as(world.member)
    response = client.post(f"/stakeholders/{top.id}/edit",
                           data=form_data(name="甲总", reports_to_id=str(bottom.id)))
    assert response.status_code == 422
    assert "丙科长 already reports (directly or indirectly) to 甲总" in response.text
    assert load(app, top.id).reports_to_id is None
    # a legal move inside the same chain still works
    response = client.post(f"/stakeholders/{bottom.id}/edit",
                           data=form_data(name="丙科长", reports_to_id=str(top.id)))
    assert response.status_code == 302 and load(app, bottom.id).reports_to_id == top.id


def test_an_inactive_owner_already_assigned_may_stay(app, client, login_as, world, create_stakeholder,
                                                     create_user):
    leaver = create_user(name="老员工")
    person = create_stakeholder(world.account, owners=[leaver])
    with app.app_context():
        from kb.db import session
        from models import User
        session.get(User, leaver.id).active = False
        session.commit()
    login_as(world.member)
    response = client.post(f"/stakeholders/{person.id}/edit", data=form_data(
        name="改名", primary_owner_id=str(leaver.id)))
    assert response.status_code == 302
    assert load(app, person.id).owners == [(leaver.id, True)]


@pytest.mark.parametrize("who", ["viewer", "off_team"])
def test_people_who_may_not_edit_get_403(app, client, login_as, world, create_stakeholder, who):
    person = create_stakeholder(world.account, name="不可改")
    login_as(getattr(world, who))
    assert client.get(f"/stakeholders/{person.id}").status_code == 200
    assert client.get(f"/accounts/{world.account.id}/stakeholders/new").status_code == 403
    assert client.post(f"/accounts/{world.account.id}/stakeholders/new", data=form_data()).status_code == 403
    assert client.get(f"/stakeholders/{person.id}/edit").status_code == 403
    assert client.post(f"/stakeholders/{person.id}/edit", data=form_data(name="已改")).status_code == 403
    assert client.post(f"/stakeholders/{person.id}/archive").status_code == 403
    assert load(app, person.id).name == "不可改" and not load(app, person.id).archived
    assert count_stakeholders(app, world.account) == 1


def test_admin_edits_any_account(app, client, login_as, world, create_stakeholder):
    person = create_stakeholder(world.account, name="管理员改")
    login_as(world.admin)
    response = client.post(f"/stakeholders/{person.id}/edit", data=form_data(name="管理员已改"))
    assert response.status_code == 302 and load(app, person.id).name == "管理员已改"
    assert load(app, person.id).updated_by_id == world.admin.id


def test_archive_and_restore(app, client, login_as, world, create_stakeholder):
    boss = create_stakeholder(world.account, name="将离任")
    login_as(world.member)
    response = client.post(f"/stakeholders/{boss.id}/archive")
    assert response.status_code == 302 and load(app, boss.id).archived
    page = client.get(f"/stakeholders/{boss.id}")
    assert page.status_code == 200 and "Archived" in page.text
    with app.test_request_context():
        from kb.services.stakeholders import decision_chain
        assert [s.name for s in decision_chain(account_id=world.account.id)] == []
    assert client.post(f"/stakeholders/{boss.id}/restore").status_code == 302
    assert not load(app, boss.id).archived
    with app.app_context():
        from kb.db import session
        assert session.scalar(select(func.count()).select_from(StakeholderOwner)) == 0


@pytest.mark.parametrize("url, method", [
    ("/stakeholders/999999", "get"), ("/stakeholders/999999/edit", "get"),
    ("/stakeholders/999999/edit", "post"),
    ("/stakeholders/999999/archive", "post"), ("/accounts/999999/stakeholders/new", "get"),
    ("/accounts/999999/stakeholders/new", "post"),
])
def test_unknown_ids_are_404(client, login_as, world, url, method):
    login_as(world.admin)
    assert getattr(client, method)(url).status_code == 404


def test_decision_chain_is_ordered_by_hierarchy(app, world, create_stakeholder):
    ceo = create_stakeholder(world.account, name="A总裁")
    cio = create_stakeholder(world.account, name="C信息官", reports_to=ceo)
    create_stakeholder(world.account, name="B财务官", reports_to=ceo)
    create_stakeholder(world.account, name="D处长", reports_to=cio)
    create_stakeholder(world.account, name="0独立顾问")
    with app.test_request_context():
        from kb.services.stakeholders import decision_chain
        chain = decision_chain(account_id=world.account.id)
        assert [(s.name, s.chain_depth) for s in chain] == [
            ("0独立顾问", 0), ("A总裁", 0), ("B财务官", 1), ("C信息官", 1), ("D处长", 2)]


class _FormReader(HTMLParser):
    """Collects what a browser would submit from the page's main form (selects with no selection send
    their first option, unchecked boxes send nothing)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self._select: dict[str, Any] | None = None
        self._textarea: list[Any] | None = None
        self._option: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button"):
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "y" if a.get("type") == "checkbox" else "")))
        elif tag == "select":
            self._select = {"name": a.get("name", ""), "multiple": "multiple" in a, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
            self._select["options"].append(self._option)
        elif tag == "textarea":
            self._textarea = [a.get("name", ""), ""]

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1] += data
        elif self._option is not None:
            self._option["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            options = self._select["options"]
            chosen = [o for o in options if o["selected"]]
            if not chosen and options and not self._select["multiple"]:
                chosen = options[:1]
            self.fields += [(self._select["name"], o["value"] if o["value"] is not None else o["text"])
                            for o in chosen]
            self._select = None
        elif tag == "option":
            self._option = None


def browser_submit(page_html: str) -> MultiDict:
    """The form data a browser would send for the page's form, unchanged by the user."""
    reader = _FormReader()
    main = page_html.split('<form method="post" class="card"', 1)[1].split("</form>", 1)[0]
    reader.feed('<form method="post" class="card"' + main)
    return MultiDict([(k, v) for k, v in reader.fields if k and k != "csrf_token"])


def test_saving_the_edit_form_unchanged_changes_nothing(app, client, login_as, world, create_stakeholder):
    boss = create_stakeholder(world.account, name="上级")
    person = create_stakeholder(
        world.account, name="原样", title="副处长", department="计划处", reports_to=boss,
        decision_role=DecisionRole.BLOCKER, attitude=Attitude.OPPOSE, influence=Influence.LOW,
        layer=RelationshipLayer.ORGANISATIONAL, relationship_level=2, notes="公开", private_notes="私下",
        owners=[world.colleague, world.member])
    before = load(app, person.id)
    login_as(world.member)
    page = client.get(f"/stakeholders/{person.id}/edit")
    response = client.post(f"/stakeholders/{person.id}/edit", data=browser_submit(page.text))
    assert response.status_code == 302
    after = load(app, person.id)
    assert (after.name, after.title, after.reports_to_id, after.decision_role, after.attitude,
            after.relationship_level, after.notes, after.private_notes, after.owners) == (
        before.name, before.title, before.reports_to_id, before.decision_role, before.attitude,
        before.relationship_level, before.notes, before.private_notes, before.owners)
    with app.app_context():
        from kb.db import session
        stored = session.get(Stakeholder, person.id)
        assert (stored.influence, stored.layer, stored.department) == (
            Influence.LOW, RelationshipLayer.ORGANISATIONAL, "计划处")
