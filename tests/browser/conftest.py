"""Browser tests: the real app behind a live HTTP server, driven by headless Chromium through Playwright.

- `live_server`: the test's `app` (same database as the factories, CSRF enabled, TESTING off — as in
  production) served by werkzeug's `make_server` on 127.0.0.1 with a free port, in a thread. Any 5xx
  response, and any JavaScript error or Content-Security-Policy violation in the page, fails the test.
- `browser` / `page`: Debian's /usr/bin/chromium (override with KB_CHROMIUM); Playwright never downloads a
  browser. Without Chromium or the Playwright package these tests skip — unless CI=true: then they fail.
- `sign_in(user)`: signs `page` in through the login form.

Screenshots go to KB_SCREENSHOT_DIR (default /tmp/kb-screenshots), never into the repository.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, NoReturn

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.conftest import make_config
from tests.factories import PASSWORD

try:  # tests import `expect` from here, so a missing package skips/fails in the `browser` fixture
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover
    expect = None  # type: ignore[assignment]

CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
SCREENSHOT_DIR = Path(os.environ.get("KB_SCREENSHOT_DIR", "/tmp/kb-screenshots"))
#: Longest wait for a page, an element or an `expect` (a loaded 2-core CI machine can be slow).
TIMEOUT_MS = 20_000


def _component_missing(reason: str) -> NoReturn:
    if IN_CI:
        pytest.fail(f"{reason} — CI=true, so browser tests fail instead of skipping", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def app_config(tmp_path: Path, database_url: str) -> dict[str, Any]:
    """Production-like: CSRF protection on, TESTING off (errors become error pages, as for users)."""
    return make_config(tmp_path, database_url, WTF_CSRF_ENABLED=True, TESTING=False)


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass  # keep the test output readable; server errors are collected by LiveServer


@dataclass
class LiveServer:
    url: str
    server_errors: list[str] = field(default_factory=list)

    def __call__(self, path: str) -> str:
        """Absolute URL of `path` on this server."""
        return self.url + path


@pytest.fixture
def live_server(app: Any) -> Iterator[LiveServer]:
    errors: list[str] = []

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        def recording_start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
            if status.startswith("5"):
                errors.append(f"{environ['REQUEST_METHOD']} {environ.get('PATH_INFO')} → {status}")
            return start_response(status, headers, exc_info)
        return app(environ, recording_start_response)

    server = make_server("127.0.0.1", 0, wsgi, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="live-server",
                              daemon=True)
    thread.start()
    live = LiveServer(url=f"http://127.0.0.1:{server.server_port}", server_errors=errors)
    try:
        yield live
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    assert not errors, f"the server answered with errors: {errors}"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _component_missing("the Playwright package is not installed (make setup installs it)")
    if not os.access(CHROMIUM, os.X_OK):
        _component_missing(f"{CHROMIUM} is missing: apt-get install chromium (or set KB_CHROMIUM)")
    with sync_playwright() as playwright:
        expect.set_options(timeout=TIMEOUT_MS)
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
                                              timeout=60_000)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """A fresh browser context (no cookies) in Chinese, 1280×900; fails on JS errors and CSP violations."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900},
                                  base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    tab = context.new_page()
    tab.on("pageerror", lambda exc: problems.append(f"JavaScript error: {exc}"))
    tab.on("console", lambda msg: problems.append(f"console: {msg.text}")
           if msg.type == "error" and "Content Security Policy" in msg.text else None)
    try:
        yield tab
    finally:
        context.close()
    assert not problems, problems


@pytest.fixture
def sign_in(page: Any) -> Callable[[Any], Any]:
    """Sign `page` in as `user` through the login form (password: tests.factories.PASSWORD)."""
    def do(user: Any) -> Any:
        page.goto("/login")
        page.fill('input[name="email"]', user.email)
        page.fill('input[name="password"]', PASSWORD)
        with page.expect_navigation():
            page.click('form:has(input[name="password"]) button[type="submit"]')
        assert "/login" not in page.url, f"sign-in failed: still on {page.url}"
        return page
    return do


@pytest.fixture
def screenshot(page: Any) -> Callable[[str], Path]:
    """Save a full-page screenshot of `page` as KB_SCREENSHOT_DIR/<name>.png; returns the path."""
    def take(name: str) -> Path:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path
    return take
