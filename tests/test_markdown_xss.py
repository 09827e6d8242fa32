"""User Markdown never becomes executable: known XSS vectors through kb.markdown and through plan pages."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from kb.markdown import render_markdown
from models import UserRole

VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<<script>script>alert(1)<</script>/script>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" alt="<script>alert(1)</script>">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](jav&#x09;ascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](&#106;avascript:alert(1))",
    "![x](javascript:alert(1))",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "[x][ref]\n\n[ref]: data:text/html,alert(1) \"t\"",
    '<div onclick="alert(1)">\n\n**raw HTML block**\n\n</div>',
    '<div markdown="1" onmouseover="alert(1)">raw</div>',
    '<iframe src="javascript:alert(1)"></iframe>',
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<a href="https://ok.example/" onmouseover="alert(1)">hover</a>',
    "<p onclick=alert(1)>para</p>",
    '<strong style="x:expression(alert(1))" onfocus="alert(1)" tabindex=1>b</strong>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">CLICK</math>',
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(2)">x</button></form>',
    '<object data="javascript:alert(1)"></object><embed src="data:image/svg+xml,<svg onload=alert(1)>">',
    "<details open ontoggle=alert(1)>",
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<table><tr><td background=\"javascript:alert(1)\">x</td></tr></table>",
    "<!--<script>alert(1)</script>-->",
    "`<script>alert(1)</script>`",
    '<a href="#" title="&quot; onclick=&quot;alert(1)">t</a>',
]

BAD_TAGS = {"script", "iframe", "style", "svg", "math", "form", "object", "embed", "base", "meta", "img", "button",
            "details", "link"}
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "background", "data", "srcdoc", "content"}
LAYOUT_TAGS = {"meta", "form", "button", "link", "script"}
BAD_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.I)


class _Collector(HTMLParser):
    def __init__(self, bad_tags: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.bad_tags = bad_tags
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.bad_tags:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}=")
            if name == "style":
                self.problems.append(f"{tag} style=")
            # browsers ignore whitespace and control characters inside a scheme
            squashed = re.sub(r"[\x00-\x20]", "", value or "")
            if name in URL_ATTRS and BAD_SCHEME.match(squashed):
                self.problems.append(f"{tag} {name}={value!r}")

    handle_startendtag = handle_starttag


def executable_parts(html: str, *, whole_page: bool = False) -> list[str]:
    """Everything in `html` a browser could run: script tags (except our own app.js on a whole page), event
    handlers, style attributes, javascript:/vbscript:/data: URLs, and tags user Markdown must never yield.
    On a whole page the layout's own <meta>, <form>, <button> and <link> are expected."""
    collector = _Collector(BAD_TAGS - LAYOUT_TAGS if whole_page else BAD_TAGS)
    collector.feed(html)
    collector.close()
    scripts = [m for m in re.findall(r"<script[^>]*>", html, re.I)
               if not (whole_page and re.fullmatch(r'<script src="/static/js/[\w.]+"( defer)?>', m))]
    return collector.problems + scripts


def answer_blocks(page: str) -> list[str]:
    """The rendered answers and sections of a plan page (where user Markdown lands)."""
    return re.findall(r'<article class="answer[^"]*" id="answer-\w+">.*?</article>', page, re.S)


def test_checker_catches_what_it_should():
    assert executable_parts('<a href=" JaVa\tscript:alert(1)">x</a>')
    assert executable_parts("<p onclick=alert(1)>x</p>")
    assert executable_parts("<script>alert(1)</script>")
    assert executable_parts('<p>x</p><script>alert(1)</script><script src="/static/js/app.js" defer></script>',
                            whole_page=True) == ["<script>"]
    assert not executable_parts('<p><a href="https://ok.example/">ok</a> &lt;script&gt;</p>')


@pytest.mark.parametrize("vector", VECTORS)
def test_render_markdown_neutralises(vector):
    html = str(render_markdown(f"前言\n\n{vector}\n\n结尾"))
    assert executable_parts(html) == []
    assert "<script" not in html.lower()
    assert "前言" in html  # (an unclosed raw HTML block may swallow what follows: that is fine)


def test_at_least_twenty_vectors():
    assert len(VECTORS) >= 20


@pytest.fixture
def editor_and_account(create_user, create_account):
    editor = create_user(role=UserRole.MEMBER, name="编辑")
    return editor, create_account(members=[editor])


def _form(version: int, text: str) -> dict[str, str]:
    keys = ("strategy", "customers_customer", "profit_model", "weakest_product", "decision_makers",
            "strategic_intent", "performance_gap", "opportunity_gap", "competitors", "objectives")
    data = {key: text for key in keys}
    data.update(status="draft", version=str(version), comment="")
    return data


@pytest.mark.parametrize("vector", VECTORS)
def test_saved_plan_page_neutralises(client, login_as, editor_and_account, vector):
    editor, account = editor_and_account
    login_as(editor)
    text = f"我们的判断\n\n{vector}\n\n完"
    assert client.post(f"/accounts/{account.id}/plans/FY2027/edit", data=_form(0, text)).status_code == 302
    page = client.get(f"/accounts/{account.id}/plans/FY2027").get_data(as_text=True)
    blocks = answer_blocks(page)
    assert len(blocks) == 10 and "我们的判断" in blocks[0] and "我们的判断" in blocks[-1]
    for block in blocks:
        assert executable_parts(block) == []
    assert executable_parts(page, whole_page=True) == []


def test_other_plan_pages_escape_user_text(client, login_as, editor_and_account):
    """Edit form, conflict page, history (comments) and diffs show user text escaped, never as markup."""
    editor, account = editor_and_account
    login_as(editor)
    base = f"/accounts/{account.id}/plans/FY2027"
    joined = "\n\n".join(VECTORS)
    client.post(f"{base}/edit", data=_form(0, "起点"))
    data = _form(1, joined)
    data["comment"] = '<img src=x onerror=alert(1)>"><script>alert(1)</script>'
    assert client.post(f"{base}/edit", data=data).status_code == 302
    pages = {
        "edit": client.get(f"{base}/edit"),
        "history": client.get(f"{base}/history"),
        "diff": client.get(f"{base}/diff?a=1&b=2"),
        "conflict": client.post(f"{base}/edit", data=_form(1, joined + "\n\n<script>alert('mine')</script>")),
        "preview": client.post("/preview", data={"text": joined}),
    }
    assert pages["conflict"].status_code == 409
    for name, response in pages.items():
        assert response.status_code in (200, 409), name
        html = response.get_data(as_text=True)
        assert executable_parts(html, whole_page=name != "preview") == [], name
