"""Every curl example of docs/api.md works as written (tester's defect 1 of issue 12): its URL is plain
ASCII (a raw UTF-8 byte in the request line is an HTML 400 from gunicorn, before the app), and every GET
example answers 200 with JSON on the demo data, run through the test client."""
from __future__ import annotations

import shlex
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote, urlencode

from sqlalchemy import select

from models import User
from tests.api_support import make_token

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "api.md"
BASE = "https://kb.example.com/api/v1"


def curl_commands() -> list[str]:
    """The curl commands of the guide's fenced blocks, each one string (continued lines joined)."""
    blocks: list[list[str]] = []
    inside = False
    for line in GUIDE.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            inside = not inside
            if inside:
                blocks.append([])
        elif inside:
            blocks[-1].append(line)
    commands = []
    for block in blocks:
        lines = "\n".join(block).replace("\\\n", " ").splitlines()
        i = 0
        while i < len(lines):
            if lines[i].strip().startswith("curl "):
                command = lines[i].strip()
                while not _complete(command):  # a quoted body that runs over several lines
                    i += 1
                    command += " " + lines[i].strip()
                commands.append(command)
            i += 1
    return commands


def _complete(command: str) -> bool:
    try:
        shlex.split(command)
    except ValueError:
        return False
    return True


def parse(command: str, token: str) -> SimpleNamespace:
    """method, the URL as written, the query pairs -G builds, and the headers of a curl `command`."""
    text = (command.replace("$KB_TOKEN", token).replace('"$H"', f'"Authorization: Bearer {token}"')
            .replace("$KB", BASE))
    args = shlex.split(text)[1:]
    out = SimpleNamespace(method=None, url="", get=False, data=[], headers={})
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "-s":
            pass
        elif arg == "-G":
            out.get = True
        elif arg == "-X":
            i += 1
            out.method = args[i]
        elif arg == "-H":
            i += 1
            name, _sep, value = args[i].partition(":")
            out.headers[name.strip()] = value.strip()
        elif arg in ("-d", "--data-urlencode"):
            i += 1
            name, _sep, value = args[i].partition("=")
            out.data.append((arg, name, value))
        else:
            assert not arg.startswith("-"), f"an option this test does not know: {arg} in {command}"
            out.url = arg
        i += 1
    out.method = out.method or ("POST" if out.data and not out.get else "GET")
    return out


def test_the_guide_has_curl_examples_of_reads_and_writes():
    methods = {parse(c, "t").method for c in curl_commands()}
    assert len(curl_commands()) >= 8 and {"GET", "POST", "PATCH"} <= methods


def test_every_curl_example_url_is_ascii():
    """curl sends the URL's bytes as written: 华东 there is an HTML 400 from the server."""
    for command in curl_commands():
        url = parse(command, "t").url
        assert url.isascii(), f"percent-encode it (curl -G --data-urlencode): {command}"
        for option, name, value in parse(command, "t").data:
            if parse(command, "t").get and option == "-d":
                assert value.isascii(), f"use --data-urlencode for {name}: {command}"


def test_every_get_example_answers_200_on_the_demo_data(app, runner, client):
    assert runner.invoke(args=["kb", "demo"]).exit_code == 0
    with app.app_context():
        from kb.db import session

        admin = SimpleNamespace(id=session.scalar(select(User.id).where(User.email == "admin@demo.kb")))
    token = make_token(app, admin)
    ran = []
    for command in curl_commands():
        call = parse(command, token)
        if call.method != "GET":
            continue
        assert call.url.startswith(BASE), command
        query = "&".join(f"{quote(n)}={quote(v)}" if opt == "--data-urlencode" else urlencode({n: v})
                         for opt, n, v in call.data)
        path = call.url[len(BASE) - len("/api/v1"):] + (("?" + query) if query else "")
        response = client.get(path, headers=call.headers)
        assert response.status_code == 200, (command, response.get_data(as_text=True)[:300])
        assert response.is_json, command
        ran.append(path)
    assert len(ran) >= 4, ran
    search = next(p for p in ran if p.startswith("/api/v1/search"))
    assert "q=%E7%AE%97%E5%8A%9B%E7%BD%91%E7%BB%9C" in search  # 算力网络, encoded as curl sends it


def test_what_the_app_answers_under_api_is_json(app, client, create_user):
    """The guide: only a request the HTTP server refuses as malformed gets a non-JSON answer."""
    token = make_token(app, create_user(role="admin"))
    auth = {"Authorization": f"Bearer {token}"}
    too_big = "x" * (app.config.get("MAX_CONTENT_LENGTH") or 2_000_000) + "x"
    for response in (client.get("/api/v1/no-such-thing", headers=auth),
                     client.open("/api/v1/me", method="TRACE", headers=auth),
                     client.get("/api/v1/me"),
                     client.post("/api/v1/accounts", headers=auth, data="not json",
                                 content_type="application/json"),
                     client.post("/api/v1/accounts", headers=auth, data=too_big,
                                 content_type="application/json"),
                     client.get("/api/v1/accounts?region=%E5%8D%8E%E4%B8%9C&page=abc", headers=auth)):
        assert response.status_code >= 400 and response.is_json, (response.status_code, response.data[:200])
        assert set(response.get_json()["error"]) >= {"code", "message"}
