"""An owner the risk rule counts as gone — inactive OR no longer on the account team — is struck through and
flagged in the decision-chain picture and marked "left" on the stakeholder page; team owners are not."""
from __future__ import annotations

import re

ZH = {"Accept-Language": "zh-CN"}


def _departed(svg: str) -> set[str]:
    return set(re.findall(r'<tspan class="owner departed" text-decoration="line-through"[^>]*>([^<]*)</tspan>',
                          svg))


def _present(svg: str) -> set[str]:
    return set(re.findall(r'<tspan class="owner">([^<]*)</tspan>', svg))


def test_owner_off_the_team_is_flagged_in_picture_and_page(client, login_as, create_user, create_group,
                                                           create_account, create_stakeholder):
    stays, moved_on, gone = create_user(name="留任者"), create_user(name="调岗者"), create_user(name="离职者", active=False)
    account = create_account(create_group(), name="华夏电力", members=[stays])  # 调岗者 is not on the team
    person = create_stakeholder(account, name="赵总", owners=[moved_on, stays])  # primary off the team
    other = create_stakeholder(account, name="钱总", owners=[stays, gone])
    login_as(create_user(role="admin"))
    svg = client.get(f"/accounts/{account.id}/decision-chain.svg").get_data(as_text=True)
    assert _departed(svg) == {"调岗者", "离职者"} and _present(svg) == {"留任者"}
    page = client.get(f"/accounts/{account.id}", headers=ZH).get_data(as_text=True)
    assert "调岗者</tspan><tspan class=\"departed-flag\" fill=\"#b42318\"> （已离开）" in page
    html = client.get(f"/stakeholders/{person.id}", headers=ZH).get_data(as_text=True)
    assert re.search(r"调岗者 <span class=\"badge badge-left owner-left\">（已离开）</span>", html)
    assert "留任者 <span" not in html
    html = client.get(f"/stakeholders/{other.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert re.search(r"离职者 <span class=\"badge badge-left owner-left\">\(left\)</span>", html)
    assert html.count("owner-left") == 1
