"""Interactions through the HTTP layer: create, edit (next steps keep their ids), toggle steps, bad input."""
from __future__ import annotations

import html
import re
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import func, select

from kb import clock
from models import Interaction, InteractionKind, NextStep, Visibility


@pytest.fixture
def world(client, create_user, create_group, create_seat, create_account, create_stakeholder):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    group = create_group()
    member, colleague = create_user(name="钱经理"), create_user(name="周工程师")
    create_seat(group, member, "AR")
    account = create_account(group=group, name="华南港务", members=[colleague])
    other = create_account(name="北方钢铁")
    return SimpleNamespace(
        account=account, other=other, member=member, colleague=colleague,
        cio=create_stakeholder(account, name="吴总监", title="CIO"),
        cfo=create_stakeholder(account, name="郑总", title="CFO"),
        foreign=create_stakeholder(other, name="外企人"),
        admin=create_user(role="admin"), viewer=create_user(role="viewer"), off_team=create_user(),
        inactive=create_user(active=False),
    )


def form_data(steps: list[dict[str, Any]] = (), **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "occurred_on": "2026-10-12", "kind": "visit", "title": "数字化规划交流",
        "summary": "客户关注**港口自动化**", "visibility": "org", "stakeholder_ids": [], "attendee_ids": [],
    }
    for i, step in enumerate(list(steps) + [{}, {}, {}]):  # like the page: trailing blank rows
        data[f"next_steps-{i}-id"] = str(step.get("id", ""))
        data[f"next_steps-{i}-text"] = step.get("text", "")
        data[f"next_steps-{i}-owner_id"] = str(step.get("owner_id", 0))
        data[f"next_steps-{i}-due_on"] = step.get("due_on", "")
        if step.get("done"):
            data[f"next_steps-{i}-done"] = "y"
    data.update(overrides)
    return data


def load(app, interaction_id: int) -> SimpleNamespace:
    with app.app_context():
        from kb.db import session
        i = session.get(Interaction, interaction_id)
        return SimpleNamespace(
            title=i.title, kind=i.kind, visibility=i.visibility, occurred_on=i.occurred_on, summary=i.summary,
            stakeholders=[s.id for s in i.stakeholders], attendees=[u.id for u in i.attendees],
            steps=[(s.id, s.text, s.owner_id, s.due_on, s.done, s.done_at is not None) for s in i.next_steps],
            created_by_id=i.created_by_id, updated_by_id=i.updated_by_id, archived=i.archived_at is not None,
        )


def count(app) -> int:
    with app.app_context():
        from kb.db import session
        return session.scalar(select(func.count(Interaction.id)))


def new_id(response) -> int:
    assert response.status_code == 302, response.text[:2000]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def test_the_form_offers_preview_and_blank_step_rows(client, login_as, world):
    login_as(world.member)
    page = client.get(f"/accounts/{world.account.id}/interactions/new?stakeholder={world.cio.id}")
    assert page.status_code == 200
    assert 'data-preview="preview-summary"' in page.text and 'data-preview-url="/preview"' in page.text
    assert 'name="next_steps-2-text"' in page.text and 'name="next_steps-3-text"' not in page.text
    assert "吴总监" in page.text and "外企人" not in page.text
    assert re.search(rf'<input checked [^>]*name="stakeholder_ids" type="checkbox" value="{world.cio.id}">', page.text)


def test_create_an_interaction_with_next_steps(app, client, login_as, world):
    login_as(world.member)
    response = client.post(f"/accounts/{world.account.id}/interactions/new", data=form_data(
        steps=[{"text": "发送方案建议书", "owner_id": world.member.id, "due_on": "2026-11-01"},
               {"text": "安排高层互访"}],
        stakeholder_ids=[str(world.cio.id), str(world.cfo.id)], attendee_ids=[str(world.member.id)],
        kind="executive_meeting", summary="**重点**<script>alert(1)</script>"))
    interaction_id = new_id(response)
    stored = load(app, interaction_id)
    assert stored.kind == InteractionKind.EXECUTIVE_MEETING and stored.visibility == Visibility.ORG
    assert stored.occurred_on == date(2026, 10, 12)
    assert sorted(stored.stakeholders) == sorted([world.cio.id, world.cfo.id])
    assert stored.attendees == [world.member.id]
    assert [(s[1], s[2], s[3]) for s in stored.steps] == [
        ("发送方案建议书", world.member.id, date(2026, 11, 1)), ("安排高层互访", None, None)]
    assert stored.created_by_id == world.member.id

    page = client.get(f"/interactions/{interaction_id}")
    assert page.status_code == 200
    assert "<strong>重点</strong>" in page.text and "<script>alert" not in page.text
    for text in ("吴总监", "郑总", "钱经理", "发送方案建议书", "安排高层互访", "Executive meeting", "2026-10-12"):
        assert text in page.text
    account_page = client.get(f"/accounts/{world.account.id}")
    assert "数字化规划交流" in account_page.text and "发送方案建议书" in account_page.text
    cio_page = client.get(f"/stakeholders/{world.cio.id}")
    assert "数字化规划交流" in cio_page.text


def test_editing_replaces_next_steps_and_keeps_ids(app, client, login_as, world, create_interaction):
    interaction = create_interaction(world.account, title="原拜访", next_steps=[
        {"text": "第一步", "owner_id": world.member.id}, {"text": "第二步"}, {"text": "第三步"}])
    first, second, third = [s[0] for s in load(app, interaction.id).steps]
    login_as(world.colleague)
    form = client.get(f"/interactions/{interaction.id}/edit")
    assert form.status_code == 200 and "第二步" in form.text
    assert 'name="next_steps-5-text"' in form.text  # three existing rows + three blank ones
    response = client.post(f"/interactions/{interaction.id}/edit", data=form_data(title="改后的拜访", steps=[
        {"id": third, "text": "第三步（改）", "due_on": "2026-12-01"},
        {"id": first, "text": "第一步", "owner_id": world.member.id, "done": True},
        {"text": "新的一步", "owner_id": world.colleague.id}]))
    assert response.status_code == 302
    stored = load(app, interaction.id)
    assert stored.title == "改后的拜访" and stored.updated_by_id == world.colleague.id
    assert [(s[0], s[1], s[4], s[5]) for s in stored.steps] == [
        (third, "第三步（改）", False, False), (first, "第一步", True, True),
        (stored.steps[2][0], "新的一步", False, False)]
    assert second not in [s[0] for s in stored.steps]
    with app.app_context():
        from kb.db import session
        assert session.get(NextStep, second) is None


def test_toggle_a_next_step(app, client, login_as, world, create_interaction):
    interaction = create_interaction(world.account,
                                     next_steps=[{"text": "回访客户", "owner_id": world.member.id}])
    step_id = load(app, interaction.id).steps[0][0]
    login_as(world.member)
    response = client.post(f"/next-steps/{step_id}/toggle", data={"next": f"/accounts/{world.account.id}"})
    assert response.status_code == 302 and response.headers["Location"] == f"/accounts/{world.account.id}"
    assert load(app, interaction.id).steps[0][4:] == (True, True)
    response = client.post(f"/next-steps/{step_id}/toggle")
    assert response.headers["Location"] == f"/interactions/{interaction.id}"
    assert load(app, interaction.id).steps[0][4:] == (False, False)
    client.post(f"/next-steps/{step_id}/toggle", data={"done": "1"})
    client.post(f"/next-steps/{step_id}/toggle", data={"done": "1"})  # explicit value: idempotent
    assert load(app, interaction.id).steps[0][4] is True


@pytest.mark.parametrize("target", [
    "https://evil.example/x", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"])
def test_toggle_never_redirects_off_site(app, client, login_as, world, create_interaction, target):
    interaction = create_interaction(world.account, next_steps=[{"text": "步骤"}])
    step_id = load(app, interaction.id).steps[0][0]
    login_as(world.member)
    response = client.post(f"/next-steps/{step_id}/toggle", data={"next": target})
    assert response.status_code == 302 and response.headers["Location"] == f"/interactions/{interaction.id}"


def test_done_steps_leave_the_open_list(app, client, login_as, world, create_interaction):
    interaction = create_interaction(world.account, next_steps=[{"text": "待办甲"}, {"text": "待办乙"}])
    step_id = load(app, interaction.id).steps[0][0]
    login_as(world.member)
    client.post(f"/next-steps/{step_id}/toggle")
    with app.test_request_context():
        from kb.db import session
        from kb.services.interactions import open_next_steps
        from models import User
        steps = open_next_steps(viewer=session.get(User, world.member.id), account_id=world.account.id)
        assert [s.text for s in steps] == ["待办乙"]


@pytest.mark.parametrize("who", ["viewer", "off_team"])
def test_people_who_may_not_edit_get_403(app, client, login_as, world, create_interaction, who):
    interaction = create_interaction(world.account, title="公开拜访", next_steps=[{"text": "步骤"}])
    step_id = load(app, interaction.id).steps[0][0]
    login_as(getattr(world, who))
    page = client.get(f"/interactions/{interaction.id}")
    assert page.status_code == 200 and "公开拜访" in page.text and "/edit" not in page.text
    assert client.get(f"/accounts/{world.account.id}/interactions/new").status_code == 403
    assert client.post(f"/accounts/{world.account.id}/interactions/new", data=form_data()).status_code == 403
    assert client.get(f"/interactions/{interaction.id}/edit").status_code == 403
    assert client.post(f"/interactions/{interaction.id}/edit", data=form_data()).status_code == 403
    assert client.post(f"/next-steps/{step_id}/toggle").status_code == 403
    assert client.post(f"/interactions/{interaction.id}/archive").status_code == 403
    assert load(app, interaction.id).steps[0][4] is False and load(app, interaction.id).title == "公开拜访"
    assert count(app) == 1


TODAY = clock.today()


@pytest.mark.parametrize("overrides, message", [
    ({"occurred_on": ""}, "Enter the date of the interaction."),
    ({"occurred_on": "2026-02-30"}, "Not a valid date value."),
    ({"occurred_on": "12/10/2026"}, "Not a valid date value."),
    ({"occurred_on": (TODAY + timedelta(days=400)).isoformat()}, "more than a year ahead"),
    ({"occurred_on": "9999-12-31"}, "more than a year ahead"),
    ({"occurred_on": "1970-01-01"}, "Enter a date after 1980-01-01."),
    ({"kind": "party"}, "Not a valid choice"),
    ({"visibility": "secret"}, "Not a valid choice"),
    ({"title": "题" * 201}, "Enter at most 200 characters."),
    ({"summary": "长" * 20_001}, "Enter at most 20000 characters."),
    ({"stakeholder_ids": ["FOREIGN"]}, "Choose stakeholders of this account."),
    ({"stakeholder_ids": ["999999"]}, "Choose stakeholders of this account."),
    ({"stakeholder_ids": ["abc"]}, "could not be coerced"),
    ({"attendee_ids": ["999999"]}, "Unknown user."),
    ({"attendee_ids": [str(n) for n in range(1000, 1101)]}, "Choose at most 100."),
    ({"attendee_ids": ["INACTIVE"]}, "is no longer active"),
    ({"next_steps-0-text": "步" * 501}, "Enter at most 500 characters."),
    ({"next_steps-0-owner_id": "MEMBER"}, "Next step 1: describe what is to be done."),
    ({"next_steps-0-text": "有日期", "next_steps-0-due_on": "2026-13-01"}, "Not a valid date value."),
    ({"next_steps-0-text": "太远", "next_steps-0-due_on": "3026-01-01"}, "more than a year ahead"),
    ({"next_steps-0-text": "无主", "next_steps-0-owner_id": "999999"}, "Unknown user."),
    ({"next_steps-0-text": "离职", "next_steps-0-owner_id": "INACTIVE"}, "is no longer active"),
    ({f"next_steps-{i}-text": f"步骤{i}" for i in range(31)}, "At most 30 next steps per interaction."),
])
def test_bad_input_is_refused(app, client, login_as, world, overrides, message):
    ids = {"FOREIGN": world.foreign.id, "MEMBER": world.member.id, "INACTIVE": world.inactive.id}

    def fill(value: Any) -> Any:
        if isinstance(value, list):
            return [fill(v) for v in value]
        return str(ids[value]) if value in ids else value

    login_as(world.member)
    response = client.post(f"/accounts/{world.account.id}/interactions/new",
                           data=form_data(**{k: fill(v) for k, v in overrides.items()}))
    assert response.status_code == 422
    assert message in html.unescape(response.text)
    assert count(app) == 0


def test_thirty_steps_are_fine(app, client, login_as, world):
    login_as(world.member)
    response = client.post(f"/accounts/{world.account.id}/interactions/new",
                           data=form_data(steps=[{"text": f"步骤{i}"} for i in range(30)]))
    assert len(load(app, new_id(response)).steps) == 30


def test_archive_and_restore(app, client, login_as, world, create_interaction):
    interaction = create_interaction(world.account, title="将归档", next_steps=[{"text": "归档中的步骤"}])
    login_as(world.member)
    assert client.post(f"/interactions/{interaction.id}/archive").status_code == 302
    assert load(app, interaction.id).archived
    assert "将归档" not in client.get(f"/accounts/{world.account.id}").text
    assert "归档中的步骤" not in client.get(f"/accounts/{world.account.id}").text
    assert client.get(f"/interactions/{interaction.id}").status_code == 200
    assert client.post(f"/interactions/{interaction.id}/restore").status_code == 302
    assert "将归档" in client.get(f"/accounts/{world.account.id}").text


@pytest.mark.parametrize("url, method", [
    ("/interactions/999999", "get"), ("/interactions/999999/edit", "get"),
    ("/interactions/999999/edit", "post"),
    ("/interactions/999999/archive", "post"), ("/next-steps/999999/toggle", "post"),
    ("/accounts/999999/interactions/new", "get"), ("/accounts/999999/interactions/new", "post"),
])
def test_unknown_ids_are_404(client, login_as, world, url, method):
    login_as(world.admin)
    assert getattr(client, method)(url).status_code == 404


def test_toggle_is_post_only(client, login_as, world, create_interaction, app):
    interaction = create_interaction(world.account, next_steps=[{"text": "步骤"}])
    login_as(world.member)
    assert client.get(f"/next-steps/{load(app, interaction.id).steps[0][0]}/toggle").status_code == 405


def test_saving_the_edit_form_unchanged_changes_nothing(app, client, login_as, world, create_interaction):
    from tests.test_stakeholders_forms import browser_submit
    interaction = create_interaction(
        world.account, title="原样拜访", kind=InteractionKind.EVENT, visibility="team", summary="纪要\n\n- 一\n- 二",
        occurred_on=date(2026, 3, 4), stakeholders=[world.cio], attendees=[world.colleague, world.member],
        next_steps=[{"text": "甲", "owner_id": world.colleague.id, "due_on": date(2026, 4, 1)},
                    {"text": "乙", "done": True}])
    before = load(app, interaction.id)
    login_as(world.member)
    page = client.get(f"/interactions/{interaction.id}/edit")
    response = client.post(f"/interactions/{interaction.id}/edit", data=browser_submit(page.text))
    assert response.status_code == 302
    after = load(app, interaction.id)
    assert after.updated_by_id == world.member.id
    for name in ("title", "kind", "visibility", "occurred_on", "summary", "stakeholders", "attendees"):
        assert getattr(after, name) == getattr(before, name), name
    assert [s[:5] for s in after.steps] == [s[:5] for s in before.steps]
