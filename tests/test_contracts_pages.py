"""Contract pages (issue 10 §6): record the contract of a won opportunity (refused with a message
otherwise), milestones added / validated / marked done, a stale save is a 409 conflict, the account page
shows what is signed and the cash still to come per currency — and never a team-only contract to someone
outside the team."""
from __future__ import annotations

import html
import re
from datetime import timedelta

from kb import clock
from tests.api_support import world  # noqa: F401  # `world` is a fixture


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def _opp(world, client, name="核心网扩容", status="won", **kw):
    team = world.api(client, "seated")
    opp = team.post("/opportunities", json={"account_id": world.account.id, "name": name, "amount": "800000",
                                            **kw}).get_json()
    if status != "open":
        closed = team.patch(f"/opportunities/{opp['id']}", json={"status": status, "close_reason": "原因"})
        assert closed.status_code == 200
    return opp["id"]


def _contract_form(**extra):
    data = {"number": "HT-2026-018", "signed_on": "2026-09-30", "amount": "800000.00", "currency": "CNY",
            "notes": ""}
    data.update(extra)
    return data


def test_record_contract_add_milestones_and_mark_one_done(client, world, login_as):
    opp = _opp(world, client)
    login_as(world.seated)
    page = client.get(f"/opportunities/{opp}")
    assert "Record the contract" in text(page)
    done = client.post(f"/opportunities/{opp}/contract/new", data=_contract_form())
    assert done.status_code == 302, text(done)[:500]
    contract_url = done.headers["Location"]
    contract_id = int(contract_url.rsplit("/", 1)[1])
    assert "HT-2026-018" in text(client.get(f"/opportunities/{opp}"))
    add = client.post(f"/contracts/{contract_id}/milestones/new", data={
        "kind": "payment", "title": "首付款", "planned_on": "2026-10-15", "planned_amount": "240000"})
    assert add.status_code == 302
    client.post(f"/contracts/{contract_id}/milestones/new", data={
        "kind": "payment", "title": "尾款", "planned_on": "2027-06-30", "planned_amount": "560000"})
    page = client.get(contract_url)
    shown = text(page)
    assert "首付款" in shown and "Still to come 800,000.00 CNY" in shown
    first = re.search(r'action="/milestones/(\d+)/done".*?name="version" value="(\d+)"',
                      page.get_data(as_text=True), re.S)
    marked = client.post(f"/milestones/{first.group(1)}/done", data={"version": first.group(2)})
    assert marked.status_code == 302
    shown = text(client.get(contract_url))
    assert "Payments received 240,000.00 CNY" in shown and "Still to come 560,000.00 CNY" in shown
    # the stale version again: a conflict, nothing changed twice
    again = client.post(f"/milestones/{first.group(1)}/done", data={"version": first.group(2)})
    assert again.status_code == 409


def test_not_won_opportunity_is_refused_with_a_message(client, world, login_as):
    opp = _opp(world, client, "还在谈", status="open")
    login_as(world.seated)
    assert "Once won, this opportunity can become a contract." in text(client.get(f"/opportunities/{opp}"))
    form_page = text(client.get(f"/opportunities/{opp}/contract/new"))
    assert "Only a won opportunity can become a contract." in form_page
    refused = client.post(f"/opportunities/{opp}/contract/new", data=_contract_form())
    assert refused.status_code == 422
    assert "Only a won opportunity can become a contract." in text(refused)
    assert "Contracts and cash" not in text(client.get(f"/accounts/{world.account.id}"))


def test_milestone_and_contract_input_errors_on_the_fields(client, world, login_as):
    opp = _opp(world, client)
    login_as(world.seated)
    ahead = (clock.today() + timedelta(days=3)).isoformat()
    for bad, message in ((dict(amount="-1"), "An amount cannot be negative."),
                         (dict(signed_on=ahead), "A contract cannot be signed in the future."),
                         (dict(signed_on="2026-02-30"), "Not a valid date value."),
                         (dict(number=""), "Enter the contract number.")):
        response = client.post(f"/opportunities/{opp}/contract/new", data=_contract_form(**bad))
        assert response.status_code == 422 and message in text(response), (bad, text(response)[:800])
    contract = client.post(f"/opportunities/{opp}/contract/new", data=_contract_form()).headers["Location"]
    cid = contract.rsplit("/", 1)[1]
    for bad, message in (({"planned_amount": "-3"}, "An amount cannot be negative."),
                         ({"actual_on": ahead}, "A milestone cannot be done on a day still ahead."),
                         ({"actual_amount": "10"}, "Give the date the milestone was done.")):
        data = {"kind": "payment", "planned_on": "2026-12-01", **bad}
        response = client.post(f"/contracts/{cid}/milestones/new", data=data)
        assert response.status_code == 422 and message in text(response), (bad, text(response)[:800])


def test_stale_contract_edit_is_a_conflict(client, world, login_as):
    opp = _opp(world, client)
    login_as(world.seated)
    created = client.post(f"/opportunities/{opp}/contract/new", data=_contract_form())
    cid = created.headers["Location"].rsplit("/", 1)[1]
    form = _contract_form(notes="第一次", version="1")
    assert client.post(f"/contracts/{cid}/edit", data=form).status_code == 302
    stale = client.post(f"/contracts/{cid}/edit", data=_contract_form(notes="旧的", version="1"))
    assert stale.status_code == 409


def test_account_page_shows_signed_and_cash_to_come_per_currency(client, world, login_as):
    team = world.api(client, "seated")
    cny = team.post(f"/opportunities/{_opp(world, client, '一期')}/contract",
                    json={"number": "HT-1", "signed_on": "2026-03-01", "amount": "1000000"}).get_json()
    team.post(f"/contracts/{cny['id']}/milestones", json={
        "kind": "payment", "planned_on": "2026-04-01", "planned_amount": "400000", "actual_on": "2026-04-03",
        "actual_amount": "400000"})
    team.post(f"/contracts/{cny['id']}/milestones", json={"kind": "acceptance", "planned_on": "2027-01-15",
                                                          "title": "终验"})
    team.post(f"/opportunities/{_opp(world, client, '二期')}/contract",
              json={"number": "HT-2", "signed_on": "2026-05-01", "amount": "250000", "currency": "USD"})
    secret = team.post(f"/opportunities/{_opp(world, client, '保密', visibility='team')}/contract",
                       json={"number": "HT-SECRET", "signed_on": "2026-06-01",
                             "amount": "9000000"}).get_json()
    assert secret["id"]
    login_as(world.seated)
    page = client.get(f"/accounts/{world.account.id}").get_data(as_text=True)
    panel = text(client.get(f"/accounts/{world.account.id}")).split("Contracts and cash", 1)[1]
    assert "CNY 10,000,000.00 CNY 400,000.00 CNY 9,600,000.00 CNY" in panel  # the team sees all three
    assert "USD 250,000.00 USD 0.00 USD 250,000.00 USD" in panel
    assert "Next milestone: Acceptance · 终验" in panel and 'id="contracts-cash"' in page
    for who in (world.viewer, world.outsider):
        login_as(who)
        panel = text(client.get(f"/accounts/{world.account.id}")).split("Contracts and cash", 1)[1]
        assert "CNY 1,000,000.00 CNY 400,000.00 CNY 600,000.00 CNY" in panel, who.name
        assert "9,000,000" not in panel and "3 contracts" not in panel
        listing = text(client.get(f"/accounts/{world.account.id}/contracts"))
        assert "HT-1" in listing and "HT-SECRET" not in listing
        assert client.get(f"/contracts/{secret['id']}").status_code == 404
        assert client.get(f"/contracts/{cny['id']}").status_code == 200
        assert client.post(f"/contracts/{cny['id']}/milestones/new",
                           data={"kind": "payment", "planned_on": "2026-12-01"}).status_code == 403
