"""Issue 9 (PostgreSQL within 1.5× of SQLite): the stakeholder page in fewer statements, same content.

- The person, their account, owners (with users) and latest personal-data erasure: one statement
  (kb.services.personal_data.stakeholder_with_erasure); owners and erasure were two more.
- "May the reader edit / see team content?" is answered from the account's team the risk rule reads anyway
  (kb.policy.core.team_user_ids notes it for is_on_team): no EXISTS check of its own.
- The reporting lines for "nobody supportive near" are read only when a decision-maker lacks support
  (kb.services.relationship_risk._chains): no statement over an empty list of accounts.
- The bosses above the person: one recursive statement whatever the depth (kb.services.stakeholders.
  chain_upward walked one lazy load per level).
15 → 11 statements at scale (bench/prof_pages.py … stakeholder); the demo page 15 → 12.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from models import Attitude, DecisionRole, Influence, PersonalDataErasure, StakeholderChange, Visibility
from tests.test_stmts9_page_statements import TEAM_CHECK, demo, sign_in, statements  # noqa: F401 (fixture)


def _add(app, *objs):
    with app.app_context():
        from kb.db import session
        session.add_all(objs)
        session.commit()


def test_demo_stakeholder_page_statements(app, client, demo):  # noqa: F811
    sign_in(client, "ar@demo.kb")
    url = f"/stakeholders/{demo['stakeholder']}"
    client.get(url)
    seen, html = statements(app, client, url)
    assert len(seen) == 12, "\n".join(s[:140] for s in seen)  # 15 before
    assert not any(s.startswith(TEAM_CHECK) for s in seen)  # the team read once, by the risk rule
    assert not any(s.startswith("SELECT personal_data_erasure") for s in seen)  # with the person
    assert not any(s.startswith("SELECT stakeholder_owner") for s in seen)  # with the person
    assert not any("IN (SELECT 1 FROM (SELECT 1) WHERE 1!=1)" in s for s in seen)  # no empty-list statement
    assert 'id="risks"' in html


def test_stakeholder_page_shows_the_same_facts(app, client, create_group, create_user, create_seat,
                                               create_account, create_stakeholder, create_interaction,
                                               login_as):
    group = create_group()
    ar, outsider = create_user(name="王客户经理"), create_user(name="赵外人")
    create_seat(group, ar)
    account = create_account(group=group)
    top = create_stakeholder(account, name="钱董事长", attitude=Attitude.NEUTRAL)
    boss = create_stakeholder(account, name="孙总裁", reports_to=top, attitude=Attitude.NEUTRAL)
    person = create_stakeholder(account, name="李总监", reports_to=boss, owners=[ar], private_notes="私下偏好XYZ",
                                decision_role=DecisionRole.DECISION_MAKER, influence=Influence.HIGH,
                                attitude=Attitude.NEUTRAL)
    create_interaction(account, summary="公开拜访纪要甲", stakeholders=[person], occurred_on=date(2026, 10, 1))
    create_interaction(account, summary="团队内部纪要乙", stakeholders=[person], visibility=Visibility.TEAM,
                       occurred_on=date(2026, 10, 2))
    at = datetime(2026, 9, 1, tzinfo=timezone.utc)
    _add(app, StakeholderChange(stakeholder_id=person.id, field="title", old_value="旧头衔丙", new_value="总经理",
                                changed_by_id=ar.id, changed_at=at),
         PersonalDataErasure(stakeholder_id=person.id, erased_by_id=ar.id,
                             erased_at=datetime(2026, 3, 5, tzinfo=timezone.utc)),
         PersonalDataErasure(stakeholder_id=person.id, erased_by_id=ar.id,
                             erased_at=datetime(2026, 8, 7, tzinfo=timezone.utc)))

    login_as(ar)
    html = client.get(f"/stakeholders/{person.id}").get_data(as_text=True)
    assert html.index("钱董事长") < html.index("孙总裁")  # the chain upward, top first
    assert "王客户经理" in html  # the owner
    assert "公开拜访纪要甲" in html and "团队内部纪要乙" in html  # the team sees team-only visits
    assert "私下偏好XYZ" in html  # and private notes
    assert f"/stakeholders/{person.id}/edit" in html  # and may edit
    assert 'data-risk="no_backup"' in html and 'data-risk="no_support_near"' in html
    assert "旧头衔丙" in html  # history
    erased = html[html.index('id="erased"'):][:200]
    assert "2026-08-07" in erased and "2026-03-05" not in erased  # the latest erasure

    login_as(outsider)  # a member off the team: reads the org-visible page only
    html = client.get(f"/stakeholders/{person.id}").get_data(as_text=True)
    assert "公开拜访纪要甲" in html and "团队内部纪要乙" not in html
    assert "私下偏好XYZ" not in html and f"/stakeholders/{person.id}/edit" not in html
    assert 'data-risk="no_support_near"' in html


def test_supportive_boss_and_no_erasure(app, client, create_group, create_user, create_seat, create_account,
                                        create_stakeholder, login_as):
    group = create_group()
    ar, gone = create_user(), create_user(name="周已离开")
    create_seat(group, ar)
    create_seat(group, gone, started_on=date(2024, 1, 1), ended_on=date(2025, 1, 1))
    account = create_account(group=group)
    boss = create_stakeholder(account, name="吴支持者", attitude=Attitude.SUPPORT)
    person = create_stakeholder(account, reports_to=boss, owners=[gone],
                                decision_role=DecisionRole.DECISION_MAKER, attitude=Attitude.NEUTRAL)
    login_as(ar)
    html = client.get(f"/stakeholders/{person.id}").get_data(as_text=True)
    assert 'data-risk="no_support_near"' not in html  # supported from above
    assert 'data-risk="owners_gone"' in html  # the owner's seat ended: off the team
    assert 'id="erased"' not in html
    login_as(gone)  # the ended seat gives no edit rights any more
    assert f"/stakeholders/{person.id}/edit" not in client.get(f"/stakeholders/{person.id}").get_data(as_text=True)
    assert client.get("/stakeholders/999999").status_code == 404


def test_team_member_by_membership_may_edit(app, client, create_user, create_account, create_stakeholder,
                                            login_as):
    from models import account_member
    account = create_account()
    member, other = create_user(), create_user()
    with app.app_context():
        from kb.db import session
        session.execute(account_member.insert().values(account_id=account.id, user_id=member.id))
        session.commit()
    person = create_stakeholder(account, owners=[member])
    login_as(member)
    html = client.get(f"/stakeholders/{person.id}").get_data(as_text=True)
    assert f"/stakeholders/{person.id}/edit" in html and 'data-risk="owners_gone"' not in html
    login_as(other)
    assert f"/stakeholders/{person.id}/edit" not in client.get(f"/stakeholders/{person.id}").get_data(as_text=True)


def test_chain_upward_in_one_statement_whatever_the_depth(app, client, create_group, create_user, create_seat,
                                                          create_account, create_stakeholder, login_as):
    group = create_group()
    ar = create_user()
    create_seat(group, ar)
    account = create_account(group=group)
    people = [create_stakeholder(account, name="层级0号", owners=[ar])]
    for level in range(1, 6):
        people.append(create_stakeholder(account, name=f"层级{level}号", reports_to=people[-1], owners=[ar]))
    login_as(ar)
    counts = {}
    for depth in (1, 2, 5):
        url = f"/stakeholders/{people[depth].id}"
        client.get(url)
        seen, html = statements(app, client, url)
        counts[depth] = len(seen)
        # every boss, linked, top first
        positions = [html.index(f'/stakeholders/{people[level].id}">层级{level}号') for level in range(depth)]
        assert positions == sorted(positions), depth
    assert counts[1] == counts[2] == counts[5]  # it walked one statement per level before


def test_chain_upward_cuts_a_cycle_and_keeps_archived_bosses(app, create_account, create_stakeholder):
    from kb.services.stakeholders import chain_upward
    account = create_account()
    top = create_stakeholder(account, name="甲", archived_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
    mid = create_stakeholder(account, name="乙", reports_to=top)
    low = create_stakeholder(account, name="丙", reports_to=mid)
    with app.app_context():
        from kb.db import session
        from models import Stakeholder
        assert [s.name for s in chain_upward(session.get(Stakeholder, low.id))] == ["乙", "甲"]
        assert chain_upward(session.get(Stakeholder, top.id)) == []
        session.get(Stakeholder, top.id).reports_to_id = low.id  # a cycle in stored data: 甲 → 丙 → 乙 → 甲
        session.flush()
        assert [s.name for s in chain_upward(session.get(Stakeholder, low.id))] == ["乙", "甲"]
        assert [s.name for s in chain_upward(session.get(Stakeholder, low.id), limit=1)] == ["乙"]
        session.rollback()
