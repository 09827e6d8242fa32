"""Adversarial benchmark: worst-case inputs against every page kind of the real app (not a timed test).

    .venv/bin/python bench/adversarial.py               # a few minutes
    .venv/bin/python bench/adversarial.py --repeat 1    # quicker, noisier
    .venv/bin/python bench/adversarial.py --wide 500    # a smaller wide account

Builds a throw-away instance (SQLite file and Whoosh index in a temp folder, migrated to head), loads the
demo data (the baseline) and these worst cases beside it, then requests every GET page and API answer for
each case through the app (Flask test client, signed in as an admin, who sees everything) and prints one
row per page and case (status, median and max ms) and the slowest answer per page:

- diff:      a plan whose two revisions have 3,000 short lines differing every other line;
- snippets:  four visits whose summary is "客户 " × 6,666, then a search for 客户;
- long:      every plan field, a visit summary, stakeholder notes at their length limits, Markdown-heavy;
- deep:      a reports-to chain 500 levels deep;
- wide:      one account with thousands of stakeholders and visits (each met one stakeholder);
- queries:   long and many-term searches, a query of 2,000 characters.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, select  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from kb import create_app  # noqa: E402
from kb.migrate import upgrade  # noqa: E402
from models import (  # noqa: E402
    Account, AccountPlan, CustomerGroup, Interaction, InteractionKind, NextStep, PlanRevision, Stakeholder,
    User, UserRole,
)

PASSWORD = "bench-password"
ANSWERS = ("strategy", "customers_customer", "profit_model", "weakest_product", "decision_makers")
DIFF_OLD = "\n".join("同" if i % 2 == 0 else f"项{i}" for i in range(3000))
DIFF_NEW = "\n".join("同" if i % 2 == 0 else f"目{i}" for i in range(3000))
MANY_MATCHES = "客户 " * 6_666
MARKDOWN_LINE = "- **客户**战略：[方案](http://example.com) `数字化` 转型 strategy cloud 客户为中心\n"


def near(limit: int, unit: str) -> str:
    """`unit` repeated to just under `limit` characters."""
    return (unit * (limit // len(unit) + 1))[: limit - 1]


def make_app(folder: Path) -> Any:
    url = f"sqlite:///{folder / 'kb.sqlite3'}"
    engine = create_engine(url)
    upgrade(engine)
    engine.dispose()
    return create_app({"SECRET_KEY": "bench", "DATABASE_URL": url, "SEARCH_INDEX_DIR": str(folder / "index"),
                       "INSTANCE_PATH": str(folder / "instance"), "WTF_CSRF_ENABLED": False})


def _plan(session: Any, account: Account, author: User, contents: list[dict[str, Any]]) -> AccountPlan:
    last = contents[-1]
    plan = AccountPlan(account_id=account.id, period="FY2027", version=len(contents),
                       sections=last.get("sections", {}), **{k: last.get(k, "") for k in ANSWERS})
    session.add(plan)
    session.flush()
    for number, content in enumerate(contents, start=1):
        full = {k: content.get(k, "") for k in ANSWERS}
        full.update(sections=content.get("sections", {}), status="draft", decision_maker_ids=[])
        session.add(PlanRevision(plan_id=plan.id, number=number, content=full, author_id=author.id))
    return plan


def _stakeholders(session: Any, account: Account, n: int, chain: bool, notes: str = "") -> list[Stakeholder]:
    people: list[Stakeholder] = []
    for i in range(n):
        s = Stakeholder(account_id=account.id, name=f"压测{i}", title="总监", department="信息部",
                        notes=notes, reports_to=people[-1] if chain and people else None)
        session.add(s)
        people.append(s)
    session.flush()
    return people


def _visits(session: Any, account: Account, summaries: list[str], people: list[Stakeholder]
            ) -> list[Interaction]:
    visits = []
    for i, summary in enumerate(summaries):
        visit = Interaction(account_id=account.id, occurred_on=date(2026, 1, 1) + timedelta(days=i % 300),
                            kind=InteractionKind.VISIT, title=f"拜访{i}", summary=summary)
        if people:
            visit.stakeholders = [people[i % len(people)]]
        visit.next_steps = [NextStep(position=0, text=f"跟进方案{i}", due_on=date(2026, 12, 1))]
        session.add(visit)
        visits.append(visit)
    session.flush()
    return visits


def load(app: Any, wide: int) -> dict[str, dict[str, Any]]:
    """Demo data plus the worst cases; returns, per case, the ids its pages are requested with."""
    from kb.db import session
    from kb.demo import load_demo

    with app.app_context():
        load_demo(session)
        admin = User(email="bench@example.com", name="压测管理员", role=UserRole.ADMIN,
                     password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"))
        session.add(admin)
        session.commit()
        cases: dict[str, dict[str, Any]] = {}
        demo_account = session.scalars(select(Account).join(AccountPlan).order_by(Account.id)).first()
        cases["demo"] = _ids(session, demo_account, q="客户")
        group = session.scalars(select(CustomerGroup).order_by(CustomerGroup.id)).first()

        def account(name: str) -> Account:
            a = Account(name=name, name_en=name, industry="电信", region="华东", customer_group_id=group.id)
            session.add(a)
            session.flush()
            return a

        a = account("压测-差异")
        _plan(session, a, admin, [{"strategy": DIFF_OLD}, {"strategy": DIFF_NEW}])
        session.commit()
        cases["diff"] = _ids(session, a, q="同")

        a = account("压测-摘要")
        _visits(session, a, [MANY_MATCHES] * 4, [])
        session.commit()
        cases["snippets"] = _ids(session, a, q="客户")

        a = account("压测-长文本")
        long_md = near(20_000, MARKDOWN_LINE)
        _plan(session, a, admin, [{k: long_md for k in ANSWERS},
                                  {k: long_md.replace("转型", "升级") for k in ANSWERS}])
        people = _stakeholders(session, a, 3, chain=False, notes=near(10_000, MARKDOWN_LINE))
        _visits(session, a, [long_md] * 3, people)
        session.commit()
        cases["long"] = _ids(session, a, q="客户 strategy 数字化")

        a = account("压测-深链")
        _stakeholders(session, a, 500, chain=True)
        session.commit()
        cases["deep"] = _ids(session, a, q="压测", stakeholder="last")

        a = account("压测-宽客户")
        people = _stakeholders(session, a, wide, chain=False)
        _visits(session, a, [f"讨论方案与报价，客户关注交付{i}" for i in range(wide)], people)
        _plan(session, a, admin, [{"strategy": "宽客户"}])
        session.commit()
        cases["wide"] = _ids(session, a, q="方案")

        cases["queries"] = dict(cases["demo"], q=" ".join(["客户 方案 strategy 数字化 cloud"] * 40),
                                q2=near(2_000, "客户方案"), q3="客 " * 300)
    return cases


def _ids(session: Any, account: Account, q: str, stakeholder: str = "first") -> dict[str, Any]:
    order = Stakeholder.id.desc() if stakeholder == "last" else Stakeholder.id
    ids = {"account_id": account.id, "group_id": account.customer_group_id, "q": q,
           "stakeholder_id": session.scalar(select(Stakeholder.id).where(Stakeholder.account_id == account.id)
                                            .order_by(order).limit(1)),
           "interaction_id": session.scalar(select(Interaction.id).where(Interaction.account_id == account.id)
                                            .order_by(Interaction.id).limit(1)),
           "period": session.scalar(select(AccountPlan.period).where(AccountPlan.account_id == account.id))}
    ids["user_id"] = session.scalar(select(User.id).order_by(User.id).limit(1))
    return ids


PAGES = [
    ("home", "/", ()), ("accounts", "/accounts", ()), ("account", "/accounts/{account_id}", ("account_id",)),
    ("brief", "/accounts/{account_id}/brief", ("account_id",)),
    ("onboarding", "/accounts/{account_id}/onboarding", ("account_id",)),
    ("account edit", "/accounts/{account_id}/edit", ("account_id",)),
    ("plans", "/accounts/{account_id}/plans", ("account_id",)),
    ("plan", "/accounts/{account_id}/plans/{period}", ("period",)),
    ("plan edit", "/accounts/{account_id}/plans/{period}/edit", ("period",)),
    ("plan history", "/accounts/{account_id}/plans/{period}/history", ("period",)),
    ("plan diff", "/accounts/{account_id}/plans/{period}/diff", ("period",)),
    ("new visit", "/accounts/{account_id}/interactions/new", ("account_id",)),
    ("new stakeholder", "/accounts/{account_id}/stakeholders/new", ("account_id",)),
    ("stakeholder", "/stakeholders/{stakeholder_id}", ("stakeholder_id",)),
    ("stakeholder edit", "/stakeholders/{stakeholder_id}/edit", ("stakeholder_id",)),
    ("visit", "/interactions/{interaction_id}", ("interaction_id",)),
    ("visit edit", "/interactions/{interaction_id}/edit", ("interaction_id",)),
    ("groups", "/groups", ()), ("group", "/groups/{group_id}", ("group_id",)),
    ("group seats", "/groups/{group_id}/seats", ("group_id",)),
    ("users", "/admin/users", ()), ("user", "/admin/users/{user_id}", ("user_id",)),
    ("search", "/search?q={q}", ("q",)), ("search q2", "/search?q={q2}", ("q2",)),
    ("search q3", "/search?q={q3}", ("q3",)),
    ("api accounts", "/api/v1/accounts", ()),
    ("api account", "/api/v1/accounts/{account_id}", ("account_id",)),
    ("api visits", "/api/v1/accounts/{account_id}/interactions", ("account_id",)),
    ("api stakeholders", "/api/v1/accounts/{account_id}/stakeholders", ("account_id",)),
    ("api plan", "/api/v1/accounts/{account_id}/plans/{period}", ("period",)),
    ("api revisions", "/api/v1/accounts/{account_id}/plans/{period}/revisions", ("period",)),
    ("api stakeholder", "/api/v1/stakeholders/{stakeholder_id}", ("stakeholder_id",)),
    ("api visit", "/api/v1/interactions/{interaction_id}", ("interaction_id",)),
    ("api group", "/api/v1/customer-groups/{group_id}", ("group_id",)),
    ("api search", "/api/v1/search?q={q}", ("q",)),
]
#: Pages that do not depend on the case are requested for the baseline only.
SHARED = {"home", "accounts", "groups", "users", "user", "api accounts"}


Row = tuple[str, str, int, float, float]


def measure(app: Any, cases: dict[str, dict[str, Any]], repeat: int) -> list[Row]:
    """Request every page of every case `repeat` times (after one warm-up); rows of (page, case, status,
    median ms, max ms)."""
    client = app.test_client()
    response = client.post("/login", data={"email": "bench@example.com", "password": PASSWORD})
    assert response.status_code == 302, "bench sign-in failed"
    rows = []
    for page, pattern, needs in PAGES:
        for case, ids in cases.items():
            if (page in SHARED and case != "demo") or any(ids.get(k) is None for k in needs):
                continue
            if page.startswith("search q") and case != "queries":
                continue
            url = pattern.format(**ids)
            client.get(url)  # warm-up, not counted: compiles the templates, fills the caches
            times, status = [], 0
            for _ in range(repeat):
                start = time.perf_counter()
                status = client.get(url).status_code
                times.append((time.perf_counter() - start) * 1000)
            rows.append((page, case, status, statistics.median(times), max(times)))
    return rows


def report(rows: list[Row]) -> None:
    """Print every row, then the slowest answer per page with its baseline."""
    print(f"{'page':<18}{'case':<10}{'status':>7}{'median ms':>11}{'max ms':>9}")
    for page, case, status, median, worst in rows:
        print(f"{page:<18}{case:<10}{status:>7}{median:>11.0f}{worst:>9.0f}")
    slowest: dict[str, tuple[float, str]] = defaultdict(lambda: (0.0, ""))
    baseline: dict[str, float] = {}
    for page, case, _status, _median, worst in rows:
        slowest[page] = max(slowest[page], (worst, case))
        if case == "demo":
            baseline[page] = worst
    for page in ("search q2", "search q3"):  # long queries: compared with an ordinary search
        baseline[page] = baseline.get("search", 0.0)
    print("\nslowest answer per page (max ms, case; baseline = same page on the demo data)")
    for page, (worst, case) in sorted(slowest.items(), key=lambda item: -item[1][0]):
        print(f"{page:<18}{worst:>8.0f} ms  {case:<10} baseline {baseline.get(page, float('nan')):>6.0f} ms")
    errors = [r for r in rows if r[2] >= 500]
    top = max(rows, key=lambda r: r[4])
    print(f"\nslowest page overall: {top[0]} ({top[1]}) {top[4]:.0f} ms; server errors: {len(errors)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="requests per page and case (default 3)")
    parser.add_argument("--wide", type=int, default=3000, help="stakeholders and visits of the wide account")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kb-adversarial-") as folder:
        app = make_app(Path(folder))
        started = time.perf_counter()
        cases = load(app, args.wide)
        with app.app_context():
            from kb.search import get_index

            get_index().catch_up()
        print(f"loaded demo data and worst cases in {time.perf_counter() - started:.1f} s\n")
        try:
            report(measure(app, cases, args.repeat))
        finally:
            from kb.search import CATCH_UP_KEY

            app.extensions[CATCH_UP_KEY].stop()
            app.extensions["kb.db"].engine.dispose()


if __name__ == "__main__":
    main()
