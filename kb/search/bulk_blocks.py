"""Writing one term's posting list as Whoosh 2.7's `W3PostingsWriter` and `W3FieldWriter.finish_term` do:
blocks of the codec's size, each a pickled tuple (docnum deltas, weights, values) compressed at the codec's
level, with its info (count, last docnum, top weight, lengths) and the term's `W3TermInfo`. Used by
kb.search.bulk_writer; tests/test_search_bulk_writer.py compares the bytes with Whoosh's writer.
"""
from __future__ import annotations

import zlib
from array import array
from itertools import chain
from operator import sub
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3FieldWriter, W3TermInfo
from whoosh.compat import dumps
from whoosh.system import emptybytes, pack_int, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

#: byte → the length Whoosh's per-document reader gives for it (a zero byte: no length).
_LENGTHS = [byte_to_length(b) if b else None for b in range(256)]


class Block:
    """One block of postings, with the statistics `W3TermInfo.add_block` reads (as W3PostingsWriter)."""

    __slots__ = ("_ids", "_weights", "_minlength", "_maxlength", "_maxweight")

    def __len__(self) -> int:
        return len(self._ids)

    def min_id(self) -> int:
        return self._ids[0]

    def max_id(self) -> int:
        return self._ids[-1]

    def min_length(self) -> Any:
        return self._minlength

    def max_length(self) -> int:
        return self._maxlength

    def max_weight(self) -> Any:
        return self._maxweight


class ImpliedWeights(dict):
    """encoded value → the weight it implies in its format (`Format.decode_weight`), computed once."""

    def __init__(self, fmt: Any) -> None:
        super().__init__()
        self.fmt = fmt

    def __missing__(self, value: bytes) -> float:
        weight = self[value] = self.fmt.decode_weight(value)
        return weight


class TermWriter:
    """Writes one field's posting lists as W3PostingsWriter and W3FieldWriter.finish_term do."""

    def __init__(self, fieldwriter: W3FieldWriter, implied: ImpliedWeights, codec: W3Codec,
                 lengths: array | None) -> None:
        self.postfile, self.tindex = fieldwriter._postfile, fieldwriter._tindex
        self.fieldid = pack_ushort(fieldwriter._fieldid)
        self.blocklimit, self.compression = codec._blocklimit, codec._compression
        self.fixedsize = implied.fmt.fixed_value_size()
        self.implied = implied.__getitem__
        #: each docnum's field length as the per-document reader gives it (None: none)
        self.lengths = None if lengths is None else [_LENGTHS[b] for b in lengths]

    def __call__(self, btext: bytes, docnums: array, values: list[bytes], weights: dict[int, float] | None
                 ) -> None:
        terminfo = W3TermInfo()
        count = len(docnums)  # ≥ 1: a posting list is never inlined (supports())
        start = self.postfile.tell()
        parts = [WHOOSH3_HEADER_MAGIC]
        for at in range(0, count, self.blocklimit):
            end = min(at + self.blocklimit, count)
            block_values, ids = values[at:end], docnums[at:end]
            block_weights = list(map(self.implied, block_values))
            if weights is not None:  # the weights its values do not imply
                block_weights = [weights.get(d, w) for d, w in zip(ids, block_weights)]
            block = self._block(ids, block_weights)
            terminfo.add_block(block)
            parts += self._block_bytes(block, block_values, last=end == count)
        data = emptybytes.join(parts)
        self.postfile.write(data)
        terminfo.set_extent(start, len(data))
        self.tindex.add(self.fieldid + btext, terminfo.to_bytes())

    def _block(self, ids: array, doubles: Any) -> Block:
        block = Block()
        block._ids = ids
        block._weights = array("f", doubles)
        # W3PostingsWriter compares each weight (a Python float) with a running maximum starting at 0
        top = max(doubles)
        block._maxweight = top if top > 0 else 0
        block._minlength, block._maxlength = None, 0
        if self.lengths is not None:
            lengths = self.lengths
            known = [lengths[d] for d in ids if d < len(lengths)]
            if None in known:
                known = [n for n in known if n]
            if known:
                block._minlength, block._maxlength = min(known), max(known)
        return block

    def _block_bytes(self, block: Block, values: list[bytes], *, last: bool) -> list[bytes]:
        """W3PostingsWriter._write_block: the block's length, its info and its data (pickled, compressed)."""
        ids = block._ids
        deltas = tuple(map(sub, ids, chain((0,), ids)))
        weights = block._weights
        count = len(ids)
        if weights.count(1.0) == count:
            mini_weights: Any = None
        elif weights.count(weights[0]) == count:
            mini_weights = weights[0]
        else:
            mini_weights = tuple(weights)
        fixed = self.fixedsize
        if emptybytes in values:
            values = [v for v in values if v]
        if fixed is None or fixed < 0:
            mini_values: Any = tuple(values)
        elif fixed == 0:
            mini_values = None
        else:
            mini_values = emptybytes.join(values)
        data = dumps((deltas, mini_weights, mini_values), 2)
        comp = self.compression
        if comp:
            data = zlib.compress(data, comp)
        info = dumps((count, ids[-1], block._maxweight, comp, length_to_byte(block._minlength),
                      length_to_byte(block._maxlength)), 2)
        size = len(info) + len(data)
        return [pack_int(-size if last else size), info, data]
