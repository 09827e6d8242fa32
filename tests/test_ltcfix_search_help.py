"""The search page's help lists every kind of record the search accepts (`type:`), generated from the one
list in kb/search, and every example it shows finds something on the demo data (issue 10 fixes)."""
from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from kb.search.schema import DOC_TYPES
from models import User
from tests.search_support import find
from tests.test_demo import demo_app, demo_template  # noqa: F401 — fixtures
from views.search.forms import TYPE_LABELS

#: Kinds a viewer never sees on the demo data (private notes are the account team's), searched as the AR.
TEAM_ONLY = {"type:stakeholder_note": "ar@demo.kb"}


def _help_examples(demo_app, email: str = "viewer@demo.kb") -> list[str]:
    from kb.demo import DEMO_PASSWORD
    client = demo_app.test_client()
    client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    page = client.get("/search", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    box = page[page.index('class="card search-help"'):]
    box = box[:box.index("</section>")]
    return [html.unescape(code) for code in re.findall(r"<code>(.*?)</code>", box)]


def _user(email: str):
    from kb.db import session
    return session.scalar(select(User).where(User.email == email))


def test_help_lists_every_searchable_kind_with_its_label(demo_app):
    # the account team's reader is offered every kind; a viewer every kind but private notes, which they can
    # never find (session 7: an example in the help must find something for its reader)
    kinds = [e for e in _help_examples(demo_app, "ar@demo.kb") if e.startswith("type:")]
    assert kinds == [f"type:{kind}" for kind in DOC_TYPES]
    examples = _help_examples(demo_app)
    assert [e for e in examples if e.startswith("type:")] == [
        f"type:{kind}" for kind in DOC_TYPES if f"type:{kind}" not in TEAM_ONLY]
    assert {"type:lead", "type:opportunity", "type:risk"} <= set(examples)
    assert set(TYPE_LABELS) == set(DOC_TYPES)


def test_every_example_in_the_help_finds_something_on_the_demo_data(demo_app):
    examples = _help_examples(demo_app)
    assert len(examples) >= len(DOC_TYPES) + 8
    empty = []
    with demo_app.app_context():
        for example in examples:
            outcome = find(demo_app, example, _user(TEAM_ONLY.get(example, "viewer@demo.kb")))
            if outcome.message is not None or outcome.total < 1:
                empty.append(example)
    assert empty == []


@pytest.mark.parametrize("kind", ["lead", "opportunity", "risk"])
def test_a_type_example_finds_only_that_kind(demo_app, kind):
    with demo_app.app_context():
        outcome = find(demo_app, f"type:{kind}", _user("viewer@demo.kb"))
    assert outcome.total >= 1 and {hit.type for hit in outcome.hits} == {kind}
