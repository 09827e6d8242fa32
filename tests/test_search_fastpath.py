"""The fast query evaluation (kb.search.fastpath) matches exactly what Whoosh itself matches: totals and
phrase hits over several segments, with deleted documents, repeated words and phrases across Chinese runs."""
from __future__ import annotations

import pytest
from whoosh import index as whoosh_index
from whoosh import query as wq

from kb.search.fastpath import BigramPhrase, count_matching, top_and_total
from kb.search.query import make_parser, widen
from kb.search.schema import build_schema
from tests.fastpath_support import stock_query

TEXTS = [
    "组建铁三角，明确分工", "铁路与三角形的项目", "铁三，三角", "客户客户客户为中心", "以客户为中心的市场战略",
    "strategy planning for customers", "planned strategies 客户", "市场战略 市场 战略", "中心的客户", "铁三角铁三角",
]
QUERIES = ['"铁三角"', "铁三角", '"客户客户"', "客户 为中心", '"市场战略"', "客户 OR strategy", "客户 NOT 中心",
           '"planning for"', "中心", "铁", "铁三角 OR 战略", "(客户 OR 铁三角) AND NOT 市场"]


@pytest.fixture
def searcher(tmp_path):
    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname="t")
    for segment in range(3):  # three segments, the second with a deletion
        w = ix.writer()
        for i, text in enumerate(TEXTS):
            key = f"interaction:{segment * 100 + i}"
            w.add_document(key=key, type="interaction", title="", body=text, chars=text, pinyin="")
        if segment == 1:
            w.delete_by_term("key", "interaction:0")
        w.commit(merge=False)
    with ix.searcher() as s:
        assert len(s.leaf_searchers()) >= 2
        yield s


def _parse(text):
    return make_parser().parse(text).accept(widen).normalize()


def test_phrases_become_bigram_phrases():
    assert any(isinstance(q, BigramPhrase) for q in _parse('"铁三角"').leaves())


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("mask", [set(), {0, 1, 12, 25}])
def test_totals_and_hits_match_whoosh(searcher, text, mask):
    q = _parse(text)
    expected = {d for d in searcher.docs_for_query(stock_query(q)) if d not in mask}
    assert count_matching(searcher, q, mask) == len(expected)
    hits = searcher.search(q, limit=None, mask=mask)
    assert {hit.docnum for hit in hits} == expected
    top = searcher.search(q, limit=2, mask=mask)
    assert {hit.docnum for hit in top} <= expected


def test_phrase_needs_consecutive_bigrams(searcher):
    found = {searcher.stored_fields(d)["key"] for d in searcher.docs_for_query(_parse('"铁三角"'))}
    bodies = {TEXTS[int(k.partition(":")[2]) % 100] for k in found}
    assert "铁路与三角形的项目" not in bodies
    assert {"组建铁三角，明确分工", "铁三角铁三角"} <= bodies


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("mask", [set(), {0, 1, 12, 25}])
def test_scores_and_order_match_whoosh(searcher, text, mask):
    q = wq.And([_parse(text), wq.ConstantScoreQuery(wq.Term("type", "interaction"), score=0.0)])
    fast = top_and_total(searcher, q, mask, limit=None)
    assert fast is not None
    results, total = fast
    stock = searcher.search(stock_query(q), limit=None, mask=mask)
    assert total == len(stock)
    assert [hit.docnum for hit in results[:]] == [hit.docnum for hit in stock]
    assert [hit.score for hit in results[:]] == pytest.approx([hit.score for hit in stock])
    top3 = top_and_total(searcher, q, mask, limit=3)[0]
    assert [hit.docnum for hit in top3[:]] == [hit.docnum for hit in stock][:3]
