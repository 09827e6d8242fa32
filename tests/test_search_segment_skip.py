"""fastpath.top_and_total leaves out a segment with no word in any field a query needs (the index's
bookkeeping segment: the bookmark alone) — the same hits, scores and totals as Whoosh's plain searcher,
and queries that can match a document without a word (NOT, every document) still look at it."""
from __future__ import annotations

from whoosh import index as whoosh_index
from whoosh import query as wq

from kb.search import fastpath
from kb.search.fastpath import positive_fields, top_and_total
from kb.search.index import Bookmark
from kb.search.phrases import BigramPhrase
from kb.search.schema import INDEX_NAME, build_schema
from kb.search.segcache import CACHE


def test_positive_fields():
    assert positive_fields(wq.Or([wq.Term("title", "客户"), wq.Prefix("pinyin", "zg")])) == {"title", "pinyin"}
    assert positive_fields(wq.And([BigramPhrase("body", ["铁三", "三角"]), wq.Term("names", "王")])) == {
        "body", "names"}
    assert positive_fields(wq.AndNot(wq.Term("body", "a"), wq.Term("title", "b"))) == {"body"}
    assert positive_fields(wq.Not(wq.Term("body", "a"))) is None
    assert positive_fields(wq.Or([wq.Term("body", "a"), wq.Every()])) is None


def _index(tmp_path):
    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname=INDEX_NAME)
    with ix.writer() as w:
        for i, body in enumerate(["客户关系 13800138000", "客户战略", "项目交付"]):
            w.add_document(key=f"plan:{i}", type="plan", title="计划", body=body, archived="0",
                           visibility="org")
    w = ix.writer()
    w.add_document(**Bookmark().document())
    w.commit(merge=False)
    CACHE.clear()
    return ix


def test_the_bookkeeping_segment_is_skipped_with_the_same_answers(tmp_path, monkeypatch):
    ix = _index(tmp_path)
    seen = []
    real = fastpath.score_map

    def spy(q, sub, *args, **kwargs):
        seen.append(sub.reader().doc_count_all())
        return real(q, sub, *args, **kwargs)

    monkeypatch.setattr(fastpath, "score_map", spy)
    with ix.searcher() as searcher:
        assert len(searcher.leaf_searchers()) == 2
        q = wq.Or([wq.Term("title", "13800138000", boost=2.0), wq.Term("body", "13800138000"),
                   wq.Prefix("pinyin", "13800138000", boost=3.0)])
        results, total = top_and_total(searcher, q, set(), 10)
        plain = searcher.search(q, limit=10)
        assert total == len(plain) == 1
        assert [(h.docnum, h.score) for h in results] == [(h.docnum, h.score) for h in plain]
        assert set(seen) == {3}  # the bookmark's segment was not scored
        seen.clear()
        # A NOT matches the bookmark document too: every segment is looked at, the same answer as Whoosh.
        q = wq.Not(wq.Term("body", "客户"))
        results, total = top_and_total(searcher, q, set(), 10)
        assert set(seen) == {1, 3}
        assert total == len(searcher.search(q, limit=None)) == 2
