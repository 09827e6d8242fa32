"""WTForms' own messages reach a zh_CN reader in Chinese on every form of the product (issue 10 fixes): the
query-string forms (meeting pack, filters) as well as the posted ones; English readers keep English."""
from __future__ import annotations

import html
import re

import pytest
import wtforms

from kb import inputs
from tests.api_support import world  # noqa: F401  # `world` is a fixture
from tests.test_ltc_pages import make_opportunity, opp_form

ZH = {"Accept-Language": "zh-CN"}
EN = {"Accept-Language": "en"}


def text(response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


@pytest.mark.parametrize("headers, shown, hidden", [
    (ZH, "不是有效的选择", "Not a valid choice."), (EN, "Not a valid choice.", "不是有效的选择"),
])
def test_meeting_pack_bad_meeting_type_in_the_readers_language(client, world, login_as, headers, shown,
                                                                hidden):
    login_as(world.seated)
    page = client.get("/meeting-pack?meeting=nonsense", headers=headers)
    assert page.status_code == 422
    assert shown in text(page) and hidden not in text(page)


@pytest.mark.parametrize("headers, shown, hidden", [
    (ZH, "不是有效的日期值", "Not a valid date value."), (EN, "Not a valid date value.", "不是有效的日期值"),
])
def test_meeting_pack_bad_date_in_the_readers_language(client, world, login_as, headers, shown, hidden):
    login_as(world.seated)
    page = client.get("/meeting-pack?since=2026-13-45", headers=headers)
    assert page.status_code == 422
    assert shown in text(page) and hidden not in text(page)


@pytest.mark.parametrize("headers, shown, hidden", [
    (ZH, "不是有效的整数", "Not a valid integer value."), (EN, "Not a valid integer value.", "不是有效的整数"),
])
def test_opportunity_form_bad_probability_in_the_readers_language(app, client, world, login_as, headers,
                                                                   shown, hidden):
    opp_id = make_opportunity(app, world)
    login_as(world.seated)
    page = client.post(f"/opportunities/{opp_id}/edit", headers=headers,
                       data=opp_form(win_probability="七成", version="1"))
    assert page.status_code == 422
    assert shown in text(page) and hidden not in text(page)


def test_required_title_in_chinese_on_the_lead_form(client, world, login_as):
    login_as(world.seated)
    page = client.post(f"/leads/new?account={world.account.id}", headers=ZH,
                       data={"title": "", "source": "customer_request", "currency": "CNY", "owner_id": "0",
                             "status": "new", "visibility": "org"})
    assert page.status_code == 422
    assert "This field is required." not in text(page)
    assert "必填" in text(page)


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def test_every_form_of_the_product_uses_the_input_rules_and_their_translations(app):
    ours = [c for c in _all_subclasses(wtforms.Form) if c.__module__.startswith(("views.", "kb."))]
    assert len(ours) > 20
    bare = [f"{c.__module__}.{c.__name__}" for c in ours
            if c.__module__ != "kb.inputs" and not issubclass(c, (inputs.FlaskForm, inputs.Form))]
    assert bare == []
