"""The account page's people partials run a constant number of SQL statements, however many people."""
from __future__ import annotations

from typing import Any

from flask import render_template
from sqlalchemy import event

from models import User


def render_people(app: Any, account: Any, viewer_id: int) -> tuple[int, str]:
    """Load and render the decision chain, recent interactions and next steps; count SQL statements."""
    with app.test_request_context("/"):
        from kb.db import session
        from kb.services.interactions import open_next_steps, recent_interactions
        from kb.services.stakeholders import decision_chain

        viewer = session.get(User, viewer_id)
        statements: list[str] = []

        def record(*args: Any) -> None:
            statements.append(args[2])

        engine = session.get_bind()
        event.listen(engine, "before_cursor_execute", record)
        try:
            html = render_template("stakeholders/_chain.html", account=account, can_see_private=True,
                                   can_edit=True, stakeholders=decision_chain(account_id=account.id))
            html += render_template("interactions/_list.html",
                                    interactions=recent_interactions(account_id=account.id, viewer=viewer))
            html += render_template("interactions/_steps.html", show_account=True, can_edit=True,
                                    steps=open_next_steps(viewer=viewer, account_id=account.id))
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len(statements), html


def test_statement_count_does_not_grow(app, create_user, create_account, create_stakeholder,
                                       create_interaction):
    member = create_user()
    account = create_account(members=[member])
    boss = create_stakeholder(account, name="一把手", owners=[member, create_user()], private_notes="私")

    def add(n: int) -> None:
        for _ in range(n):
            person = create_stakeholder(account, reports_to=boss, owners=[create_user(), create_user()])
            create_interaction(account, stakeholders=[person, boss], attendees=[member, create_user()],
                               visibility="team", next_steps=[{"text": "跟进事项", "owner_id": create_user().id},
                                                              {"text": "第二件事"}])

    add(1)
    few, html = render_people(app, account, member.id)
    add(7)
    many, html = render_people(app, account, member.id)
    assert few == many
    assert html.count("跟进事项") == 8 and html.count("一把手") >= 9
    assert "Has private notes" in html or "🔒" in html
