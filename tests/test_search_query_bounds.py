"""Queries whose work grows with the whole index — everything (`*`), wildcards with almost nothing before
them, ranges over words — are refused with a message instead of holding a worker for tens of seconds."""
from __future__ import annotations

import pytest

from kb.search.query import parse_user_query
from models import UserRole


@pytest.fixture
def data(create_user, create_account, create_interaction):
    account = create_account(name="长江电力")
    create_interaction(account, title="客户战略交流", summary="strategy workshop 客户战略 customer")
    return dict(admin=create_user(role=UserRole.ADMIN), viewer=create_user(role=UserRole.VIEWER))


@pytest.mark.parametrize("q", ["*", "**", "?*", "??", "*?", "a*", "?a", "[a TO 龥]", "{丁 TO 龥}",
                               "title:[a TO z]", "客户 AND *", "战略 OR s*", "NOT x*"])
@pytest.mark.parametrize("url", ["/search", "/api/v1/search"])
def test_too_broad_queries_are_refused_with_a_message(client, login_as, data, q, url):
    login_as(data["viewer"])
    client.post("/language", data={"locale": "en"})
    response = client.get(url, query_string={"q": q})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "too broad" in text
    if url.startswith("/api/"):
        assert response.get_json()["total"] == 0 and response.get_json()["results"] == []


def test_the_refusal_is_in_chinese_by_default(client, login_as, data):
    login_as(data["viewer"])
    client.post("/language", data={"locale": "zh_CN"})
    assert "过于宽泛" in client.get("/search", query_string={"q": "**"}).get_data(as_text=True)


@pytest.mark.parametrize("q, finds", [("客*", True), ("str*", True), ("work?hop", True), ("custom*", True),
                                      ("客户", True), ("title:客户", True)])
def test_specific_prefixes_and_wildcards_still_search(client, login_as, data, q, finds):
    login_as(data["viewer"])
    body = client.get("/api/v1/search", query_string={"q": q}).get_json()
    assert (body["total"] > 0) is finds and "too broad" not in (body.get("message") or "")


def test_the_rule_counts_a_chinese_character_as_specific_enough():
    assert parse_user_query("客*").query is not None
    assert parse_user_query("k*").query is None and "*" in parse_user_query("k*").message
