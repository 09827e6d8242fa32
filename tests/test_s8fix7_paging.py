"""Paging through many equal scores (issue 7 of session 8, tester's defect 1): walking every page shows
every hit exactly once, in the order of one big page, on the page and in the API; small groups of equal
scores are still newest first (tests/test_s8query7_ranking.py)."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from kb.search.ties import TIE_LOOKAHEAD
from models import UserRole
from tests.search_support import find


@pytest.fixture
def viewer(create_user):
    return create_user(role=UserRole.VIEWER, name="查看者")


@pytest.fixture
def many(app, create_account, create_interaction):
    """45 visits with the same text (one tie group larger than TIE_LOOKAHEAD, dates in no id order) and
    three with a text scoring differently, over two accounts."""
    north, south = create_account(name="锦程物流"), create_account(name="远航航运")
    made = []
    for n in range(45):
        made.append(create_interaction(north if n % 2 else south, title="同分拜访", summary="讨论冷链仓储扩容。",
                                       occurred_on=date(2026, 1, 1) + timedelta(days=(n * 17) % 40)))
    for n in range(3):
        made.append(create_interaction(north, title="冷链仓储 冷链仓储", summary="冷链仓储 冷链仓储 冷链仓储",
                                       occurred_on=date(2026, 2, n + 1)))
    assert 45 > TIE_LOOKAHEAD
    return [f"interaction:{i.id}" for i in made]


def _walk(app, q, user, per_page):
    seen, page = [], 1
    while True:
        found = find(app, q, user, per_page=per_page, page=page)
        seen += [h.key for h in found.hits]
        if page >= found.pages:
            return seen, found.total
        page += 1


@pytest.mark.parametrize("q", ["type:interaction", "冷链仓储", "region:华东", "NOT 不存在的词"])
@pytest.mark.parametrize("per_page", [5, 20])
def test_walking_every_page_shows_every_hit_once_in_the_order_of_one_page(app, viewer, many, q, per_page):
    whole = [h.key for h in find(app, q, viewer, per_page=100).hits]
    seen, total = _walk(app, q, viewer, per_page)
    assert total == len(whole) >= 48
    assert set(many) <= set(seen)
    assert len(seen) == len(set(seen)) == total
    assert seen == whole


def test_the_better_scores_come_first_and_in_newest_first_order(app, viewer, many):
    found = find(app, "冷链仓储", viewer, per_page=5)
    assert [h.key for h in found.hits[:3]] == [many[47], many[46], many[45]]  # Feb 3, 2, 1
    assert found.hits[2].score > found.hits[3].score


def _api_keys(client, **args):
    body = client.get("/api/v1/search", query_string=args).get_json()
    return [f"{r['type']}:{r['id']}" for r in body["results"]], body


@pytest.mark.parametrize("per_page", [5, 20])
def test_the_api_pages_show_every_hit_once(client, login_as, viewer, many, per_page):
    login_as(viewer)
    whole, _ = _api_keys(client, q="type:interaction", per_page=100)
    seen = []
    for page in range(1, len(whole) // per_page + 2):
        keys, body = _api_keys(client, q="type:interaction", per_page=per_page, page=page)
        seen += keys
    assert len(whole) == 48
    assert seen == whole


def test_the_search_page_pages_show_every_hit_once(client, login_as, viewer, many):
    login_as(viewer)
    seen = []
    for page in range(1, 4):
        html = client.get("/search", query_string={"q": "type:interaction", "page": page}).get_data(as_text=True)
        seen += re.findall(r'class="hit-title" href="/interactions/(\d+)"', html)
    assert sorted(f"interaction:{i}" for i in seen) == sorted(many)
    assert len(seen) == 48


@pytest.mark.parametrize("q", ["type:interaction", "冷链仓储"])
def test_sorted_by_newest_every_page_walk_shows_every_hit_once(app, viewer, many, q):
    whole = [h.key for h in find(app, q, viewer, per_page=100, sort="newest").hits]
    seen, page = [], 1
    while True:
        found = find(app, q, viewer, per_page=5, page=page, sort="newest")
        seen += [h.key for h in found.hits]
        if page >= found.pages:
            break
        page += 1
    assert len(whole) == 48 and seen == whole
    dates = [h.date for h in find(app, q, viewer, per_page=100, sort="newest").hits]
    assert dates == sorted(dates, reverse=True)
