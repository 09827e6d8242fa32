"""The Markdown filter reuses one parser per thread: same HTML as a fresh parser, nothing carried over."""
from __future__ import annotations

import threading

import markdown as md
import nh3
import pytest

from kb import markdown as kbmd

SAMPLES = [
    "**客户** 说：需要 [方案](https://example.com)\n\n- 一\n- 二",
    "| 指标 | 目标 |\n|:---|---:|\n| 收入 | 100 |",
    "脚注[^1]\n\n[^1]: 来源：拜访纪要",
    "<script>alert(1)</script> *HTML*",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_reused_parser_gives_the_html_of_a_fresh_one(text):
    fresh = md.markdown(text, extensions=kbmd.EXTENSIONS, extension_configs=kbmd.EXTENSION_CONFIGS,
                        output_format="html")
    expected = nh3.clean(fresh, tags=kbmd.ALLOWED_TAGS, attributes=kbmd.ALLOWED_ATTRIBUTES,
                         url_schemes=kbmd.URL_SCHEMES, link_rel="noopener noreferrer nofollow",
                         strip_comments=True)
    for _ in range(3):  # the second and third use the same, reset parser
        assert str(kbmd.render_markdown(text)) == expected
    assert "<script" not in str(kbmd.render_markdown(text))


def test_nothing_of_one_text_leaks_into_the_next():
    kbmd.render_markdown("[官网]: https://evil.example\n\n*[CRM]: 客户关系管理\n\n脚注[^a]\n\n[^a]: 旧的")
    html = str(kbmd.render_markdown("见 [官网] 与 CRM，脚注[^a]"))
    assert "evil.example" not in html and "客户关系管理" not in html and "旧的" not in html
    assert "<a" not in html and "<abbr" not in html


def test_excerpts_reuse_their_parser_too():
    assert kbmd.plain_excerpt("# 标题\n\n**重点** 跟进") == "标题 重点 跟进"
    assert kbmd.plain_excerpt("[ref]: https://x.example\n\n见 [ref]") == "见 ref"
    assert kbmd.plain_excerpt("见 [ref]") == "见 [ref]"  # the reference of the text before is gone


def test_each_thread_has_its_own_parser():
    parsers = []

    def work():
        kbmd.render_markdown("*一*")
        parsers.append(kbmd._parsers.full)
    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(parsers) == 2 and parsers[0] is not parsers[1]
    kbmd.render_markdown("*一*")
    assert kbmd._parsers.full is kbmd._parsers.full and kbmd._parsers.full not in parsers
