"""Plan pages: view, new-plan flow, edit with revisions, conflicts, preview and the permission matrix."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from models import AccountPlan, PlanRevision, PlanStatus, UserRole

TEXT_FIELDS = ("strategy", "customers_customer", "profit_model", "weakest_product", "decision_makers",
               "strategic_intent", "performance_gap", "opportunity_gap", "competitors", "objectives")


def form_data(version: int = 0, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {key: "" for key in TEXT_FIELDS}
    data.update(status="draft", comment="", version=str(version))
    data.update(changes)
    return data


def stored_plan(app, account_id: int, period: str = "FY2027") -> AccountPlan | None:
    with app.app_context():
        from kb.db import session

        plan = session.scalar(select(AccountPlan).where(AccountPlan.account_id == account_id,
                                                        AccountPlan.period == period))
        session.expunge_all()  # keep the loaded values readable after the context ends
        return plan


def revisions(app, plan_id: int) -> list[PlanRevision]:
    with app.app_context():
        from kb.db import session

        found = list(session.scalars(select(PlanRevision).where(PlanRevision.plan_id == plan_id)
                                     .order_by(PlanRevision.number)))
        session.expunge_all()
        return found


@pytest.fixture
def team(create_user, create_account):
    """An account with one team member (editor); returns (account, editor)."""
    editor = create_user(role=UserRole.MEMBER, name="王经理")
    account = create_account(name="华东电网", members=[editor])
    return account, editor


def test_show_page_renders_answers_sections_and_decision_makers(app, client, login_as, team, create_plan,
                                                                 create_stakeholder, create_user):
    account, editor = team
    boss = create_stakeholder(account, name="李总", title="董事长")
    create_plan(account, strategy="**数字化**转型", sections={"competitors": "主要对手：甲公司"})
    login_as(create_user(role=UserRole.VIEWER))
    with app.app_context():
        from kb.db import session
        from models import Stakeholder

        plan = session.scalar(select(AccountPlan).where(AccountPlan.account_id == account.id))
        plan.decision_maker_links = [session.get(Stakeholder, boss.id)]
        session.commit()
    response = client.get(f"/accounts/{account.id}/plans/FY2027")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<strong>数字化</strong>转型" in page
    assert "主要对手：甲公司" in page
    assert "李总" in page
    assert "2/5" in page  # strategy + linked decision-maker


def test_show_lowercase_period_and_unknown_period(client, login_as, team, create_plan):
    account, editor = team
    create_plan(account, strategy="战略")
    login_as(editor)
    assert client.get(f"/accounts/{account.id}/plans/fy2027").status_code == 200
    assert client.get(f"/accounts/{account.id}/plans/FY2030").status_code == 404
    assert client.get(f"/accounts/{account.id}/plans/<script>").status_code == 404
    assert client.get(f"/accounts/99999/plans/FY2027").status_code == 404


def test_new_plan_flow_creates_revision_one(app, client, login_as, team):
    account, editor = team
    login_as(editor)
    response = client.post(f"/accounts/{account.id}/plans/new", data={"period": "fy2028"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/accounts/{account.id}/plans/FY2028/edit")
    assert client.get(response.headers["Location"]).status_code == 200
    response = client.post(f"/accounts/{account.id}/plans/FY2028/edit",
                           data=form_data(0, strategy="聚焦新能源并网", comment="首版"))
    assert response.status_code == 302
    plan = stored_plan(app, account.id, "FY2028")
    assert plan.version == 1 and plan.strategy == "聚焦新能源并网"
    revs = revisions(app, plan.id)
    assert [(r.number, r.comment, r.author_id) for r in revs] == [(1, "首版", editor.id)]
    assert revs[0].content["strategy"] == "聚焦新能源并网" and revs[0].content["period"] == "FY2028"


@pytest.mark.parametrize("period", ["", "2027年", "FY27", "2027Q5", "2027H3", "Q3", "x" * 30])
def test_new_plan_refuses_bad_period(client, login_as, team, period):
    account, editor = team
    login_as(editor)
    response = client.post(f"/accounts/{account.id}/plans/new", data={"period": period})
    assert response.status_code == 422
    assert "FY2027" in response.get_data(as_text=True) or "Enter the period" in response.get_data(as_text=True)


def test_new_plan_refuses_duplicate_period_with_link(client, login_as, team, create_plan):
    account, editor = team
    create_plan(account, period="FY2027")
    login_as(editor)
    response = client.post(f"/accounts/{account.id}/plans/new", data={"period": "fy2027"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "already has a plan for FY2027" in page
    assert f'href="/accounts/{account.id}/plans/FY2027"' in page


def test_save_creates_revision_and_bumps_version(app, client, login_as, team, create_plan):
    account, editor = team
    plan = create_plan(account, strategy="旧战略")
    login_as(editor)
    page = client.get(f"/accounts/{account.id}/plans/FY2027/edit").get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in page or re.search(r'name="version"[^>]*value="1"', page)
    assert "旧战略" in page
    response = client.post(f"/accounts/{account.id}/plans/FY2027/edit",
                           data=form_data(1, strategy="新战略：云网融合", status="reviewed", comment="季度复盘"))
    assert response.status_code == 302
    stored = stored_plan(app, account.id)
    assert stored.version == 2 and stored.strategy == "新战略：云网融合"
    assert stored.status == PlanStatus.REVIEWED and stored.reviewed_on is not None
    assert set(stored.field_changes) == {"strategy"}
    assert stored.field_changes["strategy"]["by"] == editor.id
    assert [r.number for r in revisions(app, plan.id)] == [1, 2]


def test_save_without_changes_records_nothing(app, client, login_as, team, create_plan):
    account, editor = team
    plan = create_plan(account, strategy="战略")
    login_as(editor)
    response = client.post(f"/accounts/{account.id}/plans/FY2027/edit", data=form_data(1, strategy="战略"),
                           follow_redirects=True)
    assert "Nothing changed" in response.get_data(as_text=True)
    assert stored_plan(app, account.id).version == 1
    assert len(revisions(app, plan.id)) == 1


def test_conflict_returns_409_with_both_texts(app, client, login_as, team, create_plan, create_user):
    account, editor = team
    plan = create_plan(account, strategy="原始战略", profit_model="靠电费")
    other = create_user(role=UserRole.ADMIN, name="赵管理员")
    login_as(other)
    client.post(f"/accounts/{account.id}/plans/FY2027/edit",
                data=form_data(1, strategy="同事保存的战略", profit_model="靠电费和服务"))
    login_as(editor)
    response = client.post(f"/accounts/{account.id}/plans/FY2027/edit",
                           data=form_data(1, strategy="我刚输入的战略", profit_model="靠电费",
                                          customers_customer="工商业用户"))
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "同事保存的战略" in page and "我刚输入的战略" in page
    assert "赵管理员" in page
    assert 'class="conflict"' in page
    # the user's typed text sits in an editable textarea; the field only the colleague changed is pre-filled
    # with the colleague's text, so saving again does not silently undo it
    assert re.search(r"<textarea[^>]*name=\"strategy\"[^>]*>\s*我刚输入的战略</textarea>", page)
    assert re.search(r"<textarea[^>]*name=\"profit_model\"[^>]*>\s*靠电费和服务</textarea>", page)
    assert re.search(r"<textarea[^>]*name=\"customers_customer\"[^>]*>\s*工商业用户</textarea>", page)
    assert re.search(r'name="version"[^>]*value="2"', page)
    assert stored_plan(app, account.id).strategy == "同事保存的战略"  # nothing saved by the 409
    # submitting again with the current version saves deliberately over it
    response = client.post(f"/accounts/{account.id}/plans/FY2027/edit",
                           data=form_data(2, strategy="我刚输入的战略", profit_model="靠电费和服务",
                                          customers_customer="工商业用户"))
    assert response.status_code == 302
    stored = stored_plan(app, account.id)
    assert (stored.version, stored.strategy, stored.profit_model) == (3, "我刚输入的战略", "靠电费和服务")
    assert len(revisions(app, plan.id)) == 3


def test_conflict_when_plan_created_meanwhile(app, client, login_as, team, create_plan):
    account, editor = team
    create_plan(account, period="2027H1", strategy="别人先建的")
    login_as(editor)
    response = client.post(f"/accounts/{account.id}/plans/2027H1/edit", data=form_data(0, strategy="我的"))
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "别人先建的" in page and "我的" in page


def test_oversized_answer_is_a_clear_error(app, client, login_as, team, create_plan):
    account, editor = team
    create_plan(account, strategy="战略")
    login_as(editor)
    response = client.post(f"/accounts/{account.id}/plans/FY2027/edit",
                           data=form_data(1, strategy="长" * 20_001))
    assert response.status_code == 422
    assert "20000" in response.get_data(as_text=True) or "20,000" in response.get_data(as_text=True)
    assert stored_plan(app, account.id).strategy == "战略"


def test_answer_of_exactly_20000_chars_is_accepted(app, client, login_as, team, create_plan):
    account, editor = team
    create_plan(account)
    login_as(editor)
    response = client.post(f"/accounts/{account.id}/plans/FY2027/edit", data=form_data(1, strategy="长" * 20_000))
    assert response.status_code == 302
    assert len(stored_plan(app, account.id).strategy) == 20_000


@pytest.mark.parametrize("changes", [
    {"status": "published"}, {"version": "abc"}, {"version": "-1"}, {"comment": "评" * 501},
    {"decision_maker_ids": "abc"},
])
def test_bad_form_input_is_rejected_not_500(app, client, login_as, team, create_plan, changes):
    account, editor = team
    create_plan(account, strategy="战略")
    login_as(editor)
    response = client.post(f"/accounts/{account.id}/plans/FY2027/edit", data={**form_data(1), **changes})
    assert response.status_code == 422
    assert stored_plan(app, account.id).version == 1


def test_decision_maker_from_another_account_is_refused(app, client, login_as, team, create_plan,
                                                        create_account, create_stakeholder):
    account, editor = team
    create_plan(account)
    ours = create_stakeholder(account, name="本客户的人")
    stranger = create_stakeholder(create_account(name="别的客户"), name="外人")
    login_as(editor)
    page = client.get(f"/accounts/{account.id}/plans/FY2027/edit").get_data(as_text=True)
    assert "本客户的人" in page and "外人" not in page
    response = client.post(f"/accounts/{account.id}/plans/FY2027/edit",
                           data=form_data(1, decision_maker_ids=[str(ours.id), str(stranger.id)]))
    assert response.status_code == 422
    assert stored_plan(app, account.id).version == 1
    response = client.post(f"/accounts/{account.id}/plans/FY2027/edit",
                           data=form_data(1, decision_maker_ids=[str(ours.id)]))
    assert response.status_code == 302
    page = client.get(f"/accounts/{account.id}/plans/FY2027").get_data(as_text=True)
    assert "本客户的人" in page


def test_preview_renders_sanitised_markdown(client, login_as, create_user):
    login_as(create_user(role=UserRole.VIEWER))
    response = client.post("/preview", data={"text": "**重点** <script>alert(1)</script>"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<strong>重点</strong>" in body and "<script" not in body


def test_preview_needs_sign_in(client):
    assert client.post("/preview", data={"text": "x"}).status_code in (302, 401)


def test_edit_page_wires_live_preview(client, login_as, team, create_plan):
    account, editor = team
    create_plan(account)
    login_as(editor)
    page = client.get(f"/accounts/{account.id}/plans/FY2027/edit").get_data(as_text=True)
    assert 'data-preview="preview-strategy"' in page and 'data-preview-url="/preview"' in page
    assert 'id="preview-strategy"' in page


def test_conflict_keeps_colleagues_status_and_decision_makers_unless_changed(app, client, login_as, team, create_plan,
                                                                              create_stakeholder, create_user):
    account, editor = team
    create_plan(account, strategy="原始")
    boss = create_stakeholder(account, name="陈总")
    login_as(create_user(role=UserRole.ADMIN))
    client.post(f"/accounts/{account.id}/plans/FY2027/edit",
                data=form_data(1, strategy="原始", status="reviewed", decision_maker_ids=[str(boss.id)]))
    login_as(editor)
    page = client.post(f"/accounts/{account.id}/plans/FY2027/edit",
                       data=form_data(1, strategy="我的新战略")).get_data(as_text=True)
    assert re.search(rf'<input checked [^>]*name="decision_maker_ids" type="checkbox" value="{boss.id}">', page)
    assert re.search(r'<option selected value="reviewed">|<option value="reviewed" selected>', page)
