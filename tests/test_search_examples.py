"""The search page's help examples and the did-you-mean, on the demo data, as a viewer would see them."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from models import User
from tests.search_support import find, keys
from tests.test_demo import demo_app, demo_template  # noqa: F401 — fixtures

#: Every example shown in the help box of the search page (templates/search/index.html).
HELP_EXAMPLES = ["客户 战略", '"铁三角"', "华为 OR 中兴", "云 NOT 私有云", "title:战略", "strateg*", "移",
                 "zgyd", "zhongguoyidong", "华东移动*", "移动ECMC", "Suzhou-ECMC"]


def _viewer(app):
    from kb.db import session

    return session.scalar(select(User).where(User.email == "viewer@demo.kb"))


@pytest.mark.parametrize("example", HELP_EXAMPLES)
def test_every_help_example_finds_something_for_a_viewer(demo_app, example):
    with demo_app.app_context():
        outcome = find(demo_app, example, _viewer(demo_app))
    assert outcome.message is None
    assert outcome.total >= 1, example



def test_a_typo_of_strategy_suggests_it_and_the_suggestion_finds_the_plans(demo_app):
    with demo_app.app_context():
        viewer = _viewer(demo_app)
        typo = find(demo_app, "stratgy", viewer)
        assert typo.total == 0 and typo.suggestion == "strategy"
        for word in ("strategy", "strategies"):
            found = find(demo_app, word, viewer)
            assert found.total >= 1
            assert {hit.type for hit in found.hits} == {"plan"}


def test_the_search_page_offers_the_suggestion_to_a_viewer(demo_app):
    from kb.demo import DEMO_PASSWORD
    client = demo_app.test_client()
    client.post("/login", data={"email": "viewer@demo.kb", "password": DEMO_PASSWORD})
    html = client.get("/search", query_string={"q": "stratgy"}).get_data(as_text=True)
    assert "search-suggestion" in html and "q=strategy" in html
