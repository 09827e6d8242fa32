"""The decision chain as a picture (issue 8 §4): /accounts/<id>/decision-chain.svg and inline on pages."""
import xml.etree.ElementTree as ET

import pytest

from models import Attitude, DecisionRole, Influence

SVG = "{http://www.w3.org/2000/svg}"


def texts(root):
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


@pytest.fixture
def chain(app, create_user, create_group, create_seat, create_account, create_stakeholder, create_interaction):
    group = create_group()
    ar, backup = create_user(name="王经理"), create_user(name="备份经理")
    gone = create_user(name="离职的老李", active=False)
    create_seat(group, ar, "AR")
    create_seat(group, backup, "SR")
    account = create_account(group=group, name="图示客户")
    boss = create_stakeholder(account, name="赵总<script>", title="总裁 & CEO", owners=[ar, backup],
                              decision_role=DecisionRole.DECISION_MAKER, attitude=Attitude.SUPPORT,
                              influence=Influence.HIGH, private_notes="私密备注不可见")
    create_stakeholder(account, name="钱处长", title="采购处长", owners=[gone], reports_to=boss,
                       attitude=Attitude.OPPOSE, influence=Influence.LOW)
    with app.app_context():
        from kb import clock
        met_on = clock.today()
    create_interaction(account, occurred_on=met_on, stakeholders=[boss])  # the boss is well looked after
    return dict(account=account, ar=ar, gone=gone)


def test_svg_is_well_formed_escaped_and_marks_departed_owner(client, login_as, create_user, chain):
    login_as(create_user(role="viewer"))
    response = client.get(f"/accounts/{chain['account'].id}/decision-chain.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    body = response.get_data(as_text=True)
    assert "<script" not in body and "&lt;script&gt;" in body and "&amp; CEO" in body
    assert "私密备注不可见" not in body
    root = ET.fromstring(response.get_data())
    assert root.tag == f"{SVG}svg" and root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    all_text = " ".join(texts(root))
    assert "赵总<script>" in all_text and "钱处长" in all_text and "采购处长" in all_text
    departed = [t for t in root.iter(f"{SVG}tspan") if "departed" in (t.get("class") or "").split()]
    assert [t.text for t in departed] == ["离职的老李"]
    assert departed[0].get("text-decoration") == "line-through"
    active = [t.text for t in root.iter(f"{SVG}tspan") if (t.get("class") or "") == "owner"]
    assert active == ["王经理", "备份经理"] or active == ["备份经理", "王经理"]
    # the opposed person whose only owner left is marked at risk; the boss is not
    groups = {g.get("data-id"): g for g in root.iter(f"{SVG}g")}
    risky = [g for g in groups.values() if "at-risk" in g.get("class")]
    assert len(risky) == 1 and "钱处长" in "".join(risky[0].itertext())
    # the reasons in words, from the one risk rule, in the box's title
    assert "Relationship at risk:" in risky[0].find(f"{SVG}title").text
    # attitude is told in words/signs as well as colour
    assert any(t.startswith("− ") for t in texts(root)) and any(t.startswith("+ ") for t in texts(root))
    # influence is the border weight: high is heavier than low
    boss_rect = next(next(g for g in groups.values() if "inf-high" in g.get("class")).iter(f"{SVG}rect"))
    low_rect = next(g for g in groups.values() if "inf-low" in g.get("class")).iter(f"{SVG}rect").__next__()
    assert float(boss_rect.get("stroke-width")) > float(low_rect.get("stroke-width"))


def test_svg_unknown_account_is_404(client, login_as, create_user):
    login_as(create_user())
    assert client.get("/accounts/999999/decision-chain.svg").status_code == 404


def test_svg_needs_sign_in(client, chain):
    response = client.get(f"/accounts/{chain['account'].id}/decision-chain.svg")
    assert response.status_code in (302, 401)


def test_wide_level_wraps_and_huge_chain_is_capped(app):
    from kb.svg import decision_chain
    from models import Stakeholder
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        people = []
        for i in range(60):
            s = Stakeholder(id=i + 1, name=f"人{i}", title="经理", decision_role=DecisionRole.USER,
                            attitude=Attitude.NEUTRAL, influence=Influence.MEDIUM)
            s.owners = []
            s.chain_depth = 0
            people.append(s)
        svg = str(decision_chain.render(people=people, total=500, max_boxes=40))
        root = ET.fromstring(svg)
        width = float(root.get("width"))
        assert width <= decision_chain.FULL.max_width
        rects = [g.iter(f"{SVG}rect").__next__() for g in root.iter(f"{SVG}g")]
        assert len(rects) == 40
        assert len({r.get("y") for r in rects}) > 1  # the one level wrapped into several rows
        assert all(float(r.get("x")) + float(r.get("width")) <= width for r in rects)
        assert "另有 460 人" in " ".join(texts(root))  # in the reader's language


@pytest.mark.parametrize("page", ["", "/brief", "/onboarding"])
def test_picture_inline_on_account_pages(client, login_as, create_user, chain, page):
    login_as(create_user(role="viewer"))
    html = client.get(f"/accounts/{chain['account'].id}{page}").get_data(as_text=True)
    # a wide layout and a phone layout of the same picture (CSS shows one)
    assert html.count('class="decision-chain-svg') == 2 and html.count('narrow"') >= 1
    assert "&lt;script&gt;" in html and "赵总<script>" not in html
    if page != "/brief":
        assert "离职的老李" in html and 'text-decoration="line-through"' in html
    assert 'style="' not in html.split('class="decision-chain-svg')[1].split("</svg>")[0]
