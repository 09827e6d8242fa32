"""Every page, filled with the demo data, opens in Chromium without a server error, a JavaScript error, a
Content-Security-Policy violation or a missing stylesheet, script or image. Pages are found from the URL
map, so pages added later are covered too."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from kb.demo import DEMO_PASSWORD, load_demo
from models import (
    Account, AccountPlan, Contract, ContractMilestone, CustomerGroup, ImportRun, Interaction, Lead, Opportunity,
    ReferenceValue, Risk, Stakeholder, User, UserRole,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: Extra query strings some pages need to show something.
QUERIES = {"search.index": "?q=客户", "plans.diff": "?a=1&b=2"}
SKIPPED_ENDPOINTS = {
    "static", "auth.login",  # signed in, /login just redirects home
    "imports.job",  # an import job exists only after an upload: tests/test_import_pages.py drives it
}
#: Files to download (spreadsheets, JSON), not pages: their own tests read them (tests/test_exports_*.py,
#: tests/test_import_pages.py, tests/test_personal_data.py).
DOWNLOADS = re.compile(r"\.(xlsx|csv|json)$|\.<any\(")


@pytest.fixture
def demo_ids(app):
    """Load the demo data; return sample ids for URL parameters (an account rich in plans, people, visits)."""
    with app.test_request_context():  # the handover's services translate their messages
        from kb.db import session

        from kb.search import get_index

        load_demo(session)
        session.commit()
        # as `make run` does: the index is built with the demo data. Without it, the first searches start a
        # rebuild and, on a loaded machine, answer 503 "being rebuilt" after REBUILD_WAIT seconds.
        get_index().rebuild()
        account_id, period = session.execute(
            select(AccountPlan.account_id, AccountPlan.period)
            .join(Stakeholder, Stakeholder.account_id == AccountPlan.account_id)
            .group_by(AccountPlan.account_id, AccountPlan.period)
            .order_by(func.count(Stakeholder.id).desc(), AccountPlan.account_id).limit(1)
        ).one()
        handover_id, run_id = _handover_and_import(session)
        return {
            "handover_id": handover_id,
            "run_id": run_id,
            "lead_id": session.scalar(select(func.min(Lead.id))),
            "opportunity_id": session.scalar(select(func.min(Opportunity.id)).where(Opportunity.key_project)),
            "risk_id": session.scalar(select(func.min(Risk.id))),
            "contract_id": session.scalar(select(func.min(Contract.id))),
            "milestone_id": session.scalar(select(func.min(ContractMilestone.id))),
            "fmt": "csv",
            "kind": "stakeholders",
            "account_id": account_id,
            "period": period,
            "group_id": session.scalar(select(Account.customer_group_id).where(Account.id == account_id)),
            "stakeholder_id": session.scalar(select(func.min(Stakeholder.id)).where(Stakeholder.account_id == account_id)),
            "interaction_id": session.scalar(select(func.min(Interaction.id)).where(Interaction.account_id == account_id)),
            "user_id": session.scalar(select(func.min(User.id))),
            "admin_email": session.scalar(select(User.email).where(User.role == "admin").order_by(User.id)),
            "groups": session.scalar(select(func.count(CustomerGroup.id))),
            "value_id": session.scalar(select(func.min(ReferenceValue.id))),
        }


def _handover_and_import(session):
    """A real handover of the demo's departed user to an active member, and a recorded import — the demo
    has neither, and their pages are pages like the others."""
    from kb import clock
    from kb.services.handover import apply_handover

    admin = session.scalar(select(User).where(User.role == UserRole.ADMIN).order_by(User.id))
    leaver = session.scalar(select(User).where(User.active.is_(False)).order_by(User.id))
    successor = session.scalar(select(User).where(User.active.is_(True), User.role == UserRole.MEMBER)
                               .order_by(User.id))
    handover = apply_handover(actor=admin, from_user=leaver, to_user=successor, today=clock.today(),
                              note="交接说明 / handover note")
    run = ImportRun(user_id=admin.id, file_name="联系人.xlsx", kind="stakeholders", rows=3, created=3)
    session.add(run)
    session.commit()
    return handover.id, run.id


def page_urls(app, ids):
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SKIPPED_ENDPOINTS or rule.rule.startswith("/api/") \
                or DOWNLOADS.search(rule.rule):
            continue
        params = {name: ids[name] for name in rule.arguments}
        url = re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", lambda m: str(params[m.group(1)]), rule.rule)
        urls.append((rule.endpoint, url + QUERIES.get(rule.endpoint, "")))
    return sorted(urls)


def test_every_page_opens_cleanly_in_a_browser(app, page, live_server, demo_ids, screenshot):
    page.goto("/login")
    page.fill('input[name="email"]', demo_ids["admin_email"])
    page.fill('input[name="password"]', DEMO_PASSWORD)
    with page.expect_navigation():
        page.click('form:has(input[name="password"]) button[type="submit"]')

    problems = []
    page.on("console", lambda msg: problems.append(f"{page.url}: console {msg.type}: {msg.text}")
            if msg.type == "error" else None)
    page.on("response", lambda r: problems.append(f"{page.url}: {r.status} for {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
    # ERR_ABORTED: a request still running (e.g. a live preview) when the test moves to the next page
    page.on("requestfailed", lambda r: problems.append(f"{page.url}: request failed: {r.url} ({r.failure})")
            if "ERR_ABORTED" not in (r.failure or "") else None)

    urls = page_urls(app, demo_ids)
    assert len(urls) >= 10, urls
    for endpoint, url in urls:
        response = page.goto(url)
        if response.status != 200:
            problems.append(f"{endpoint} {url}: HTTP {response.status}")
        if endpoint in ("accounts.show", "accounts.brief", "groups.show"):
            screenshot(f"demo-{endpoint.replace('.', '-')}")
    assert problems == []
