"""Export benchmark: how long an account workbook, the account list and a search export take.

    .venv/bin/python bench/export_bench.py                # demo data, then a 20,000-stakeholder account
    .venv/bin/python bench/export_bench.py --wide 5000    # a smaller wide account

Builds a throw-away instance (SQLite file and Whoosh index in a temp folder), loads the demo data, and
requests through the app (Flask test client, signed in as an admin, who sees everything):

- the workbook of the biggest demo account (most stakeholders + interactions), median of 5;
- the account list as .xlsx and .csv, and a search export of "客户" (.csv), median of 5;
- the workbook of one wide account with `--wide` stakeholders and `--wide // 4` visits (each with a next
  step), once, with the process's peak memory (ru_maxrss) before and after.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from bench.adversarial import make_app  # noqa: E402
from models import (  # noqa: E402
    Account, Interaction, InteractionKind, NextStep, Stakeholder, StakeholderOwner, User, UserRole,
)

PASSWORD = "bench-password"


def _timed(client: Any, url: str, repeat: int) -> tuple[float, float, int]:
    """Median wall-clock and CPU milliseconds of `repeat` GETs of `url`, and the answer's size in bytes.

    CPU time is this thread's (the test client serves the request in it), so the search index catching
    up in a background thread, or other processes on a loaded machine, do not count."""
    walls, cpus, size = [], [], 0
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.thread_time()
        response = client.get(url)
        cpus.append((time.thread_time() - cpu) * 1000)
        walls.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        size = len(response.data)
    return statistics.median(walls), statistics.median(cpus), size


def _biggest_demo_account(session: Any) -> tuple[int, str, int, int]:
    people = (select(Stakeholder.account_id, func.count().label("n")).group_by(Stakeholder.account_id)
              .subquery())
    visits = (select(Interaction.account_id, func.count().label("n")).group_by(Interaction.account_id)
              .subquery())
    rows = session.execute(
        select(Account.id, Account.name, func.coalesce(people.c.n, 0), func.coalesce(visits.c.n, 0))
        .outerjoin(people, people.c.account_id == Account.id).outerjoin(visits, visits.c.account_id == Account.id)
    ).all()
    return max(rows, key=lambda r: r[2] + r[3])


def _wide_account(session: Any, admin: User, n: int) -> int:
    account = Account(name="压测宽客户", name_en="Wide bench account")
    session.add(account)
    session.flush()
    people = []
    for i in range(n):
        person = Stakeholder(account_id=account.id, name=f"压测{i}", title="总监", department="信息部",
                             notes="关注云计算与数据中心", reports_to=people[i // 10] if i >= 10 else None)
        person.owners = [StakeholderOwner(user_id=admin.id, is_primary=True)]
        session.add(person)
        people.append(person)
        if i % 2000 == 1999:
            session.flush()
    for i in range(n // 4):
        visit = Interaction(account_id=account.id, occurred_on=date(2026, 1, 1) + timedelta(days=i % 300),
                            kind=InteractionKind.VISIT, title=f"拜访{i}", summary="讨论方案与下一步 " * 10)
        visit.stakeholders = [people[i % len(people)]]
        visit.next_steps = [NextStep(position=0, text=f"跟进方案{i}", due_on=date(2026, 12, 1))]
        session.add(visit)
        if i % 2000 == 1999:
            session.flush()
    session.commit()
    return account.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wide", type=int, default=20_000, help="stakeholders of the wide account")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(Path(folder))
        from kb.db import session
        from kb.demo import load_demo

        with app.app_context():
            load_demo(session)
            admin = User(email="bench@example.com", name="压测管理员", role=UserRole.ADMIN,
                         password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"))
            session.add(admin)
            session.commit()
            account_id, name, people, visits = _biggest_demo_account(session)
        client = app.test_client()
        client.post("/login", data={"email": "bench@example.com", "password": PASSWORD})
        print(f"biggest demo account: {name} ({people} stakeholders, {visits} interactions)")
        for label, url in [("account workbook", f"/accounts/{account_id}/export.xlsx"),
                           ("account list .xlsx", "/accounts/export.xlsx"),
                           ("account list .csv", "/accounts/export.csv"),
                           ("search 客户 .csv", "/search/export.csv?q=客户")]:
            ms, cpu, size = _timed(client, url, args.repeat)
            print(f"  {label:<20} median {ms:7.1f} ms wall, {cpu:7.1f} ms CPU  {size / 1024:8.1f} KiB")
        if args.wide:
            with app.app_context():
                user = session.scalar(select(User).where(User.email == "bench@example.com"))
                wide_id = _wide_account(session, user, args.wide)
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            ms, cpu, size = _timed(client, f"/accounts/{wide_id}/export.xlsx", 1)
            after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"wide account ({args.wide} stakeholders, {args.wide // 4} visits and next steps): "
                  f"{ms:.0f} ms wall, {cpu:.0f} ms CPU, {size / 1024 / 1024:.1f} MiB file, "
                  f"peak RSS {before:.0f} → {after:.0f} MiB")


if __name__ == "__main__":
    main()
