"""The |date filter (kb.templating.fmt_date) writes the same text as Babel's "yyyy-MM-dd" and
"yyyy-MM-dd HH:mm" patterns did, in both UI languages and the configured zone (issue 9: written directly)."""
from datetime import date, datetime, timezone

import pytest
from flask_babel import format_date, format_datetime

from kb import clock
from kb.templating import fmt_date

DATES = [date(2026, 11, 30), date(2027, 1, 1), date(2024, 2, 29), date(999, 3, 4), date(1, 1, 1),
         date(9999, 12, 31)]
MOMENTS = [datetime(2026, 11, 30, 23, 59, tzinfo=timezone.utc),
           datetime(2026, 12, 31, 16, 5, tzinfo=timezone.utc),
           datetime(2026, 6, 1, 0, 0), datetime(2025, 3, 9, 7, 30, 59, 999999, tzinfo=timezone.utc)]


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_fmt_date_equals_babel(app, language):
    with app.test_request_context("/", headers={"Accept-Language": language}):
        for day in DATES:
            assert fmt_date(day) == format_date(day, "yyyy-MM-dd")
        for moment in MOMENTS:
            assert fmt_date(moment) == format_datetime(clock.local(moment), "yyyy-MM-dd HH:mm", rebase=False)
        assert fmt_date(None) == ""
        assert fmt_date(date(2026, 3, 5)) == "2026-03-05"


def test_fmt_date_uses_the_configured_zone(app):
    with app.test_request_context("/"):
        late = datetime(2026, 11, 30, 23, 30, tzinfo=timezone.utc)
        local = clock.local(late)
        assert fmt_date(late) == local.strftime("%Y-%m-%d %H:%M")
