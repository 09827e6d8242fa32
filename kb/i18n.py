"""Translations (Flask-Babel): Chinese first, English too; the reader's choice, else the browser's."""
from __future__ import annotations

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import Babel, get_locale
from flask_login import current_user

babel = Babel()
ROOT_TRANSLATIONS = "translations"


def select_locale() -> str:
    """Explicit choice (session) → the user's saved locale → Accept-Language → zh_CN.

    Outside a request (a `flask kb` command translating a service's error) the configured default.
    """
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    saved = getattr(current_user, "locale", None)
    if saved in languages:
        return saved
    return browser_locale(current_app.config["BABEL_DEFAULT_LOCALE"])


#: Primary language subtag → our locale.
BROWSER_LANGUAGES = {"zh": "zh_CN", "en": "en"}


def browser_locale(default: str) -> str:
    """The first language of Accept-Language, by quality, that we speak (`en-GB` → en, `zh-TW` → zh_CN)."""
    for tag, _quality in request.accept_languages:  # werkzeug keeps them sorted by quality
        locale = BROWSER_LANGUAGES.get(tag.replace("_", "-").split("-")[0].lower())
        if locale:
            return locale
    return default


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, default_translation_directories=ROOT_TRANSLATIONS)
    app.add_template_global(get_locale, "get_locale")
