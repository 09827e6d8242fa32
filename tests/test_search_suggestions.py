"""Did-you-mean only when it helps, and only with words the reader may see (issue 7 §4, the tester's D4/D8),
on the demo data as the readers would see it (kb/search/suggestions.py)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from models import User, UserRole
from tests.search_support import find
from tests.test_demo import demo_app, demo_template  # noqa: F401 — fixtures

#: The tester's queries that found the right record(s): a pinyin form, pinyin initials, a prefix…
FOUND_SOMETHING = ["yidong", "huadong", "hlh", "xwj", "lxf", "kdm", "oym", "cjyh", "majun", "tianye", "wujin",
                   "yatong", "man"]
#: The tester's queries that find nothing and have no near word worth offering (were zhi, sla, xtl, zhi).
NOTHING_NEAR = ["zzq", "sxx", "xxd", "zly", "曾志强 OR zzq OR zengzhiqiang"]


def _user(email: str):
    from kb.db import session

    return session.scalar(select(User).where(User.email == email))


@pytest.mark.parametrize("q", FOUND_SOMETHING)
def test_no_suggestion_when_the_query_found_its_records(demo_app, q):
    with demo_app.app_context():
        outcome = find(demo_app, q, _user("viewer@demo.kb"))
    assert outcome.total >= 1, q
    assert outcome.suggestion is None, (q, outcome.suggestion)


@pytest.mark.parametrize("q", NOTHING_NEAR)
def test_no_far_fetched_suggestion_for_initials_that_find_nothing(demo_app, q):
    with demo_app.app_context():
        outcome = find(demo_app, q, _user("viewer@demo.kb"))
    assert outcome.total == 0
    assert outcome.suggestion is None, (q, outcome.suggestion)


def test_a_real_typo_is_corrected_and_never_a_word_that_found_hits(demo_app):
    with demo_app.app_context():
        viewer = _user("viewer@demo.kb")
        assert find(demo_app, "stratgy", viewer).suggestion == "strategy"
        assert find(demo_app, "jiangou", viewer).suggestion == "jianguo"  # "Zhou Jianguo" is on the person
        # strategy found the plans: the typo beside it is not "corrected" into a query finding no more.
        both = find(demo_app, "strategy OR stratgy", viewer)
        assert both.total >= 1 and both.suggestion is None
        # The pinyin word that found its record stays as typed.
        assert find(demo_app, "yidong", viewer).suggestion is None


@pytest.mark.parametrize("email", ["viewer@demo.kb", "linna@demo.kb"])
def test_a_token_only_a_team_only_note_holds_is_never_suggested(demo_app, email):
    # zhou.jianguo@… is the e-mail in 周建国's private (team-only) contact notes;
    # 'Zhou Jianguo' is public.
    with demo_app.app_context():
        outcome = find(demo_app, "zhou.jiangou", _user(email))
    assert outcome.total == 0 and outcome.suggestion is None


def test_the_team_of_the_account_is_offered_the_token_it_may_see(demo_app):
    with demo_app.app_context():
        member = _user("guojun@demo.kb")
        assert find(demo_app, "zhou.jiangou", member).suggestion == "zhou.jianguo"
        assert find(demo_app, "zhou.jianguo", member).total >= 1
        assert find(demo_app, "zhou.jiangou", _user("admin@demo.kb")).suggestion == "zhou.jianguo"


def test_page_and_api_show_the_suggestion_only_when_it_helps(demo_app):
    from kb.demo import DEMO_PASSWORD

    client = demo_app.test_client()
    client.post("/login", data={"email": "viewer@demo.kb", "password": DEMO_PASSWORD})
    html = client.get("/search", query_string={"q": "yidong"}).get_data(as_text=True)
    assert "search-suggestion" not in html
    html = client.get("/search", query_string={"q": "stratgy"}).get_data(as_text=True)
    assert "search-suggestion" in html and "q=strategy" in html
    body = client.get("/api/v1/search", query_string={"q": "zhou.jiangou"}).get_json()
    assert body["total"] == 0 and body["suggestion"] is None
    body = client.get("/api/v1/search", query_string={"q": "hlh"}).get_json()
    assert body["total"] >= 1 and body["suggestion"] is None


def test_work_per_query_is_bounded_whatever_its_length(app, create_user, create_account, create_interaction,
                                                        monkeypatch):
    from kb.search import suggestions

    admin = create_user(role=UserRole.ADMIN)
    create_interaction(create_account(name="国家电网"), title="复盘", summary="strategy acquisition rollout")
    calls = []
    real = suggestions._count
    monkeypatch.setattr(suggestions, "_count", lambda *a: calls.append(1) or real(*a))
    typos = " OR ".join(f"stratgy{'x' * (n % 3)}q{n}.acqusition.rolout" for n in range(40))
    find(app, typos, admin)
    assert 0 < len(calls) <= suggestions.MAX_LOOKUPS
    calls.clear()
    assert find(app, "stratgy", admin).suggestion == "strategy"
    assert len(calls) <= 1 + 1 + suggestions.SUGGEST_CANDIDATES + 1
