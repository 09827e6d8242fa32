"""Did-you-mean for pinyin typos (issue 7 §2–3, session 10; a fresh tester's report): `yinhnag` and
`zhongguoyidog` found nothing and suggested nothing, while English typos were corrected. A word of six
letters or more with no English correction is offered the nearest pinyin form of a name the reader may
see, made of whole syllables (kb.search.suggestions._pinyin_candidate); initials are not (`zzq`)."""
from __future__ import annotations

import pytest

from models import UserRole
from tests.search_support import find


@pytest.fixture
def viewer(create_user, create_account):
    create_account(name="长沙银行")
    create_account(name="中国移动")
    return create_user(role=UserRole.VIEWER)


@pytest.mark.parametrize("typed, meant", [("yinhnag", "yinhang"), ("zhongguoyidog", "zhongguoyidong"),
                                          ("changshayinhnag", "changshayinhang"), ("中国 yindong", "中国 yidong")])
def test_a_pinyin_typo_suggests_the_name_s_pinyin(app, viewer, typed, meant):
    outcome = find(app, typed, viewer)
    assert outcome.total == 0 and outcome.suggestion == meant
    assert find(app, meant, viewer).total == 1


@pytest.mark.parametrize("typed", ["zzq", "csyhx", "yinhang", "xyzxyzxyz"])
def test_no_pinyin_suggestion_for_initials_found_words_or_nothing_near(app, viewer, typed):
    assert find(app, typed, viewer).suggestion is None


def test_the_page_offers_it(client, login_as, viewer):
    login_as(viewer)
    html = client.get("/search", query_string={"q": "yinhnag"}).get_data(as_text=True)
    assert "search-suggestion" in html and "q=yinhang" in html
