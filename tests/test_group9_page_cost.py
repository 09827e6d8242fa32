"""Issue 9, the group page at 2,000 accounts: its accounts table is a page of ACCOUNTS_PER_PAGE accounts (the
risk column runs the rule over every person of each listed account), the risk rule reads only the part of
the reporting lines it can walk, and its fact reads go through the connection (risk_facts.read_rows) after
the same autoflush as session.execute. Every answer stays the rule's."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone

import pytest
import time_machine

from kb.services import relationship_risk
from models import Attitude, DecisionRole, Influence, Stakeholder, User
from views.groups.routes import ACCOUNTS_PER_PAGE

NOW = datetime(2026, 11, 30, 4, 0, tzinfo=timezone.utc)
TODAY = date(2026, 11, 30)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _chains_of_everyone(account_ids):
    """The reporting lines as the rule read them before: every active person of the accounts."""
    from sqlalchemy import select

    from kb.db import session
    return {sid: (boss, attitude) for sid, boss, attitude in session.execute(
        select(Stakeholder.id, Stakeholder.reports_to_id, Stakeholder.attitude)
        .where(Stakeholder.account_id.in_(account_ids), Stakeholder.archived_at.is_(None)))}


@pytest.fixture
def chains(create_user, create_group, create_seat, create_account, create_stakeholder, create_interaction):
    """Decision-makers whose support sits above, two levels above past a neutral manager, beside, nowhere,
    behind an archived manager, and one archived decision-maker whose manager has no other report."""
    group, lead = create_group(), create_user(name="组长")
    create_seat(group, lead, "AR")
    account = create_account(group=group, name="链条客户")
    p = dict(owners=[lead])
    dm = dict(decision_role=DecisionRole.DECISION_MAKER, attitude=Attitude.NEUTRAL, **p)
    top = create_stakeholder(account, name="董事长", attitude=Attitude.SUPPORT, **p)
    mid = create_stakeholder(account, name="中层", reports_to=top, **p)
    people = dict(
        two_up=create_stakeholder(account, name="两级之上有支持", reports_to=mid, **dm),
        alone=create_stakeholder(account, name="孤立", **dm),
        gone_boss=create_stakeholder(account, name="上级已归档", **dm),
    )
    boss = create_stakeholder(account, name="总监", **p)
    people["beside"] = create_stakeholder(account, name="同僚支持", reports_to=boss, **dm)
    create_stakeholder(account, name="支持的同僚", reports_to=boss, attitude=Attitude.SUPPORT, **p)
    lonely_boss = create_stakeholder(account, name="只管一人的经理", reports_to=top, **p)
    people["archived"] = create_stakeholder(account, name="已归档决策人", reports_to=lonely_boss,
                                            archived_at=NOW, **dm)
    archived_boss = create_stakeholder(account, name="归档经理", reports_to=top, archived_at=NOW, **p)
    with_gone = people["gone_boss"]
    create_interaction(account, occurred_on=date(2026, 11, 20), stakeholders=list(people.values())[:4])
    for _ in range(5):  # people nobody reports to and who do not support us: the rule never walks them
        create_stakeholder(account, attitude=Attitude.OPPOSE, **p)
    return dict(account=account, people=people, archived_boss=archived_boss, with_gone=with_gone, top=top)


def test_reporting_lines_read_only_what_the_rule_walks_with_the_same_answers(app, chains, monkeypatch):
    with app.test_request_context("/"):
        from kb.db import session
        from kb.services.stakeholders import chain_options
        person = session.get(Stakeholder, chains["with_gone"].id)
        person.reports_to_id = chains["archived_boss"].id  # their manager is archived: the walk stops there
        session.flush()
        ids = [p.id for p in chains["people"].values()]
        loaded = [session.get(Stakeholder, i, options=chain_options()) for i in ids]
        read = relationship_risk._chains([chains["account"].id])
        everyone = _chains_of_everyone([chains["account"].id])
        assert set(read) < set(everyone) and len(everyone) - len(read) >= 5  # the opposed non-managers
        assert all(everyone[sid] == read[sid] for sid in read)
        found = relationship_risk.stakeholder_risks(stakeholders=loaded, today=TODAY)
        monkeypatch.setattr(relationship_risk, "_chains", _chains_of_everyone)
        assert relationship_risk.stakeholder_risks(stakeholders=loaded, today=TODAY) == found
    near = {name: "no_support_near" in [r.code for r in found[p.id]] for name, p in chains["people"].items()}
    assert near == {"two_up": False, "alone": True, "gone_boss": True, "beside": False, "archived": False}


def test_fact_reads_see_changes_not_yet_flushed(app, chains):
    """read_rows flushes first, as session.execute would: a person added in the same session counts."""
    with app.test_request_context("/"):
        from kb.db import session
        from models import Stakeholder as S
        account_id = chains["account"].id
        before = relationship_risk.at_risk_counts(account_ids=[account_id], today=TODAY)[account_id]
        session.add(S(account_id=account_id, name="刚加的人", decision_role=DecisionRole.USER,
                      attitude=Attitude.NEUTRAL, influence=Influence.LOW))
        after = relationship_risk.at_risk_counts(account_ids=[account_id], today=TODAY)[account_id]
        assert after == before + 1  # no owner, never met
        session.rollback()


@pytest.fixture
def big_group(create_user, create_group, create_seat, create_account, create_stakeholder, create_interaction):
    """ACCOUNTS_PER_PAGE + 3 accounts; account n has n % 4 people at risk (no owner) besides one person
    who is fine."""
    group, lead = create_group(name="大客户群"), create_user(name="组长")
    create_seat(group, lead, "AR")
    accounts = [create_account(group=group, name=f"群客户{n:02d}") for n in range(ACCOUNTS_PER_PAGE + 3)]
    for n, account in enumerate(accounts):
        fine = create_stakeholder(account, name=f"正常{n}", owners=[lead], influence=Influence.LOW)
        create_interaction(account, occurred_on=date(2026, 11, 1), stakeholders=[fine])
        for j in range(n % 4):
            create_stakeholder(account, name=f"无人维护{n}-{j}", influence=Influence.LOW)
    return dict(group=group, lead=lead, accounts=accounts)


def _table_rows(html: str) -> list[str]:
    table = html.split('<table class="data accounts">', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr>\s*<td>.*?</tr>", table, flags=re.S)


@pytest.mark.parametrize("page, first, shown", [(1, 0, ACCOUNTS_PER_PAGE), (2, ACCOUNTS_PER_PAGE, 3)])
def test_group_page_table_pages_with_exact_total_and_rule_counts(app, client, login_as, big_group, page,
                                                                  first, shown):
    login_as(big_group["lead"])
    html = client.get(f"/groups/{big_group['group'].id}?page={page}",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    heading = html.split('id="accounts-h"', 1)[1].split("</h2>", 1)[0]
    assert f'<small class="muted">{ACCOUNTS_PER_PAGE + 3}</small>' in heading  # the group's total
    rows = _table_rows(html)
    listed = big_group["accounts"][first:first + shown]
    assert len(rows) == shown
    with app.test_request_context("/"):
        counts = relationship_risk.at_risk_counts(account_ids=[a.id for a in listed], today=TODAY)
    for row, account in zip(rows, listed):
        n = int(account.name[-2:]) % 4
        assert account.name in row and counts[account.id] == n
        if n:
            assert f"{n} relationship" in row and f"/accounts/{account.id}/onboarding#whos-who" in row
        else:
            assert '<span class="muted">0</span>' in row
    assert ("Page 2 of 2" if page == 2 else "Page 1 of 2") in html
    assert ('rel="prev"' in html) == (page == 2) and ('rel="next"' in html) == (page == 1)


def test_reasons_are_worded_once_per_distinct_reason_with_the_same_words(app, monkeypatch):
    """The dashboard's list words each distinct reason once (in_words' memo) and says exactly what wording
    each person alone says: names and day limits are part of what makes a reason distinct."""
    found = [[("no_owner", {}), ("not_contacted", {"days": 90})],
             [("owners_gone", {"names": "甲"}), ("not_contacted", {"days": 90})],
             [("owners_gone", {"names": "乙"}), ("not_contacted", {})],
             [("no_owner", {}), ("not_contacted", {"days": 180})]]
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        alone = [relationship_risk.in_words(f) for f in found]
        calls = []
        real = relationship_risk._
        monkeypatch.setattr(relationship_risk, "_", lambda *a, **k: calls.append(a[0]) or real(*a, **k))
        memo: dict = {}
        listed = [relationship_risk.in_words(f, memo) for f in found]
    assert listed == alone
    assert len(calls) == 6  # no_owner, 90 days, 甲, 乙, never met, 180 days
    assert [r.message for r in listed[1]] == ["Every owner has left the account team or is inactive: 甲.",
                                              "Not met for more than 90 days."]
    assert listed[2][0].message.endswith("乙.")
    assert listed[2][1].message == "Never met in a recorded interaction."
    assert listed[3][1].message == "Not met for more than 180 days."
