"""The demo's won 工厂私有云 opportunity has a contract with milestones, some paid: the account page shows
what is signed and the cash still to come (in Chinese); and the departed 黄涛, given a project seat here (the
demo gives him none), hands it over with the rest."""
from __future__ import annotations

import html
import re
from typing import Any

from sqlalchemy import select

from models import Account, Contract, Opportunity, OpportunitySeat, OpportunityStatus, SeatRole, User
from tests.api_support import Api, make_token


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def test_demo_contract_on_the_account_page(app, runner, client):
    assert runner.invoke(args=["kb", "demo"]).exit_code == 0
    with app.app_context():
        from kb.db import session

        contract = session.scalars(select(Contract)).one()
        account_id, contract_id = contract.account_id, contract.id
        assert contract.opportunity.status == OpportunityStatus.WON and len(contract.milestones) == 6
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    assert client.post("/login", data={"email": "viewer@demo.kb", "password": "demo1234"}).status_code == 302
    panel = text(client.get(f"/accounts/{account_id}")).split("合同与回款", 1)[1]
    # signed 15.8m; received 4.74m + 9.48m; still to come the 10% warranty payment
    assert "CNY 15,800,000.00 CNY 14,220,000.00 CNY 1,580,000.00 CNY" in panel
    assert "下一个里程碑： 开票 · 质保金发票" in panel
    page = text(client.get(f"/contracts/{contract_id}"))
    assert "预付款 30%" in page and "待回款 1,580,000.00 CNY" in page


def test_demo_departed_user_hands_over_a_project_seat(app, runner, client):
    assert runner.invoke(args=["kb", "demo"]).exit_code == 0
    with app.app_context():
        from kb.db import session

        users = {u.email: u for u in session.scalars(select(User))}
        leaver, heir, admin = users["huangtao@demo.kb"], users["ar@demo.kb"], users["admin@demo.kb"]
        assert session.scalar(select(OpportunitySeat.id).where(OpportunitySeat.user_id == leaver.id)) is None
        opp = session.scalars(select(Opportunity).join(Account).where(
            Opportunity.status == OpportunityStatus.OPEN).order_by(Opportunity.id)).first()
        seat = OpportunitySeat(opportunity_id=opp.id, user_id=leaver.id, role=SeatRole.FR,
                               started_on=opp.opened_on)
        session.add(seat)
        session.commit()
        ids = dict(leaver=leaver.id, heir=heir.id, opp=opp.id, seat=seat.id, account=opp.account_id)
        session.expunge(admin)
    api = Api(client, make_token(app, admin))
    done = api.post("/handovers", json={"from_user_id": ids["leaver"], "to_user_id": ids["heir"]})
    assert done.status_code == 201, done.get_json()
    seats = [c for c in done.get_json()["changes"] if c["kind"] == "project_seat"]
    assert seats == [{"kind": "project_seat", "id": ids["seat"], "account_id": ids["account"],
                      "customer_group_id": seats[0]["customer_group_id"], "from_user_id": ids["leaver"],
                      "to_user_id": ids["heir"], "detail": "FR"}]
    triangle = api.get(f"/opportunities/{ids['opp']}/seats").get_json()["items"]
    assert {(s["user_id"], s["role"], s["state"]) for s in triangle if s["role"] == "FR"} >= {
        (ids["heir"], "FR", "in_force"), (ids["leaver"], "FR", "ended")}
