"""Every capped list on the dashboard (home and group page) says how many more are not listed (s6 fix 3)."""
import pytest

from kb.services import dashboard
from models import DecisionRole


@pytest.fixture
def crowd(create_user, create_group, create_seat, create_account, create_stakeholder):
    lead, gone = create_user(name="组长"), create_user(name="离职者", active=False)
    group = create_group(name="华东客户群")
    create_seat(group, lead, "AR")
    account = create_account(group=group, name="大客户")
    for i in range(23):  # 23 decision-makers whose only owner left: all at risk
        create_stakeholder(account, name=f"孤儿{i:02d}", owners=[gone],
                           decision_role=DecisionRole.DECISION_MAKER)
    return dict(lead=lead, group=group)


def risk_section(html, scope):
    return html.split(f'id="{scope}-risk"')[1].split("</details>")[0]


@pytest.mark.parametrize("lang, more", [("en", "3 more not listed"), ("zh-CN", "另有 3 项未列出")])
def test_risk_list_says_how_many_more(client, login_as, crowd, lang, more):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    login_as(crowd["lead"])
    for url, scope in (("/", "home"), (f"/groups/{crowd['group'].id}", "group")):
        block = risk_section(client.get(url).get_data(as_text=True), scope)
        assert block.count('<li>') == 20 and more in block


@pytest.mark.parametrize("lang, more", [("en", "At least 1 more not listed"),
                                        ("zh-CN", "至少另有 1 项未列出")])
def test_capped_risk_count_says_at_least(client, login_as, crowd, monkeypatch, lang, more):
    monkeypatch.setattr(dashboard, "RISK_SCAN_LIMIT", 21)  # 21 of the 23 checked: the count is a lower bound
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    login_as(crowd["lead"])
    block = risk_section(client.get("/").get_data(as_text=True), "home")
    assert "(21+)" in block and more in block


@pytest.mark.parametrize("lang, more", [("en", "2 more not listed"), ("zh-CN", "另有 2 项未列出")])
def test_my_open_next_steps_say_how_many_more(client, login_as, create_user, create_group, create_account,
                                              create_interaction, lang, more):
    member = create_user(name="组员")
    account = create_account(group=create_group(), members=[member], name="大客户")
    create_interaction(account, next_steps=[dict(text=f"承诺{i:02d}", owner_id=member.id) for i in range(52)])
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    login_as(member)
    block = client.get("/").get_data(as_text=True).split('id="my-steps"')[1].split("</section>")[0]
    assert '<span class="muted small">52</span>' in block and more in block
