"""The 30-second card partial (templates/plans/_card.html) as the account page includes it."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from flask import render_template
from sqlalchemy import select

from kb.services import plans
from models import Account, AccountPlan, Stakeholder, UserRole


def render_card(account_id: int, can_edit: bool) -> str:
    from kb.db import session

    account = session.get(Account, account_id)
    plan = plans.current_plan(account_id=account_id)
    return render_template("plans/_card.html", account=account, plan=plan, states=plans.answer_states(plan),
                           can_edit=can_edit)


def test_empty_state_offers_create_to_editors_only(app, create_account):
    account = create_account()
    with app.test_request_context():
        for_editor, for_reader = render_card(account.id, True), render_card(account.id, False)
    assert "No account plan yet" in for_editor
    assert f'href="/accounts/{account.id}/plans/new"' in for_editor
    assert "/plans/new" not in for_reader


def test_card_shows_answers_states_meter_and_links(app, create_account, create_plan, create_stakeholder, create_user):
    author = create_user(name="王磊")
    account = create_account()
    boss = create_stakeholder(account, name="陈总")
    create_plan(account, period="2026", strategy="旧的年度计划")
    create_plan(account, period="FY2027", strategy="**云网融合**", profit_model="靠电费",
                customers_customer="工商业用户")
    old = (datetime.now(timezone.utc) - timedelta(days=400)).isoformat()
    fresh = datetime.now(timezone.utc).isoformat()
    with app.test_request_context():
        from kb.db import session

        plan = session.scalar(select(AccountPlan).where(AccountPlan.account_id == account.id,
                                                        AccountPlan.period == "FY2027"))
        plan.field_changes = {"strategy": {"by": author.id, "at": fresh}, "profit_model": {"by": author.id, "at": old},
                              "customers_customer": {"by": author.id, "at": fresh}}
        plan.decision_maker_links = [session.get(Stakeholder, boss.id)]
        session.commit()
        html = render_card(account.id, can_edit=False)
    assert "FY2027" in html and "旧的年度计划" not in html  # the latest period
    assert "<strong>云网融合</strong>" in html
    assert "4/5" in html  # strategy, customer's customer, profit model, linked decision-maker
    classes = {key: state for state, key in re.findall(r'<article class="answer (\w+)" id="answer-(\w+)"', html)}
    assert classes == {"strategy": "answered", "customers_customer": "answered", "profit_model": "stale",
                       "weakest_product": "missing", "decision_makers": "answered"}
    assert "王磊" in html and "陈总" in html
    assert f'href="/accounts/{account.id}/plans/FY2027"' in html
    assert f'href="/accounts/{account.id}/plans/FY2027/history"' in html
    assert "/edit" not in html


def test_account_page_card_for_viewer_and_editor(client, login_as, create_user, create_account, create_plan):
    editor = create_user(role=UserRole.MEMBER)
    account = create_account(members=[editor])
    create_plan(account, strategy="战略")
    login_as(create_user(role=UserRole.VIEWER))
    page = client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert 'id="plan-card"' in page and "1/5" in page and "/plans/FY2027/edit" not in page
    login_as(editor)
    page = client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert f"/accounts/{account.id}/plans/FY2027/edit" in page
