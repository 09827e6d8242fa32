"""The group page runs the relationship-risk rule once for its dashboard and its accounts table (issue 9):
the shared run gives the same per-account counts as relationship_risk.at_risk_counts and the same dashboard
list as a dashboard built alone, whether the two sets of people overlap, coincide or not at all."""
from datetime import timedelta

import pytest

from kb import clock
from kb.services import dashboard, relationship_risk
from models import Attitude, DecisionRole, Influence, User

RISK_DAYS = {"key_days": 90, "other_days": 180}


@pytest.fixture
def world(app, create_user, create_group, create_seat, create_account, create_stakeholder,
          create_interaction):
    with app.app_context():
        today = clock.today()
    lead, backup, gone = create_user(name="组长"), create_user(name="备份"), create_user(name="离职者", active=False)
    group, other = create_group(name="华东客户群"), create_group(name="华南客户群")
    create_seat(group, lead, "AR")
    create_seat(group, backup, "SR")
    accounts = [create_account(group=group, name=f"客户{i}") for i in range(4)]
    elsewhere = create_account(group=other, name="别组客户")
    for i, account in enumerate([*accounts, elsewhere]):
        boss = create_stakeholder(account, name=f"老板{i}", owners=[lead, backup], attitude=Attitude.SUPPORT,
                                  decision_role=DecisionRole.DECISION_MAKER, influence=Influence.HIGH)
        ok = create_stakeholder(account, name=f"正常{i}", owners=[lead], reports_to=boss)
        create_interaction(account, occurred_on=today - timedelta(days=5), stakeholders=[boss, ok])
        for j in range(i):  # account i has i people at risk, each for a different reason
            kind = j % 3
            create_stakeholder(
                account, name=f"风险{i}-{j}", owners=[] if kind == 0 else [gone] if kind == 1 else [lead],
                influence=Influence.HIGH if kind == 2 else Influence.LOW,
                attitude=Attitude.OPPOSE if kind == 2 else Attitude.NEUTRAL)
    return dict(lead=lead, accounts=accounts, elsewhere=elsewhere, today=today)


def build(app, world, count_ids):
    with app.app_context():
        from kb.db import session
        from models import Account
        accounts = [session.get(Account, a.id) for a in world["accounts"]]
        reader = session.get(User, world["lead"].id)
        dash = dashboard.build(accounts=accounts, reader=reader, stale_after_days=180, risk_days=RISK_DAYS,
                               today=world["today"], risk_count_accounts=count_ids)
        alone = relationship_risk.at_risk_counts(account_ids=count_ids or [], today=world["today"],
                                                 **RISK_DAYS)
        listed = [(s.name, [r.code for r in risks]) for s, risks in dash.at_risk.rows]
        return dash.risk_counts, alone, listed, dash.at_risk.count, dash.at_risk.capped


@pytest.mark.parametrize("which", ["overlap", "same", "disjoint", "none"])
def test_shared_run_gives_the_separate_runs_answers(app, world, which):
    ids = [a.id for a in world["accounts"]]
    elsewhere = world["elsewhere"].id
    count_ids = {"overlap": ids[2:] + [elsewhere], "same": ids, "disjoint": [elsewhere], "none": None}[which]
    counts, alone, listed, total, capped = build(app, world, count_ids)
    _, _, listed_alone, total_alone, capped_alone = build(app, world, None)
    assert counts == alone
    assert (listed, total, capped) == (listed_alone, total_alone, capped_alone)
    assert total == 0 + 1 + 2 + 3 and not capped
    if which == "same":
        assert counts == dict(zip(ids, [0, 1, 2, 3]))
    if which == "overlap":
        # elsewhere: its 4, and its boss and contact too (their owners are not on that group's team)
        assert counts == {ids[2]: 2, ids[3]: 3, world["elsewhere"].id: 6}
    if which == "none":
        assert counts == {}


def test_group_page_table_counts_equal_at_risk_counts(app, client, login_as, world):
    login_as(world["lead"])
    html = client.get(f"/groups/{world['accounts'][0].customer_group_id}",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    table = html.split('<table class="data accounts">')[1].split("</table>")[0]
    rows = table.split("<tr>")[2:]
    assert len(rows) == 4
    for account, row, n in zip(world["accounts"], rows, [0, 1, 2, 3]):
        assert account.name in row
        if n:
            assert f"{n} relationship" in row and f"/accounts/{account.id}/onboarding#whos-who" in row
        else:
            assert '<span class="muted">0</span>' in row


def test_load_facts_in_one_statement_reads_what_two_read(app, world):
    """risk_facts.load_facts without order or limit (owners joined) gives the records the two-statement
    read gives: people without owners, with one, with several (the primary first)."""
    from sqlalchemy import event

    from kb.services import risk_facts
    from models import Stakeholder

    def facts(people):
        return [(p.id, p.account_id, p.decision_role, p.influence, p.attitude, p.reports_to_id,
                 [(o.user_id, o.is_primary, o.user.active, o.user.name) for o in p.owners]) for p in people]

    with app.app_context():
        from kb.db import session
        where = (Stakeholder.account_id.in_([a.id for a in world["accounts"]]),
                 Stakeholder.archived_at.is_(None))
        seen = []
        event.listen(session.get_bind(), "before_cursor_execute", lambda *a: seen.append(a[2]))
        joined = risk_facts.load_facts(where=where)
        assert len(seen) == 1
        two = risk_facts.load_facts(where=where, order_by=(Stakeholder.id,))
        assert facts(joined) == facts(two)
        owners = {p.id: [o.user.name for o in p.owners] for p in joined}
        assert sorted(map(len, owners.values())) == [0] * 3 + [1] * 7 + [2] * 4  # see world
        assert all(names[0] == "组长" for names in owners.values() if len(names) == 2)
