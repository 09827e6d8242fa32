"""Every export holds only what its reader may see: the access matrix (admin, account team member, other
member, viewer) over the account workbook, the account list and search results, in .xlsx and .csv."""
from __future__ import annotations

from datetime import date

import pytest

from models import SeatRole, UserRole, Visibility

from .exports_support import csv_rows, sheet_rows, sheet_text, workbook

SECRET_VISIT = "团队专属纪要 acquisitionplan"
SECRET_STEP = "团队下一步 pricingsecret"
PRIVATE_NOTE = "私下透露预算 secretbudget"


@pytest.fixture
def world(create_user, create_group, create_account, create_seat, create_interaction, create_stakeholder,
          create_plan):
    group = create_group(name="华东运营商群")
    seated, named, other = create_user(name="座席成员"), create_user(name="指名成员"), create_user(name="外部成员")
    viewer, admin = create_user(role=UserRole.VIEWER), create_user(role=UserRole.ADMIN, name="管理员")
    create_seat(group, seated, SeatRole.AR)
    account = create_account(group=group, name="中国移动浙江公司", members=[named])
    boss = create_stakeholder(account, name="刘总", title="总经理", owners=[seated],
                              private_notes="智能电表 " + PRIVATE_NOTE, notes="智能电表 项目负责人")
    create_stakeholder(account, name="王工", reports_to=boss, title="工程师")
    create_interaction(account, title="公开拜访", summary="智能电表 rollout", occurred_on=date(2026, 9, 1),
                       stakeholders=[boss], attendees=[seated],
                       next_steps=[{"text": "发送方案 openstep", "owner_id": seated.id, "due_on": date(2026, 12, 1)}])
    create_interaction(account, title="内部复盘", visibility=Visibility.TEAM, occurred_on=date(2026, 10, 1),
                       summary="智能电表 " + SECRET_VISIT,
                       next_steps=[{"text": SECRET_STEP, "owner_id": seated.id}])
    create_plan(account, strategy="数字化转型 strategytext", period="FY2027")
    return dict(account=account, seated=seated, named=named, other=other, viewer=viewer, admin=admin)


TEAM = ["seated", "named", "admin"]
OUTSIDE = ["other", "viewer"]


@pytest.mark.parametrize("reader", TEAM)
def test_the_team_and_admins_get_the_whole_account(client, login_as, world, reader):
    login_as(world[reader])
    book = workbook(client.get(f"/accounts/{world['account'].id}/export.xlsx"))
    text = sheet_text(book)
    assert SECRET_VISIT in text and SECRET_STEP in text and PRIVATE_NOTE in text
    people = sheet_rows(book, "stakeholders")
    assert "private_notes" in people[0]
    assert [r[people[0].index("name")] for r in people[1:]] == ["刘总", "王工"]
    visits = sheet_rows(book, "interactions")
    assert [r[visits[0].index("title")] for r in visits[1:]] == ["内部复盘", "公开拜访"]


@pytest.mark.parametrize("reader", OUTSIDE)
def test_others_never_get_team_visits_or_private_notes(client, login_as, world, reader):
    login_as(world[reader])
    book = workbook(client.get(f"/accounts/{world['account'].id}/export.xlsx"))
    text = sheet_text(book)
    assert SECRET_VISIT not in text and SECRET_STEP not in text and PRIVATE_NOTE not in text
    assert "内部复盘" not in text
    people = sheet_rows(book, "stakeholders")
    assert "private_notes" not in people[0]  # the column itself is left out, not just emptied
    assert len(people) == 3  # both stakeholders are shared with everyone
    visits = sheet_rows(book, "interactions")
    assert [r[visits[0].index("title")] for r in visits[1:]] == ["公开拜访"]
    steps = sheet_rows(book, "next_steps")
    assert [r[steps[0].index("text")] for r in steps[1:]] == ["发送方案 openstep"]
    # what everyone reads is there: the plan and the shared stakeholder notes
    assert "数字化转型 strategytext" in text and "智能电表 项目负责人" in text


def test_an_account_that_does_not_exist_is_404(client, login_as, world):
    login_as(world["admin"])
    assert client.get("/accounts/999999/export.xlsx").status_code == 404
    assert client.get("/accounts/999999/exports").status_code == 404


def test_signed_out_readers_are_sent_to_sign_in(client, world):
    for url in (f"/accounts/{world['account'].id}/export.xlsx", "/accounts/export.csv",
                "/search/export.csv?q=智能电表"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


@pytest.mark.parametrize("reader,sees", [(r, True) for r in TEAM] + [(r, False) for r in OUTSIDE])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_search_exports_follow_the_search_access_rule(client, login_as, world, reader, sees, fmt):
    login_as(world[reader])
    response = client.get(f"/search/export.{fmt}?q=智能电表")
    if fmt == "csv":
        rows = csv_rows(response)
        text = "\n".join(",".join(r) for r in rows)
    else:
        book = workbook(response)
        rows = sheet_rows(book, book.sheetnames[0])
        text = sheet_text(book)
    titles = sorted(r[1] for r in rows[1:])
    if sees:
        assert titles == sorted(["公开拜访", "内部复盘", "刘总", "刘总"])  # the private note is a hit of its own
        assert "acquisitionplan" in text and "secretbudget" in text
    else:
        assert titles == ["公开拜访", "刘总"]
        assert "acquisitionplan" not in text and "secretbudget" not in text and "内部复盘" not in text


@pytest.mark.parametrize("reader", TEAM + OUTSIDE)
def test_everyone_exports_the_account_list_they_see(client, login_as, world, create_account, reader):
    create_account(name="浙江电力", industry="能源")
    login_as(world[reader])
    rows = csv_rows(client.get("/accounts/export.csv"))
    assert sorted(r[1] for r in rows[1:]) == ["中国移动浙江公司", "浙江电力"]
