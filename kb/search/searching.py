"""Running a search for one reader: access filter, filters, facets with counts, snippets, did-you-mean.

Access is part of the query itself (it excludes what the reader may not see), so hits, totals, facet
counts and suggestions can only ever count documents the reader may see: non-admins see documents with
`org` visibility plus every document of the accounts on whose team they are (kb.policy.team_account_ids).
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import g
from flask_babel import gettext as _
from whoosh import query as wq
from whoosh.searching import Results, Searcher
from whoosh.sorting import Count, FieldFacet

from .. import policy
from ..db import session
from . import get_index
from .carryover import older_view, ranked
from .documents import doc_key
from .facets import count_by_segment
from .fastpath import count_matching, top_and_total
from .freshness import Freshness
from .index import IndexUnavailable
from .query import parse_user_query, with_exact_name_bonus
from .schema import DOC_TYPES, FACET_FIELDS, META_TYPE
from .segcache import CACHE, ids_size, segment_key
from .snippets import Segments, make_snippet, query_needles
from .ties import fetch_limit, page_of_hits

logger = logging.getLogger(__name__)

SORTS = ("relevance", "newest")
MAX_PER_PAGE = 100


@dataclass
class SearchParams:
    """What the reader asked for (already checked for shape by the view)."""

    q: str = ""
    types: tuple[str, ...] = ()
    group: str = ""
    industry: str = ""
    region: str = ""
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    include_archived: bool = False


@dataclass
class SearchHit:
    """One result, with everything a page or the API shows."""

    key: str
    type: str
    id: int
    account_id: int
    title: str
    date: date | None
    period: str
    score: float
    snippet: Segments


@dataclass
class SearchOutcome:
    params: SearchParams
    total: int = 0
    hits: list[SearchHit] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    message: str | None = None
    suggestion: str | None = None
    searched: bool = False
    #: How far the index searched was behind (None: no search ran); `unavailable`: there was no index.
    freshness: Freshness | None = None
    unavailable: bool = False

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.params.per_page))


@dataclass
class Scope:
    """Limits on a search: documents must match every `required` query and none of the `excluded`."""

    required: list[wq.Query] = field(default_factory=list)
    excluded: list[wq.Query] = field(default_factory=list)

    def narrowed(self, required: list[wq.Query]) -> Scope:
        return Scope(required=self.required + required, excluded=self.excluded)


def hidden_query(user: Any) -> wq.Query | None:
    """The documents `user` may not see (None: none). Cached for the rest of the request."""
    if policy.is_admin(user):
        return None
    cache: dict[Any, wq.Query] = g.setdefault("kb_search_hidden", {})
    uid = getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None
    if uid not in cache:
        if uid is None:
            cache[uid] = wq.Every()
        else:
            granted = policy.project_search_grants(user)
            cache[uid] = hidden_for_team(session.scalars(policy.team_account_ids(user)).all(),
                                         [doc_key(t, i) for t, ids in granted.items() for i in ids])
    return cache[uid]


def hidden_for_team(team_account_ids: list[int], granted_keys: list[str] | None = None) -> wq.Query:
    """Team-only documents of accounts outside the given ones (what a reader on those teams may not see),
    except the documents of `granted_keys` (e.g. ``opportunity:7`` for a project-triangle seat,
    kb.policy.project_search_grants).

    Excluding this small set is much cheaper than requiring the large set of visible documents."""
    team_only = wq.Term("visibility", "team")
    seen = [wq.Term("account_id", str(i)) for i in team_account_ids]
    seen += [wq.Term("key", key) for key in granted_keys or ()]
    if not seen:
        return team_only
    return wq.AndNot(team_only, wq.Or(seen))


def _base_scope(params: SearchParams, user: Any) -> Scope:
    scope = Scope()
    hidden = hidden_query(user)
    if hidden is not None:
        scope.excluded.append(hidden)
    if not params.include_archived:
        scope.excluded.append(wq.Term("archived", "1"))
    if params.date_from or params.date_to:
        # Explicit bounds: open-ended numeric ranges are unreliable in whoosh-reloaded 2.7.5.
        low = _day(params.date_from) if params.date_from else 1
        high = _day(params.date_to) if params.date_to else 99991231
        scope.required.append(wq.NumericRange("date", low, high))
    return scope


def _facet_filters(params: SearchParams) -> list[wq.Query]:
    filters: list[wq.Query] = []
    if params.types:
        filters.append(wq.Or([wq.Term("type", t) for t in params.types]))
    for name, value in (("group_id", params.group), ("industry", params.industry), ("region", params.region)):
        if value:
            filters.append(wq.Term(name, value))
    return filters


def restrict(q: wq.Query, scope: Scope) -> wq.Query:
    """`q` AND every required query of `scope` (which add no score). Exclusions are applied as a mask."""
    if not scope.required:
        return q
    return wq.And([q, wq.ConstantScoreQuery(wq.And(scope.required), score=0.0)])


def excluded_docs(searcher: Searcher, scope: Scope) -> set[int]:
    """Document numbers `scope` excludes, always with the bookkeeping document.

    Computed per segment and kept in the shared segment cache (segcache.py, bounded by size): a new index
    generation recomputes only its new segments (deleted documents never match, so a segment's set stays
    valid as its deletions grow). The whole-index set is assembled once per searcher (a small map per
    searcher, bounded by count and total size)."""
    queries = [wq.Term("type", META_TYPE), *scope.excluded]
    key = tuple(repr(q) for q in queries)
    cache: dict[tuple[str, ...], set[int]] = searcher.__dict__.setdefault("_kb_excluded", {})
    hit = cache.get(key)
    if hit is not None:
        return hit
    docs: set[int] = set()
    for sub, offset in searcher.leaf_searchers():
        ids = _segment_excluded(sub, queries, key)
        docs.update(ids if not offset else (d + offset for d in ids))
    held = sum(map(len, cache.values())) + len(docs)
    if len(cache) >= EXCLUDED_PER_SEARCHER or held > EXCLUDED_DOCS_PER_SEARCHER:
        cache.clear()
    cache[key] = docs
    return docs


#: Whole-index exclusion sets kept per searcher: at most this many, holding at most this many documents.
EXCLUDED_PER_SEARCHER = 64
EXCLUDED_DOCS_PER_SEARCHER = 2_000_000


def _excluding(scope: Scope) -> tuple[list[wq.Query], tuple[str, ...]]:
    """The queries whose documents `scope` leaves out (the bookkeeping document always), and their key."""
    queries = [wq.Term("type", META_TYPE), *scope.excluded]
    return queries, tuple(repr(q) for q in queries)


def _segment_excluded(sub: Searcher, queries: list[wq.Query], key: tuple[str, ...]) -> frozenset[int]:
    """Documents of one leaf searcher's segment matched by any of `queries` (deleted ones included)."""
    segid = segment_key(sub.reader())

    def compute() -> frozenset[int]:
        # Read without the segment's deletions, so the set is the same whenever it is computed (answers
        # carried over from older deletions rely on it: carryover.newly_gone).
        whole = older_view(sub, frozenset()) or sub
        docs: set[int] = set()
        for q in queries:
            docs.update(q.docs(whole))
        return frozenset(docs)

    if segid is None:
        return compute()
    return CACHE.get_or_compute(("excluded", segid, key), compute, ids_size)


#: Ranked answers (top hits and exact total) kept per searcher, i.e. per index generation: the same query
#: in the same scope (a team paging, or many readers searching a common word) is ranked once.
RANKED_PER_SEARCHER = 256
#: Only answers of at most this many hits are kept (deep pages are ranked each time).
RANKED_MAX_LIMIT = 1000


def run_scoped(searcher: Searcher, q: wq.Query, scope: Scope, *, limit: int | None,
               **kwargs: Any) -> tuple[Any, int]:
    """The top `limit` results of `q` within `scope`, and the exact number of documents it matches.

    (`len(results)` of a limited Whoosh search is not exact: its collector drops sub-queries that cannot
    reach the top N.)"""
    final = restrict(q, scope)
    if not kwargs:
        key = (repr(final), repr(scope.excluded), limit)
        cache: dict[Any, tuple[list[Any], int]] = searcher.__dict__.setdefault("_kb_ranked", {})
        hit = cache.get(key)
        if hit is not None:
            return Results(searcher, final, list(hit[0])), hit[1]
        # Carried over from the last index generation, segment by segment (carryover.py).
        queries, excluded_key = _excluding(scope)
        carried = ranked(searcher, final, (repr(final), excluded_key),
                         lambda sub: _segment_excluded(sub, queries, excluded_key), limit)
        if carried is not None:
            if len(cache) >= RANKED_PER_SEARCHER:
                cache.clear()
            cache[key] = (carried[0], carried[1])
            return Results(searcher, final, list(carried[0])), carried[1]
        mask = excluded_docs(searcher, scope)
        fast = top_and_total(searcher, final, mask, limit)
        if fast is not None:
            if limit is not None and limit <= RANKED_MAX_LIMIT:
                if len(cache) >= RANKED_PER_SEARCHER:
                    cache.clear()
                cache[key] = (list(fast[0].top_n), fast[1])
            return fast
    mask = excluded_docs(searcher, scope)
    results = searcher.search(final, limit=limit, mask=mask, terms=False, **kwargs)
    total = count_matching(searcher, final, mask)
    return results, total


def _day(value: date) -> int:
    return value.year * 10000 + value.month * 100 + value.day


def _date(value: Any) -> date | None:
    try:
        value = int(value)
        return date(value // 10000, value // 100 % 100, value % 100) if value else None
    except (TypeError, ValueError):
        return None


def search(params: SearchParams, user: Any, *, with_facets: bool = True) -> SearchOutcome:
    """Search for `user`; malformed queries give a message, never an exception."""
    outcome = SearchOutcome(params=params)
    parsed = parse_user_query(params.q)
    outcome.message = parsed.message
    if parsed.query is None:
        return outcome
    index = get_index()
    try:
        searcher = index.searcher()
    except IndexUnavailable:
        outcome.unavailable = True
        outcome.message = search_unavailable_message()
        return outcome
    outcome.freshness = index.freshness()
    base = _base_scope(params, user)
    sort = {"sortedby": "date", "reverse": True} if params.sort == "newest" else {}
    ranked = parsed.query
    if params.sort == "relevance":  # a name as typed: "Procter and Gamble"; 华东移动通信有限公司 with its form
        ranked = with_exact_name_bonus(parsed.query, parsed.name_text or parsed.text, params.q)
    limit = params.page * params.per_page if sort else fetch_limit(params.page, params.per_page)
    results, outcome.total = run_scoped(searcher, ranked, base.narrowed(_facet_filters(params)),
                                        limit=limit, **sort)
    outcome.searched = True
    terms, prefixes = query_needles(parsed.query)
    start = (params.page - 1) * params.per_page
    if sort:
        page = [(hit.fields(), hit.score or 0.0) for hit in results[start:start + params.per_page]]
    else:  # equal scores in a stable, meaningful order (ties.py), not the index's document order
        page = page_of_hits(results, start, params.per_page, total=outcome.total)
    for fields, score in page:
        outcome.hits.append(_hit(fields, score, terms, prefixes))
    if with_facets:
        outcome.facets = facet_counts(searcher, parsed.query, base)
    from .suggestions import suggest  # (it runs scoped searches: searching → suggestions → searching)
    # Only when it helps (few or no hits, and the corrected query finds more): see suggestions.py.
    outcome.suggestion = suggest(searcher, parsed.text, base, found=outcome.total)
    return outcome


def _hit(fields: dict[str, Any], score: float, terms: set[str], prefixes: set[str]) -> SearchHit:
    return SearchHit(
        key=fields["key"], type=fields["type"], id=int(fields["doc_id"]),
        account_id=int(fields["account_id"]),
        title=fields.get("title") or "", date=_date(fields.get("date")), period=fields.get("period") or "",
        score=round(float(score), 4), snippet=make_snippet(fields.get("body") or "", terms, prefixes),
    )


def facet_counts(searcher: Searcher, q: wq.Query, scope: Scope) -> dict[str, dict[str, int]]:
    """Counts per value of each facet field over every document `q` matches within `scope`. Cached on
    the searcher (so paging through results counts once per index generation)."""
    key = (repr(q), repr(scope.required), repr(scope.excluded))
    cache: dict[tuple[str, ...], dict[str, dict[str, int]]] = searcher.__dict__.setdefault("_kb_facets", {})
    if key not in cache:
        if len(cache) > 200:
            cache.clear()
        cache[key] = _count_facets(searcher, q, scope)
    return cache[key]


def _count_facets(searcher: Searcher, q: wq.Query, scope: Scope) -> dict[str, dict[str, int]]:
    queries, key = _excluding(scope)
    restricted = restrict(q, scope)
    fast = count_by_segment(searcher, restricted, FACET_FIELDS,
                            lambda sub: _segment_excluded(sub, queries, key), key=(repr(restricted), key))
    groups_of: dict[str, Any]
    if fast is not None:
        groups_of = fast
    else:
        facets = {name: FieldFacet(name, maptype=Count) for name in FACET_FIELDS}
        results = searcher.search(restrict(q, scope), limit=None, scored=False, groupedby=facets,
                                  terms=False, mask=excluded_docs(searcher, scope))
        groups_of = {name: results.groups(name) for name in FACET_FIELDS}
    counts: dict[str, dict[str, int]] = {}
    for name in FACET_FIELDS:
        groups = groups_of[name]
        values = {(k.decode() if isinstance(k, bytes) else str(k)): int(v) for k, v in groups.items() if k}
        if name == "type":
            values = {t: values[t] for t in DOC_TYPES if t in values}
        else:
            values = dict(sorted(values.items(), key=lambda kv: (-kv[1], kv[0])))
        counts[name] = values
    return counts


def search_unavailable_message() -> str:
    """The message shown when there is no index to search (missing, and it cannot be rebuilt now)."""
    return _("Search is unavailable right now: the search index is missing and is being rebuilt or could "
             "not be rebuilt (for example, the disk is full). Please try again in a few minutes.")


def search_message_for_bad_filter() -> str:
    """The message shown when a filter value was not understood."""
    return _("Some filters were not understood and were ignored.")
