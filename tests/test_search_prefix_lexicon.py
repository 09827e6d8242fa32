"""Prefixes (pinyin initials and runs) expanded from a segment's in-memory word list give exactly Whoosh's
expand_prefix words, also past PREFIX_MAX_TERMS and when the field has too many words to keep."""
from __future__ import annotations

from itertools import islice

import pytest
from whoosh import index as whoosh_index
from whoosh import query as wq

from kb.search import fastpath
from kb.search.schema import INDEX_NAME, build_schema
from kb.search.segcache import CACHE
from tests.test_search_sidefile import bench


@pytest.fixture(scope="module")
def reader(tmp_path_factory):
    path = tmp_path_factory.mktemp("prefix-lexicon")
    ix = whoosh_index.create_in(str(path), build_schema(), indexname=INDEX_NAME)
    w = ix.writer()
    for doc in bench.make_corpus(300, 17):
        w.add_document(**doc)
    w.commit()
    with ix.reader() as r:
        yield r


PREFIXES = ["z", "zh", "zhong", "h", "hd", "s", "a", "zzzz", "1", "13", "", "é"]


def _whoosh(reader, text):
    words = list(islice(reader.expand_prefix("pinyin", text), fastpath.PREFIX_MAX_TERMS + 1))
    if len(words) > fastpath.PREFIX_MAX_TERMS:
        return None
    return [reader.schema["pinyin"].from_bytes(w) for w in words]


@pytest.mark.parametrize("keep", [True, False], ids=["in-memory", "too-many-words"])
def test_prefix_words_equal_whooshs(reader, monkeypatch, keep):
    CACHE.clear()
    monkeypatch.setattr(fastpath, "PREFIX_MAX_TERMS", 5)
    if not keep:
        monkeypatch.setattr(fastpath, "LEXICON_MAX_TERMS", 1)
    expected = {text: _whoosh(reader, text) for text in PREFIXES}
    assert any(v and len(v) > 1 for v in expected.values())  # some prefixes expand to several words,
    assert any(v is None for v in expected.values())  # some to too many
    assert any(v == [] for v in expected.values())  # some to none
    for text in PREFIXES:
        assert fastpath._prefix_terms(reader, wq.Prefix("pinyin", text)) == expected[text], text
    lexicon = CACHE.get(("lexicon", reader.segment().segment_id(), "pinyin"))
    assert (lexicon is not None and lexicon[0] is not None) is keep
    CACHE.clear()
