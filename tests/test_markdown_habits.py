"""Markdown as people write it elsewhere: lists and tables right under a line of text, 2-space nesting."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from kb.markdown import render_markdown
from models import UserRole

NESTED_LIST = "拜访结论：\n- 认可方案\n- 补充报价\n  - 硬件"
TABLE = "报价明细：\n| 项目 | 金额 |\n| --- | --- |\n| 硬件 | 300万 |"


class _Outline(HTMLParser):
    """The element structure as nested tuples: ("ul", [("li", ["认可方案"]), ...])."""

    def __init__(self) -> None:
        super().__init__()
        self.root: list = []
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):  # noqa: ANN001, ANN201
        children: list = []
        self.stack[-1].append((tag, children, dict(attrs)) if attrs else (tag, children))
        self.stack.append(children)

    def handle_endtag(self, tag):  # noqa: ANN001, ANN201
        self.stack.pop()

    def handle_data(self, data):  # noqa: ANN001, ANN201
        if data.strip():
            self.stack[-1].append(data.strip())


def outline(html: str) -> list:
    parser = _Outline()
    parser.feed(str(html))
    return parser.root


def test_list_under_a_line_of_text_with_two_space_nesting():
    assert outline(render_markdown(NESTED_LIST)) == [
        ("p", ["拜访结论："]),
        ("ul", [("li", ["认可方案"]), ("li", ["补充报价", ("ul", [("li", ["硬件"])])])]),
    ]


def test_table_under_a_line_of_text_survives_sanitising():
    assert outline(render_markdown(TABLE)) == [
        ("p", ["报价明细："]),
        ("table", [("thead", [("tr", [("th", ["项目"]), ("th", ["金额"])])]),
                   ("tbody", [("tr", [("td", ["硬件"]), ("td", ["300万"])])])]),
    ]


def test_table_alignment_survives_sanitising():
    html = str(render_markdown("| 项目 | 金额 |\n|:--|--:|\n| 硬件 | 300万 |"))
    assert '<th align="left">项目</th>' in html and '<td align="right">300万</td>' in html


@pytest.mark.parametrize("text", [
    "- 认可方案\n    - 硬件\n- 补充报价",   # four spaces, as Python-Markdown always wanted
    "- 认可方案\n  - 硬件\n- 补充报价",     # two spaces, as other tools write
    "- 认可方案\n   - 硬件\n- 补充报价",    # three
])
def test_nesting_by_two_three_or_four_spaces(text):
    assert outline(render_markdown(text)) == [
        ("ul", [("li", ["认可方案", ("ul", [("li", ["硬件"])])]), ("li", ["补充报价"])]),
    ]


def test_three_levels_and_back():
    text = "- 一\n  - 二\n    - 三\n  - 二乙\n- 一乙"
    assert outline(render_markdown(text)) == [
        ("ul", [("li", ["一", ("ul", [("li", ["二", ("ul", [("li", ["三"])])]), ("li", ["二乙"])])]),
                ("li", ["一乙"])]),
    ]


def test_numbered_list_under_text_with_nested_bullets():
    assert outline(render_markdown("说明\n1. 第一\n2. 第二\n   - 子项")) == [
        ("p", ["说明"]),
        ("ol", [("li", ["第一"]), ("li", ["第二", ("ul", [("li", ["子项"])])])]),
    ]


@pytest.mark.parametrize("text, expected", [
    ("```\n代码\n- 不是列表\n| a | b |\n| - | - |\n```",
     [("pre", [("code", ["代码\n- 不是列表\n| a | b |\n| - | - |"])])]),
    ("文本\n\n    缩进的代码\n    - 不是列表", [("p", ["文本"]), ("pre", [("code", ["缩进的代码\n- 不是列表"])])]),
    ("价格区间\n-5% 到 +5%", [("p", ["价格区间\n-5% 到 +5%"])]),
    ("标题\n---", [("h2", ["标题"])]),
    ("第一行\n第二行", [("p", ["第一行\n第二行"])]),
])
def test_what_is_not_a_list_or_table_stays_as_it_was(text, expected):
    assert outline(render_markdown(text)) == expected


def test_preview_renders_as_the_page_does(client, create_user, login_as):
    login_as(create_user(UserRole.MEMBER))
    for text in (NESTED_LIST, TABLE):
        response = client.post("/preview", data={"text": text})
        assert response.status_code == 200
        assert response.text == str(render_markdown(text))
    assert "<table>" in client.post("/preview", data={"text": TABLE}).text


def test_visit_page_shows_the_nested_list_and_the_table(client, create_user, create_group, create_account,
                                                        create_interaction, login_as):
    user = create_user(UserRole.ADMIN)
    account = create_account(create_group())
    visit = create_interaction(account, summary=NESTED_LIST + "\n\n" + TABLE)
    login_as(user)
    page = client.get(f"/interactions/{visit.id}").text
    assert "<li>补充报价<ul>\n<li>硬件</li>" in page
    assert "<td>300万</td>" in page


@pytest.mark.parametrize("step", [1, 2, 4])
def test_hundreds_of_nesting_levels_render_at_most_eight_deep(step):
    text = "".join(" " * (step * i) + f"- 第{i}层\n" for i in range(300))
    html = str(render_markdown(text))  # no RecursionError
    assert "第299层" in html
    assert html.count("<ul>") == 9
