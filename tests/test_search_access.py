"""Team-only interactions and private notes never reach readers outside the account team: not as a hit,
not in a snippet, not in a facet count, not in the total, not in a did-you-mean."""
from __future__ import annotations

import pytest

from models import SeatRole, UserRole, Visibility

from .search_support import find, keys, snippets


@pytest.fixture
def world(create_user, create_group, create_account, create_seat, create_interaction, create_stakeholder):
    group = create_group()
    seated, member, outsider = create_user(), create_user(), create_user()
    viewer, admin = create_user(role=UserRole.VIEWER), create_user(role=UserRole.ADMIN)
    account = create_account(group=group, name="国家电网", members=[member])
    create_seat(group, seated, SeatRole.SR)
    public = create_interaction(account, title="公开拜访", summary="智能电表 rollout plan")
    secret = create_interaction(account, title="内部复盘", visibility=Visibility.TEAM,
                                summary="智能电表 竞争对手报价 confidential acquisition")
    person = create_stakeholder(account, name="刘总", notes="智能电表 项目负责人",
                                private_notes="智能电表 私下透露预算 secretbudget")
    return dict(account=account, public=public, secret=secret, person=person, seated=seated, member=member,
                outsider=outsider, viewer=viewer, admin=admin)


@pytest.mark.parametrize("reader", ["outsider", "viewer"])
def test_outsiders_never_see_team_content(app, world, reader):
    user = world[reader]
    found = find(app, "智能电表", user)
    assert keys(found) == {f"interaction:{world['public'].id}", f"stakeholder:{world['person'].id}"}
    assert found.total == 2
    assert found.facets["type"] == {"stakeholder": 1, "interaction": 1}
    assert sum(found.facets["region"].values()) == 2
    text = snippets(found)
    assert "竞争对手" not in text and "私下" not in text and "confidential" not in text
    for q in ["竞争对手报价", "secretbudget", "confidential", "私下透露", "type:stakeholder_note 智能电表"]:
        hidden = find(app, q, user)
        assert hidden.total == 0 and not hidden.hits and not any(hidden.facets.values()), q


@pytest.mark.parametrize("reader", ["seated", "member", "admin"])
def test_team_and_admins_see_everything(app, world, reader):
    found = find(app, "智能电表", world[reader])
    assert found.total == 4
    assert keys(found) == {f"interaction:{world['public'].id}", f"interaction:{world['secret'].id}",
                           f"stakeholder:{world['person'].id}", f"stakeholder_note:{world['person'].id}"}
    assert "私下透露预算" in snippets(found)
    assert found.facets["type"] == {"stakeholder": 1, "stakeholder_note": 1, "interaction": 2}


def test_did_you_mean_never_reveals_team_words(app, world):
    assert find(app, "acquisitin", world["outsider"]).suggestion is None
    assert find(app, "acquisitin", world["admin"]).suggestion == "acquisition"


def test_totals_stay_exact_with_many_hidden_documents(app, world, create_interaction):
    # Enough hidden documents for Whoosh's block-skipping optimisations to kick in.
    for n in range(150):
        create_interaction(world["account"], visibility=Visibility.TEAM, summary=f"智能电表 hidden {n}")
    found = find(app, "智能电表", world["outsider"], per_page=1)
    assert found.total == 2 and found.pages == 2
    assert sum(found.facets["type"].values()) == 2
    assert find(app, "智能电表", world["member"], per_page=1).total == 154


def test_api_applies_the_same_rules(app, client, login_as, world):
    login_as(world["outsider"])
    body = client.get("/api/v1/search", query_string={"q": "智能电表"}).get_json()
    assert body["total"] == 2
    assert {r["type"] for r in body["results"]} == {"interaction", "stakeholder"}
    assert "私下" not in str(body) and "竞争对手" not in str(body)
    assert body["facets"]["type"] == {"stakeholder": 1, "interaction": 1}
    login_as(world["member"])
    assert client.get("/api/v1/search", query_string={"q": "智能电表"}).get_json()["total"] == 4


def test_leaving_the_team_hides_team_content_at_once(app, world):
    from kb.db import session
    from models import Account, User

    assert find(app, "secretbudget", world["member"]).total == 1
    with app.app_context():
        account = session.get(Account, world["account"].id)
        account.members.remove(session.get(User, world["member"].id))
        session.commit()
    assert find(app, "secretbudget", world["member"]).total == 0


def test_totals_are_exact_where_whoosh_len_is_not():
    """Whoosh's len(results) undercounts when its collector prunes sub-queries; run_scoped is exact."""
    import random

    from whoosh import query as wq
    from whoosh.filedb.filestore import RamStorage

    from kb.search.query import make_parser, widen
    from kb.search.schema import build_schema
    from kb.search.searching import Scope, hidden_for_team, restrict, run_scoped

    rng = random.Random(1)
    ix = RamStorage().create_index(build_schema(), indexname="kb")
    writer, expected = ix.writer(), 0
    for i in range(400):
        title = rng.choice(["客户拜访", "会议", "交流"])
        body = "".join(rng.choice(["客户", "战略", "市场", "项目", "交付"]) for _ in range(rng.randint(3, 40)))
        visible = i % 3 != 0 or i % 7 == 1
        expected += visible and ("客户" in title or "客户" in body)
        writer.add_document(key=f"interaction:{i}", type="interaction", account_id=str(i % 7), archived="0",
                            visibility="team" if i % 3 == 0 else "org", title=title, body=body)
    writer.commit()
    with ix.searcher() as searcher:
        text = make_parser().parse("客户").accept(widen)
        visible = wq.Or([wq.Term("visibility", "org"), wq.Term("account_id", "1")])
        for scope in (Scope(excluded=[hidden_for_team([1])]), Scope(required=[visible])):
            results, total = run_scoped(searcher, text, scope, limit=10)
            assert total == expected
            assert all(searcher.stored_fields(h.docnum)["visibility"] == "org"
                       or searcher.stored_fields(h.docnum)["account_id"] == "1" for h in results)
        # The premise, on the title + body query (the `names` field, empty here, changes Whoosh's plan).
        plain = wq.Or([wq.Term("title", "客户", boost=2.0), wq.Term("body", "客户")])
        assert len(searcher.search(restrict(plain, Scope(required=[visible])), limit=10)) != expected


def test_did_you_mean_in_an_or_query_never_reveals_team_words(app, world):
    # The other half of the query finds public documents; the corrected word is only in a team-only visit.
    assert find(app, "acquisitin OR rollout", world["outsider"]).suggestion is None
    assert find(app, "acquisitin OR rollout", world["admin"]).suggestion == "acquisition OR rollout"


def test_did_you_mean_offers_the_closest_word_the_reader_may_see(app, world, create_interaction):
    create_interaction(world["account"], title="公开复盘", summary="acquisitions of regional carriers")
    # The team-only "acquisition" is closer to the typo, but an outsider is offered the public word.
    assert find(app, "acquisitin", world["outsider"]).suggestion == "acquisitions"
    assert find(app, "acquisitin", world["seated"]).suggestion == "acquisition"
