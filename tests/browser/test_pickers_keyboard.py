"""Every multi-choice picker — account members, a stakeholder's backup owners, the people met and our
attendees of a visit — is driven by the keyboard alone, and a save keeps every choice already made
(issue 13 §2). The plan's decision-maker picker has its own test in test_keyboard.py."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from models import Account, Interaction, Stakeholder
from tests.browser.conftest import expect

pytestmark = pytest.mark.browser


def tick_by_keyboard(page, options_id: str, name: str) -> None:
    """Type `name` into the picker's filter, Tab to its checkbox and tick it with Space."""
    box = page.locator(f"input[data-picker-filter='{options_id}']")
    box.focus()
    page.keyboard.type(name)
    page.keyboard.press("Enter")  # Enter in the filter does not submit the form
    page.keyboard.press("Tab")
    for _ in range(12):  # past the ticked choices (they stay in view) to the one asked for
        if page.evaluate("n => document.activeElement.type === 'checkbox' && "
                         "document.activeElement.parentElement.textContent.includes(n)", name):
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail(f"{name} cannot be reached with Tab from the filter of #{options_id}")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")  # arrow keys do not change a checkbox list's choices
    box.fill("")


def save_with_enter(page, text_field: str) -> None:
    page.locator(text_field).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".flash-success")).to_be_visible()


def test_account_members_by_keyboard(app, page, sign_in, create_user, create_account):
    admin = create_user(role="admin", name="管理员")
    first, second, third = (create_user(name=n) for n in ("甲成员", "乙成员", "丙成员"))
    account = create_account(name="键盘客户", members=[first, second])
    sign_in(admin)
    page.goto(f"/accounts/{account.id}/edit")
    expect(page.locator("#member_ids-options input:checked")).to_have_count(2)
    tick_by_keyboard(page, "member_ids-options", "丙成员")
    save_with_enter(page, "input[name='name_en']")
    with app.app_context():
        from kb.db import session
        stored = session.get(Account, account.id)
        assert sorted(u.name for u in stored.members) == ["丙成员", "乙成员", "甲成员"]


def test_backup_owners_by_keyboard(app, page, sign_in, create_user, create_group, create_account,
                                   create_stakeholder):
    member = create_user(name="负责人")
    backups = [create_user(name=n) for n in ("备份甲", "备份乙", "备份丙")]
    account = create_account(group=create_group(), members=[member, *backups])
    person = create_stakeholder(account, name="关键人", owners=[member, backups[0], backups[1]])
    sign_in(member)
    page.goto(f"/stakeholders/{person.id}/edit")
    expect(page.locator("#backup_owner_ids-options input:checked")).to_have_count(2)
    tick_by_keyboard(page, "backup_owner_ids-options", "备份丙")
    save_with_enter(page, "input[name='title']")
    with app.app_context():
        from kb.db import session
        stored = session.get(Stakeholder, person.id)
        assert sorted(o.user.name for o in stored.owners if not o.is_primary) == ["备份丙", "备份乙", "备份甲"]
        assert [o.user.name for o in stored.owners if o.is_primary] == ["负责人"]


def test_people_met_and_attendees_by_keyboard(app, page, sign_in, create_user, create_group, create_account,
                                             create_stakeholder, create_interaction):
    member = create_user(name="记录人")
    colleagues = [create_user(name=n) for n in ("同事甲", "同事乙")]
    account = create_account(group=create_group(), members=[member, *colleagues])
    people = [create_stakeholder(account, name=n) for n in ("客户甲", "客户乙", "客户丙")]
    visit = create_interaction(account, title="键盘拜访", stakeholders=people[:2], attendees=[member])
    sign_in(member)
    page.goto(f"/interactions/{visit.id}/edit")
    expect(page.locator("#stakeholder_ids-options input:checked")).to_have_count(2)
    tick_by_keyboard(page, "stakeholder_ids-options", "客户丙")
    tick_by_keyboard(page, "attendee_ids-options", "同事甲")
    tick_by_keyboard(page, "attendee_ids-options", "同事乙")
    save_with_enter(page, "input[name='title']")
    with app.app_context():
        from kb.db import session
        stored = session.scalar(select(Interaction).where(Interaction.id == visit.id))
        assert sorted(s.name for s in stored.stakeholders) == ["客户丙", "客户乙", "客户甲"]
        assert sorted(u.name for u in stored.attendees) == ["同事乙", "同事甲", "记录人"]
