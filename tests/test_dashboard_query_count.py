"""The dashboard (home and group page) runs the same number of SQL statements for 2 or 12 accounts with
5 or 300 people and visits each."""
import pytest

import tests.test_accounts_query_count as _q
from tests.test_accounts_query_count import populate


def count_statements(*a):
    return _q.count_statements(*a)


@pytest.mark.parametrize("url", ["/", "/groups/{group}"])
@pytest.mark.parametrize("role", ["admin", "member"])
def test_dashboard_statement_count_does_not_grow(app, client, login_as, create_user, create_group, create_seat,
                                                 create_account, create_plan, role, url):
    small_group, large_group = create_group(), create_group()
    owners = [create_user(name="负责人甲"), create_user(name="负责人乙", active=False)]
    lead_small, lead_large = create_user(name="小组长"), create_user(name="大组长")
    create_seat(small_group, lead_small, "AR")
    create_seat(large_group, lead_large, "AR")
    for i in range(2):
        account = create_account(group=small_group, name=f"小客户{i}")
        create_plan(account, strategy="战略")
        populate(app, account, owners, 5)
    for i in range(12):
        account = create_account(group=large_group, name=f"大客户{i}")
        create_plan(account, strategy="战略")
        populate(app, account, owners, 300 if i < 2 else 20)
    admin = create_user(role="admin")

    def measure(group, lead):
        login_as(admin if role == "admin" else lead)
        target = url.format(group=group.id)
        client.get(target)  # warm-up
        return count_statements(app, client, target)

    n_small, html_small = measure(small_group, lead_small)
    n_large, html_large = measure(large_group, lead_large)
    assert "-dashboard" in html_small and "-dashboard" in html_large
    # The group page's own risk counts (kb.services.relationship_risk.at_risk_counts, from h/risk) load every
    # stakeholder of the group with their owners, SQLAlchemy fetching owners 500 ids per statement: one more
    # statement for the large group's 800 people. The dashboard itself adds none.
    slack = 1 if url.startswith("/groups") else 0
    assert n_large <= n_small + slack, (n_small, n_large)
    assert n_large < 40
