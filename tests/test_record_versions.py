"""No lost update on the pages: two people edit one account, stakeholder, interaction, group or user.

The first save wins; the second editor, still on the version they opened, gets the conflict page (409) with
the stored value and their own, what they typed kept in the form; saving that page again deliberately
replaces the stored record; reloading the edit page takes the stored values.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

import pytest
from sqlalchemy import select

from models import Account, CustomerGroup, Interaction, NextStep, Stakeholder, User, UserRole
from tests.factories import PASSWORD


@dataclass
class Kind:
    """How to edit one kind of record through its page."""

    make: Callable[[Any], Any]           # world → record
    url: Callable[[Any], str]            # record → edit page
    form: Callable[[Any, str], dict]     # (record, text) → form data without version
    text_field: str                      # the form field both editors change
    stored_text: Callable[[Any], str]    # record as stored → that field's text
    model: type


@pytest.fixture
def world(create_user, create_group, create_account, create_stakeholder, create_interaction):
    first, second = create_user(UserRole.ADMIN, name="王磊"), create_user(UserRole.ADMIN, name="李娜")
    group = create_group(name="能源客户群", description="原始说明")
    account = create_account(group, name="华东电网", description="原始描述")
    person = create_stakeholder(account, name="陈总", notes="原始备注")
    visit = create_interaction(account, summary="原始纪要", next_steps=[
        {"text": "发送方案", "owner_id": first.id, "due_on": date(2026, 12, 1)}])
    member = create_user(name="赵六", email="zhao@example.com")
    return dict(first=first, second=second, group=group, account=account, person=person, visit=visit,
                member=member)


def _account_form(account: Account, text: str) -> dict:
    return {"name": "华东电网", "tier": "key", "coverage": "direct", "customer_group_id": str(account.customer_group_id),
            "parent_id": "", "description": text}


def _stakeholder_form(person: Stakeholder, text: str) -> dict:
    return {"name": "陈总", "reports_to_id": "0", "decision_role": "influencer", "attitude": "neutral",
            "influence": "medium", "layer": "key", "relationship_level": "3", "primary_owner_id": "0",
            "notes": text, "private_notes": ""}


def _interaction_form(visit: Interaction, text: str) -> dict:
    return {"occurred_on": "2026-10-01", "kind": "visit", "title": "拜访", "summary": text, "visibility": "org",
            "next_steps-0-id": str(visit.next_steps[0].id), "next_steps-0-text": "发送方案",
            "next_steps-0-owner_id": str(visit.next_steps[0].owner_id), "next_steps-0-due_on": "2026-12-01"}


def _group_form(group: CustomerGroup, text: str) -> dict:
    return {"name": "能源客户群", "name_en": "", "description": text}


def _user_form(user: User, text: str) -> dict:
    return {"name": text, "email": user.email, "role": "member", "active": "y"}


KINDS = {
    "account": Kind(lambda w: w["account"], lambda r: f"/accounts/{r.id}/edit", _account_form, "description",
                    lambda r: r.description, Account),
    "stakeholder": Kind(lambda w: w["person"], lambda r: f"/stakeholders/{r.id}/edit", _stakeholder_form, "notes",
                        lambda r: r.notes, Stakeholder),
    "interaction": Kind(lambda w: w["visit"], lambda r: f"/interactions/{r.id}/edit", _interaction_form, "summary",
                        lambda r: r.summary, Interaction),
    "group": Kind(lambda w: w["group"], lambda r: f"/groups/{r.id}/edit", _group_form, "description",
                  lambda r: r.description, CustomerGroup),
    "user": Kind(lambda w: w["member"], lambda r: f"/admin/users/{r.id}", _user_form, "name",
                 lambda r: r.name, User),
}


def signed_in(app, user: User):
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def version_in(page: str) -> str:
    match = re.search(r'<input[^>]*name="version"[^>]*>', page)
    assert match, "the form carries no version"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


def stored(app, kind: Kind, record_id: int) -> tuple[str, int]:
    with app.app_context():
        from kb.db import session

        record = session.get(kind.model, record_id)
        return kind.stored_text(record), record.version


@pytest.mark.parametrize("name", KINDS)
def test_second_editor_gets_the_conflict_and_keeps_their_text(app, world, name):
    kind = KINDS[name]
    record = kind.make(world)
    alice, bob = signed_in(app, world["first"]), signed_in(app, world["second"])
    opened = alice.get(kind.url(record)).get_data(as_text=True)
    assert version_in(opened) == "1"
    assert bob.get(kind.url(record)).status_code == 200

    first = alice.post(kind.url(record), data={**kind.form(record, "王磊写的新内容"), "version": "1"})
    assert first.status_code == 302, first.get_data(as_text=True)[:2000]
    assert stored(app, kind, record.id) == ("王磊写的新内容", 2)

    second = bob.post(kind.url(record), data={**kind.form(record, "李娜写的另一版"), "version": "1"})
    page = html.unescape(second.get_data(as_text=True))
    assert second.status_code == 409
    assert stored(app, kind, record.id) == ("王磊写的新内容", 2)  # nothing overwritten
    rows = re.findall(r'<tr class="conflict-row" data-field="([^"]+)">(.*?)</tr>', page, re.S)
    assert [field for field, _row in rows] == [kind.text_field]  # only the field that differs
    assert "王磊写的新内容" in rows[0][1] and "李娜写的另一版" in rows[0][1]
    field_html = re.search(rf'<(?:textarea|input)[^>]*name="{kind.text_field}"[^>]*>([^<]*)', page, re.S).group(0)
    assert "李娜写的另一版" in field_html  # what Bob typed is still in the form
    assert version_in(page) == "2"
    assert "Save mine over the stored version" in page

    again = bob.post(kind.url(record), data={**kind.form(record, "李娜写的另一版"), "version": version_in(page)})
    assert again.status_code == 302
    assert stored(app, kind, record.id) == ("李娜写的另一版", 3)


@pytest.mark.parametrize("name", KINDS)
def test_discarding_mine_reloads_the_stored_version(app, world, name):
    kind = KINDS[name]
    record = kind.make(world)
    alice, bob = signed_in(app, world["first"]), signed_in(app, world["second"])
    alice.post(kind.url(record), data={**kind.form(record, "先保存的"), "version": "1"})
    page = bob.post(kind.url(record), data={**kind.form(record, "后保存的"), "version": "1"}).get_data(as_text=True)
    discard = re.search(r'<a class="btn" href="([^"]+)">Discard mine', page).group(1)
    reloaded = html.unescape(bob.get(discard).get_data(as_text=True))
    assert "先保存的" in reloaded and "后保存的" not in reloaded and version_in(reloaded) == "2"


def test_a_save_without_a_version_is_not_checked(app, world):
    """Forms always send the version; a client that sends none (e.g. a script) saves as before."""
    kind = KINDS["account"]
    alice = signed_in(app, world["first"])
    alice.post(kind.url(world["account"]), data={**kind.form(world["account"], "一"), "version": "1"})
    response = alice.post(kind.url(world["account"]), data=kind.form(world["account"], "二"))
    assert response.status_code == 302 and stored(app, kind, world["account"].id) == ("二", 3)


def test_conflict_page_in_chinese(app, world):
    kind = KINDS["stakeholder"]
    person = world["person"]
    alice, bob = signed_in(app, world["first"]), signed_in(app, world["second"])
    alice.post(kind.url(person), data={**kind.form(person, "甲"), "version": "1"})
    response = bob.post(kind.url(person), data={**kind.form(person, "乙"), "version": "1"},
                        headers={"Accept-Language": "zh-CN"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "编辑冲突" in page and "当前已保存的内容" in page and "用我的内容覆盖" in page


def test_conflict_lists_changed_next_steps(app, world):
    visit = world["visit"]
    alice, bob = signed_in(app, world["first"]), signed_in(app, world["second"])
    form = _interaction_form(visit, "原始纪要")
    alice.post(f"/interactions/{visit.id}/edit", data={**form, "next_steps-0-text": "发送报价", "version": "1"})
    page = html.unescape(bob.post(f"/interactions/{visit.id}/edit",
                                  data={**form, "next_steps-0-done": "y", "version": "1"}).get_data(as_text=True))
    rows = dict(re.findall(r'<tr class="conflict-row" data-field="([^"]+)">(.*?)</tr>', page, re.S))
    assert set(rows) == {"next_steps"}
    assert "发送报价" in rows["next_steps"] and "发送方案" in rows["next_steps"]


@dataclass
class StepState:
    text: str
    done: bool
    version: int


def _step(app, step_id: int) -> StepState:
    with app.app_context():
        from kb.db import session

        step = session.scalar(select(NextStep).where(NextStep.id == step_id))
        return StepState(step.text, step.done, step.version)


def test_ticking_a_step_reworded_meanwhile_is_refused(app, world):
    visit = world["visit"]
    step_id = visit.next_steps[0].id
    alice, bob = signed_in(app, world["first"]), signed_in(app, world["second"])
    account_page = bob.get(f"/accounts/{world['account'].id}").get_data(as_text=True)
    assert f'/next-steps/{step_id}/toggle' in account_page
    alice.post(f"/interactions/{visit.id}/edit",
               data={**_interaction_form(visit, "原始纪要"), "next_steps-0-text": "发送报价（改）", "version": "1"})
    assert _step(app, step_id).version == 2
    response = bob.post(f"/next-steps/{step_id}/toggle", data={"done": "1", "version": "1"},
                        follow_redirects=True)
    assert "changed by someone else" in response.get_data(as_text=True)
    assert _step(app, step_id).done is False
    response = bob.post(f"/next-steps/{step_id}/toggle", data={"done": "1", "version": "2"})
    assert response.status_code == 302 and _step(app, step_id).done is True


def test_an_edit_form_opened_before_a_tick_cannot_undo_it(app, world):
    visit = world["visit"]
    step_id = visit.next_steps[0].id
    alice, bob = signed_in(app, world["first"]), signed_in(app, world["second"])
    assert version_in(alice.get(f"/interactions/{visit.id}/edit").get_data(as_text=True)) == "1"
    bob.post(f"/next-steps/{step_id}/toggle", data={"done": "1", "version": "1"})
    assert _step(app, step_id).done is True
    response = alice.post(f"/interactions/{visit.id}/edit",
                          data={**_interaction_form(visit, "补充了纪要"), "version": "1"})
    assert response.status_code == 409
    assert _step(app, step_id).done is True  # the tick stands
    assert stored(app, KINDS["interaction"], visit.id) == ("原始纪要", 2)


def test_two_ticks_of_one_page_do_not_toggle_back(app, world):
    """Two people tick the same step done from the same page: it stays done (no blind toggle)."""
    step_id = world["visit"].next_steps[0].id
    alice, bob = signed_in(app, world["first"]), signed_in(app, world["second"])
    for client in (alice, bob):
        page = client.get(f"/interactions/{world['visit'].id}").get_data(as_text=True)
        assert 'name="version" value="1"' in page
    alice.post(f"/next-steps/{step_id}/toggle", data={"done": "1", "version": "1"})
    bob.post(f"/next-steps/{step_id}/toggle", data={"done": "1", "version": "1"})
    assert _step(app, step_id).done is True


@pytest.mark.parametrize("garbled", ["abc", "1.5", "-1", "9" * 30, "１"])
def test_a_garbled_version_on_a_tick_is_a_conflict_not_an_unchecked_save(app, world, garbled):
    step_id = world["visit"].next_steps[0].id
    bob = signed_in(app, world["second"])
    response = bob.post(f"/next-steps/{step_id}/toggle", data={"done": "1", "version": garbled},
                        follow_redirects=True)
    assert response.status_code in (200, 422)
    assert _step(app, step_id).done is False


def test_a_new_password_typed_into_a_stale_user_form_is_called_out(app, world):
    member = world["member"]
    alice, bob = signed_in(app, world["first"]), signed_in(app, world["second"])
    alice.post(f"/admin/users/{member.id}", data={**_user_form(member, "赵六（新）"), "version": "1"})
    response = bob.post(f"/admin/users/{member.id}",
                        data={**_user_form(member, "赵六（改）"), "version": "1",
                              "password": "a-new-secret-9", "confirm": "a-new-secret-9"})
    assert response.status_code == 409
    assert "The new password you typed was not saved" in response.get_data(as_text=True)
