"""Account KB (客户洞察与客户规划知识库): the application factory."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Mapping

from flask import Flask, Response

from .config import load_config

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. No database work, no migrations, no prompts: those are `flask kb ...` commands."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_relative_config=True,
    )
    from .routing import SharedBuilderRule
    from .templating import use_shared_bytecode

    use_shared_bytecode(app)  # before anything creates app.jinja_env
    app.url_rule_class = SharedBuilderRule  # before any blueprint adds its rules
    if config and config.get("INSTANCE_PATH"):
        app.instance_path = str(config["INSTANCE_PATH"])
    load_config(app, config)
    from .clock import init_app as init_clock

    init_clock(app)  # an unknown TIMEZONE stops startup here; before i18n, which takes it as Babel's zone
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Chinese stays readable in API responses

    from . import auth, db, errors, form_errors, i18n, markdown, search, security_headers, templating
    from .cli import kb_cli

    db.Database(app)
    auth.init_app(app)
    i18n.init_app(app)
    markdown.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
    form_errors.init_app(app)
    security_headers.init_app(app)
    search.init_app(app)
    app.after_request(_commit_request)
    app.cli.add_command(kb_cli)

    from views import register_blueprints

    register_blueprints(app)
    return app


def _commit_request(response: Response) -> Response:
    """The one commit of a request: after a successful response; errors roll back at teardown."""
    from .db import has_session, session
    from .outage import is_outage, unavailable_response

    if has_session() and response.status_code < 400:
        try:
            session.commit()
        except Exception as exc:
            if not is_outage(exc):
                raise
            return unavailable_response(exc)  # after_request errors skip the error handlers
    return response
