"""Issue 7 §7, the sub-millisecond query classes: plain words are parsed without Whoosh's generic parser
(the same query as the parser's), parsed queries are kept in a bounded LRU, and a term a query names with
several boosts (one Chinese character in title, body and names) is scored once — the same scores."""
from __future__ import annotations

import random
import re

import pytest
from whoosh import index as whoosh_index
from whoosh import query as wq

import kb.search.fastpath as fastpath
from kb.search import query as kbquery
from kb.search.fastpath import BigramPhrase, top_and_total
from kb.search.query import PARSE_CACHE_SIZE, ime_to_ascii, make_parser, parse_text, parse_user_query, widen
from kb.search.schema import build_schema
from tests.fastpath_support import stock_query

WORDS = ["客户", "战略", "铁三角", "以客户为中心", "解决方案", "钢", "客", "strategy", "strategies", "Customers",
         "ccdw", "zgyd", "yiyao", "zhongguoyidong", "13800138000", "18759969644", "iPhone15", "5G", "S4HANA",
         "HANA", "MES3", "V5", "x_y", "café", "戰略", "the", "and", "a", "And", "TO", "to", "中国移动2", "2026",
         "云计算", "数据中心", "planning", "FY2026"]


def _full(text):
    """What Whoosh's own parser makes of `text` (widened and normalised, as search does)."""
    q = make_parser().parse(text)
    return q.accept(widen).normalize() if q is not wq.NullQuery else q


@pytest.mark.parametrize("text", WORDS + ["客户 战略", "铁三角 strategy 钢", "ccdw 13800138000", "the 客户",
                                          "客户  战略 ", "AND 客户", "客户 OR 战略", "客户 NOT 战略"])
def test_plain_words_parse_to_the_parsers_query(text):
    text = ime_to_ascii(text).strip()
    assert repr(parse_text(text)) == repr(_full(text))
    assert parse_text(text) == _full(text)


def test_random_word_runs_parse_to_the_parsers_query():
    rng = random.Random(7)
    pool = WORDS + re.findall(r"\w+", "以客户为中心的市场战略，铁三角 planning for customers 5G专网 MES3.0 客户拜访")
    for _ in range(300):
        text = " ".join(rng.choice(pool) for _ in range(rng.randint(1, 4)))
        assert repr(kbquery._parsed.__wrapped__(text).query) == repr(_full(text)), text


def test_plain_words_do_not_need_the_generic_parser(monkeypatch):
    kbquery._parsed.cache_clear()
    kbquery._parser()  # the one parser whose term analysis the plain path asks

    def broken():
        raise AssertionError("the generic parser was used")

    monkeypatch.setattr(kbquery, "make_parser", broken)
    assert repr(parse_text("客户 战略 ccdw 13800138000")) == repr(_full_with(_REAL, "客户 战略 ccdw 13800138000"))
    with pytest.raises(AssertionError):
        parse_text('"客户战略"')  # syntax: the full parser
    with pytest.raises(AssertionError):
        parse_text("客户 AND 战略")  # operators: the full parser
    kbquery._parsed.cache_clear()


_REAL = make_parser()


def _full_with(parser, text):
    return parser.parse(text).accept(widen).normalize()


def test_parsed_queries_are_cached_and_bounded():
    kbquery._parsed.cache_clear()
    first = parse_text("预算 客户")
    assert parse_text("预算 客户") is first
    assert kbquery._parsed.cache_info().hits == 1
    for i in range(PARSE_CACHE_SIZE + 50):
        parse_text(f"word{i}")
    info = kbquery._parsed.cache_info()
    assert info.maxsize == PARSE_CACHE_SIZE and info.currsize == PARSE_CACHE_SIZE
    kbquery._parsed.cache_clear()


def test_phrase_queries_are_fresh_each_time():
    """A BigramPhrase keeps what one search verified: a cached query hands out new phrase objects."""
    kbquery._parsed.cache_clear()
    a, b = parse_text('"铁三角" 客户'), parse_text('"铁三角" 客户')
    phrases_a = [q for q in a.leaves() if isinstance(q, BigramPhrase)]
    phrases_b = [q for q in b.leaves() if isinstance(q, BigramPhrase)]
    assert phrases_a and len(phrases_a) == len(phrases_b)
    assert all(x is not y and x == y for x, y in zip(phrases_a, phrases_b))
    assert repr(a) == repr(b)
    kbquery._parsed.cache_clear()


def test_user_query_messages_still_come_with_cached_parses(app):
    with app.test_request_context():
        assert parse_user_query("客户 战略").query == _full("客户 战略")
        assert parse_user_query("客户 战略").query == _full("客户 战略")
        bad = parse_user_query("*")
        assert bad.query is None and bad.message


TEXTS = ["钢铁客户的战略", "钢", "宝钢 鞍钢 首钢 钢铁 钢材", "战略客户", "customer steel 钢", "没有这个字"]


@pytest.fixture
def searcher(tmp_path):
    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname="t")
    for segment in range(2):
        w = ix.writer()
        for i, text in enumerate(TEXTS):
            w.add_document(key=f"plan:{segment * 100 + i}", type="plan", title=text if i % 2 else "",
                           body=text, chars=text + (text if i == 2 else ""), names=text if i == 3 else "",
                           pinyin="")
        if segment == 1:
            w.delete_by_term("key", "plan:1")
        w.commit(merge=False)
    with ix.searcher() as s:
        assert len(s.leaf_searchers()) == 2
        yield s


@pytest.mark.parametrize("text", ["钢", "客", "钢 战略", "钢 OR customer"])
@pytest.mark.parametrize("mask", [set(), {0, 8}])
def test_a_term_named_with_several_boosts_is_scored_once_with_whooshs_scores(searcher, monkeypatch, text, mask):
    q = parse_text(text)
    calls = []
    real = fastpath.term_scores

    def counting(searcher_, fieldname, term, *args, **kwargs):
        calls.append((id(searcher_), fieldname, term))
        return real(searcher_, fieldname, term, *args, **kwargs)

    monkeypatch.setattr(fastpath, "term_scores", counting)
    results, total = top_and_total(searcher, q, mask, limit=None)
    stock = searcher.search(stock_query(q), limit=None, mask=mask)
    assert total == len(stock) > 0
    assert [hit.docnum for hit in results[:]] == [hit.docnum for hit in stock]
    assert [hit.score for hit in results[:]] == pytest.approx([hit.score for hit in stock])
    assert len(calls) == len(set(calls))  # each (segment, field, term) scored once
    for sub, _offset in searcher.leaf_searchers():  # the same floats as scoring every boost apart
        assert fastpath.score_map(q, sub, memo={}) == fastpath.score_map(q, sub)


PINYIN = ["zgyd zhongguoyidong", "zgdx zhongguodianxin", "ccdw changchengdianwang", "", "zgyd zhongguoyidong",
          "zhongguoyidong zhongguodianxin zhongguo"]


@pytest.fixture
def pinyin_searcher(tmp_path):
    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname="t")
    for segment in range(2):  # the second segment holds only one of the zhongguo… words
        w = ix.writer()
        for i, py in enumerate(PINYIN if segment == 0 else PINYIN[:1] + PINYIN[2:]):
            w.add_document(key=f"account:{segment * 100 + i}", type="account", title=f"客户{i}", body="战略",
                           chars="客户", pinyin=py)
        if segment == 1:
            w.delete_by_term("key", "account:0")
        w.commit(merge=False)
    with ix.searcher() as s:
        yield s


@pytest.mark.parametrize("text", ["zgyd", "ccdw", "zhongguo", "zhongguoyi", "13800138000", "zgyd 客户",
                                  "zhongguo 客户", "zhongguo OR ccdw", "zhon", "chang"])
@pytest.mark.parametrize("mask", [set(), {1}])
def test_pinyin_prefixes_score_as_whoosh_without_its_generic_matcher(pinyin_searcher, monkeypatch, text, mask):
    q = parse_text(text)
    assert any(isinstance(leaf, wq.Prefix) for leaf in q.leaves())
    generic = []
    real = fastpath._generic_scores
    monkeypatch.setattr(fastpath, "_generic_scores", lambda q_, s_: generic.append(q_) or real(q_, s_))
    results, total = top_and_total(pinyin_searcher, q, mask, limit=None)
    stock = pinyin_searcher.search(stock_query(q), limit=None, mask=mask)
    assert total == len(stock)
    assert [hit.docnum for hit in results[:]] == [hit.docnum for hit in stock]
    assert [hit.score for hit in results[:]] == pytest.approx([hit.score for hit in stock])
    assert not generic  # a prefix with one word, none or several in a segment is scored here
