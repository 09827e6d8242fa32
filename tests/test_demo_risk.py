"""The demo tells the continuity story: contact details the team sees (and search finds) but a viewer does
not, the decision chain's recorded moves, and relationships at risk with their reasons."""
from __future__ import annotations

from typing import Any

import pytest

from models import Stakeholder
from tests.search_support import find, keys


@pytest.fixture
def demo(app: Any, runner: Any) -> Any:
    result = runner.invoke(args=["kb", "demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        from kb.db import session
        return {s.name: s.id for s in session.query(Stakeholder).filter(
            Stakeholder.name.in_(["周建国", "沈涛"]))}


def sign_in(client: Any, email: str) -> None:
    assert client.post("/login", data={"email": email, "password": "demo1234"}).status_code == 302


def test_team_sees_demo_contacts_a_viewer_does_not(app, client, demo):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    sign_in(client, "ar@demo.kb")
    page = client.get(f"/stakeholders/{demo['周建国']}").get_data(as_text=True)
    assert "139 0000 0001" in page and "孙秘书 Sun" in page
    client.post("/logout")
    sign_in(client, "viewer@demo.kb")
    page = client.get(f"/stakeholders/{demo['周建国']}").get_data(as_text=True)
    assert "周建国" in page and "139 0000 0001" not in page and "联系方式" not in page
    with app.app_context():
        from kb.db import session
        from models import User
        ar = session.query(User).filter_by(email="ar@demo.kb").one()
        viewer = session.query(User).filter_by(email="viewer@demo.kb").one()
        assert f"stakeholder_note:{demo['周建国']}" in keys(find(app, "13900000001", ar))
        assert not keys(find(app, "13900000001", viewer))


def test_demo_decision_chain_moves_are_shown(client, demo):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    sign_in(client, "viewer@demo.kb")
    page = client.get(f"/stakeholders/{demo['沈涛']}").get_data(as_text=True)
    timeline = page.split('id="history"')[1].split("</section>")[0]
    assert "决策者" in timeline and "评估者" in timeline and "陈强" in timeline
    assert "周建国" in timeline and "韩立群" in timeline  # reports to: the CEO → the CTO
