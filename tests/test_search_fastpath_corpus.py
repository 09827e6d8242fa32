"""The fast query path (kb.search.fastpath and its postings/phrases/scores modules) gives the same answers
as Whoosh's plain searcher on the benchmark's generated corpus, for every query class of the benchmark,
with and without a reader's access filter: the same total, the same hits and the same top-10 order.
Edge cases: several segments, deleted documents, documents updated after the shared caches were filled."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from pypinyin import lazy_pinyin
from whoosh import index as whoosh_index

from kb.search.query import ime_to_ascii, make_parser, widen
from kb.search.schema import INDEX_NAME, build_schema
from kb.search.searching import Scope, excluded_docs, hidden_for_team, run_scoped
from tests.fastpath_support import stock_query

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("kb_search_bench", ROOT / "bench" / "search_bench.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

N_DOCS = 600
CLASSES = ("zh_1term", "zh_2terms", "single_char", "english", "phrase", "pinyin", "pinyin_run", "mixed",
           "traditional", "phone", "common")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """(searcher over 3+ segments with deletions and updates, query mix, team account ids)."""
    path = tmp_path_factory.mktemp("fastpath-corpus")
    docs = list(bench.make_corpus(N_DOCS, 7))
    docs.append(bench.planted_worst_case(N_DOCS))
    ix = whoosh_index.create_in(str(path), build_schema(), indexname=INDEX_NAME)
    for part in (docs[:300], docs[300:]):
        w = ix.writer()
        for doc in part:
            w.add_document(**doc)
        w.commit(merge=False)
    phones = [m.group() for d in docs for m in bench._PHONE.finditer(d["body"])]
    mix = bench.query_mix(7, 4, N_DOCS // 50, phones)
    mix["phrase"] += ['"客户 战略"', '"cloud migration"', '"解决方案"']
    names = sorted({d["title"] for d in docs if d["type"] == "account"})[:3]
    mix["pinyin"] += ["".join(s[0] for s in lazy_pinyin(name)) for name in names]
    mix["pinyin_run"] += ["".join(lazy_pinyin(name[-2:])) for name in names]
    team = list(range(0, 12, 2))
    with ix.searcher() as old:  # fill the shared per-segment caches, then change the index under them
        for texts in mix.values():
            for text in texts:
                run_scoped(old, _parse(text), Scope(), limit=10)
    w = ix.writer()
    for doc in docs[5:60:5]:
        w.delete_by_term("key", doc["key"])
    for doc in docs[100:400:7]:  # updated: the old version is deleted, the new one lands in a new segment
        w.update_document(**{**doc, "body": doc["body"][::-1] + " 客户战略 strategy"})
    w.commit(merge=False)
    with ix.searcher() as searcher:
        assert len(searcher.leaf_searchers()) >= 3
        assert searcher.doc_count() < searcher.doc_count_all()  # there are deleted documents
        yield searcher, mix, team


def _parse(text):
    return make_parser().parse(ime_to_ascii(text)).accept(widen).normalize()


def _ranked(pairs):
    """(docnum) in rank order; scores equal to 9 digits count as ties (lower document number first)."""
    return [d for _s, d in sorted(pairs, key=lambda p: (-round(p[0], 9), p[1]))]


def test_the_bench_has_every_query_class(corpus):
    _searcher, mix, _team = corpus
    assert set(CLASSES) <= set(mix)


@pytest.mark.parametrize("kind", CLASSES)
@pytest.mark.parametrize("filtered", [False, True], ids=["all", "access"])
def test_fast_answers_equal_whoosh(corpus, kind, filtered):
    searcher, mix, team = corpus
    scope = Scope(excluded=[hidden_for_team(team)] if filtered else [])
    mask = excluded_docs(searcher, scope)
    found_any = False
    for text in mix[kind]:
        q = _parse(text)
        searcher.__dict__.pop("_kb_ranked", None)
        results, total = run_scoped(searcher, q, scope, limit=10)
        stock = searcher.search(stock_query(q), limit=None, mask=mask, terms=False)
        assert total == len(stock), text
        fast_top = [(hit.score, hit.docnum) for hit in results]
        stock_all = [(hit.score, hit.docnum) for hit in stock]
        assert _ranked(fast_top) == _ranked(stock_all)[:10], text
        assert [s for s, _d in fast_top] == pytest.approx([s for s, _d in stock_all[:10]]), text
        everything, total_all = run_scoped(searcher, q, scope, limit=None)
        assert {hit.docnum for hit in everything} == {d for _s, d in stock_all}, text
        found_any = found_any or total > 0
    assert found_any, f"no query of class {kind} found anything: the comparison would prove nothing"


def test_updated_documents_are_found_once_in_their_new_version(corpus):
    searcher, _mix, _team = corpus
    results, total = run_scoped(searcher, _parse('"客户战略" strategy'), Scope(), limit=None)
    keys = [searcher.stored_fields(hit.docnum)["key"] for hit in results]
    assert len(keys) == len(set(keys)) == total
    updated = {doc["key"] for doc in list(bench.make_corpus(N_DOCS, 7))[100:400:7]}
    assert updated <= set(keys)
