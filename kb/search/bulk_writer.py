"""A segment writer for full rebuilds that writes the same segment as Whoosh's, in about half the time.

Whoosh's `SegmentWriter` sends every posting of a document through a pool as a tuple (field, term,
docnum, weight, value), sorts all of them when the segment is closed, and then writes them one by one
through `W3PostingsWriter.add_posting` (type checks, statistics and a length lookup per posting): most of
a rebuild's time (~60 % of it, analysis ~10 %). `BulkSegmentWriter` keeps instead, per field and term, the
term's postings in arrays (docnums, weights) and a list (encoded values) — already in docnum order, since
documents come in order — and, when the segment is closed, sorts only the terms and writes each term's
posting list in blocks exactly as `W3PostingsWriter` does (same block size, pickled tuples, zlib level,
block info, term info). The segment's files are byte for byte those Whoosh writes for the same
documents (tests/test_search_bulk_writer.py compares them, with several segments, deletions and later
incremental writes): the index stays a normal Whoosh index.

The text fields analysed by our tokenizers (kb.search.analysis) skip Whoosh's generic `word_values`
pipeline: their tokens are read once into {term: positions} (or counts), and equal position lists share
one encoded value (positions are small numbers and recur). Every other field (KEYWORD, NUMERIC…) goes
through the field's own `index()` as in Whoosh (an ID field's term is its value). Equal values must be one
object within a segment, as in the pool (build_compat.py shares them): a block's pickle refers back to a
value it has already written, so sharing changes the bytes written (and makes them 5× smaller).

Memory: `estimated_bytes()` (~20 B a posting, against ~100 B in Whoosh's pool; the terms and the
distinct encoded values) — the caller closes the segment at its limit (kb.search.parallel_build).

This module relies on Whoosh 2.7's codec internals (`W3FieldWriter`; in kb.search.bulk_blocks,
`W3PostingsWriter._write_block` and `W3TermInfo`); the stock writer stays in use for incremental writes
(kb.search.index).
"""
from __future__ import annotations

from array import array
from collections import deque
from itertools import repeat
from typing import Any, Callable

from whoosh import formats
from whoosh.analysis import IDTokenizer
from whoosh.codec import default_codec
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter
from whoosh.fields import FieldType
from whoosh.system import emptybytes, pack_uint
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from .analysis import CjkCharTokenizer, MixedTokenizer, PinyinTokenizer
from .bulk_blocks import ImpliedWeights, TermWriter

#: Our tokenizers: every token's boost is 1.0 and none is stopped, so a term's weight is its frequency.
_OUR_TOKENIZERS = (MixedTokenizer, CjkCharTokenizer, PinyinTokenizer)
#: Estimated bytes a posting holds (its docnum in an array 4, its value's pointer in a list 8, with their
#: growth and the document's share of the per-document data), a term (its key, the dict slot, an array and a
#: list) and a distinct encoded value (a bytes object and its cache slot). Measured: 134 MB of memory for an
#: estimate of 147 MB at 20,000 bench documents (5.8 million postings).
POSTING_BYTES, TERM_BYTES, VALUE_BYTES = 20, 400, 120


def supports(schema: Any, codec: Any) -> bool:
    """Whether `BulkSegmentWriter` writes this schema with this codec as Whoosh would: the W3 codec, and
    no field with term vectors or a separate spelling field (which it does not implement)."""
    if type(codec) is not W3Codec or codec._inlinelimit > 1:  # (Whoosh's own writer fails on inlined lists)
        return False
    return not any(field.vector or field.separate_spelling() for _name, field in schema.items())


def _fast_indexer(field: Any) -> Callable[[str], dict[str, Any]] | None:
    """A function value → {term: positions} (Positions format) or {term: frequency} (Frequency) for a
    field analysed by one of our tokenizers, or None (the field's own `index()` is used)."""
    fmt, analyzer = type(field.format), field.analyzer
    if type(field).index is not FieldType.index:  # NUMERIC, BOOLEAN…: their own terms
        return None
    if type(analyzer) is IDTokenizer and fmt is formats.Existence:  # ID fields: the value is the term
        def whole(value: str) -> dict[str, Any]:
            if not isinstance(value, str):
                raise ValueError("%r is not unicode or sequence" % value)  # (as FieldType.index)
            return {value: 1}
        return whole
    if not isinstance(analyzer, _OUR_TOKENIZERS) or fmt not in (formats.Positions, formats.Frequency):
        return None
    if fmt is formats.Positions:
        if hasattr(analyzer, "index_positions"):
            return analyzer.index_positions

        def positions(value: str) -> dict[str, Any]:
            found: dict[str, list[int]] = {}
            for t in analyzer(value, positions=True, boosts=True, mode="index"):
                found.setdefault(t.text, []).append(t.pos)
            return found
        return positions
    if hasattr(analyzer, "index_counts"):
        return analyzer.index_counts

    def counts(value: str) -> dict[str, Any]:
        found: dict[str, int] = {}
        for t in analyzer(value, boosts=True, mode="index"):
            found[t.text] = found.get(t.text, 0) + 1
        return found
    return counts


class _Postings(dict):
    """One field's postings being collected: term (str for our analyzers, bytes otherwise) → its docnums
    (an array, ascending), with `values[term]` their encoded values and `weights[term]` {docnum: weight}
    for a weight other than the one its value implies (`implied`). A new term gets its lists on first
    lookup (`__missing__`), so that adding a document's postings runs in C (`_post_found`)."""

    def __init__(self, fmt: Any) -> None:
        super().__init__()
        self.values: dict[Any, list[bytes]] = {}
        self.weights: dict[Any, dict[int, float]] = {}
        self.implied = ImpliedWeights(fmt)

    def __missing__(self, term: Any) -> array:
        docnums = self[term] = array("I")
        self.values[term] = []
        return docnums


class _Values(dict):
    """key (a position or a tuple of positions; a frequency) → the value `fmt` encodes for it, one shared
    bytes object per distinct value."""

    def __init__(self, fmt: Any) -> None:
        super().__init__()
        kind = type(fmt)
        self.encode = ((lambda key: fmt.encode((key,) if type(key) is int else key)) if kind is formats.Positions
                       else pack_uint if kind is formats.Frequency else (lambda key: emptybytes))

    def __missing__(self, key: Any) -> bytes:
        value = self[key] = self.encode(key)
        return value


_consume = deque(maxlen=0).extend
_append_docnum = array.append
_append_value = list.append
#: Short values of the other fields whose terms are remembered (dates, empty names…; see `_index_other`).
_REMEMBER_CHARS, _REMEMBER_VALUES = 64, 20_000


class BulkSegmentWriter(SegmentWriter):
    """A `SegmentWriter` (no lock of its own: `_lk=False`) for documents added in one go; see the module
    doc. Use `add_document`, then `_finalize_segment()` as with Whoosh's writer. Raises ValueError for a
    schema or codec it does not write as Whoosh would (`supports`)."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        if not supports(ix.schema, kwargs.get("codec") or default_codec()):
            raise ValueError("BulkSegmentWriter does not support this schema or codec")
        super().__init__(ix, _lk=False, **kwargs)
        self._fast = {name: _fast_indexer(field) for name, field in self.schema.items()}
        self._reset()

    def _reset(self) -> None:
        #: field name → its postings
        self._terms: dict[str, _Postings] = {}
        #: field name → length byte per docnum (scorable fields)
        self._lengths: dict[str, array] = {}
        #: format class → shared encoded values of our analyzers' fields
        self._values: dict[type, _Values] = {}
        #: the values of the other fields, one object for equal values (see `_post_items`)
        self._shared: dict[bytes, bytes] = {}
        #: (field name, short value) → what `field.index(value)` gave
        self._remembered: dict[tuple[str, str], list[Any]] = {}
        self._posting_count = 0

    def add_document(self, **fields: Any) -> None:
        """Add one document, as `SegmentWriter.add_document` does (same stored fields, columns, lengths
        and postings). Raises UnknownFieldError for a field the schema lacks; a document that fails
        leaves no postings behind."""
        self._check_state()
        perdocwriter, schema, docnum = self.perdocwriter, self.schema, self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        pending: list[tuple[str, Any, Any, float]] = []
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    fast = self._fast[fieldname]
                    if fast is not None:
                        found = fast(value)
                        length = sum(map(len, found.values()) if type(field.format) is formats.Positions
                                     else found.values())
                    else:
                        found = self._index_other(fieldname, field, value)
                        length = sum(freq for _t, freq, _w, _v in found)
                    if not field.scorable:
                        length = 0
                    pending.append((fieldname, field, found, self._field_boost(fields, fieldname, docboost)))
                customval = fields.get("_stored_%s" % fieldname, value)
                perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
                if length:
                    self._set_length(fieldname, docnum, length)
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        for fieldname, field, found, boost in pending:
            if found:
                postings = self._terms.get(fieldname)
                if postings is None:
                    postings = self._terms[fieldname] = _Postings(field.format)
                if self._fast[fieldname] is None:
                    self._post_items(postings, found, docnum, boost)
                elif boost != 1.0:
                    self._post_items(postings, self._items(field.format, found), docnum, boost)
                else:
                    self._post_found(postings, field.format, found, docnum)
        self._added = True
        self.docnum += 1

    def _index_other(self, fieldname: str, field: Any, value: Any) -> list[tuple[bytes, int, float, bytes]]:
        """`field.index(value)` as a list; remembered for short text values (they recur: dates, no name)."""
        if type(value) is not str or len(value) > _REMEMBER_CHARS:
            return list(field.index(value))
        key = (fieldname, value)
        items = self._remembered.get(key)
        if items is None:
            if len(self._remembered) >= _REMEMBER_VALUES:
                self._remembered.clear()
            items = self._remembered[key] = list(field.index(value))
        return items

    def _set_length(self, fieldname: str, docnum: int, length: int) -> None:
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            lengths = self._lengths[fieldname] = array("B")
        if len(lengths) < docnum:
            lengths.extend(bytes(docnum - len(lengths)))
        lengths.append(length_to_byte(length))

    def _values_of(self, fmt: Any) -> _Values:
        values = self._values.get(type(fmt))
        if values is None:
            values = self._values[type(fmt)] = _Values(fmt)
        return values

    def _post_found(self, postings: _Postings, fmt: Any, found: dict[str, Any], docnum: int) -> None:
        """Add the postings of {term: positions or frequency} (`_fast_indexer`), each with its encoded
        value and the weight that value implies (frequency × field boost, as `word_values` gives it). The
        hot loop of a rebuild, run in C: one lookup of the term and one of the value a posting."""
        if type(fmt) is formats.Positions:
            keys: Any = [at[0] if len(at) == 1 else tuple(at) for at in found.values()]
        else:
            keys = found.values()
        values = list(map(self._values_of(fmt).__getitem__, keys))
        _consume(map(_append_docnum, map(postings.__getitem__, found), repeat(docnum, len(found))))
        _consume(map(_append_value, map(postings.values.__getitem__, found), values))
        self._posting_count += len(found)

    def _items(self, fmt: Any, found: dict[str, Any]) -> list[tuple[Any, int, float, bytes]]:
        """(term, frequency, weight, value) of {term: positions or frequency}, as `word_values` gives them."""
        values, items = self._values_of(fmt), []
        positional = type(fmt) is formats.Positions
        for term, at in found.items():
            freq = len(at) if positional else at
            key = (at[0] if freq == 1 else tuple(at)) if positional else at
            weight = fmt.field_boost if type(fmt) is formats.Existence else float(freq) * fmt.field_boost
            items.append((term, freq, weight, values[key]))
        return items

    def _post_items(self, postings: _Postings, items: list[tuple[Any, int, float, bytes]], docnum: int,
                    boost: float) -> None:
        """Add (term, frequency, weight, value) postings as `field.index()` gives them: a weight other than
        the one its value implies is kept apart."""
        implied, shared = postings.implied, self._shared
        for term, _freq, weight, vbytes in items:
            weight *= boost
            vbytes = shared.setdefault(vbytes, vbytes)
            postings[term].append(docnum)
            postings.values[term].append(vbytes)
            if weight != implied[vbytes] or type(weight) is not type(implied[vbytes]):
                postings.weights.setdefault(term, {})[docnum] = weight
        self._posting_count += len(items)

    def estimated_bytes(self) -> int:
        """About how many bytes the postings held for this segment take (see the module doc)."""
        return (self._posting_count * POSTING_BYTES + sum(map(len, self._terms.values())) * TERM_BYTES
                + sum(map(len, self._values.values())) * VALUE_BYTES)

    # -- writing the segment ----------------------------------------------------------------------------
    def _flush_segment(self) -> None:
        """Write the per-document files, then every field's terms in order (as SegmentWriter._flush_segment
        with the sorted pool). This is where a segment's postings are complete on disk (before the
        segment's files are closed and, if compound, assembled by `_finalize_segment`)."""
        self.perdocwriter.close()
        fieldwriter: W3FieldWriter = self.fieldwriter
        lengths = self._lengths if self.codec.length_stats else {}
        for fieldname in sorted(self._terms):
            postings, fieldobj = self._terms[fieldname], self.schema[fieldname]
            fieldwriter.start_field(fieldname, fieldobj)
            write = TermWriter(fieldwriter, postings.implied, self.codec, lengths.get(fieldname))
            fast = self._fast[fieldname] is not None
            values, weights = postings.values, postings.weights
            for term in sorted(postings):
                write(term.encode("utf-8") if fast else term, postings[term], values[term], weights.get(term))
            fieldwriter.finish_field()
        fieldwriter.close()
        self._reset()
