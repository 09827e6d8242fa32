"""`flask kb reindex` and `flask kb check-index [--repair]`."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from models import UserRole

from .search_support import find, keys


@pytest.fixture
def filled(create_user, create_account, create_plan, create_stakeholder):
    account = create_account(name="万科集团")
    return dict(admin=create_user(role=UserRole.ADMIN), account=account,
                plan=create_plan(account, strategy="城市更新"),
                person=create_stakeholder(account, name="郁亮", private_notes="关注现金流"))


def test_reindex_swaps_in_a_new_index(app, runner, filled):
    root = Path(app.config["SEARCH_INDEX_DIR"])
    find(app, "城市更新", filled["admin"])
    before = os.readlink(root / "current")
    result = runner.invoke(args=["kb", "reindex"])
    assert result.exit_code == 0, result.output
    assert "4 documents" in result.output  # account, plan, stakeholder, private notes
    assert os.readlink(root / "current") != before
    assert keys(find(app, "城市更新", filled["admin"])) == {f"plan:{filled['plan'].id}"}


def test_check_index_reports_and_repairs_differences(app, runner, filled):
    from kb.search import get_index

    assert runner.invoke(args=["kb", "check-index"]).exit_code == 0
    with app.app_context():
        from kb.db import session

        # Writes that bypass the ORM unit of work (and so the change capture):
        session.execute(text("UPDATE account_plan SET strategy = '旧城改造' WHERE id = :id"), {"id": filled["plan"].id})
        session.execute(text("UPDATE stakeholder SET private_notes = '' WHERE id = :id"), {"id": filled["person"].id})
        session.commit()
        index = get_index()
        writer = index.writer(index.live_path())
        writer.delete_by_term("key", f"account:{filled['account'].id}")
        writer.commit()
    result = runner.invoke(args=["kb", "check-index"])
    assert result.exit_code != 0
    assert f"missing: 1 (account:{filled['account'].id})" in result.output
    assert f"extra: 1 (stakeholder_note:{filled['person'].id})" in result.output
    assert f"outdated: 1 (plan:{filled['plan'].id})" in result.output
    assert find(app, "旧城改造", filled["admin"]).total == 0

    result = runner.invoke(args=["kb", "check-index", "--repair"])
    assert result.exit_code == 0, result.output
    assert "Repaired" in result.output
    assert "in step" in runner.invoke(args=["kb", "check-index"]).output
    assert keys(find(app, "旧城改造", filled["admin"])) == {f"plan:{filled['plan'].id}"}
    assert keys(find(app, "万科集团", filled["admin"])) >= {f"account:{filled['account'].id}"}
    assert find(app, "现金流", filled["admin"]).total == 0
