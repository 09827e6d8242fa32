"""Customer-group pages: reading, creating and editing groups, permissions, unknown ids."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models import Coverage, CustomerGroup, SeatRole, Tier


@pytest.fixture
def admin(create_user):
    return create_user(role="admin", name="管理员")


def _groups(app):
    with app.app_context():
        from kb.db import session

        groups = list(session.scalars(select(CustomerGroup).order_by(CustomerGroup.id)))
        session.expunge_all()  # keep the loaded values readable after the context closes
        return groups


def test_group_list_shows_triangle_vacancies_and_account_count(
        client, login_as, create_user, create_group, create_seat, create_account):
    viewer = create_user(role="viewer")
    ar, sr = create_user(name="李客户经理"), create_user(name="王方案经理")
    group = create_group(name="华东电信客户群", name_en="East China Telecom")
    create_seat(group, ar, SeatRole.AR)
    create_seat(group, sr, SeatRole.SR)
    create_account(group=group)
    create_account(group=group)
    create_group(name="空客户群")
    login_as(viewer)
    page = client.get("/groups").get_data(as_text=True)
    assert "华东电信客户群" in page and "East China Telecom" in page
    assert "李客户经理" in page and "王方案经理" in page
    row = page.split("华东电信客户群", 1)[1].split("</tr>", 1)[0]
    assert "Vacant" in row  # FR is empty
    assert '<td class="num">2</td>' in row
    assert page.count("Vacant") == 4  # one in the first group, three in the empty one


def test_group_page_shows_triangle_accounts_and_gaps(
        client, login_as, create_user, create_group, create_seat, create_account):
    gone = create_user(name="离职的人", active=False)
    ar = create_user(name="李客户经理")
    group = create_group(name="金融客户群")
    create_seat(group, ar, SeatRole.AR)
    create_seat(group, gone, SeatRole.FR)
    create_account(group=group, name="招商银行", tier=Tier.STRATEGIC)
    create_account(group=group, name="小城商行", coverage=Coverage.CHANNEL)
    login_as(create_user(role="member"))
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert 'class="triangle"' in page and page.count('class="seat') == 3
    assert "招商银行" in page and "小城商行" in page
    assert "badge-channel" in page and "Strategic" in page
    gaps = page.split("Coverage gaps", 1)[1].split("</section>", 1)[0]
    assert "SR · Solution responsible is vacant." in gaps
    assert "离职的人, who is deactivated" in gaps
    assert "李客户经理" not in gaps
    assert "Rotate seat" not in page and "Edit group" not in page  # no admin actions for members


def test_admin_creates_group(client, login_as, admin, app):
    login_as(admin)
    response = client.post("/groups/new", data={"name": " 西南能源客户群 ", "name_en": "SW Energy",
                                                "description": "石油、电力"})
    assert response.status_code == 302
    group = _groups(app)[-1]
    assert (group.name, group.name_en, group.created_by_id) == ("西南能源客户群", "SW Energy", admin.id)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "西南能源客户群" in page and "石油、电力" in page and "管理员" in page


@pytest.mark.parametrize("name, message", [
    ("", "Enter a name for the group."),
    ("   ", "Enter a name for the group."),
    ("群" * 101, "At most 100 characters."),
    ("华东电信客户群", "Another customer group is already called"),
    ("华东电信客户群".upper(), "Another customer group is already called"),
])
def test_group_create_validation(client, login_as, admin, create_group, app, name, message):
    create_group(name="华东电信客户群")
    login_as(admin)
    response = client.post("/groups/new", data={"name": name})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert len(_groups(app)) == 1


def test_admin_edits_group_and_duplicate_name_is_refused(client, login_as, admin, create_group, app):
    first = create_group(name="甲客户群")
    second = create_group(name="乙客户群")
    login_as(admin)
    assert client.get(f"/groups/{second.id}/edit").status_code == 200
    response = client.post(f"/groups/{second.id}/edit", data={"name": "甲客户群", "name_en": "A"})
    assert response.status_code == 422
    assert "Another customer group is already called" in response.get_data(as_text=True)
    response = client.post(f"/groups/{second.id}/edit", data={"name": "丙客户群", "name_en": "C" * 101})
    assert response.status_code == 422 and "At most 100 characters." in response.get_data(as_text=True)
    response = client.post(f"/groups/{second.id}/edit", data={"name": "丙客户群", "name_en": "Group C"})
    assert response.status_code == 302
    names = {g.id: (g.name, g.name_en) for g in _groups(app)}
    assert names[second.id] == ("丙客户群", "Group C")
    assert names[first.id][0] == "甲客户群"
    # keeping its own name is not a duplicate
    assert client.post(f"/groups/{first.id}/edit", data={"name": "甲客户群"}).status_code == 302


@pytest.mark.parametrize("role", ["viewer", "member"])
@pytest.mark.parametrize("method, path", [
    ("get", "/groups/new"), ("post", "/groups/new"),
    ("get", "/groups/{id}/edit"), ("post", "/groups/{id}/edit"),
    ("get", "/groups/{id}/seats"), ("post", "/groups/{id}/seats"),
    ("post", "/groups/{id}/seats/{seat}/end"),
])
def test_non_admins_cannot_change_groups(client, login_as, create_user, create_group, create_seat, app,
                                         role, method, path):
    user = create_user(role=role)
    group = create_group(name="原名客户群")
    seat = create_seat(group, create_user(), SeatRole.AR)
    login_as(user)
    url = path.format(id=group.id, seat=seat.id)
    data = {"name": "改名", "role": "SR", "user_id": user.id, "started_on": "2025-01-01"}
    response = getattr(client, method)(url, data=data)
    assert response.status_code == 403
    assert _groups(app)[0].name == "原名客户群"
    assert client.get(f"/groups/{group.id}").status_code == 200


@pytest.mark.parametrize("path", ["/groups/999", "/groups/999/edit", "/groups/999/seats"])
def test_unknown_group_is_404(client, login_as, admin, path):
    login_as(admin)
    assert client.get(path).status_code == 404


def test_ending_a_seat_of_another_group_is_404(client, login_as, admin, create_group, create_user, create_seat):
    group, other = create_group(), create_group()
    seat = create_seat(other, create_user(), SeatRole.AR)
    login_as(admin)
    assert client.post(f"/groups/{group.id}/seats/{seat.id}/end").status_code == 404
    assert client.post(f"/groups/{group.id}/seats/4242/end").status_code == 404


def test_group_pages_need_sign_in(client, create_group):
    group = create_group()
    for path in ("/groups", f"/groups/{group.id}"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_admin_sees_actions_and_vacant_seat_preselects_role(client, login_as, admin, create_user, create_group,
                                                            create_seat):
    group = create_group()
    seat = create_seat(group, create_user(name="现任AR"), SeatRole.AR)
    login_as(admin)
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert f'href="/groups/{group.id}/edit"' in page
    assert f'action="/groups/{group.id}/seats"' in page
    assert f'action="/groups/{group.id}/seats/{seat.id}/end"' in page
    assert f'href="/groups/{group.id}/seats?role=SR"' in page and f"/seats?role=AR" not in page
    form = client.get(f"/groups/{group.id}/seats?role=FR").get_data(as_text=True)
    assert '<option selected value="FR">' in form
    assert "管理员" in form  # admins may hold seats too


def test_seat_holder_made_viewer_is_a_gap(client, login_as, create_user, create_group, create_seat):
    group = create_group()
    create_seat(group, create_user(name="被降级的人", role="viewer"), SeatRole.SR)
    login_as(create_user())
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "被降级的人, who is now a viewer" in page.split("Coverage gaps", 1)[1]


def _statements(app, client, path):
    from sqlalchemy import event

    engine = app.extensions["kb.db"].engine
    seen: list[str] = []

    def count(conn, cursor, statement, *args):  # noqa: ANN001
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_group_pages_run_a_constant_number_of_queries(
        app, client, login_as, admin, create_user, create_group, create_seat, create_account):
    small, big = create_group(), create_group()
    create_seat(small, create_user(), SeatRole.AR)
    create_account(group=small)
    for role in SeatRole:
        for year in (2020, 2022, 2024):
            create_seat(big, create_user(), role, started_on=date(year, 1, 1),
                        ended_on=None if year == 2024 else date(year + 2, 1, 1))
    for _ in range(6):
        create_account(group=big)
    login_as(admin)
    assert _statements(app, client, f"/groups/{small.id}") == _statements(app, client, f"/groups/{big.id}")
    list_before = _statements(app, client, "/groups")
    create_seat(create_group(), create_user(), SeatRole.FR)
    assert _statements(app, client, "/groups") == list_before
