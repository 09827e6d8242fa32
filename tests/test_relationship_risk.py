"""The relationship-risk rule (kb/services/relationship_risk.py): each kind of risk with real dates, the
"unknown" values, the batch's constant number of statements, and coverage.at_risk on the same rule."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import pytest
import time_machine
from sqlalchemy import event

from models import Attitude, DecisionRole, Influence, Stakeholder

# 2026-12-01 00:30 in Shanghai is still 2026-11-30 in UTC: days are counted in the user's day.
NOW = datetime(2026, 11, 30, 16, 30, tzinfo=timezone.utc)
TODAY = date(2026, 12, 1)


@pytest.fixture
def team(create_user, create_group, create_seat, create_account):
    group = create_group()
    ar, sr = create_user(name="王经理"), create_user(name="李方案")
    create_seat(group, ar, "AR")
    create_seat(group, sr, "SR")
    return dict(group=group, ar=ar, sr=sr, account=create_account(group=group))


def risks_of(app: Any, *people: Stakeholder, key_days: int = 90,
             other_days: int = 180) -> dict[int, list[str]]:
    with app.test_request_context("/"):
        from kb.db import session
        from kb.services.relationship_risk import stakeholder_risks
        from kb.services.stakeholders import chain_options

        loaded = [session.get(Stakeholder, p.id, options=chain_options()) for p in people]
        found = stakeholder_risks(stakeholders=loaded, today=TODAY, key_days=key_days, other_days=other_days)
        return {sid: [r.code for r in risks] for sid, risks in found.items()}


def messages_of(app: Any, person: Stakeholder) -> list[str]:
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        from kb.db import session
        from kb.services.relationship_risk import stakeholder_risks
        from kb.services.stakeholders import chain_options

        loaded = session.get(Stakeholder, person.id, options=chain_options())
        return [r.message for r in stakeholder_risks(stakeholders=[loaded], today=TODAY)[person.id]]


def test_owner_risks(app, team, create_user, create_stakeholder, create_interaction):
    account, ar, sr = team["account"], team["ar"], team["sr"]
    inactive = create_user(name="已停用", active=False)
    outsider = create_user(name="别组的人")
    nobody = create_stakeholder(account, name="无主")
    gone = create_stakeholder(account, name="离队", owners=[inactive, outsider])
    ok = create_stakeholder(account, name="正常", owners=[ar])
    key_alone = create_stakeholder(account, name="关键无备份", influence=Influence.HIGH, owners=[ar])
    key_backed = create_stakeholder(account, name="关键有备份", influence=Influence.HIGH, owners=[ar, sr],
                                    attitude=Attitude.SUPPORT)
    create_interaction(account, occurred_on=date(2026, 11, 1),
                       stakeholders=[nobody, gone, ok, key_alone, key_backed])
    found = risks_of(app, nobody, gone, ok, key_alone, key_backed)
    assert found[nobody.id] == ["no_owner"]
    assert found[gone.id] == ["owners_gone"]  # one inactive, one never on this account's team
    assert found[ok.id] == []
    assert found[key_alone.id] == ["no_backup"]
    assert found[key_backed.id] == []
    assert messages_of(app, gone) == ["Every owner has left the account team or is inactive: 已停用, 别组的人."]


def test_an_owner_whose_seat_ended_has_left_the_team(app, team, create_user, create_seat, create_stakeholder,
                                                     create_interaction):
    rotated = create_user(name="轮岗走了")
    create_seat(team["group"], rotated, "FR", started_on=date(2023, 1, 1), ended_on=date(2025, 1, 1))
    person = create_stakeholder(team["account"], owners=[rotated])
    create_interaction(team["account"], occurred_on=date(2026, 11, 20), stakeholders=[person])
    assert risks_of(app, person)[person.id] == ["owners_gone"]


def test_a_named_account_member_is_on_the_team(app, create_user, create_account, create_stakeholder,
                                               create_interaction):
    member = create_user()
    account = create_account(members=[member])
    person = create_stakeholder(account, owners=[member])
    create_interaction(account, occurred_on=date(2026, 11, 20), stakeholders=[person])
    assert risks_of(app, person)[person.id] == []


@pytest.mark.parametrize("influence, role, last_met, at_risk", [
    (Influence.HIGH, DecisionRole.INFLUENCER, date(2026, 9, 2), False),   # 90 days ago: not more than 90
    (Influence.HIGH, DecisionRole.INFLUENCER, date(2026, 9, 1), True),    # 91 days ago
    (Influence.LOW, DecisionRole.DECISION_MAKER, date(2026, 9, 1), True),  # decision-makers: 90 days too
    (Influence.LOW, DecisionRole.INFLUENCER, date(2026, 9, 1), False),    # others: 180 days
    (Influence.LOW, DecisionRole.INFLUENCER, date(2026, 6, 4), False),    # 180 days ago: not more than 180
    (Influence.LOW, DecisionRole.INFLUENCER, date(2026, 6, 3), True),     # 181 days
    (Influence.UNKNOWN, DecisionRole.UNKNOWN, date(2026, 9, 1), False),   # unknown: 180 days
])
def test_not_contacted_for_too_long(app, team, create_stakeholder, create_interaction, influence, role,
                                    last_met, at_risk):
    person = create_stakeholder(team["account"], influence=influence, decision_role=role,
                                owners=[team["ar"], team["sr"]], attitude=Attitude.SUPPORT)
    create_interaction(team["account"], occurred_on=last_met, stakeholders=[person])
    create_interaction(team["account"], occurred_on=date(2026, 11, 25), stakeholders=[person],
                       archived_at=datetime(2026, 11, 26, tzinfo=timezone.utc))  # archived: does not count
    codes = risks_of(app, person)[person.id]
    assert ("not_contacted" in codes) is at_risk


def test_not_contacted_uses_the_settings_and_says_how_long(app, team, create_stakeholder, create_interaction):
    person = create_stakeholder(team["account"], owners=[team["ar"]], influence=Influence.LOW)
    create_interaction(team["account"], occurred_on=date(2026, 11, 1), stakeholders=[person])
    assert risks_of(app, person, other_days=29)[person.id] == ["not_contacted"]
    assert risks_of(app, person, other_days=30)[person.id] == []
    never = create_stakeholder(team["account"], owners=[team["ar"]], influence=Influence.LOW)
    assert messages_of(app, never) == ["Never met in a recorded interaction."]
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        from kb.db import session
        from kb.services.relationship_risk import stakeholder_risks
        loaded = session.get(Stakeholder, person.id)
        [risk] = stakeholder_risks(stakeholders=[loaded], today=TODAY, other_days=10)[person.id]
        assert risk.message == "Not met for more than 10 days."


def test_opposed_with_high_influence(app, team, create_stakeholder, create_interaction):
    account = team["account"]
    against = create_stakeholder(account, attitude=Attitude.OPPOSE, influence=Influence.HIGH,
                                 owners=[team["ar"], team["sr"]])
    mild = create_stakeholder(account, attitude=Attitude.OPPOSE, influence=Influence.MEDIUM,
                              owners=[team["ar"]])
    create_interaction(account, occurred_on=date(2026, 11, 20), stakeholders=[against, mild])
    found = risks_of(app, against, mild)
    assert found[against.id] == ["opposed_high"] and found[mild.id] == []


def test_decision_maker_needs_support_above_or_beside(app, team, create_stakeholder, create_interaction):
    account, owners = team["account"], [team["ar"], team["sr"]]
    top = create_stakeholder(account, name="董事长", attitude=Attitude.NEUTRAL, owners=owners)
    vp = create_stakeholder(account, name="副总", reports_to=top, attitude=Attitude.NEUTRAL, owners=owners)
    alone = create_stakeholder(account, name="孤立决策人", reports_to=vp, owners=owners,
                               decision_role=DecisionRole.DECISION_MAKER, attitude=Attitude.NEUTRAL)
    friendly = create_stakeholder(account, name="友好决策人", decision_role=DecisionRole.DECISION_MAKER,
                                  attitude=Attitude.SUPPORT, owners=owners)
    peer_boss = create_stakeholder(account, name="总监", reports_to=top, attitude=Attitude.NEUTRAL,
                                   owners=owners)
    beside = create_stakeholder(account, name="有同僚支持", reports_to=peer_boss, owners=owners,
                                decision_role=DecisionRole.DECISION_MAKER, attitude=Attitude.NEUTRAL)
    create_stakeholder(account, name="支持的同僚", reports_to=peer_boss, attitude=Attitude.SUPPORT, owners=owners)
    everyone = [top, vp, alone, peer_boss, beside, friendly]
    create_interaction(account, occurred_on=date(2026, 11, 20), stakeholders=everyone)
    found = risks_of(app, *everyone)
    assert found[alone.id] == ["no_support_near"]
    assert found[beside.id] == []
    assert found[friendly.id] == []  # supports us themselves: nobody needed above them
    # Someone supportive two levels up counts ("above" is the whole reports-to chain).
    with app.app_context():
        from kb.db import session
        session.get(Stakeholder, top.id).attitude = Attitude.SUPPORT
        session.commit()
    assert risks_of(app, alone)[alone.id] == []


def test_unknown_person_is_never_a_key_person(app, team, create_stakeholder, create_interaction):
    unknown = create_stakeholder(team["account"], decision_role=DecisionRole.UNKNOWN,
                                 influence=Influence.UNKNOWN, attitude=Attitude.UNKNOWN, owners=[team["ar"]])
    create_interaction(team["account"], occurred_on=date(2026, 11, 20), stakeholders=[unknown])
    assert risks_of(app, unknown)[unknown.id] == []  # no backup needed, not a decision-maker
    with app.app_context():
        from kb.db import session
        from kb.services.coverage import who_decides
        assert who_decides([session.get(Stakeholder, unknown.id)]) == []


def test_coverage_at_risk_follows_the_same_rule(app, team, create_stakeholder, create_interaction):
    account = team["account"]
    fine = create_stakeholder(account, owners=[team["ar"]], influence=Influence.LOW)
    stale = create_stakeholder(account, owners=[team["ar"]], influence=Influence.LOW)
    create_interaction(account, occurred_on=date(2026, 11, 20), stakeholders=[fine])
    create_interaction(account, occurred_on=date(2026, 1, 2), stakeholders=[stale])
    with time_machine.travel(NOW, tick=False), app.test_request_context("/"):
        from kb.db import session
        from kb.services.coverage import at_risk
        assert at_risk(session.get(Stakeholder, fine.id)) is False
        assert at_risk(session.get(Stakeholder, stale.id)) is True  # 333 days without a visit
        assert at_risk(session.get(Stakeholder, stale.id), other_days=400) is False


def test_a_whole_account_in_a_constant_number_of_statements(app, team, create_user, create_stakeholder,
                                                            create_interaction):
    account = team["account"]

    def count_statements() -> tuple[int, int]:
        with app.test_request_context("/"):
            from kb.db import session
            from kb.services.relationship_risk import account_risks
            statements: list[str] = []
            engine = session.get_bind()
            record = lambda *args: statements.append(args[2])  # noqa: E731
            event.listen(engine, "before_cursor_execute", record)
            try:
                rows = account_risks(account_id=account.id, today=TODAY)
            finally:
                event.remove(engine, "before_cursor_execute", record)
            return len(statements), len(rows)

    def add(n: int) -> None:
        boss = create_stakeholder(account, decision_role=DecisionRole.DECISION_MAKER, owners=[team["ar"]])
        for _ in range(n):
            person = create_stakeholder(account, reports_to=boss, owners=[create_user(), create_user()])
            create_interaction(account, occurred_on=date(2026, 10, 1), stakeholders=[person, boss])

    add(2)
    few, people = count_statements()
    add(15)
    many, more_people = count_statements()
    assert more_people == people + 16
    assert few == many <= 8
