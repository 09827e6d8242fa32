"""The health check: 200 when the database is reachable and its schema at head, else 503."""
from __future__ import annotations

from flask import current_app, jsonify, send_from_directory

from kb.db import get_db
from kb.health import check_health
from kb.search import get_index

from . import bp


@bp.get("/healthz")
def check():  # type: ignore[no-untyped-def]
    """Signed-in or not, CSRF-free (GET only): what a load balancer polls."""
    health = check_health(engine=get_db().engine, index=get_index())
    response = jsonify(health.as_dict())
    response.status_code = 200 if health.healthy else 503
    response.headers["Cache-Control"] = "no-store"
    if not health.healthy:
        response.headers["Retry-After"] = "5"
    return response


@bp.get("/favicon.ico")
def favicon():  # type: ignore[no-untyped-def]
    """The icon browsers ask for by this fixed name (JSON and image documents carry no <link rel=icon>)."""
    assert current_app.static_folder is not None
    return send_from_directory(current_app.static_folder, "img/favicon.svg", mimetype="image/svg+xml",
                               max_age=86400)
