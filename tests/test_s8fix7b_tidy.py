"""A tester's defects in query tidying (issue 7 of session 8, fix 7b): operators doubled between words,
value lists written with other separators, quoted phrases across every joining, and how the search page
shows notices (info style) against a search that cannot run (error style); the box's maxlength is the
server's limit; a control character is read as a space, with a notice."""
from __future__ import annotations

import pytest

from kb.search.query import MAX_QUERY_LENGTH, parse_user_query
from kb.search.queryforms import MAX_PHRASE_VARIANTS, phrase_variants
from models import UserRole
from tests.search_support import find, keys


@pytest.fixture
def viewer(create_user):
    return create_user(role=UserRole.VIEWER, name="查看者")


@pytest.fixture
def data(create_account, create_interaction, create_plan):
    huawei = create_account(name="华为技术", name_en="Huawei Tech")
    cloud = create_account(name="锦程物流", name_en="Jincheng Logistics")
    made = {name: create_interaction(account, title="周会", summary=text) for name, account, text in [
        ("both", huawei, "华为 云 迁移。"), ("huawei", huawei, "华为 专网 规划。"),
        ("cloud", cloud, "私有云 上线。"), ("version", cloud, "版本 V5.2.1 发布。"),
        ("hyphen", cloud, "East-China pilot 上线。"), ("slash", cloud, "ECMC/Suzhou 对标 评审。"),
        ("together", cloud, "EastChina 方案 评审。"), ("other", cloud, "周报 无关。")]}
    out = {name: f"interaction:{i.id}" for name, i in made.items()}
    out.update(huawei_account=f"account:{huawei.id}", cloud_account=f"account:{cloud.id}",
               plan=f"plan:{create_plan(huawei, strategy='华为 战略 规划').id}")
    return out


@pytest.mark.parametrize("typed, doubled", [("华为 OR OR 云", "OR OR"), ("华为 AND OR 云", "AND OR"),
                                            ("华为 OR AND 云", "OR AND")])
def test_doubled_operators_between_words_are_read_as_or_with_a_notice(app, viewer, data, typed, doubled):
    found, meant, both = find(app, typed, viewer, per_page=50), find(app, "华为 OR 云", viewer, per_page=50), \
        find(app, "华为 云", viewer, per_page=50)
    assert keys(found) == keys(meant) and found.total == meant.total > both.total
    assert {data["both"], data["huawei"], data["cloud"]} <= keys(found)
    assert f"{doubled} between words was read as OR." in found.message


def test_not_not_is_read_as_one_not_with_a_notice(app, viewer, data):
    found = find(app, "华为 NOT NOT 云", viewer)
    assert found.total > 0 and data["huawei"] in keys(found) and data["both"] not in keys(found)
    assert keys(found) == keys(find(app, "华为 NOT 云", viewer))
    assert "NOT NOT between words was read as NOT." in found.message


def test_and_not_is_one_operator_and_stays_without_a_notice(app, viewer, data):
    found = find(app, "华为 AND NOT 云", viewer)
    assert data["huawei"] in keys(found) and data["both"] not in keys(found) and found.message is None


def test_doubled_operators_inside_quotes_are_words_of_the_phrase():
    assert parse_user_query('"华为 OR OR 云"').message is None


@pytest.mark.parametrize("typed", ["type:account, plan", "type:account;plan", "type:account,,plan",
                                   "type:account；plan", "TYPE:account ; plan"])
def test_a_type_list_with_other_separators_is_alternatives(app, viewer, data, typed):
    found = find(app, typed, viewer, per_page=50)
    assert keys(found) == {data["huawei_account"], data["cloud_account"], data["plan"]}
    assert found.message is None  # read as meant: no notice


@pytest.mark.parametrize("typed", ["industry:电信, 金融", "industry:电信;金融", "industry:电信,,金融"])
def test_industry_and_region_lists_are_alternatives_too(typed):
    assert parse_user_query(typed).text == "(industry:电信 OR industry:金融)"
    assert parse_user_query(typed.replace("industry", "region")).text == "(region:电信 OR region:金融)"


@pytest.mark.parametrize("typed, expected", [
    ('"V 5.2.1"', "version"), ('"版本 V 5.2.1"', "version"), ('"版本 V5.2.1"', "version"),
    ('"East/China pilot"', "hyphen"), ('"East_China pilot"', "hyphen"), ('"EastChina pilot"', "hyphen"),
    ('"ECMC-Suzhou 对标"', "slash"), ('"ECMC_Suzhou 对标"', "slash"), ('"ECMC Suzhou 对标"', "slash"),
    ('"East-China 方案"', "together"), ('"East/China 方案"', "together"), ('"East China 方案"', "together"),
])
def test_a_quoted_phrase_finds_its_words_with_any_joining(app, viewer, data, typed, expected):
    assert keys(find(app, typed, viewer)) == {data[expected]}


def test_a_phrase_still_needs_its_words_in_order(app, viewer, data):
    assert find(app, '"pilot East-China"', viewer).total == 0


def test_the_phrase_variants_are_capped():
    many = phrase_variants(["east-china", "a-b", "c-d", "e-f", "g-h", "i-j", "k-l", "m-n"])
    assert len(many) == MAX_PHRASE_VARIANTS
    assert ["eastchina", "a-b", "c-d", "e-f", "g-h", "i-j", "k-l", "m-n"] in many


@pytest.mark.parametrize("locale, notice", [("en", "OR OR between words was read as OR."),
                                            ("zh_CN", "词之间的 OR OR 已按 OR 理解。")])
def test_notices_show_as_information_and_unrunnable_searches_as_errors(client, login_as, viewer, data, locale,
                                                                        notice):
    login_as(viewer)
    client.post("/language", data={"locale": locale})
    body = client.get("/api/v1/search", query_string={"q": "华为 OR OR 云"}).get_json()
    assert notice in body["message"] and body["total"] >= 3
    html = client.get("/search", query_string={"q": "华为 OR OR 云"}).get_data(as_text=True)
    assert f'role="status">{notice}' in html and 'class="flash flash-error search-message"' not in html
    html = client.get("/search", query_string={"q": "TYPE:account, plan"}).get_data(as_text=True)
    assert "search-message" not in html  # read as meant: nothing to say
    html = client.get("/search", query_string={"q": "华为 AND"}).get_data(as_text=True)
    assert 'class="flash flash-info search-message" role="status"' in html
    html = client.get("/search", query_string={"q": "*"}).get_data(as_text=True)
    assert 'class="flash flash-error search-message" role="alert"' in html and 'role="status">' not in html


def test_the_search_boxes_allow_exactly_what_the_server_searches(client, login_as, viewer, data):
    login_as(viewer)
    html = client.get("/search").get_data(as_text=True)
    assert html.count(f'maxlength="{MAX_QUERY_LENGTH}"') == 2 and 'maxlength="400"' not in html


def test_a_control_character_is_read_as_a_space_with_a_notice(client, login_as, viewer, data):
    login_as(viewer)
    client.post("/language", data={"locale": "en"})
    body = client.get("/api/v1/search", query_string={"q": "华为\x01云"}).get_json()
    assert body["total"] == client.get("/api/v1/search", query_string={"q": "华为 云"}).get_json()["total"] >= 1
    assert "A control character in your search was read as a space." in body["message"]
