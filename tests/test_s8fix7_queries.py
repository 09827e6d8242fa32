"""Odd queries that silently found nothing (issue 7 of session 8, tester's defects 3 and 4): field names in
any case, AND/OR/NOT that join nothing, unpaired parentheses, comma lists after type:, and words after a
prefix that is no field — each finds what was meant, with a message where something was changed (zh and
en, page and API); the unknown-field message names the same fields as the help box."""
from __future__ import annotations

import pytest

from models import UserRole
from tests.search_support import find, keys

HELP_LIST = "title:, text:, type:, industry:, region:"


@pytest.fixture
def viewer(create_user):
    return create_user(role=UserRole.VIEWER, name="查看者")


@pytest.fixture
def data(create_account, create_interaction, create_stakeholder, create_plan):
    huawei = create_account(name="华为技术", name_en="Huawei Tech")
    zte = create_account(name="中兴通讯", name_en="ZTE")
    suzhou = create_account(name="华东移动苏州分公司", name_en="ECMC Suzhou", aliases=["苏州移动"])
    return {
        "huawei": f"account:{huawei.id}", "zte": f"account:{zte.id}", "suzhou": f"account:{suzhou.id}",
        "strategy": f"interaction:{create_interaction(huawei, title='三年战略', summary='华为 5G 专网规划。').id}",
        "zte_visit": f"interaction:{create_interaction(zte, title='周会', summary='中兴 方案评审。').id}",
        "pilot": f"interaction:{create_interaction(suzhou, title='试点', summary='ECMC Suzhou pilot 上线。').id}",
        "han": f"stakeholder:{create_stakeholder(huawei, name='韩立群').id}",
        "plan": f"plan:{create_plan(huawei, strategy='华为 战略 规划').id}",
    }


@pytest.mark.parametrize("typed, same_as", [
    ("TITLE:战略", "title:战略"), ("Title:战略", "title:战略"), ("TYPE:account", "type:account"),
    ("Type:Account", "type:account"), ("INDUSTRY:电信", "industry:电信"),
])
def test_field_names_work_in_any_case(app, viewer, data, typed, same_as):
    found, expected = find(app, typed, viewer), find(app, same_as, viewer)
    assert found.total == expected.total > 0
    assert keys(found) == keys(expected)
    assert "not a field" not in (found.message or "")


def test_a_capitalised_title_prefix_finds_the_titled_visit(app, viewer, data):
    assert keys(find(app, "TITLE:战略", viewer)) == {data["strategy"]}


@pytest.mark.parametrize("typed, word", [("华为 OR", "OR"), ("OR 华为", "OR"), ("华为 AND", "AND"),
                                         ("AND 华为", "AND"), ("华为 NOT", "NOT")])
def test_an_operator_that_joins_nothing_is_left_out_with_a_notice(app, viewer, data, typed, word):
    found = find(app, typed, viewer)
    assert found.total == find(app, "华为", viewer).total >= 3
    assert keys(found) == keys(find(app, "华为", viewer))
    assert f"{word} at the start or end of a search joins nothing" in found.message


def test_not_at_the_start_still_leaves_words_out(app, viewer, data):
    found = find(app, "NOT 华为", viewer)
    assert data["zte_visit"] in keys(found) and data["strategy"] not in keys(found)
    assert found.message is None


@pytest.mark.parametrize("typed, same_as", [("(华为 OR 中兴", "华为 OR 中兴"), ("华为)", "华为"), ("((华为)", "华为")])
def test_unpaired_parentheses_are_paired_with_a_notice(app, viewer, data, typed, same_as):
    found = find(app, typed, viewer)
    assert keys(found) == keys(find(app, same_as, viewer)) and found.total > 0
    assert "Parentheses were not in pairs" in found.message


def test_a_prefix_before_an_unclosed_parenthesis_searches_nothing_and_says_why(app, viewer, data):
    found = find(app, "title:(", viewer)
    assert found.total == 0 and "field prefix needs a word" in found.message


@pytest.mark.parametrize("typed", ["type:account,plan", "type:account，plan", "TYPE:account、plan"])
def test_a_comma_list_of_types_is_alternatives(app, viewer, data, typed):
    found = find(app, typed, viewer, per_page=50)
    assert {data["huawei"], data["zte"], data["suzhou"], data["plan"]} == keys(found)


@pytest.mark.parametrize("typed, expected", [
    ("name:韩立群", "han"), ("account:华为技术", "huawei"), ("company:ECMC", "suzhou"), ("tag:5G", "strategy"),
])
def test_words_after_an_unknown_prefix_are_searched_as_text(app, viewer, data, typed, expected):
    found = find(app, typed, viewer)
    assert data[expected] in keys(found)
    assert f"{typed.split(':')[0]}: is not a field" in found.message
    assert f"The fields are {HELP_LIST}." in found.message


def test_an_unknown_prefix_that_is_a_word_finds_what_the_two_words_find(app, viewer, data):
    apart = find(app, "ECMC Suzhou", viewer)
    joined = find(app, "ECMC:Suzhou", viewer)
    assert apart.total > 0 and keys(apart) <= keys(joined)
    assert [h.key for h in joined.hits][:1] == [h.key for h in apart.hits][:1]


@pytest.mark.parametrize("locale, notice, fields", [
    ("en", "OR at the start or end of a search joins nothing", f"Field prefixes: {HELP_LIST} (text: is the body)."),
    ("zh_CN", "搜索开头或结尾的 OR 没有连接任何词", f"字段前缀：{HELP_LIST}（text: 指正文）。"),
])
def test_notices_on_the_page_and_in_the_api_in_both_languages(client, login_as, viewer, data, locale, notice,
                                                               fields):
    login_as(viewer)
    client.post("/language", data={"locale": locale})
    body = client.get("/api/v1/search", query_string={"q": "华为 OR"}).get_json()
    assert notice in body["message"] and body["total"] >= 3
    html = client.get("/search", query_string={"q": "华为 OR"}).get_data(as_text=True)
    assert notice in html
    assert fields in html  # the help box names the fields the unknown-field message names
    body = client.get("/api/v1/search", query_string={"q": "name:韩立群"}).get_json()
    assert HELP_LIST in body["message"] and body["total"] >= 1
    body = client.get("/api/v1/search", query_string={"q": "(华为 OR 中兴"}).get_json()
    assert body["total"] >= 4 and body["message"]
