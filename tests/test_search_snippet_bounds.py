"""Snippets are bounded: linear in the text, capped in characters and matches, same output as before for
ordinary texts (a document of "客户 " × 6,666 made every search for 客户 take seconds)."""
from __future__ import annotations

import random

import pytest

from kb.search import snippets
from kb.search.snippets import MAX_MATCHES, MAX_SCAN, make_snippet, marked_text, plain_text
from models import UserRole
from tests.search_support import find

MANY = "客户 " * 6_666


def brute_force_window(spans, length, width):
    """The densest window, counted the obvious (quadratic) way: the reference for the one-pass version."""
    if not spans:
        return 0, min(length, width)
    best, best_count = spans[0][0], 0
    for start, _end in spans:
        count = sum(1 for s, _e in spans if start <= s < start + width)
        if count > best_count:
            best, best_count = start, count
    begin = max(0, min(best - width // 5, length - width))
    return begin, min(length, begin + width)


@pytest.mark.parametrize("seed", range(20))
def test_window_is_the_densest_one(seed):
    rng = random.Random(seed)
    starts = sorted(rng.sample(range(2_000), rng.randint(1, 60)))
    spans = [(s, s + 1) for s in starts]
    assert snippets._window(spans, 2_100, 160) == brute_force_window(spans, 2_100, 160)


def test_window_prefers_the_cluster_of_matches():
    text = "客户" + "。" * 500 + "方案，方案" + "。" * 500 + "客户，方案，客户，方案" + "。" * 300
    shown = marked_text(make_snippet(text, {"客户", "方案"}, set()))
    assert shown.startswith("…") and "«客户»，«方案»，«客户»，«方案»" in shown
    assert "«方案»，«方案»" not in shown


class CountingAnalyzer:
    def __init__(self, analyzer):
        self.analyzer, self.tokens = analyzer, 0

    def __call__(self, *args, **kwargs):
        for token in self.analyzer(*args, **kwargs):
            self.tokens += 1
            yield token


def test_many_matches_stop_at_the_cap(monkeypatch):
    counting = CountingAnalyzer(snippets._analyzer)
    monkeypatch.setattr(snippets, "_analyzer", counting)
    segments = make_snippet(MANY, {"客户"}, set())
    assert counting.tokens <= 2 * MAX_MATCHES  # not the 13,332 tokens of the whole text
    assert marked_text(segments).startswith("«客户» «客户» «客户»")
    # 160 characters: 53 whole "客户 " and the first character of the 54th, all marked
    assert sum(1 for _text, matched in segments if matched) == snippets.SNIPPET_WIDTH // 3 + 1
    assert segments[-1] == ("…", False)


def test_long_text_is_scanned_up_to_the_cap(monkeypatch):
    seen = []
    monkeypatch.setattr(snippets, "plain_text", lambda text: seen.append(len(text)) or plain_text(text))
    text = "甲乙" * MAX_SCAN + "客户"
    segments = make_snippet(text, {"客户"}, set())
    assert seen == [MAX_SCAN]
    assert not any(matched for _text, matched in segments)  # the match past the cap is not looked for
    assert segments[-1] == ("…", False)


@pytest.mark.parametrize("text, expected", [
    ("见[方案](http://example.com/a) **重点**", "见方案 重点"),
    ("拜访结论：\n  - 认可方案\n\n\n1. 补充报价\n# 标题", "拜访结论： 认可方案 补充报价 标题"),
    ("[" * 50 + "客户", "[" * 50 + "客户"),
    ("\n" * 5_000 + "- 客户", "客户"),
])
def test_plain_text_is_unchanged_for_markdown_and_safe_on_pathological_input(text, expected):
    assert plain_text(text) == expected


def test_search_for_a_word_repeated_thousands_of_times(app, create_user, create_account, create_interaction):
    reader = create_user(role=UserRole.MEMBER)
    account = create_account(name="华东电网")
    for _ in range(4):
        create_interaction(account, summary=MANY)
    outcome = find(app, "客户", reader)
    interactions = [hit for hit in outcome.hits if hit.key.startswith("interaction:")]
    assert len(interactions) == 4
    for hit in interactions:
        assert marked_text(hit.snippet).startswith("«客户» «客户»")
        assert len("".join(text for text, _ in hit.snippet)) <= snippets.SNIPPET_WIDTH + 2
