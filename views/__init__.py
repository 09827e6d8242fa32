"""Flask blueprints, one package per area; each holds its URL table, views and WTForms forms."""
from __future__ import annotations

from importlib import import_module

from flask import Flask
from flask_wtf import CSRFProtect

csrf = CSRFProtect()

BLUEPRINTS = (
    "auth", "home", "accounts", "groups", "plans", "stakeholders", "interactions", "admin", "search", "api",
    "health", "handover", "exports", "ltc", "imports", "watches",
    "tokens",
    "api_docs",
)


def register_blueprints(app: Flask) -> None:
    csrf.init_app(app)
    for name in BLUEPRINTS:
        module = import_module(f"views.{name}")
        app.register_blueprint(module.bp)
