"""Every error under /api/ is the API's JSON error, whatever went wrong; pages keep their HTML error page."""
from __future__ import annotations

import pytest

from kb.errors import MAX_URL_LENGTH
from models import UserRole

from .api_support import Api, assert_error, make_token

THREE_MIB = 3 * 1024 * 1024


@pytest.fixture
def api(app, client, create_user):
    return Api(client, make_token(app, create_user(UserRole.ADMIN)))


@pytest.mark.parametrize("path", ["/api", "/api/", "/api/v1", "/api/v2/accounts", "/api/v1/nothing/here",
                                  "/api/v1/accounts/1/nothing", "/api/v1/accounts/abc"])
def test_unknown_api_paths_are_json_404(api, path):
    response = api.client.get(path, headers=api._headers(None))
    assert assert_error(response, 404)["code"] == "not_found"


@pytest.mark.parametrize("method, path", [("DELETE", "/api/v1/accounts"), ("PUT", "/api/v1/accounts/1"),
                                          ("POST", "/api/v1/me"), ("TRACE", "/api/v1/search")])
def test_wrong_method_is_json_405(api, method, path):
    response = api.client.open(path, method=method, headers=api._headers(None))
    assert assert_error(response, 405)["code"] == "method_not_allowed"


@pytest.mark.parametrize("path, kwargs", [
    ("/api/v1/accounts", {"data": {"name": "x" * THREE_MIB}}),  # a form body, not JSON
    ("/api/v1/accounts", {"data": "x" * THREE_MIB, "content_type": "text/plain"}),
    ("/api/v1/nothing", {"data": "x" * THREE_MIB, "content_type": "application/json"}),
])
def test_too_large_body_is_json_413(api, path, kwargs):
    response = api.client.post(path, headers=api._headers(None), **kwargs)
    assert assert_error(response, 413)["code"] == "payload_too_large"


def test_too_large_body_is_413_even_before_sign_in(client):
    assert_error(client.post("/api/v1/accounts", data="x" * THREE_MIB, content_type="application/json"), 413)


@pytest.mark.parametrize("url", [
    "/api/v1/accounts?q=" + "客" * (MAX_URL_LENGTH + 1),
    "/api/v1/" + "x" * (MAX_URL_LENGTH + 1),
    "/api/v1/accounts/" + "9" * 20_000,
])
def test_over_long_url_is_json(api, url):
    response = api.client.get(url, headers=api._headers(None))
    assert response.status_code in (404, 414)
    error = assert_error(response, response.status_code)
    if len(url) > MAX_URL_LENGTH:
        assert response.status_code == 414 and error["code"] == "uri_too_long"


def test_over_long_url_is_414_even_before_sign_in(client):
    assert_error(client.get("/api/v1/accounts?q=" + "x" * (MAX_URL_LENGTH + 1)), 414)


def test_over_long_page_url_is_an_html_page(client):
    response = client.get("/search?q=" + "x" * (MAX_URL_LENGTH + 1), headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 414
    assert response.mimetype == "text/html"
    assert "网址太长" in response.text


def test_long_but_allowed_search_still_answers(client, create_user, login_as):
    login_as(create_user())
    response = client.get("/search?q=" + "x" * 1000)
    assert response.status_code == 200


def test_unsigned_api_request_is_json_401(client):
    assert_error(client.get("/api/v1/accounts"), 401)


@pytest.mark.parametrize("method, path, status, chinese", [
    ("get", "/api/v1/no-such-thing", 404, "此地址下没有内容"),
    ("delete", "/api/v1/accounts/1", 405, "此地址不允许使用该请求方法"),
    ("get", "/api/v1/accounts", 401, "请登录"),
])
def test_api_error_messages_follow_the_language(client, method, path, status, chinese):
    response = getattr(client, method)(path, headers={"Accept-Language": "zh-CN"})
    assert response.status_code == status and response.is_json
    assert chinese in response.get_json()["error"]["message"]
    english = getattr(client, method)(path, headers={"Accept-Language": "en"}).get_json()["error"]["message"]
    assert chinese not in english and english
