"""Security basics, with CSRF protection ON as in production: forged forms refused, oversized bodies
refused, a new session at sign-in, nothing left after sign-out, and the security headers."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kb.security_headers import CONTENT_SECURITY_POLICY
from tests.conftest import make_config
from tests.factories import PASSWORD

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
TWO_MIB = 2 * 1024 * 1024
TOKEN_RE = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


@pytest.fixture
def app_config(tmp_path, database_url):
    return make_config(tmp_path, database_url, WTF_CSRF_ENABLED=True)


def csrf_token(client, path="/login"):
    match = TOKEN_RE.search(client.get(path).get_data(as_text=True))
    assert match, f"no csrf_token field on {path}"
    return match.group(1)


def sign_in(client, user, **extra):
    data = {"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client), **extra}
    response = client.post("/login", data=data)
    assert response.status_code == 302, "sign-in with a valid CSRF token failed"
    return response


def signed_in(client):
    return client.get("/").status_code == 200


def session_data(client):
    with client.session_transaction() as sess:
        return dict(sess)


# --- CSRF -------------------------------------------------------------------------------------------

def test_sign_in_with_the_forms_token_works(client, create_user):
    sign_in(client, create_user())
    assert signed_in(client)


@pytest.mark.parametrize("token", [None, "", "forged-token", "from-another-browser"])
def test_sign_in_without_a_valid_csrf_token_is_refused(app, client, create_user, token):
    user = create_user()
    data = {"email": user.email, "password": PASSWORD}
    if token == "from-another-browser":
        token = csrf_token(app.test_client())
    if token is not None:
        data["csrf_token"] = token
    client.get("/login")
    response = client.post("/login", data=data)
    assert response.status_code == 400
    assert not signed_in(client)


def test_sign_out_without_csrf_token_does_not_sign_out(client, create_user):
    sign_in(client, create_user())
    assert client.post("/logout").status_code == 400
    assert signed_in(client)


def test_language_switch_without_csrf_token_is_refused(client, create_user):
    sign_in(client, create_user())
    assert client.post("/language", data={"locale": "en"}).status_code == 400
    assert '<html lang="zh-CN"' in client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)


def _page_post_urls(app):
    """Every page (non-API) URL that accepts POST, with sample values for its parameters."""
    samples = {"int": "1", "default": "FY2027", "string": "FY2027", "path": "x"}
    urls = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith("/api/"):
            continue
        url = rule.rule
        for converter, name in re.findall(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", rule.rule):
            pattern = rf"<(?:{converter}(?:\([^)]*\))?:)?{name}>" if converter else rf"<{name}>"
            url = re.sub(pattern, samples.get(converter or "default", "1"), url)
        urls.append((rule.endpoint, url))
    return urls


def test_every_page_form_is_csrf_protected(app, client, create_user):
    """Each POST endpoint outside /api answers 400 to a signed-in admin's tokenless POST: no exemptions."""
    sign_in(client, create_user(role="admin"))
    urls = _page_post_urls(app)
    assert ("auth.login", "/login") in urls and ("auth.logout", "/logout") in urls
    unprotected = {}
    for endpoint, url in urls:
        status = client.post(url, data={"name": "伪造"}).status_code
        if status != 400:
            unprotected[endpoint] = (url, status)
    assert unprotected == {}
    assert signed_in(client)


# --- Oversized requests -------------------------------------------------------------------------------

@pytest.mark.parametrize("path, signed_in_first", [("/login", False), ("/language", True), ("/logout", True)])
def test_two_mib_form_gets_413(client, create_user, path, signed_in_first):
    if signed_in_first:
        sign_in(client, create_user())
    token = csrf_token(client, "/" if signed_in_first else "/login")
    response = client.post(path, data={"csrf_token": token, "email": "a" * TWO_MIB, "next": "/"})
    assert response.status_code == 413
    assert signed_in(client) == signed_in_first


# --- Session renewal at sign-in, clearing at sign-out ---------------------------------------------------

def test_sign_in_starts_a_new_session(client, create_user):
    user = create_user()
    client.get("/login")
    with client.session_transaction() as sess:
        sess["planted"] = "set before sign-in, e.g. by a session-fixation attacker"
    before_cookie = client.get_cookie("session").value
    old_token = csrf_token(client)

    sign_in(client, user)

    assert client.get_cookie("session").value != before_cookie
    data = session_data(client)
    assert "planted" not in data
    assert data["_user_id"].split(":")[0] == str(user.id)
    # the pre-sign-in CSRF token belonged to the old session
    assert client.post("/logout", data={"csrf_token": old_token}).status_code == 400
    assert signed_in(client)


@pytest.mark.parametrize("browser_language, chosen, lang", [("en", "zh_CN", "zh-CN"), ("zh-CN", "en", "en")])
def test_sign_in_keeps_the_chosen_language(client, create_user, browser_language, chosen, lang):
    """The one thing carried over into the new session: the language picked on the login page."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = browser_language
    token = csrf_token(client)
    client.post("/language", data={"locale": chosen, "csrf_token": token, "next": "/login"})
    sign_in(client, create_user())
    assert f'<html lang="{lang}"' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("remember", [False, True])
def test_sign_out_clears_the_session(client, create_user, remember):
    sign_in(client, create_user(), **({"remember": "y"} if remember else {}))
    if remember:
        assert client.get_cookie("remember_token") is not None
    with client.session_transaction() as sess:
        sess["planted"] = "private"

    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/")})

    assert response.status_code == 302
    data = session_data(client)
    assert "_user_id" not in data and "planted" not in data
    assert client.get_cookie("remember_token") is None, "'keep me signed in' cookie survived sign-out"
    assert not signed_in(client)


# --- Security headers ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/login", "/", "/static/css/app.css", "/no-such-page", "/api/v1/me"])
def test_security_headers_on_every_response(client, path):
    with client.get(path) as response:
        assert response.status_code in (200, 302, 401, 404)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_content_security_policy_forbids_inline_code_and_framing(client):
    policy = dict(part.strip().split(" ", 1) for part in
                  client.get("/login").headers["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy["default-src"]


INLINE_CODE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script> (move it to static/js/)"),
    (re.compile(r"<style\b", re.I), "<style> block (move it to static/css/)"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute (use a class in static/css/)"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on...= event handler (wire it in static/js/app.js via a data- attribute)"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_templates_have_no_inline_code_the_csp_would_block():
    """The CSP blocks inline scripts, styles and handlers: in a browser they would silently do nothing."""
    found = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
            for pattern, what in INLINE_CODE:
                if pattern.search(line):
                    found.append(f"{template.relative_to(TEMPLATES)}:{number}: {what}")
    assert found == []
