"""Issue 7 §7, a query's fixed cost: a side file (version 2) holds its segment's term set, and a term the
segment lacks is answered from it without Whoosh's term table (kb.search.sidefile.SideFile.lacks, the
patched SegmentReader look-ups in read_compat). Exact: every term the segment holds is "maybe there",
so a term is never wrongly said to be absent — on segments with and without side files, after deletions
and merges, with an old (version 1) or damaged file."""
from __future__ import annotations

import random
import struct

import pytest
from whoosh import index as whoosh_index
from whoosh.reading import SegmentReader, TermNotFound

from kb.search import read_compat, sidefile, sidewrite
from kb.search.analysis import MixedTokenizer
from kb.search.schema import INDEX_NAME, build_schema
from kb.search.searching import Scope, hidden_for_team, run_scoped
from tests.fastpath_support import stock_query
from tests.test_search_fastpath_corpus import _parse
from tests.test_search_sidefile import _cold, bench

WHOOSH = read_compat._WHOOSH
FIELDS = ("title", "body", "pinyin", "names", "chars", "exact", "spell", "type", "account_id", "visibility")


def _build(path, docs, *, parts=2, delete=(), merge=False, side_min=1):
    path.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(path), build_schema(), indexname=INDEX_NAME)
    size = len(docs) // parts + 1
    for i in range(parts):
        w = ix.writer()
        for doc in docs[i * size:(i + 1) * size]:
            w.add_document(**doc)
        w.commit(merge=False)
    if delete:
        w = ix.writer()
        for key in delete:
            w.delete_by_term("key", key)
        w.commit(merge=False)
    if merge:
        ix.optimize()
    sidewrite.write_side_files(ix, min_docs=side_min)
    _cold()
    return ix


def _probes(reader, rng):
    """(field, text) pairs: every term of a few fields of the segment, and words it mostly lacks."""
    held = [(f, reader.schema[f].from_bytes(b)) for f in FIELDS if f in reader.indexed_field_names()
            for b in reader.lexicon(f)]
    words = [t.text for t in MixedTokenizer()("客户战略 解决方案 以客户为中心 cloud migration 13912345678 "
                                               "iPhone15 s/4hana 银行保险 数字化转型 zzz 铁三角", mode="query")]
    novel = [f"{rng.randrange(10**10):010d}" for _ in range(40)] + ["zgyd", "zgdx", "hdbx", "ccdw", "qqq"]
    lacking = [(f, w) for f in FIELDS for w in words + novel]
    return held, lacking


def _check_against_whoosh(reader, pairs):
    """Every patched look-up equals Whoosh's own for `pairs`; returns how many the term set answered."""
    answered = 0
    side = sidefile.side_file(reader)
    for fieldname, text in pairs:
        btext = reader._text_to_bytes(fieldname, text)
        try:
            info = WHOOSH["term_info"](reader, fieldname, text)
        except TermNotFound:
            info = None
        if side is not None and side.lacks(fieldname, btext):
            assert info is None, f"{fieldname}:{text!r} is in the segment but the term set says it is not"
            answered += 1
        assert reader.doc_frequency(fieldname, text) == WHOOSH["doc_frequency"](reader, fieldname, text)
        assert reader.frequency(fieldname, text) == WHOOSH["frequency"](reader, fieldname, text)
        assert ((fieldname, text) in reader) == WHOOSH["__contains__"](reader, (fieldname, text))
        if info is None:
            with pytest.raises(TermNotFound):
                reader.term_info(fieldname, text)
        else:
            assert reader.term_info(fieldname, text).doc_frequency() == info.doc_frequency()
    return answered


@pytest.fixture(scope="module")
def docs():
    out = list(bench.make_corpus(300, 21))
    out.append(bench.planted_worst_case(300))
    return out


@pytest.mark.parametrize("shape", ["segments", "deletions", "merged"])
def test_the_term_set_never_says_a_held_term_is_absent(tmp_path, docs, shape):
    ix = _build(tmp_path, docs, delete=[d["key"] for d in docs[3:200:4]] if shape != "segments" else (),
                merge=shape == "merged")
    assert SegmentReader.term_info is read_compat._term_info
    rng = random.Random(5)
    with ix.reader() as top:
        leaves = [leaf for leaf, _offset in top.leaf_readers()]
        assert len(leaves) == (1 if shape == "merged" else 2)
        assert any(leaf.deleted_docs_set for leaf in leaves) == (shape == "deletions")
        answered = 0
        for leaf in leaves:
            held, lacking = _probes(leaf, rng)
            side = sidefile.side_file(leaf)
            if leaf.doc_count_all() >= 100:
                assert side is not None and side._seeds, "a version-2 side file with its term set"
            assert held and _check_against_whoosh(leaf, held) == 0  # every held term: "maybe there"
            answered += _check_against_whoosh(leaf, lacking)
        assert answered > 100  # most of the novel words were answered without Whoosh's table


def test_a_miss_is_answered_without_whooshs_term_table(tmp_path, docs, monkeypatch):
    ix = _build(tmp_path, docs)
    with ix.reader() as top:
        leaf = max((leaf for leaf, _offset in top.leaf_readers()), key=lambda r: r.doc_count_all())
        terms_reader = type(leaf._terms)
        asked = []
        real = terms_reader.term_info
        monkeypatch.setattr(terms_reader, "term_info", lambda self, f, b: asked.append((f, b)) or real(self, f, b))
        assert leaf.doc_frequency("body", "13800000000") == 0
        assert leaf.doc_frequency("title", "zgyd") == 0
        with pytest.raises(TermNotFound):
            leaf.term_info("pinyin", "qqqq")
        assert "names" not in leaf.indexed_field_names() and leaf.doc_frequency("names", "x") == 0
        assert asked == []
        held = next(iter(leaf.lexicon("body")))
        assert leaf.doc_frequency("body", held.decode()) > 0
        assert leaf.term_info("body", held.decode()).doc_frequency() > 0 and asked  # a held term: Whoosh's


def _answers(ix, texts, team):
    _cold()
    out = {}
    with ix.searcher() as searcher:
        for filtered in (False, True):
            scope = Scope(excluded=[hidden_for_team(team)] if filtered else [])
            for text in texts:
                q = _parse(text)
                searcher.__dict__.pop("_kb_ranked", None)
                results, total = run_scoped(searcher, q, scope, limit=10)
                stock = searcher.search(stock_query(q), limit=None, terms=False,
                                        mask=set(hidden_ids(searcher, scope)))
                out[filtered, text] = (total, [(round(h.score, 6), h.docnum) for h in results])
                assert total == len(stock), text
                assert [h.docnum for h in results] == [h.docnum for h in stock][:10], text
    return out


def hidden_ids(searcher, scope):
    from kb.search.searching import excluded_docs
    return excluded_docs(searcher, scope)


def _texts(docs):
    phones = [m.group() for d in docs for m in bench._PHONE.finditer(d["body"])]
    mix = bench.query_mix(21, 4, 6, phones)
    return [t for kind in ("pinyin", "phone", "zh_1term", "english", "mixed", "traditional") for t in mix[kind]]


def _downgraded(path):
    """Rewrite every side file as version 1 (no term set), as an index written before it."""
    for file in path.glob(f"*{sidefile.EXT}"):
        data = bytearray(file.read_bytes())
        magic, entries, directory = sidefile._HEAD.unpack_from(data, 0)
        assert magic == sidefile.MAGIC2
        end = directory + 16 * entries
        head = sidefile._HEAD.pack(sidefile.MAGIC, entries, directory)
        file.write_bytes(head + bytes(data[16:end]) + sidefile.MAGIC)


def _damaged_term_set(path):
    for file in path.glob(f"*{sidefile.EXT}"):
        data = bytearray(file.read_bytes())
        tail = len(data) - 4 - sidefile._TAIL2.size
        offset, names, count, _crc, _stored, _docs = sidefile._TAIL2.unpack_from(data, tail)
        data[offset + sidefile._padded(names) + 4 * (count // 2) + 1] ^= 0x5A  # one hash changed
        file.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["version 1", "damaged term set", "no side files"])
def test_old_damaged_or_missing_term_sets_give_the_same_answers(tmp_path, docs, how):
    team = [0, 2, 4]
    texts = _texts(docs)
    ix = _build(tmp_path / "a", docs, delete=[d["key"] for d in docs[5:100:9]])
    expected = _answers(ix, texts, team)
    copy = _build(tmp_path / "b", docs, delete=[d["key"] for d in docs[5:100:9]],
                  side_min=10**9 if how == "no side files" else 1)
    if how == "version 1":
        _downgraded(tmp_path / "b")
    elif how == "damaged term set":
        _damaged_term_set(tmp_path / "b")
    _cold()
    with copy.reader() as top:
        for leaf, _offset in top.leaf_readers():
            side = sidefile.side_file(leaf)
            if how == "version 1" and leaf.doc_count_all() > 1:
                assert side is not None and not side._seeds  # postings still from the side file
            elif how != "version 1":
                assert side is None  # (a term set that does not check out: the whole file is left out)
            _check_against_whoosh(leaf, [("body", "zgyd"), ("pinyin", "zgyd"), ("title", "13800000000")])
    assert _answers(copy, texts, team) == expected
    assert any(total for total, _top in expected.values())


def test_term_hashes_are_crc32_of_field_and_term():
    assert sidefile.term_hash("body", "客户".encode()) == sidefile.term_hash("body", "客户".encode(),
                                                                          sidefile.field_seed("body"))
    assert sidefile.term_hash("body", b"x") != sidefile.term_hash("title", b"x")
    assert struct.calcsize("<QIIIQI") == sidefile._TAIL2.size


def test_a_held_term_is_read_from_its_record_found_by_hash(tmp_path, docs, monkeypatch):
    """A term the side file knows (its hash is its own) is found without Whoosh's term table: the same
    postings and document count as Whoosh's."""
    from kb.search.postings import read_whoosh_postings
    ix = _build(tmp_path, docs, delete=[d["key"] for d in docs[1:50:5]])
    with ix.reader() as top:
        for leaf, _offset in top.leaf_readers():
            side = sidefile.side_file(leaf)
            terms = [(f, b) for f in ("title", "body", "pinyin", "chars") for b in leaf.lexicon(f)]
            expected = {(f, b): read_whoosh_postings(leaf, f, b, values=f in ("title", "body"))
                        for f, b in terms}
            dfs = {(f, b): WHOOSH["doc_frequency"](leaf, f, b.decode()) for f, b in terms}
            terms_reader = type(leaf._terms)
            asked = []
            real = terms_reader.term_info
            monkeypatch.setattr(terms_reader, "term_info", lambda self, f, b: asked.append(b) or real(self, f, b))
            found = 0
            for (fieldname, btext), (ids, weights, values) in expected.items():
                at = side.find(fieldname, btext)
                assert at != sidefile.ABSENT_AT
                got = sidefile.side_postings(leaf, fieldname, btext, values is not None)
                assert list(got[0]) == list(ids) and list(got[1]) == list(weights)
                if values is not None:
                    from kb.search.phrases import _decode_positions
                    assert list(got[2]) == [_decode_positions(v) for v in values]
                assert leaf.doc_frequency(fieldname, btext.decode()) == dfs[fieldname, btext]
                found += at is not None
            assert found >= len(expected) - 5  # (a hash shared by two terms: asked of Whoosh)
            assert len(asked) <= len(expected) - found
            monkeypatch.undo()
