"""Numbers on the LTC and watches pages as a Chinese finance reader expects them (issue 10 fixes): amounts
thousands-separated with their currency, win probability with %, plan targets in their unit, empty as —."""
from __future__ import annotations

from decimal import Decimal

import pytest

from kb import formatting
from tests.api_support import world  # noqa: F401  # `world` is a fixture
from tests.test_ltc_pages import make_opportunity, text


def test_win_probability_shows_a_percent_sign_on_the_opportunity_and_the_pipeline(app, client, world,
                                                                                    login_as):
    opp_id = make_opportunity(app, world, win_probability=60, amount="5000000")
    make_opportunity(app, world, name="待评估")
    login_as(world.seated)
    page = text(client.get(f"/opportunities/{opp_id}"))
    assert "60%" in page and "5,000,000.00 CNY" in page
    pipeline = text(client.get("/opportunities"))
    assert "60%" in pipeline and "5,000,000.00 CNY" in pipeline
    assert "—" in pipeline  # the other one has no probability


@pytest.mark.parametrize("value, unit, shown", [
    (Decimal("5000"), "万元", "5,000 万元"), (Decimal("35.50"), "%", "35.5%"), (Decimal("3000000"), "CNY",
                                                                                "3,000,000.00 CNY"),
    (Decimal("1234567.25"), "", "1,234,567.25"), (None, "万元", "—"),
])
def test_number_filter(value, unit, shown):
    assert formatting.number(value, unit) == shown


def test_money_and_percent_filters():
    assert formatting.money(Decimal("1250000"), "USD") == "1,250,000.00 USD"
    assert formatting.money(None, "CNY") == "—"
    assert formatting.percent(60) == "60%" and formatting.percent(None) == "—"
