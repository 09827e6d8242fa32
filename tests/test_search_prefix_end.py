"""A prefix's words found by two bisections in the segment's sorted word list (fastpath.prefix_end):
exactly the words that start with it, whatever bytes it ends with (issue 7 §7: pinyin and phone queries
no longer test 257 words after the prefix one by one)."""
from __future__ import annotations

import random
from bisect import bisect_left

from kb.search.fastpath import prefix_end


def _range(words, prefix):
    start = bisect_left(words, prefix)
    above = prefix_end(prefix)
    end = bisect_left(words, above, start) if above is not None else len(words)
    return words[start:end]


def test_prefix_end_is_the_next_bytes_above_the_prefix():
    assert prefix_end(b"zg") == b"zh"
    assert prefix_end(b"a\xff") == b"b"  # (0xff cannot go up: the byte before it does)
    assert prefix_end(b"\xff\xff") is None  # every word from it on starts with it
    assert prefix_end(b"138") == b"139"


def test_the_range_holds_exactly_the_words_that_start_with_the_prefix():
    rng = random.Random(7)
    alphabet = [0x00, 0x31, 0x61, 0x62, 0x7a, 0xe4, 0xff]
    words = sorted({bytes(rng.choice(alphabet) for _ in range(rng.randint(1, 5))) for _ in range(4000)})
    for _ in range(2000):
        prefix = bytes(rng.choice(alphabet) for _ in range(rng.randint(1, 3)))
        assert _range(words, prefix) == [w for w in words if w.startswith(prefix)], prefix
    assert _range([b"zga", b"zgyd", b"zh"], b"zg") == [b"zga", b"zgyd"]
    assert _range([b"zga", b"zh"], b"zz") == []
