"""Erasing a stakeholder's personal data also removes their name from handover notes (list, record, brief)."""
from __future__ import annotations

from sqlalchemy import select

from models import Handover
from tests.api_support import Api, make_token

NAME, NAME_EN = "欧阳明", "Ouyang Ming"


def test_erased_name_leaves_every_handover_note(app, client, login_as, create_user, create_group,
                                                create_account, create_stakeholder):
    admin, leaver, heir = create_user(role="admin", name="管理员"), create_user(name="老王"), create_user(name="小李")
    account = create_account(group=create_group(), name="华夏电力")
    person = create_stakeholder(account, name=NAME, name_en=NAME_EN, owners=[leaver])
    with app.app_context():
        from kb.db import session
        notes = [f"{NAME}是关键人，每月拜访", "ask OUYANG MING about the budget; 100% sure_", "与欧阳无关的备注"]
        for note in notes:
            session.add(Handover(created_by_id=admin.id, from_user_id=leaver.id, to_user_id=heir.id, note=note))
        session.commit()
        ids = list(session.scalars(select(Handover.id).order_by(Handover.id)))
    login_as(admin)
    assert NAME in client.get(f"/handovers/{ids[0]}").get_data(as_text=True)  # shown before
    response = Api(client, make_token(app, admin)).request("POST", f"/stakeholders/{person.id}/erase",
                                                           json={"confirm": True})
    assert response.status_code == 200
    with app.app_context():
        from kb.db import session
        saved = [session.get(Handover, i).note for i in ids]
    assert saved == [f"已删除的联系人 #{person.id}是关键人，每月拜访",
                     f"ask 已删除的联系人 #{person.id} about the budget; 100% sure_", "与欧阳无关的备注"]
    for page in ("/handovers", f"/handovers/{ids[0]}", f"/handovers/{ids[0]}/brief", f"/handovers/{ids[1]}"):
        html = client.get(page).get_data(as_text=True)
        assert NAME not in html and NAME_EN.casefold() not in html.casefold(), page
