"""The brief before a visit (issue 8 §6): whom we meet and why leads the brief; promises grouped by visit;
"mark done" is a real button; the interaction form adds next-step rows without JavaScript."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from models import Attitude, DecisionRole, Interaction, Visibility
from tests.test_interactions_pages import form_data


@pytest.fixture
def world(client, app, create_user, create_group, create_seat, create_account, create_stakeholder,
          create_interaction, create_plan):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    group = create_group()
    ar = create_user(name="王客户经理")
    create_seat(group, ar, "AR")
    account = create_account(group=group, name="会面客户")
    other = create_account(name="别家客户")
    create_plan(account, strategy="数字化转型战略")
    cio = create_stakeholder(account, name="吴总监", title="CIO", owners=[ar], attitude=Attitude.SUPPORT,
                             decision_role=DecisionRole.DECISION_MAKER)
    cfo = create_stakeholder(account, name="郑总", title="CFO", owners=[ar], attitude=Attitude.OPPOSE)
    clerk = create_stakeholder(account, name="小李", title="专员")
    foreign = create_stakeholder(other, name="外企人")
    create_interaction(account, occurred_on=date(2026, 3, 1), title="初次见面", stakeholders=[cio])
    create_interaction(account, occurred_on=date(2026, 9, 1), title="方案交流会", stakeholders=[cio, cfo],
                       next_steps=[dict(text="寄送方案建议书", owner_id=ar.id, due_on=date(2026, 12, 1))])
    create_interaction(account, occurred_on=date(2026, 10, 1), title="团队内部会谈", stakeholders=[cio],
                       visibility=Visibility.TEAM, summary="内部敏感",
                       next_steps=[dict(text="团队秘密承诺", owner_id=ar.id, due_on=date(2026, 11, 1))])
    return dict(account=account, ar=ar, cio=cio, cfo=cfo, clerk=clerk, foreign=foreign,
                viewer=create_user(role="viewer"))


def brief(client, world, **params):
    return client.get(f"/accounts/{world['account'].id}/brief", query_string=params)


def test_brief_leads_with_the_people_we_meet(client, login_as, world):
    login_as(world["ar"])
    response = brief(client, world, meeting=[world["cio"].id, world["clerk"].id], purpose="讨论二期预算")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.index('id="meeting-people"') < html.index('id="plan-card"')  # the brief leads with them
    meeting = html.split('id="meeting-people"')[1].split("</section>")[0]
    assert "讨论二期预算" in meeting
    cio = meeting.split(f'id="meet-{world["cio"].id}"')[1].split('class="person"')[0]
    assert "Decision-maker" in cio and "Supports us" in cio and "王客户经理" in cio
    assert "Met us 3 times" in cio and "first on" in cio
    assert cio.index("团队内部会谈") < cio.index("方案交流会") < cio.index("初次见面")  # latest first
    assert "寄送方案建议书" in cio and "团队秘密承诺" in cio
    clerk = meeting.split(f'id="meet-{world["clerk"].id}"')[1]
    assert "no recorded interaction" in clerk and "No owner" in clerk
    assert "郑总" not in meeting  # not chosen


def test_reader_outside_the_team_gets_no_team_only_history(client, login_as, world):
    login_as(world["viewer"])
    html = brief(client, world, meeting=[world["cio"].id]).get_data(as_text=True)
    meeting = html.split('id="meeting-people"')[1].split("</section>")[0]
    assert "Met us 2 times" in meeting and "方案交流会" in meeting and "寄送方案建议书" in meeting
    assert "团队内部会谈" not in html and "团队秘密承诺" not in html and "内部敏感" not in html


@pytest.mark.parametrize("params, field, message", [
    ({"meeting": "abc"}, "meeting", None),
    ({"meeting": "99999999999999999999"}, "meeting", None),
    ({"meeting": "FOREIGN"}, "meeting", "Choose people of this account from the list."),
    ({"meeting": "MANY"}, "meeting", "Choose at most 8 people to meet."),
    ({"purpose": "长" * 201}, "purpose", "Enter at most 200 characters."),
    ({"purpose": "预算\x07"}, "purpose", "control character"),
])
def test_bad_meeting_input_is_a_422_with_the_message_on_the_field(client, login_as, create_stakeholder, world,
                                                                 params, field, message):
    login_as(world["ar"])
    if params.get("meeting") == "FOREIGN":
        params = {"meeting": world["foreign"].id}
    elif params.get("meeting") == "MANY":
        params = {"meeting": [create_stakeholder(world["account"]).id for _ in range(9)]}
    response = brief(client, world, **params)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    block = html.split(f'id="{field}"')[1].split("</fieldset>" if field == "meeting" else "</div>")[0] \
        if field == "meeting" else html.split('id="meeting-form"')[1].split("</form>")[0]
    assert 'class="error' in block
    if message:
        assert message in block
    assert 'id="meeting-people"' not in html  # no people section from bad input


def test_open_promises_grouped_by_the_visit_they_came_from(client, login_as, world, create_interaction):
    create_interaction(world["account"], occurred_on=date(2026, 9, 20), title="高层拜访", next_steps=[
        dict(text="安排参观", owner_id=world["ar"].id), dict(text="提交报价", owner_id=world["ar"].id)])
    login_as(world["ar"])
    html = brief(client, world).get_data(as_text=True)
    promised = html.split('id="promised"')[1].split("</section>")[0]
    groups = re.split(r"<h4>", promised)[1:]
    by_visit = {g.split("</h4>")[0]: g for g in groups}
    visit = next(v for k, v in by_visit.items() if "高层拜访" in k)
    assert "安排参观" in visit and "提交报价" in visit and "寄送方案建议书" not in visit
    assert any("方案交流会" in k and "寄送方案建议书" in v for k, v in by_visit.items())


def test_mark_done_is_a_labelled_button_for_editors_only(client, login_as, world):
    login_as(world["ar"])
    html = client.get(f"/accounts/{world['account'].id}").get_data(as_text=True)
    steps = html.split('id="next-steps"')[1].split("</section>")[0]
    assert re.search(r'<button class="btn btn-small btn-primary btn-done" type="submit">.*Mark as done</button>',
                     steps)
    login_as(world["viewer"])
    html = client.get(f"/accounts/{world['account'].id}").get_data(as_text=True)
    assert "Mark as done" not in html


def test_more_next_step_rows_keeps_what_was_typed_and_saves_nothing(app, client, login_as, world):
    login_as(world["ar"])
    url = f"/accounts/{world['account'].id}/interactions/new"
    page = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', page)
    data = form_data([dict(text="第一步要做的事")], add_rows="1")
    with app.app_context():
        from kb.db import session
        before = session.scalar(select(func.count()).select_from(Interaction))
    response = client.post(url, data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'name="next_steps-6-text"' in html and 'name="next_steps-7-text"' not in html  # 4 rows + 3 more
    assert 'value="第一步要做的事"' in html and 'value="数字化规划交流"' in html
    with app.app_context():
        from kb.db import session
        assert session.scalar(select(func.count()).select_from(Interaction)) == before
    assert token is None or token  # the page has its CSRF token either way


def test_more_rows_stop_at_the_form_maximum(client, login_as, world):
    login_as(world["ar"])
    url = f"/accounts/{world['account'].id}/interactions/new"
    data = form_data([dict(text=f"步骤{i}") for i in range(58)], add_rows="1")
    html = client.post(url, data=data).get_data(as_text=True)
    assert 'name="next_steps-59-text"' in html and 'name="next_steps-60-text"' not in html
    assert 'name="add_rows"' not in html


def test_brief_with_people_to_meet_runs_a_fixed_number_of_statements(app, client, login_as, create_user,
                                                                     create_group, create_seat, create_account):
    from models import Stakeholder
    from tests.test_accounts_query_count import count_statements, populate
    group = create_group()
    owners = [create_user(name="负责人甲"), create_user(name="负责人乙")]
    create_seat(group, owners[0], "AR")
    small, large = create_account(group=group, name="小客户"), create_account(group=group, name="大客户")
    populate(app, small, owners, 10)
    populate(app, large, owners, 400)
    login_as(owners[0])

    def url(account):
        with app.app_context():
            from kb.db import session
            ids = session.scalars(select(Stakeholder.id).where(Stakeholder.account_id == account.id)
                                  .order_by(Stakeholder.id).limit(8)).all()
        return f"/accounts/{account.id}/brief?" + "&".join(f"meeting={i}" for i in ids) + "&purpose=x"
    client.get(url(small))
    n_small, html_small = count_statements(app, client, url(small))
    n_large, html_large = count_statements(app, client, url(large))
    assert 'id="meeting-people"' in html_small and 'id="meeting-people"' in html_large
    assert n_large <= n_small, (n_small, n_large)
