"""Issue 7 §7, a query's fixed cost: a hit's stored fields come from its segment's side file (version 2:
Whoosh's decompressed bytes, one pickle load instead of a zlib decompression) — the same dictionaries as
Whoosh's own reader for every document (deleted ones too), after merges; a damaged, old or missing side
file gives Whoosh's answer."""
from __future__ import annotations

import pytest
from whoosh.codec.whoosh3 import W3PerDocReader

from kb.search import read_compat, sidefile
from kb.search.searching import Scope, run_scoped
from tests.test_search_fastpath_corpus import _parse
from tests.test_search_sidefile import _cold, bench
from tests.test_search_termset import _build, _downgraded


def _whooshs(reader, docnum):
    stored = reader._perdoc.stored_fields(docnum)
    return {k: v for k, v in stored.items() if k in reader.schema}


@pytest.fixture(scope="module")
def docs():
    out = list(bench.make_corpus(260, 31))
    out.append(bench.planted_worst_case(260))
    return out


@pytest.mark.parametrize("shape", ["segments", "deletions", "merged"])
def test_stored_fields_from_the_side_file_equal_whooshs(tmp_path, docs, shape, monkeypatch):
    ix = _build(tmp_path, docs, delete=[d["key"] for d in docs[2:120:3]] if shape != "segments" else (),
                merge=shape == "merged")
    with ix.reader() as top:
        leaves = [leaf for leaf, _offset in top.leaf_readers()]
        expected = [[_whooshs(leaf, d) for d in range(leaf.doc_count_all())] for leaf in leaves]
        assert any(leaf.deleted_docs_set for leaf in leaves) == (shape == "deletions")

        def no_zlib(self, docnum):
            raise AssertionError("stored fields read from Whoosh's compressed column")

        monkeypatch.setattr(W3PerDocReader, "stored_fields", no_zlib)
        for leaf, want in zip(leaves, expected):
            assert sidefile.side_file(leaf)._stored is not None
            got = [leaf.stored_fields(d) for d in range(leaf.doc_count_all())]
            assert got == want
            assert any(g.get("body") for g in got) and all(g["key"] for g in got)
        assert [top.stored_fields(d)["key"] for d in range(top.doc_count_all())] == [
            d["key"] for want in expected for d in want]


def test_a_hits_fields_come_from_the_side_file(tmp_path, docs, monkeypatch):
    ix = _build(tmp_path, docs)
    calls = []
    real = sidefile.SideFile.stored
    monkeypatch.setattr(sidefile.SideFile, "stored", lambda self, d: calls.append(d) or real(self, d))
    with ix.searcher() as searcher:
        results, total = run_scoped(searcher, _parse("客户"), Scope(), limit=10)
        keys = [hit.fields()["key"] for hit in results]
    assert total > 10 and len(keys) == 10 and len(calls) == 10


@pytest.mark.parametrize("how", ["version 1", "damaged", "small segment"])
def test_old_damaged_or_missing_stored_sections_give_whooshs_fields(tmp_path, docs, how):
    ix = _build(tmp_path, docs, side_min=10**9 if how == "small segment" else 1)
    if how == "version 1":
        _downgraded(tmp_path)
    elif how == "damaged":
        for file in tmp_path.glob(f"*{sidefile.EXT}"):
            data = bytearray(file.read_bytes())
            tail = len(data) - 4 - sidefile._TAIL2.size
            *_rest, stored_at, _docs = sidefile._TAIL2.unpack_from(data, tail)
            data[stored_at + 40] ^= 0x5A  # inside the first document's pickle
            file.write_bytes(bytes(data))
    _cold()
    with ix.reader() as top:
        for leaf, _offset in top.leaf_readers():
            side = sidefile.side_file(leaf)
            assert (side is None) == (how == "small segment")
            for docnum in range(leaf.doc_count_all()):
                assert leaf.stored_fields(docnum) == _whooshs(leaf, docnum)
            if side is not None:
                assert side._stored is None  # (version 1: none; damaged: given up at the first bad record)
    assert read_compat._stored_fields is type(leaf).stored_fields


def test_without_pread_records_and_fields_are_read_from_the_map(tmp_path, docs, monkeypatch):
    ix = _build(tmp_path, docs)
    monkeypatch.setattr(sidefile, "_PREAD", False)
    monkeypatch.setattr(sidefile.os, "pread", None)  # (as where there is none)
    with ix.reader() as top:
        for leaf, _offset in top.leaf_readers():
            for docnum in range(leaf.doc_count_all()):
                assert leaf.stored_fields(docnum) == _whooshs(leaf, docnum)
            for btext in list(leaf.lexicon("body"))[:200]:
                got = sidefile.side_postings(leaf, "body", btext, True)
                from kb.search.postings import read_whoosh_postings
                ids, weights, _values = read_whoosh_postings(leaf, "body", btext, values=True)
                assert list(got[0]) == list(ids) and list(got[1]) == list(weights)
