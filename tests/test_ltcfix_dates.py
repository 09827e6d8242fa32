"""One date rule for visits and Lead to Cash records (kb/services/dates.py), with the horizon as a parameter:
a visit may be a year ahead, an LTC date ten years; both refuse 1979 and a datetime with the same words."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from kb import clock
from kb.services import interactions, ltc_checks
from kb.services.dates import checked_day


def test_visit_and_ltc_dates_share_the_rule_but_not_the_horizon(app):
    with app.test_request_context():
        two_years = clock.today() + timedelta(days=2 * 366)
        visit: dict[str, str] = {}
        interactions._check_date(two_years, "occurred_on", visit, required=True)
        assert visit == {"occurred_on": "This date is more than a year ahead; check the year."}
        ltc: dict[str, str] = {}
        assert ltc_checks.day(two_years, "due_on", ltc) == two_years and ltc == {}
        ltc_checks.day(clock.today() + timedelta(days=11 * 366), "due_on", ltc)
        assert ltc == {"due_on": "This date is more than ten years ahead; check the year."}


@pytest.mark.parametrize("value, message", [
    (date(1979, 12, 31), "Enter a date after 1980-01-01."), (datetime(2026, 1, 1), "Enter a valid date (YYYY-MM-DD)."),
    (None, "Enter a date."),
])
def test_both_checks_refuse_the_same_input_with_the_same_words(app, value, message):
    with app.test_request_context():
        visit: dict[str, str] = {}
        ltc: dict[str, str] = {}
        interactions._check_date(value, "d", visit, required=True)
        ltc_checks.day(value, "d", ltc, required=True)
        mine: dict[str, str] = {}
        checked_day(value, "d", mine, required=True, horizon=timedelta(days=1), too_far="far")
        assert visit == ltc == mine == {"d": message}
