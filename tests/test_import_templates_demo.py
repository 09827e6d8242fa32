"""The sample row of every import template dry-runs cleanly on the demo data, for an admin and for the
AR of the group the sample names — a new user trying the template on the demo sees it work."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from kb.exchange.templates import template_workbook
from models import User
from tests.import_support import run
from tests.test_demo import demo_app, demo_template  # noqa: F401 — fixtures


@pytest.mark.parametrize("email", ["admin@demo.kb", "ar@demo.kb"])
@pytest.mark.parametrize("kind", ["accounts", "stakeholders", "interactions"])
def test_template_sample_dry_runs_on_the_demo(demo_app, tmp_path, kind, email):
    with demo_app.test_request_context():
        from kb.db import session
        author = session.scalar(select(User).where(User.email == email)).id
        data = template_workbook(kind, "zh")
    report = run(demo_app, tmp_path, data, kind=kind, author=author, name=f"{kind}.xlsx", dry_run=True)
    assert getattr(report, "ok", False) and report.rows == 1, getattr(report, "problems", report)
