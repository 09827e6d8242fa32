"""Coverage by relationship layer counts each stakeholder once (issue 9: the statement became a join to the
distinct owned stakeholders of the listed accounts, for PostgreSQL's sake; the figures stay the same)."""
import re
from datetime import datetime, timezone

import pytest

from models import RelationshipLayer


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def layer_cells(html, account_name, anchor):
    row = html.split(f'id="{anchor}"')[1].split(account_name)[1].split("</tr>")[0]
    return re.findall(r"<td[^>]*>(\d+/\d+)</td>", row)


def test_two_owners_count_once_left_owners_and_archived_people_not_at_all(
        client, login_as, create_user, create_group, create_seat, create_account, create_stakeholder):
    lead, colleague = create_user(name="组长"), create_user(name="同事")
    gone = create_user(name="离职者", active=False)
    group = create_group(name="华北客户群")
    create_seat(group, lead, "AR")
    account = create_account(group=group, name="覆盖测试客户")
    create_stakeholder(account, name="两人负责", owners=[lead, colleague], layer=RelationshipLayer.KEY)
    create_stakeholder(account, name="只有离职者", owners=[gone], layer=RelationshipLayer.KEY)
    create_stakeholder(account, name="离职者和同事", owners=[gone, colleague], layer=RelationshipLayer.BROAD)
    create_stakeholder(account, name="已归档", owners=[lead], layer=RelationshipLayer.BROAD,
                       archived_at=datetime(2026, 1, 5, tzinfo=timezone.utc))
    login_as(lead)
    home = client.get("/")
    assert home.status_code == 200
    # key: 1 of 2 (two owners counted once, the left owner's person not covered); broad: 1 of 1 (archived
    # person not counted)
    assert layer_cells(home.get_data(as_text=True), "覆盖测试客户", "home-layers") == ["1/2", "1/1", "0/0"]
    group_page = client.get(f"/groups/{group.id}")
    assert group_page.status_code == 200
    assert layer_cells(group_page.get_data(as_text=True), "覆盖测试客户", "group-layers") == ["1/2", "1/1", "0/0"]
