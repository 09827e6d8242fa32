"""Write permissions live in kb.policy and every write service calls them, whoever the caller is.

So the pages, the API, the CLI and future importers cannot drift apart: a service called directly (as an
importer would) refuses the same people the pages refuse.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from kb import policy
from kb.services import accounts, groups, interactions, plans, stakeholders, users
from kb.services.errors import AccountArchived, PermissionDenied
from models import Account, CustomerGroup, PlanStatus, SeatRole, Stakeholder, User, UserRole
from tests.api_support import assert_error, world  # noqa: F401


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def _get(model, record):
    from kb.db import session

    return session.get(model, record.id)


WRITES = {
    "update_account": lambda a, u, s: accounts.update_account(account=a, author=u, region="华南"),
    "archive_account": lambda a, u, s: accounts.archive_account(account=a, author=u),
    "set_members": lambda a, u, s: accounts.set_members(account=a, author=u, user_ids=[]),
    "create_stakeholder": lambda a, u, s: stakeholders.create_stakeholder(account=a, author=u, name="新人"),
    "update_stakeholder": lambda a, u, s: stakeholders.update_stakeholder(stakeholder=s, author=u, title="总监"),
    "archive_stakeholder": lambda a, u, s: stakeholders.archive_stakeholder(stakeholder=s, author=u),
    "create_interaction": lambda a, u, s: interactions.create_interaction(
        account=a, author=u, occurred_on=date(2026, 11, 1), kind="visit", summary="拜访"),
    "save_plan": lambda a, u, s: plans.save_plan(
        account=a, period="FY2027", author=u, base_version=0, answers={"strategy": "战略"}, sections={},
        decision_maker_ids=[], status=PlanStatus.DRAFT),
}


@pytest.mark.parametrize("write", sorted(WRITES))
@pytest.mark.parametrize("who", ["outsider", "viewer"])
def test_services_refuse_people_off_the_team(app, ctx, world, create_stakeholder, write, who):
    person = create_stakeholder(world.account, name="陈总")
    account, author = _get(Account, world.account), _get(User, getattr(world, who))
    with pytest.raises(PermissionDenied):
        WRITES[write](account, author, _get(Stakeholder, person))


@pytest.mark.parametrize("write", sorted(WRITES))
def test_services_let_the_team_write(app, ctx, world, create_stakeholder, write):
    person = create_stakeholder(world.account, name="陈总")
    WRITES[write](_get(Account, world.account), _get(User, world.named), _get(Stakeholder, person))


@pytest.mark.parametrize("write", sorted(set(WRITES) - {"archive_account"}))
def test_archived_accounts_are_read_only_in_the_services(app, ctx, world, create_stakeholder, write):
    from kb.db import session

    person = create_stakeholder(world.account, name="陈总")
    account = _get(Account, world.account)
    account.archived_at = datetime(2026, 1, 1, tzinfo=timezone.utc)
    session.flush()
    with pytest.raises(AccountArchived) as refused:
        WRITES[write](account, _get(User, world.admin), _get(Stakeholder, person))
    assert refused.value.status == 409


def test_group_and_user_services_are_for_admins(app, ctx, world):
    member, group = _get(User, world.seated), _get(CustomerGroup, world.group)
    with pytest.raises(PermissionDenied):
        groups.create_group(author=member, name="新客户群")
    with pytest.raises(PermissionDenied):
        groups.rotate_seat(group=group, role=SeatRole.SR, user=member, author=member)
    with pytest.raises(PermissionDenied):
        users.create_user(email="x@example.com", name="新人", role=UserRole.ADMIN, password="password123",
                          author=member)
    with pytest.raises(PermissionDenied):
        users.update_user(user=member, name="我", email=member.email, role=UserRole.ADMIN, active=True,
                          author=member)
    assert member.role == UserRole.MEMBER
    seat = groups.rotate_seat(group=group, role=SeatRole.SR, user=member, author=_get(User, world.admin))
    assert seat.user_id == member.id


@pytest.mark.parametrize("role, active, admin", [
    (UserRole.ADMIN, True, True), (UserRole.ADMIN, False, False),
    (UserRole.MEMBER, True, False), (UserRole.VIEWER, True, False),
])
def test_user_is_admin_and_policy_is_admin_agree(create_user, app, role, active, admin):
    user = create_user(role, active=active)
    with app.app_context():
        loaded = _get(User, user)
        assert loaded.is_admin is admin
        assert policy.is_admin(loaded) is admin


def test_a_deactivated_admin_gets_no_admin_link_nor_rights(app, create_user, ctx):
    former = _get(User, create_user("admin", active=False))
    assert not former.is_admin and not policy.may_manage(former)


# --- "may create an account": one rule -------------------------------------------------------------

def test_members_create_accounts_only_in_groups_where_their_seat_is_in_force(client, world, create_group):
    seated = world.api(client, "seated")
    other = create_group(name="西南客户群")
    ok = seated.post("/accounts", json={"name": "浙江移动杭州分公司", "customer_group_id": world.group.id})
    assert ok.status_code == 201
    for group_id in (other.id, None):  # another team's group, or no group at all
        refused = seated.post("/accounts", json={"name": "无主客户", "customer_group_id": group_id})
        assert assert_error(refused, 403, "customer_group_id")["code"] == "forbidden"
    named_only = world.api(client, "named")  # on a team by name, but no seat: may not create
    assert named_only.post("/accounts", json={"name": "名义成员的客户", "customer_group_id": world.group.id}
                           ).status_code == 403
    admin = world.api(client, "admin").post("/accounts", json={"name": "总部直管客户", "customer_group_id": None})
    assert admin.status_code == 201


def test_the_new_account_form_offers_no_group_only_to_admins(client, login_as, world):
    login_as(world.seated)
    page = client.get("/accounts/new").get_data(as_text=True)
    assert world.group.name_en in page and "— no customer group —" not in page  # English UI: its English name
    login_as(world.admin)
    assert "— no customer group —" in client.get("/accounts/new").get_data(as_text=True)


# --- re-parenting: edit rights on the account AND on the new parent -----------------------------------

@pytest.fixture
def foreign(create_group, create_account, create_seat, create_user):
    """An account of another team (another group, another AR)."""
    group = create_group(name="华南金融客户群")
    create_seat(group, create_user("member"), SeatRole.AR)
    return create_account(group, name="招商银行")


def test_api_refuses_to_hang_an_account_under_another_teams_account(client, app, world, foreign):
    api = world.api(client, "seated")
    refused = api.patch(f"/accounts/{world.account.id}", json={"parent_id": foreign.id, "region": "华南"})
    assert_error(refused, 403, "parent_id")
    with app.app_context():
        stored = _get(Account, world.account)
        assert stored.parent_id is None and stored.region == "华东"
    own = accounts_of_group(client, world)
    assert api.patch(f"/accounts/{world.account.id}", json={"parent_id": own}).status_code == 200
    admin = world.api(client, "admin").patch(f"/accounts/{world.account.id}", json={"parent_id": foreign.id})
    assert admin.status_code == 200 and admin.get_json()["parent_id"] == foreign.id


def accounts_of_group(client, world) -> int:
    """A second account in the seated member's own group (as they would create it)."""
    created = world.api(client, "seated").post(
        "/accounts", json={"name": "中国移动集团", "customer_group_id": world.group.id})
    return created.get_json()["id"]


def test_form_refuses_another_teams_parent_and_keeps_what_was_typed(client, login_as, app, world, foreign):
    login_as(world.seated)
    response = client.post(f"/accounts/{world.account.id}/edit", data={
        "name": "中国移动浙江公司", "name_en": "China Mobile ZJ", "aliases": "浙江移动", "tier": "key",
        "coverage": "direct", "customer_group_id": str(world.group.id), "parent_id": str(foreign.id),
        "description": "刚写好的一段客户介绍",
    })
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    parent_field = html.split('name="parent_id"', 1)[1].split('class="field', 1)[0]
    assert 'class="error"' in parent_field  # the select does not even offer it; the service refuses it too
    assert "刚写好的一段客户介绍" in html  # nothing typed is lost
    with app.app_context():
        stored = _get(Account, world.account)
        assert stored.parent_id is None and stored.description != "刚写好的一段客户介绍"


def test_keeping_an_existing_foreign_parent_is_not_a_new_choice(client, app, world, foreign):
    from kb.db import session

    with app.app_context():
        session.get(Account, world.account.id).parent_id = foreign.id
        session.commit()
    ok = world.api(client, "seated").patch(f"/accounts/{world.account.id}",
                                           json={"parent_id": foreign.id, "region": "华南"})
    assert ok.status_code == 200 and ok.get_json()["region"] == "华南"


# --- the one error handler ----------------------------------------------------------------------------

def test_a_service_rule_on_a_page_re_renders_the_form_with_the_message_on_the_field(client, login_as, world,
                                                                                    create_stakeholder):
    boss = create_stakeholder(world.account, name="董事长")
    deputy = create_stakeholder(world.account, name="副总", reports_to=boss)
    login_as(world.named)
    response = client.post(f"/stakeholders/{boss.id}/edit", data={
        "name": "董事长", "title": "", "department": "", "decision_role": "decision_maker",
        "attitude": "neutral", "influence": "high", "layer": "key", "relationship_level": "3",
        "notes": "这段笔记不能丢", "reports_to_id": str(deputy.id), "primary_owner_id": "0",
    })
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "这段笔记不能丢" in html
    field = html.split('name="reports_to_id"', 1)[1].split("</div>", 2)
    assert 'class="error"' in "".join(field[:2])


# --- settings reach services as arguments ---------------------------------------------------------------

def test_home_page_flags_stale_answers_after_the_configured_days(app, client, login_as, world, create_plan):
    from datetime import timedelta

    from models import utcnow

    forty_days_ago = (utcnow() - timedelta(days=40)).isoformat()
    create_plan(world.account, strategy="做大政企市场", field_changes={"strategy": {"by": None, "at": forty_days_ago}})
    login_as(world.seated)
    assert 'id="stale-answers"' not in client.get("/").get_data(as_text=True)  # default: a year
    app.config["STALE_AFTER_DAYS"] = 30
    assert 'id="stale-answers"' in client.get("/").get_data(as_text=True)


def test_the_parent_select_offers_members_only_accounts_they_edit(client, login_as, world, foreign):
    login_as(world.seated)
    page = client.get(f"/accounts/{world.account.id}/edit").get_data(as_text=True)
    parent_select = page.split('name="parent_id"', 1)[1].split("</select>", 1)[0]
    assert "招商银行" not in parent_select
    login_as(world.admin)
    page = client.get(f"/accounts/{world.account.id}/edit").get_data(as_text=True)
    assert "招商银行" in page.split('name="parent_id"', 1)[1].split("</select>", 1)[0]
