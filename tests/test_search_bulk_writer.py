"""Issue 7 §7, the rebuild: kb.search.bulk_writer writes the segments of a full rebuild without Whoosh's
per-posting pool, and they must be the segments Whoosh writes. Checked here: byte for byte against
Whoosh's own writer (documents of every kind, long posting lists over several blocks, boosts); the same
terms, postings, positions, lengths, stored fields and hits after a rebuild in several segments and in
two processes, and after deletions and incremental writes (Whoosh's ordinary writer) on top; the
tokenizers' rebuild shortcuts give what their tokens give; a failed document leaves nothing behind;
memory is bounded by closing segments."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from whoosh import fields as wf
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.codec import default_codec
from whoosh.writing import SegmentWriter

from kb.search import build_compat, bulk_writer
from kb.search.analysis import CjkCharTokenizer, MixedTokenizer, PinyinTokenizer
from kb.search.bulk_writer import BulkSegmentWriter, supports
from kb.search.documents import finish_document, pinyin_forms
from kb.search.index import Bookmark
from kb.search.parallel_build import write_all
from kb.search.query import parse_user_query
from kb.search.schema import INDEX_NAME, build_schema

build_compat.apply()

#: Text of every kind the analyzers treat apart (compound words, phones, traditional characters, name
#: separators, full-width forms, single characters, stemmed English).
SAMPLES = [
    "以客户为中心的战略规划，预算约３００万，上线ＥＲＰ系统",
    "S/4HANA、V5.2.1、iPhone15、5G专网 C++ C# .NET R&D MES3.0 Wi-Fi6",
    "联系 138-0013-8000 或 (010) 8888 6666，+86 139 1234 5678；13912345678",
    "台灣大哥大 阿卜杜·热合曼 阿卜杜.热合曼 Électricité de France Straße",
    "strategy strategies planning planned customers 客 户 云",
    "铁三角 iron triangle: AR SR FR 拜访 visit 2026-01-05",
    "",
]


def _doc(i: int) -> dict[str, Any]:
    body = " ".join(SAMPLES[(i + k) % len(SAMPLES)] for k in range(1 + i % 4))
    if i % 9 == 0:
        body += " 客户 customer" * 150  # posting lists longer than a block (128), positions > 255
    title = ["华东移动", "曾志强", "长沙银行 铁三角", "", "Électricité"][i % 5]
    return finish_document({
        "key": f"plan:{i}", "type": ("plan", "interaction", "stakeholder")[i % 3], "doc_id": i,
        "account_id": str(i % 7), "group_id": str(i % 3), "industry": "能源" if i % 2 else "",
        "region": "华东", "archived": "0", "visibility": "team" if i % 4 == 0 else "org",
        "date": 20260101 + i, "title": title, "body": body,
        "pinyin": pinyin_forms(title, person=i % 5 == 1), "names": title, "exact": title,
    })


DOCS = [_doc(i) for i in range(300)]


def _segment_files(path: Path) -> dict[str, bytes]:
    """A one-segment index's files by their extension (the segment's random name left out)."""
    return {file.name.split(".", 1)[1]: file.read_bytes()
            for file in path.iterdir() if file.is_file() and file.suffix != ".toc" and "." in file.name}


def _one_segment(path: Path, writer_class: type, docs: list[dict[str, Any]],
                 schema: Any = None) -> dict[str, bytes]:
    path.mkdir()
    ix = whoosh_index.create_in(str(path), schema or build_schema(), indexname=INDEX_NAME)
    writer = writer_class(ix, _lk=False, compound=False) if writer_class is SegmentWriter else \
        writer_class(ix, compound=False)
    for doc in docs:
        writer.add_document(**doc)
    writer._finalize_segment()
    return _segment_files(path)


def test_a_segment_is_byte_for_byte_the_one_whoosh_writes(tmp_path):
    ours = _one_segment(tmp_path / "ours", BulkSegmentWriter, DOCS)
    stock = _one_segment(tmp_path / "stock", SegmentWriter, DOCS)
    assert {"pst", "trm", "_stored.col", "_body_len.col", "_chars_len.col"} <= ours.keys()
    assert ours.keys() == stock.keys()
    for name in stock:
        assert ours[name] == stock[name], name
    assert len(ours["pst"]) > 50_000


def test_boosted_documents_and_fields_are_written_as_whoosh_writes_them(tmp_path):
    docs = [dict(doc) for doc in DOCS[:40]]
    for i, doc in enumerate(docs):
        if i % 3 == 0:
            doc["_boost"] = 2.5
        if i % 4 == 0:
            doc["_body_boost"] = 0.5
            doc["_key_boost"] = 3.0
    ours = _one_segment(tmp_path / "ours", BulkSegmentWriter, docs)
    stock = _one_segment(tmp_path / "stock", SegmentWriter, docs)
    assert ours == stock


def test_other_field_types_go_through_their_own_index_method(tmp_path):
    schema = wf.Schema(key=wf.ID(stored=True), tags=wf.KEYWORD(lowercase=True, scorable=True),
                       n=wf.NUMERIC(int, stored=True), flag=wf.BOOLEAN(), text=wf.TEXT(), when=wf.DATETIME())
    from datetime import datetime
    docs = [{"key": f"k{i}", "tags": "Alpha beta GAMMA" if i % 2 else "beta", "n": i * 7, "flag": i % 3 == 0,
             "text": "The quick brown fox jumps " * (i % 5), "when": datetime(2026, 1, 1 + i % 28)}
            for i in range(200)]
    assert _one_segment(tmp_path / "ours", BulkSegmentWriter, docs, schema) == \
        _one_segment(tmp_path / "stock", SegmentWriter, docs, schema)


def test_a_schema_with_term_vectors_is_left_to_whoosh(tmp_path):
    schema = wf.Schema(key=wf.ID(stored=True), body=wf.TEXT(vector=True))
    ix = whoosh_index.create_in(str(tmp_path), schema)
    assert not supports(schema, default_codec()) and supports(build_schema(), default_codec())
    with pytest.raises(ValueError):
        BulkSegmentWriter(ix)


@pytest.mark.parametrize("text", SAMPLES + [DOCS[9]["body"], DOCS[2]["chars"], "客", "a", "1", " · "])
def test_the_tokenizers_rebuild_shortcuts_give_what_their_tokens_give(text):
    positions: dict[str, list[int]] = {}
    for t in MixedTokenizer()(text, positions=True, mode="index"):
        positions.setdefault(t.text, []).append(t.pos)
    assert MixedTokenizer().index_positions(text) == positions
    counts: dict[str, int] = {}
    for t in CjkCharTokenizer()(text, mode="index"):
        counts[t.text] = counts.get(t.text, 0) + 1
    assert dict(CjkCharTokenizer().index_counts(text)) == counts
    assert PinyinTokenizer()("zhongguoyidong zgyd", mode="index")  # (no shortcut: few tokens)


def test_a_failed_document_leaves_no_postings_behind(tmp_path):
    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname=INDEX_NAME)
    writer = BulkSegmentWriter(ix)
    writer.add_document(**DOCS[1])
    with pytest.raises(ValueError):
        writer.add_document(**{**DOCS[2], "body": "独一无二的词", "visibility": 7})  # not text: refused
    writer.add_document(**DOCS[3])
    writer._commit_toc([writer._finalize_segment()])
    writer._finish()
    with ix.searcher() as searcher:
        assert searcher.doc_count() == 2
        assert not list(searcher.documents(key=DOCS[2]["key"]))
        assert not searcher.search(wq.Term("body", "无二"))  # the failed document's words are not indexed
        assert [hit["key"] for hit in searcher.search(wq.Term("key", DOCS[3]["key"]))] == [DOCS[3]["key"]]


# -- a whole rebuild, against Whoosh's writer -------------------------------------------------------------
def _stock_index(path: Path, docs: list[dict[str, Any]]) -> Any:
    path.mkdir()
    ix = whoosh_index.create_in(str(path), build_schema(), indexname=INDEX_NAME)
    writer = ix.writer()
    for doc in docs:
        writer.add_document(**doc)
    writer.add_document(**Bookmark().document())
    writer.commit()
    return ix


def _rebuilt_index(path: Path, docs: list[dict[str, Any]], *, procs: int, limitmb: int) -> Any:
    path.mkdir()
    ix = whoosh_index.create_in(str(path), build_schema(), indexname=INDEX_NAME)
    write_all(ix, iter(docs), Bookmark().document(), procs=procs, limitmb=limitmb)
    return ix


def _contents(ix: Any) -> dict[str, Any]:
    """Everything a search reads, by document key (document numbers differ between segmentations): each
    term's postings (weight, positions or frequency), each document's stored fields and field lengths,
    the counts and total lengths."""
    with ix.reader() as reader:
        keys = {docnum: stored["key"] for docnum, stored in reader.iter_docs()}
        postings = {}
        for fieldname, btext in reader.all_terms():
            matcher = reader.postings(fieldname, btext)
            fmt = reader.schema[fieldname].format
            found = {}
            while matcher.is_active():
                value = matcher.value()
                found[keys[matcher.id()]] = (matcher.weight(), fmt.decode_frequency(value) if value else None,
                                             fmt.decode_positions(value) if hasattr(fmt, "decode_positions")
                                             and value else None)
                matcher.next()
            postings[(fieldname, btext)] = found
        fieldnames = [name for name, field in reader.schema.items() if field.scorable]
        # (no length: None in a segment with that field's length column, 0 in one without)
        lengths = {keys[d]: [reader.doc_field_length(d, name) or 0 for name in fieldnames] for d in keys}
        return {
            "postings": postings, "lengths": lengths, "stored": {s["key"]: s for _d, s in reader.iter_docs()},
            "counts": (reader.doc_count(), reader.doc_count_all()),
            "field_lengths": {name: reader.field_length(name) for name in fieldnames},
            "doc_frequencies": {term: reader.doc_frequency(*term) for term in postings},
        }


QUERIES = ["客户", "以客户为中心", "HANA", "S4HANA", "13800138000", "139-1234-5678", "台湾大哥大",
           "阿卜杜热合曼", "strategy", "hdyd", "yidong", "zengzhiqiang", "客", '"customer 客户"', "ERP 300万",
           "title:铁三角"]


def _hits(ix: Any) -> dict[str, list[tuple[str, float]]]:
    with ix.searcher() as searcher:
        return {q: [(hit["key"], round(hit.score, 6))
                    for hit in searcher.search(parse_user_query(q).query, limit=None)] for q in QUERIES}


@pytest.mark.parametrize("procs,limitmb", [(1, 512), (1, 1), (2, 1)])
def test_a_rebuild_holds_what_whoosh_writes_and_finds_the_same(tmp_path, monkeypatch, procs, limitmb):
    monkeypatch.setattr(bulk_writer, "POSTING_BYTES", 100)  # 1 MB: about 10 segments of these documents
    stock = _stock_index(tmp_path / "stock", DOCS)
    ours = _rebuilt_index(tmp_path / "ours", DOCS, procs=procs, limitmb=limitmb)
    segments = ours._segments()
    assert (len(segments) > 3) == (limitmb == 1)  # 1 MB: many segments, each closed at the limit
    contents = _contents(ours)
    assert contents == _contents(stock)
    assert contents["doc_frequencies"][("body", "客户".encode())] > 128  # lists of several blocks
    hits = _hits(ours)
    assert hits == _hits(stock)
    assert all(hits[q] for q in QUERIES), [q for q in QUERIES if not hits[q]]


def test_deletions_and_incremental_writes_on_a_rebuilt_index_match_whoosh(tmp_path, monkeypatch):
    monkeypatch.setattr(bulk_writer, "POSTING_BYTES", 100)
    stock = _stock_index(tmp_path / "stock", DOCS)
    ours = _rebuilt_index(tmp_path / "ours", DOCS, procs=1, limitmb=1)
    assert len(ours._segments()) > 3
    for ix in (stock, ours):  # as the outbox applies changes: Whoosh's ordinary writer
        writer = ix.writer()
        for i in range(0, 300, 7):
            writer.delete_by_term("key", DOCS[i]["key"])
        for i in range(1, 300, 11):
            writer.update_document(**{**DOCS[i], "body": DOCS[i]["body"] + " 新增的补充说明 appendix"})
        writer.add_document(**_doc(1000))
        writer.commit()
    assert _contents(ours) == _contents(stock)
    assert _hits(ours) == _hits(stock)
    with ours.searcher() as searcher:
        assert len(searcher.search(parse_user_query("appendix").query, limit=None)) == len(range(1, 300, 11)) + 0
    for ix in (stock, ours):
        ix.optimize()  # every segment merged into one (Whoosh reads and rewrites our segments)
    assert len(ours._segments()) == 1
    assert _contents(ours) == _contents(stock)
    assert _hits(ours) == _hits(stock)


def test_rebuilds_use_the_bulk_writer_and_whoosh_s_for_what_it_does_not_support(tmp_path):
    from kb.search import parallel_build

    ours = whoosh_index.create_in(str(tmp_path), build_schema(), indexname=INDEX_NAME)
    writer = parallel_build._segment_writer(ours)
    assert type(writer) is BulkSegmentWriter
    writer.cancel()
    other = whoosh_index.create_in(str(tmp_path), wf.Schema(key=wf.ID(stored=True), body=wf.TEXT(vector=True)),
                                   indexname="other")
    writer = parallel_build._segment_writer(other)
    assert type(writer) is SegmentWriter
    writer.cancel()
    assert write_all(other, iter([{"key": "a", "body": "云计算 cloud"}]), {"key": "b"}, procs=1, limitmb=8) == 1
    with other.searcher() as searcher:
        assert [hit["key"] for hit in searcher.search(wq.Term("body", "cloud"))] == ["a"]
