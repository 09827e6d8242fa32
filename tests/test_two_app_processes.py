"""Two app servers (gunicorn, as in production) over one database, each with its own index folder, as two
machines would be: an edit made through one is found by a search through the other.

Runs on SQLite and, in CI's PostgreSQL pass (KB_TEST_DATABASE_URL), on one PostgreSQL server."""
from __future__ import annotations

import http.cookiejar
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterator

import pytest

from models import UserRole

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 90
REQUEST_SECONDS = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FormFields(HTMLParser):
    """The fields of the page's forms with their current values (inputs, checked boxes, selected options,
    textareas), so a test posts what a browser would post, whatever hidden fields the form has."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self._select: str | None = None
        self._first_option = False
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({})
        elif tag == "option" and self._select and ("selected" in a or self._first_option):
            # as a browser does: the selected option, else the first
            self.forms[-1][self._select] = a.get("value", "")
            self._first_option = False
        elif not self.forms or "name" not in a or "disabled" in a:
            return
        elif tag == "input" and a.get("type") not in ("submit", "button", "checkbox", "radio"):
            self.forms[-1][a["name"]] = a.get("value", "")
        elif tag == "input" and "checked" in a:
            self.forms[-1][a["name"]] = a.get("value", "on")
        elif tag == "select":
            self._select = a["name"]
            self._first_option = "multiple" not in a  # a multiple select sends nothing unless chosen
        elif tag == "textarea":
            self._textarea = a["name"]
            self.forms[-1][a["name"]] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1][self._textarea] += data

    def form_with(self, field: str) -> dict[str, str]:
        return next(f for f in self.forms if field in f and "csrf_token" in f)


class Browser:
    """A signed-in visitor of one server: cookies, CSRF tokens from the pages, no redirects followed."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: Any, **kwargs: Any) -> None:
                return None

        cookies = urllib.request.HTTPCookieProcessor(self.cookies)
        self.opener = urllib.request.build_opener(cookies, NoRedirect)

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=REQUEST_SECONDS) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read().decode()

    def form(self, path: str, field: str) -> dict[str, str]:
        status, _headers, html = self.request(path)
        assert status == 200, (path, status)
        parser = FormFields()
        parser.feed(html)
        return parser.form_with(field)

    def sign_in(self, email: str, password: str) -> None:
        fields = self.form("/login", "password")
        status, headers, _ = self.request("/login", {**fields, "email": email, "password": password})
        assert status == 302 and "/login" not in headers["Location"], status

    def search(self, q: str) -> list[str]:
        status, _headers, body = self.request("/api/v1/search?" + urllib.parse.urlencode({"q": q}))
        assert status == 200, body
        return [f"{hit['type']}:{hit['id']}" for hit in json.loads(body)["results"]]


def start_server(database_url: str, index_dir: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """gunicorn on a free loopback port, configured by KB_* variables like a production machine (its own
    instance folder, so a developer's instance/config.py cannot change the test)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    env.update(KB_DATABASE_URL=database_url, KB_SEARCH_INDEX_DIR=str(index_dir), KB_SECRET_KEY="two-machines",
               PYTHONUNBUFFERED="1")
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
             "--timeout", "120", "--limit-request-line", "8190",  # as `make run` and the README serve it
             f"kb:create_app({{'INSTANCE_PATH': {str(index_dir) + '-instance'!r}}})"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    return process, f"http://127.0.0.1:{port}"


def wait_until_healthy(process: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, f"server exited with {process.returncode}:\n{log.read_text()[-3000:]}"
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                if json.loads(response.read())["status"] == "ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise AssertionError(f"server at {base} not healthy after {STARTUP_SECONDS} s:\n"
                         f"{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)  # the process group of this server only (its own session)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)


@pytest.fixture
def two_servers(app: Any, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Servers A and B on the test database, with index folders tmp_path/index-a and tmp_path/index-b."""
    started: list[subprocess.Popen[bytes]] = []
    bases: list[str] = []
    try:
        for name in ("a", "b"):
            log = tmp_path / f"server-{name}.log"
            process, base = start_server(app.config["DATABASE_URL"], tmp_path / f"index-{name}", log)
            started.append(process)
            wait_until_healthy(process, base, log)
            bases.append(base)
        yield bases[0], bases[1]
    finally:
        for process in started:
            stop(process)


@pytest.mark.slow
def test_an_edit_through_one_server_is_found_through_the_other(two_servers, create_user, tmp_path):
    base_a, base_b = two_servers
    admin = create_user(role=UserRole.ADMIN, email="two-machines@example.com")
    a, b = Browser(base_a), Browser(base_b)
    a.sign_in(admin.email, "password123")
    b.sign_in(admin.email, "password123")
    assert b.search("Quokkatronics") == []  # machine B has built its own index before the edit

    fields = a.form("/accounts/new", "name")
    status, headers, body = a.request("/accounts/new", {**fields, "name": "Quokkatronics 袋鼠科技",
                                                        "description": "两台机器共用一个数据库"})
    assert status == 302, body[-2000:]
    account_id = int(headers["Location"].rstrip("/").rsplit("/", 1)[1])

    assert b.search("Quokkatronics") == [f"account:{account_id}"]
    assert b.search("袋鼠科技") == [f"account:{account_id}"]
    assert a.search("Quokkatronics") == [f"account:{account_id}"]
    assert not (tmp_path / "index-a").samefile(tmp_path / "index-b")
    assert (tmp_path / "index-a" / "current").is_symlink() and (tmp_path / "index-b" / "current").is_symlink()


@pytest.mark.slow
@pytest.mark.parametrize("query", ["x" * 8100, "客" * 890], ids=["ascii", "percent-encoded-chinese"])
def test_an_over_long_api_url_is_answered_in_json_by_the_real_server(app, tmp_path, query):
    """gunicorn's own limit (8190 bytes of request line) sits above the app's (8000 bytes of URL as sent:
    890 Chinese characters are 8,010 percent-encoded bytes), so the app answers: JSON 414."""
    log = tmp_path / "server.log"
    process, base = start_server(app.config["DATABASE_URL"], tmp_path / "index", log)
    try:
        wait_until_healthy(process, base, log)
        url = base + "/api/v1/accounts?q=" + urllib.parse.quote(query)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url, timeout=30)
        assert refused.value.code == 414
        assert refused.value.headers["Content-Type"].startswith("application/json")
        assert json.loads(refused.value.read())["error"]["code"] == "uri_too_long"
    finally:
        stop(process)
