"""`flask kb demo`: loads realistic bilingual demo data, deterministically, and only when asked to."""
from __future__ import annotations

import re
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

import pytest
from sqlalchemy import func, select

from kb import create_app
from kb.demo import ANCHOR, DEMO_PASSWORD
from models import (
    ANSWER_FIELDS, SECTION_KEYS, Account, AccountPlan, Base, CustomerGroup, DecisionRole, IndexEvent,
    Interaction, NextStep, SeatRole, Stakeholder, TriangleSeat, User, UserRole, Visibility,
)
from tests.conftest import PG_URL, _truncate_all, make_config

MINIMUMS = {"users": 13, "customer groups": 3, "accounts": 12, "plans": 12, "stakeholders": 60,
            "interactions": 100, "next steps": 100}
LOGINS = {"admin@demo.kb": UserRole.ADMIN, "ar@demo.kb": UserRole.MEMBER, "sr@demo.kb": UserRole.MEMBER,
          "fr@demo.kb": UserRole.MEMBER, "viewer@demo.kb": UserRole.VIEWER}
#: Columns whose values legitimately differ between two loads (salted hashes).
UNSTABLE_COLUMNS = {("user", "password_hash"), ("user", "session_token")}  # salted / random by design


def load(runner: Any, *options: str) -> Any:
    return runner.invoke(args=["kb", "demo", *options])


def reported_counts(output: str) -> dict[str, int]:
    """`Demo data loaded: 16 users, 4 customer groups, ...` → {"users": 16, "customer groups": 4, ...}."""
    line = output.split("Demo data loaded:", 1)[1].strip()
    return {what: int(n) for n, what in re.findall(r"(\d+) ([^,]+)", line)}


def count(app: Any, model: Any) -> int:
    with app.app_context():
        from kb.db import session

        return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def demo(app: Any, runner: Any) -> Any:
    result = load(runner)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def demo_template(migrated_database: str, tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """An SQLite file with the demo loaded once for this module's read-only tests (None on PostgreSQL)."""
    if PG_URL:
        return None
    folder = tmp_path_factory.mktemp("demo")
    shutil.copyfile(migrated_database, folder / "demo.sqlite3")
    app = create_app(make_config(folder, f"sqlite:///{folder / 'demo.sqlite3'}"))
    assert load(app.test_cli_runner()).exit_code == 0
    app.extensions["kb.db"].engine.dispose()
    return folder / "demo.sqlite3"


@pytest.fixture
def demo_app(demo_template: Path | None, database_url: str, tmp_path: Path) -> Iterator[Any]:
    """An app over a database holding the demo data: a copy of the template, or loaded afresh."""
    if demo_template is None:
        app = create_app(make_config(tmp_path, database_url))
        assert load(app.test_cli_runner()).exit_code == 0
    else:
        shutil.copyfile(demo_template, tmp_path / "demo.sqlite3")
        app = create_app(make_config(tmp_path, f"sqlite:///{tmp_path / 'demo.sqlite3'}"))
    yield app
    app.extensions["kb.db"].engine.dispose()


def test_demo_loads_and_reports_what_it_loaded(app, demo):
    counts = reported_counts(demo.output)
    for what, minimum in MINIMUMS.items():
        assert counts[what] >= minimum, what
    assert counts["users"] == count(app, User)
    assert counts["customer groups"] == count(app, CustomerGroup)
    assert counts["accounts"] == count(app, Account)
    assert counts["plans"] == count(app, AccountPlan)
    assert counts["stakeholders"] == count(app, Stakeholder)
    assert counts["interactions"] == count(app, Interaction)
    assert counts["next steps"] == count(app, NextStep)


def dump(app: Any) -> dict[str, list[tuple]]:
    """Every row of every table (names, texts, dates, links), except the search outbox and random values."""
    out = {}
    with app.app_context():
        from kb.db import session

        for table in Base.metadata.sorted_tables:
            if table.name == IndexEvent.__tablename__:
                continue
            columns = [c for c in table.columns if (table.name, c.name) not in UNSTABLE_COLUMNS]
            rows = session.execute(select(*columns).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(row) for row in rows]
    return out


def test_demo_is_deterministic(app, demo, migrated_database, tmp_path):
    first = dump(app)
    if PG_URL:
        app.extensions["kb.db"].engine.dispose()
        _truncate_all(PG_URL)
        url = PG_URL
    else:
        shutil.copyfile(migrated_database, tmp_path / "second.sqlite3")
        url = f"sqlite:///{tmp_path / 'second.sqlite3'}"
    second_app = create_app(make_config(tmp_path / "second", url))
    try:
        assert load(second_app.test_cli_runner()).exit_code == 0
        second = dump(second_app)
    finally:
        second_app.extensions["kb.db"].engine.dispose()
    assert any(row[1] == "华东移动通信有限公司" for row in first["account"])
    assert len(first["interaction"]) >= 100
    for table in first:
        assert first[table] == second[table], table


def test_demo_refuses_a_database_with_accounts(app, runner, create_account):
    create_account(name="已有客户")
    result = load(runner)
    assert result.exit_code != 0
    assert "already has accounts" in result.output and "--force" in result.output
    assert count(app, Account) == 1
    assert count(app, User) == 0


def test_demo_refuses_to_load_twice(app, runner, demo):
    accounts = count(app, Account)
    result = load(runner)
    assert result.exit_code != 0
    assert "already has accounts" in result.output
    assert count(app, Account) == accounts


def test_if_empty_is_a_quiet_success_on_a_database_with_accounts(app, runner, create_account):
    create_account(name="已有客户")
    result = load(runner, "--if-empty")
    assert result.exit_code == 0, result.output
    assert "not loaded" in result.output
    assert count(app, Account) == 1


def test_if_empty_loads_an_empty_database(app, runner):
    result = load(runner, "--if-empty")
    assert result.exit_code == 0, result.output
    assert count(app, Account) >= MINIMUMS["accounts"]


def test_force_loads_alongside_existing_data_and_reuses_demo_users(app, runner, demo):
    users, accounts = count(app, User), count(app, Account)
    result = load(runner, "--force")
    assert result.exit_code == 0, result.output
    assert count(app, User) == users
    assert count(app, Account) == 2 * accounts


@pytest.mark.parametrize("email", sorted(LOGINS))
def test_each_demo_login_signs_in(demo_app, email):
    client = demo_app.test_client()
    response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert "/login" not in response.headers["Location"]
    with demo_app.app_context():
        from kb.db import session

        user = session.scalar(select(User).where(User.email == email))
        assert user.role == LOGINS[email]
        name = user.name
    assert name in client.get("/").get_data(as_text=True)


def test_inactive_demo_user_cannot_sign_in(demo_app):
    client = demo_app.test_client()
    with demo_app.app_context():
        from kb.db import session

        inactive = session.scalars(select(User.email).where(User.active.is_(False))).all()
    assert inactive
    client.post("/login", data={"email": inactive[0], "password": DEMO_PASSWORD})
    assert client.get("/").status_code == 302


def test_every_plan_answers_all_five_questions_and_keeps_its_revisions(demo_app):
    with demo_app.app_context():
        from kb.db import session

        plans = session.scalars(select(AccountPlan)).all()
        periods = {p.period for p in plans}
        for plan in plans:
            for field in ANSWER_FIELDS:
                assert len(getattr(plan, field).strip()) >= 5, (plan, field)
            assert set(plan.sections) == set(SECTION_KEYS)
            assert plan.decision_maker_links, plan
            assert 2 <= len(plan.revisions) <= 4
            assert sorted(r.number for r in plan.revisions) == list(range(1, plan.version + 1))
            latest = plan.revisions[0].content
            assert {f: latest[f] for f in ANSWER_FIELDS} == {f: getattr(plan, f) for f in ANSWER_FIELDS}
            assert latest["sections"] == plan.sections and latest["period"] == plan.period
            assert latest["decision_maker_ids"] == [s.id for s in plan.decision_maker_links]
            assert latest["status"] == plan.status.value
            assert set(plan.field_changes) >= set(ANSWER_FIELDS)
        accounts = session.scalar(select(func.count()).select_from(Account))
        assert {"FY2026", "FY2027"} <= periods
        assert len([p for p in plans if p.period == "FY2027"]) == accounts


def test_some_answers_are_stale(demo_app):
    """An answer unchanged for more than STALE_AFTER_DAYS before the anchor date is flagged stale."""
    limit = datetime.combine(ANCHOR, datetime.min.time(), timezone.utc) - timedelta(
        days=demo_app.config["STALE_AFTER_DAYS"])
    with demo_app.app_context():
        from kb.db import session

        plans = session.scalars(select(AccountPlan).where(AccountPlan.period == "FY2027")).all()
        stale = [(p.account.name, f) for p in plans for f in ANSWER_FIELDS
                 if datetime.fromisoformat(p.field_changes[f]["at"]) < limit]
        fresh = [(p.account.name, f) for p in plans for f in ANSWER_FIELDS
                 if datetime.fromisoformat(p.field_changes[f]["at"]) >= limit]
    assert len(stale) >= 2
    assert len(fresh) > len(stale)


def test_interactions_use_both_visibilities_and_cover_eighteen_months(demo_app):
    with demo_app.app_context():
        from kb.db import session

        interactions = session.scalars(select(Interaction)).all()
        steps = session.scalars(select(NextStep)).all()
        team = [i for i in interactions if i.visibility == Visibility.TEAM]
        assert 0.15 <= len(team) / len(interactions) <= 0.35
        days = [i.occurred_on for i in interactions]
        assert min(days) >= ANCHOR - timedelta(days=549) and max(days) < ANCHOR
        assert all(i.summary and i.stakeholders and i.attendees for i in interactions)
        assert any(s.done for s in steps)
        assert any(not s.done and s.due_on < ANCHOR for s in steps), "no overdue step"
        assert any(not s.done and s.due_on >= ANCHOR for s in steps), "no open step"
        assert all(s.owner_id for s in steps)


def test_triangles_have_current_seats_and_rotation_history(demo_app):
    with demo_app.app_context():
        from kb.db import session

        by_email: dict[str, list[TriangleSeat]] = {}
        for seat in session.scalars(select(TriangleSeat)):
            by_email.setdefault(seat.user.email, []).append(seat)
        for group in session.scalars(select(CustomerGroup)):
            assert {s.role for s in group.seats_in_force(ANCHOR)} == set(SeatRole), group.name
            assert any(s.ended_on for s in group.seats), group.name
        for email, role in (("ar@demo.kb", SeatRole.AR), ("sr@demo.kb", SeatRole.SR),
                            ("fr@demo.kb", SeatRole.FR)):
            assert any(s.role == role and s.ended_on is None for s in by_email[email]), email
        moved = [email for email, held in by_email.items()
                 if any(s.ended_on for s in held) and any(s.ended_on is None for s in held)
                 and len({s.customer_group_id for s in held}) > 1]
        assert moved, "nobody rotated from one group to another"


def test_accounts_and_decision_chains_are_realistic(demo_app):
    with demo_app.app_context():
        from kb.db import session

        accounts = session.scalars(select(Account)).all()
        people = session.scalars(select(Stakeholder)).all()
        assert len({a.industry for a in accounts}) >= 8
        assert all(a.name_en and a.aliases for a in accounts)
        assert any(a.parent_id for a in accounts) and any(a.archived for a in accounts)
        assert {a.coverage.value for a in accounts} == {"direct", "channel"}
        # every role, and nobody "unknown": the demo knows everyone's role
        assert {p.decision_role for p in people} == set(DecisionRole) - {DecisionRole.UNKNOWN}
        assert any(p.private_notes for p in people)
        assert any(not p.owners for p in people), "no stakeholder without owner"
        assert any(p.owners and not any(o.user.active for o in p.owners) for p in people)

        def depth(p: Stakeholder) -> int:
            return 1 + (depth(p.reports_to) if p.reports_to else 0)

        assert max(depth(p) for p in people) >= 3
        assert all(p.reports_to is None or p.reports_to.account_id == p.account_id for p in people)


@pytest.mark.parametrize("email", ["admin@demo.kb", "viewer@demo.kb"])
def test_every_demo_account_page_renders(demo_app, email):
    with demo_app.app_context():
        from kb.db import session

        accounts = session.execute(select(Account.id, Account.name)).all()
    client = demo_app.test_client()
    client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    for account_id, name in accounts:
        response = client.get(f"/accounts/{account_id}")
        assert response.status_code == 200, (account_id, name)
        assert name in response.get_data(as_text=True)


def test_no_visit_note_is_repeated_word_for_word(demo_app):
    """Demo data reads like a real account's history (issue 13 §3): no summary appears twice."""
    with demo_app.app_context():
        from kb.db import session
        summaries = list(session.scalars(select(Interaction.summary)))
        titles = session.execute(select(Interaction.account_id, Interaction.title)).all()
    assert len(summaries) >= 100
    assert len(set(summaries)) == len(summaries)
    assert len(set(titles)) == len(titles)  # and no account has two visits of the same title


def test_a_first_visit_is_the_first_time_those_people_were_met(demo_app):
    """"首次拜访 X" must not follow earlier interactions with X."""
    with demo_app.app_context():
        from kb.db import session
        firsts = session.scalars(select(Interaction).where(Interaction.summary.contains("首次"))).all()
        assert len(firsts) >= 3
        for first in firsts:
            met_before = session.scalars(
                select(Interaction).join(Interaction.stakeholders)
                .where(Interaction.account_id == first.account_id, Interaction.occurred_on < first.occurred_on,
                       Stakeholder.id.in_([s.id for s in first.stakeholders]))).all()
            assert met_before == [], (first.title, [(i.occurred_on, i.title) for i in met_before])


def test_a_search_for_a_common_word_does_not_list_near_identical_visits(demo_app):
    """The first page of results for 客户 is not a run of visit notes that differ only in names (issue 13
    §3): no two interaction results on it read ≥ 80% alike."""
    from difflib import SequenceMatcher

    from kb.search.searching import SearchParams, search

    with demo_app.test_request_context():
        from kb.db import session
        admin = session.scalar(select(User).where(User.email == "admin@demo.kb"))
        hits = search(SearchParams(q="客户", per_page=20), admin).hits
        ids = [h.id for h in hits if h.type == "interaction"]
        summaries = dict(session.execute(select(Interaction.id, Interaction.summary)
                                         .where(Interaction.id.in_(ids))).all())
    assert len(hits) >= 10
    alike = [(summaries[a], summaries[b]) for i, a in enumerate(ids) for b in ids[i + 1:]
             if SequenceMatcher(None, summaries[a], summaries[b]).ratio() >= 0.8]
    assert alike == []
