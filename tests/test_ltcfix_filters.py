"""Lead to Cash lists refuse filter values they do not know (issue 10 fixes): the pages answer 422 saying
which filter and show no rows, like the API — never a silently unfiltered list."""
from __future__ import annotations

import html
import re

import pytest

from tests.api_support import world  # noqa: F401  # `world` is a fixture
from tests.test_ltc_pages import make_opportunity


def text(response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


@pytest.mark.parametrize("query, name, label", [
    ("status=nonsense", "status", "Status"), ("account=999999999999", "account", "Account"),
    ("account=abc", "account", "Account"),
])
def test_lead_list_page_and_api_refuse_a_bad_filter(app, client, world, login_as, query, name, label):
    make_opportunity(app, world, name="智慧园区一期")
    login_as(world.seated)
    page = client.get(f"/leads?{query}")
    assert page.status_code == 422
    assert "The list is not shown: a filter in the address is not valid." in text(page)
    assert re.search(rf"\b{label}:", text(page))  # the filter's label, not the parameter
    api = world.api(client, "seated").get(f"/leads?{query}")
    assert api.status_code == 422 and name in api.get_json()["error"]["fields"]


@pytest.mark.parametrize("url", ["/opportunities?stage=x", "/opportunities?status=won2",
                                 "/opportunities?key_project=maybe", "/opportunities?group=-1"])
def test_pipeline_page_refuses_a_bad_filter_and_shows_no_rows(app, client, world, login_as, url):
    make_opportunity(app, world, name="智慧园区一期")
    login_as(world.seated)
    page = client.get(url)
    assert page.status_code == 422
    assert "智慧园区一期" not in text(page)
    assert "The list is not shown" in text(page)


def test_account_lists_refuse_bad_filters(app, client, world, login_as):
    make_opportunity(app, world, name="智慧园区一期")
    login_as(world.seated)
    account = world.account.id
    assert client.get(f"/accounts/{account}/opportunities?stage=x").status_code == 422
    assert client.get(f"/accounts/{account}/leads?status=x").status_code == 422
    risks = client.get(f"/accounts/{account}/risks?all=perhaps")
    assert risks.status_code == 422 and "Show resolved too:" in text(risks)


def test_good_filters_still_filter_on_the_page(app, client, world, login_as):
    make_opportunity(app, world, name="智慧园区一期")
    make_opportunity(app, world, name="核心网扩容", status="won", stage="closed", close_reason="方案领先")
    login_as(world.seated)
    won = client.get("/opportunities?status=won")
    assert won.status_code == 200
    assert "核心网扩容" in text(won) and "智慧园区一期" not in text(won)
    key_checkbox = client.get("/opportunities?key_project=1")
    assert key_checkbox.status_code == 200 and "智慧园区一期" not in text(key_checkbox)
    assert client.get(f"/accounts/{world.account.id}/risks?all=1").status_code == 200


def test_api_accepts_the_pipeline_page_checkbox_value(client, world):
    api = world.api(client, "seated")
    assert api.get("/opportunities?key_project=1").status_code == 200
