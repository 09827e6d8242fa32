"""The search page and the JSON API: results, highlighting, filters with counts, sorting, pages,
friendly messages for malformed queries, did-you-mean, and the API's shape."""
from __future__ import annotations

from datetime import date

import pytest

from models import UserRole


@pytest.fixture
def data(create_user, create_group, create_account, create_plan, create_interaction, create_stakeholder):
    north, south = create_group(name="北方客户群", name_en=""), create_group(name="南方客户群", name_en="")
    a = create_account(group=north, name="华能集团", industry="能源", region="华北")
    b = create_account(group=south, name="南方电网", industry="电力", region="华南")
    return dict(
        admin=create_user(role=UserRole.ADMIN), north=north, south=south, a=a, b=b,
        plan=create_plan(a, strategy="数字化转型 <script>alert(1)</script> strategy"),
        v1=create_interaction(a, title="数字化研讨", summary="数字化 workshop", occurred_on=date(2025, 3, 1)),
        v2=create_interaction(b, title="数字化交流", summary="数字化 exchange", occurred_on=date(2026, 6, 1)),
        v3=create_interaction(b, title="年度回顾", summary="数字化 review", occurred_on=date(2026, 9, 1)),
    )


def test_page_shows_hits_with_type_account_date_and_marked_snippet(client, login_as, data):
    login_as(data["admin"])
    html = client.get("/search", query_string={"q": "数字化"}).get_data(as_text=True)
    assert 'data-total="4"' in html
    assert "华能集团 FY2027" in html and "数字化研讨" in html
    assert "<mark>数字化</mark>" in html
    assert "2026-09-01" in html
    assert "&lt;script&gt;" in html and "<script>alert(1)" not in html
    assert f'href="/accounts/{data["a"].id}/plans/FY2027"' in html
    for facet in ("北方客户群 (2)", "南方客户群 (2)", "South China (2)", "Energy (2)"):
        assert facet in html


def test_malformed_queries_are_explained_in_chinese_too(client, login_as, data):
    login_as(data["admin"])
    body = client.get("/api/v1/search", query_string={"q": "((("}).get_json()
    assert body["message"] and body["total"] == 0


def test_help_box_documents_the_syntax(client, login_as, data):
    login_as(data["admin"])
    html = client.get("/search").get_data(as_text=True)
    for example in ('"铁三角"', "title:战略", "OR", "NOT", "zgyd"):
        assert example in html.replace("&#34;", '"')


@pytest.mark.parametrize("q", ['"unclosed', "AND", "title:", "(((", "x" * 1000, "NOT", ")", '""', "date:[a TO", "*:*",
                               "type:", "title:(", "数字化 OR", "\x00", "😀"])
@pytest.mark.parametrize("url", ["/search", "/api/v1/search"])
def test_malformed_queries_get_a_friendly_answer(client, login_as, data, q, url):
    login_as(data["admin"])
    response = client.get(url, query_string={"q": q})
    assert response.status_code == 200


@pytest.mark.parametrize("q, message", [
    ('"unclosed', "quotation mark"), ("AND", "between words"), ("title:", "field prefix"),
    ("(((", "no words"), ("x" * 1000, "shortened"),
])
def test_malformed_queries_are_explained(client, login_as, data, q, message):
    login_as(data["admin"])
    client.post("/language", data={"locale": "en"})  # the messages' English wording
    assert message in client.get("/search", query_string={"q": q}).get_data(as_text=True)
    assert message in client.get("/api/v1/search", query_string={"q": q}).get_json()["message"]


def test_filters_narrow_results_and_keep_counts(client, login_as, data):
    login_as(data["admin"])

    def ids(**args):
        body = client.get("/api/v1/search", query_string={"q": "数字化", **args}).get_json()
        return {(r["type"], r["id"]) for r in body["results"]}, body

    only_plans, body = ids(type="plan")
    assert only_plans == {("plan", data["plan"].id)}
    assert body["total"] == 1
    assert body["facets"]["type"] == {"plan": 1, "interaction": 3}  # counts ignore the facets' own choice
    assert ids(group=data["south"].id)[0] == {("interaction", data["v2"].id), ("interaction", data["v3"].id)}
    assert ids(industry="能源", type="interaction")[0] == {("interaction", data["v1"].id)}
    assert ids(region="华南", date_from="2026-07-01")[0] == {("interaction", data["v3"].id)}
    assert ids(date_to="2025-12-31")[0] == {("interaction", data["v1"].id)}
    assert ids(type="plan,interaction")[1]["total"] == 4


def test_sort_newest_and_pagination(client, login_as, data):
    login_as(data["admin"])
    first = client.get("/api/v1/search", query_string={"q": "数字化", "type": "interaction", "sort": "newest",
                                                       "per_page": 2}).get_json()
    second = client.get("/api/v1/search", query_string={"q": "数字化", "type": "interaction", "sort": "newest",
                                                        "per_page": 2, "page": 2}).get_json()
    assert [r["id"] for r in first["results"]] == [data["v3"].id, data["v2"].id]
    assert [r["id"] for r in second["results"]] == [data["v1"].id]
    assert first["total"] == second["total"] == 3
    html = client.get("/search", query_string={"q": "数字化", "per_page": 2}).get_data(as_text=True)
    assert "page=2" in html


@pytest.mark.parametrize("args", [
    {"type": "bogus"}, {"group": "abc"}, {"date_from": "yesterday"}, {"page": "-3"}, {"per_page": "100000"},
    {"sort": "random"}, {"page": "99"},
])
def test_bad_parameters_never_fail_the_page_and_are_named_by_the_api(client, login_as, data, args):
    login_as(data["admin"])
    assert client.get("/search", query_string={"q": "数字化", **args}).status_code == 200
    # The API checks its parameters like every other list (a 422 naming the bad one); page 99 is valid.
    api = client.get("/api/v1/search", query_string={"q": "数字化", **args})
    if args == {"page": "99"}:
        assert api.status_code == 200
    else:
        assert api.status_code == 422 and list(api.get_json()["error"]["fields"]) == list(args)


def test_api_shape_and_marked_snippet(client, login_as, data):
    login_as(data["admin"])
    body = client.get("/api/v1/search", query_string={"q": "workshop"}).get_json()
    assert set(body) >= {"total", "results", "facets"}
    assert body["total"] == 1
    (result,) = body["results"]
    assert set(result) >= {"type", "id", "account_id", "title", "url", "snippet", "score"}
    assert result == {**result, "type": "interaction", "id": data["v1"].id, "account_id": data["a"].id,
                      "title": "数字化研讨", "url": f"/interactions/{data['v1'].id}"}
    assert result["snippet"] == "数字化 «workshop»"
    assert isinstance(result["score"], float)
    assert set(body["facets"]) == {"type", "group", "industry", "region"}
    assert body["facets"]["group"] == {str(data["north"].id): 1}


def test_did_you_mean_on_the_page(client, login_as, data):
    login_as(data["admin"])
    html = client.get("/search", query_string={"q": "workshp"}).get_data(as_text=True)
    assert "workshop</a>" in html


def test_archived_accounts_are_hidden_unless_asked_for(app, client, login_as, data):
    from kb.db import session
    from models import Account, utcnow

    with app.app_context():
        session.get(Account, data["b"].id).archived_at = utcnow()
        session.commit()
    login_as(data["admin"])
    assert client.get("/api/v1/search", query_string={"q": "数字化"}).get_json()["total"] == 2
    assert client.get("/api/v1/search", query_string={"q": "数字化", "archived": "y"}).get_json()["total"] == 4


def test_search_requires_signing_in(client):
    assert client.get("/api/v1/search", query_string={"q": "x"}).status_code == 401
    assert client.get("/search", query_string={"q": "x"}).status_code == 302


@pytest.mark.parametrize("lang, heading, sentence", [
    ("zh-CN", "搜索说明", "客户和人员也可按名称拼音查找，全拼或首字母均可。"),
    ("en", "How to search", "Accounts and people are also found by the pinyin of their names, in full or by initials."),
])
def test_help_box_is_in_the_ui_language(client, login_as, data, lang, heading, sentence):
    login_as(data["admin"])
    html = client.get("/search", headers={"Accept-Language": lang}).get_data(as_text=True)
    box = html.split('class="card search-help"')[1].split("</section>")[0]
    assert heading in box and sentence in box
    if lang == "zh-CN":  # no English sentence left over in the Chinese help
        assert "Every word must appear" not in box and "English words match" not in box
