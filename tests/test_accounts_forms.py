"""Creating and editing accounts: validation, permissions, archive and restore, named members."""
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from models import Account, Coverage, Tier


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def stored(app, account_id):
    """A snapshot of the account's stored columns (read in its own app context)."""
    with app.app_context():
        from kb.db import session
        account = session.get(Account, account_id)
        return SimpleNamespace(**{c.key: getattr(account, c.key) for c in Account.__table__.columns})


def all_names(app):
    with app.app_context():
        from kb.db import session
        return set(session.scalars(select(Account.name)))


def form_data(**changes):
    data = {"name": "招商银行", "name_en": "China Merchants Bank", "aliases": "招行\nCMB, 招商 ,招行",
            "industry": "金融", "region": "华南", "tier": "strategic", "coverage": "direct",
            "customer_group_id": "", "parent_id": "", "description": "零售银行之王"}
    data.update(changes)
    return data


@pytest.fixture
def admin(create_user, login_as):
    user = create_user(role="admin", name="管理员")
    login_as(user)
    return user


def test_admin_creates_account_with_aliases_group_parent_members(app, client, admin, create_group,
                                                                 create_account, create_user):
    group, parent = create_group(name="金融群", name_en=""), create_account(name="招商局集团")
    member = create_user(name="李四")
    response = client.post("/accounts/new", data=form_data(customer_group_id=group.id, parent_id=parent.id,
                                                           member_ids=[member.id]))
    assert response.status_code == 302
    account_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        from kb.db import session
        account = session.get(Account, account_id)
        assert account.aliases == ["招行", "CMB", "招商"]  # trimmed, de-duplicated
        assert account.tier == Tier.STRATEGIC and account.coverage == Coverage.DIRECT
        assert account.customer_group_id == group.id and account.parent_id == parent.id
        assert [u.name for u in account.members] == ["李四"]
        assert account.created_by_id == admin.id and account.updated_by_id == admin.id
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "招商银行" in html and "CMB" in html and "金融群" in html and "招商局集团" in html and "李四" in html
    assert "管理员" in html  # who created / changed it


@pytest.mark.parametrize("changes, field_message", [
    ({"name": ""}, "Enter the name of the account."),
    ({"name": "   "}, "name"),
    ({"name": "\u200b"}, "Enter the name of the account."),  # only invisible characters: as empty
    ({"name": "名" * 201}, "At most 200 characters."),
    ({"name_en": "x" * 201}, "At most 200 characters."),
    ({"tier": "platinum"}, "Not a valid choice"),
    ({"coverage": "telepathy"}, "Not a valid choice"),
    ({"customer_group_id": "999"}, "Not a valid choice"),
    ({"customer_group_id": "abc"}, "Invalid Choice"),
    ({"parent_id": "999"}, "Not a valid choice"),
    ({"industry": "行" * 51}, "At most 50 characters."),
    ({"aliases": "\n".join(f"别名{n}" for n in range(21))}, "at most 20 aliases"),
    ({"aliases": "长" * 101}, "at most 100 characters"),
    ({"member_ids": ["abc"]}, "member_ids"),
    ({"member_ids": ["999"]}, "member_ids"),
])
def test_bad_input_is_a_form_error_not_a_500(app, client, admin, changes, field_message):
    response = client.post("/accounts/new", data=form_data(**changes))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "has-error" in html
    assert field_message in html
    assert all_names(app) == set()


def test_viewer_is_refused_member_options(app, client, admin, create_user):
    viewer = create_user(role="viewer", name="只读者")
    response = client.post("/accounts/new", data=form_data(member_ids=[viewer.id]))
    assert response.status_code == 422
    assert all_names(app) == set()


def test_parent_cannot_be_itself_or_a_descendant(app, client, admin, create_account):
    top = create_account(name="集团")
    child = create_account(name="子公司", parent_id=top.id)
    grandchild = create_account(name="孙公司", parent_id=child.id)
    for parent in (top, child, grandchild):
        response = client.post(f"/accounts/{top.id}/edit", data=form_data(name="集团", parent_id=parent.id))
        assert response.status_code == 422, parent.name
        html = response.get_data(as_text=True)
        assert "has-error" in html
    assert stored(app, top.id).parent_id is None
    # A legal move still works: the grandchild may hang directly under the top.
    response = client.post(f"/accounts/{grandchild.id}/edit", data=form_data(name="孙公司", parent_id=top.id))
    assert response.status_code == 302
    assert stored(app, grandchild.id).parent_id == top.id


def test_cycle_message_from_service(app, client, admin, create_account):
    top = create_account(name="集团")
    child = create_account(name="子公司", parent_id=top.id)
    response = client.post(f"/accounts/{top.id}/edit", data=form_data(name="集团", parent_id=child.id))
    html = response.get_data(as_text=True)
    assert "cannot be its own parent" in html


def test_edit_form_shows_current_values_and_saves_changes(app, client, admin, create_account):
    account = create_account(name="旧名", aliases=["别名甲", "别名乙"], tier=Tier.GROWTH)
    html = client.get(f"/accounts/{account.id}/edit").get_data(as_text=True)
    assert "旧名" in html and "别名甲\n别名乙" in html
    assert re.search(r'<option selected value="growth">|<option value="growth" selected>', html)
    response = client.post(f"/accounts/{account.id}/edit", data=form_data(name="新名", aliases="新别名"))
    assert response.status_code == 302
    saved = stored(app, account.id)
    assert saved.name == "新名" and saved.aliases == ["新别名"] and saved.updated_by_id == admin.id


def test_unknown_account_is_404(client, admin):
    for url in ("/accounts/999", "/accounts/999/edit", "/accounts/999/brief", "/accounts/999/onboarding"):
        assert client.get(url).status_code == 404, url
    assert client.post("/accounts/999/archive").status_code == 404
    assert client.post("/accounts/999/restore").status_code == 404


def test_archive_and_restore(app, client, admin, create_account):
    account = create_account(name="归档客户")
    assert client.get(f"/accounts/{account.id}/archive").status_code == 405  # writes only on POST
    response = client.post(f"/accounts/{account.id}/archive")
    assert response.status_code == 302
    assert stored(app, account.id).archived_at is not None
    html = client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert "Archived account" in html and "Restore" in html
    assert "归档客户" not in client.get("/accounts").get_data(as_text=True)
    client.post(f"/accounts/{account.id}/restore")
    assert stored(app, account.id).archived_at is None
    assert "Archived account" not in client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert "归档客户" in client.get("/accounts").get_data(as_text=True)


# --- permissions ---------------------------------------------------------------------------------

@pytest.fixture
def team(create_user, create_group, create_seat, create_account):
    group = create_group(name="电信群", name_en="")
    seated = create_user(name="铁三角AR")
    create_seat(group, seated, "AR")
    named = create_user(name="署名成员")
    outsider = create_user(name="局外人")
    account = create_account(group=group, name="中国电信", members=[named])
    return dict(group=group, seated=seated, named=named, outsider=outsider, account=account)


@pytest.mark.parametrize("who, allowed", [("seated", True), ("named", True), ("outsider", False),
                                         ("viewer", False), ("admin", True)])
def test_who_may_edit(app, client, login_as, create_user, team, who, allowed):
    user = team.get(who) or create_user(role=who)
    login_as(user)
    account = team["account"]
    show = client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert (f"/accounts/{account.id}/edit" in show) is allowed
    assert (f"/accounts/{account.id}/archive" in show) is allowed
    assert client.get(f"/accounts/{account.id}/edit").status_code == (200 if allowed else 403)
    response = client.post(f"/accounts/{account.id}/edit",
                           data=form_data(name="中国电信股份", customer_group_id=team["group"].id,
                                          member_ids=[team["named"].id]))
    assert response.status_code == (302 if allowed else 403)
    assert stored(app, account.id).name == ("中国电信股份" if allowed else "中国电信")
    assert client.post(f"/accounts/{account.id}/archive").status_code == (302 if allowed else 403)
    assert (stored(app, account.id).archived_at is not None) is allowed


def test_viewer_cannot_create(client, login_as, create_user):
    login_as(create_user(role="viewer"))
    assert client.get("/accounts/new").status_code == 403
    assert client.post("/accounts/new", data=form_data()).status_code == 403
    assert "/accounts/new" not in client.get("/accounts").get_data(as_text=True)


def test_member_without_seat_cannot_create(client, login_as, team):
    login_as(team["named"])
    assert client.get("/accounts/new").status_code == 403


def test_member_creates_only_in_groups_where_they_sit(app, client, login_as, create_group, team):
    other = create_group(name="别的群")
    login_as(team["seated"])
    html = client.get("/accounts/new").get_data(as_text=True)
    assert "电信群" in html and "别的群" not in html
    for group_id in (other.id, ""):
        response = client.post("/accounts/new", data=form_data(customer_group_id=group_id))
        assert response.status_code == 422
    assert "招商银行" not in all_names(app)
    response = client.post("/accounts/new", data=form_data(customer_group_id=team["group"].id))
    assert response.status_code == 302
    assert "招商银行" in all_names(app)


def test_member_cannot_move_account_to_a_group_without_seat(app, client, login_as, create_group, team):
    other = create_group(name="别的群")
    login_as(team["seated"])
    account = team["account"]
    response = client.post(f"/accounts/{account.id}/edit",
                           data=form_data(name="中国电信", customer_group_id=other.id))
    assert response.status_code == 422
    assert stored(app, account.id).customer_group_id == team["group"].id


def test_service_refuses_member_placing_account_outside_their_groups(app, team, create_group):
    from kb.services import accounts
    from kb.services.errors import PermissionDenied
    other = create_group()
    with app.test_request_context():
        from kb.db import session
        from models import User
        author = session.get(User, team["seated"].id)
        with pytest.raises(PermissionDenied) as exc:
            accounts.create_account(author=author, name="越界客户", customer_group_id=other.id)
        assert "customer_group_id" in exc.value.fields
        created = accounts.create_account(author=author, name="本群客户", customer_group_id=team["group"].id)
        assert created.created_by_id == author.id


@pytest.mark.parametrize("fields, error_field", [
    ({"name": ""}, "name"),
    ({"name": "名" * 201}, "name"),
    ({"tier": "platinum"}, "tier"),
    ({"coverage": "x"}, "coverage"),
    ({"customer_group_id": 999}, "customer_group_id"),
    ({"parent_id": 999}, "parent_id"),
    ({"aliases": [f"a{n}" for n in range(21)]}, "aliases"),
    ({"aliases": ["长" * 101]}, "aliases"),
    ({"region": "区" * 51}, "region"),
])
def test_service_checks_meaning(app, create_user, fields, error_field):
    """The API calls the same service: its answers are field errors, never a crash."""
    from kb.services import accounts
    from kb.services.errors import ValidationFailed
    admin = create_user(role="admin")
    with app.test_request_context():
        from kb.db import session
        from models import User
        author = session.get(User, admin.id)
        with pytest.raises(ValidationFailed) as exc:
            accounts.create_account(author=author, **{"name": "客户", **fields})
        assert error_field in exc.value.fields


def test_service_aliases_are_trimmed_and_deduplicated(app, create_user):
    from kb.services import accounts
    admin = create_user(role="admin")
    with app.test_request_context():
        from kb.db import session
        from models import User
        account = accounts.create_account(author=session.get(User, admin.id), name=" 华为 ",
                                          aliases=[" HW", "hw", "", "华为技术", "华为技术 "] + ["x"] * 30)
        assert account.name == "华为" and account.aliases == ["HW", "华为技术", "x"]


def test_saving_without_changes_keeps_the_last_editor(app, client, login_as, create_user, create_account):
    first, second = create_user(role="admin", name="第一位"), create_user(role="admin", name="第二位")
    account = create_account(name="不变客户", aliases=["甲"])
    data = form_data(name="不变客户", name_en=account.name_en, aliases="甲", industry=account.industry,
                     region=account.region, tier=account.tier.value, coverage=account.coverage.value,
                     description="")
    login_as(first)
    client.post(f"/accounts/{account.id}/edit", data={**data, "description": "改了"})
    assert stored(app, account.id).updated_by_id == first.id
    login_as(second)
    assert client.post(f"/accounts/{account.id}/edit", data={**data, "description": "改了"}).status_code == 302
    assert stored(app, account.id).updated_by_id == first.id
