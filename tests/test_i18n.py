"""Translations: the Chinese catalog is complete against the sources, placeholders survive translation, and
pages follow the reader's language (explicit choice → saved preference → Accept-Language → Chinese)."""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from tests.conftest import make_config

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "kb" / "translations"
# Babel reads the app's "zh_CN" as zh_Hans_CN; that and a plain "zh_CN" lookup both fall back to zh/.
CHINESE = "zh"
LOCALES = (CHINESE, "en")
# Same keywords as `make extract-messages` (pybabel extract -k _l -k lazy_gettext -k operation): the API's
# `@operation("summary", ...)` summaries are translated in /api/v1/openapi.json.
KEYWORDS = dict(DEFAULT_KEYWORDS, _l=None, lazy_gettext=None, operation=None)
# %(name)s / %(n)d / %s, and {name} / {0} / {} (str.format); "%%" is a literal percent sign.
PERCENT = re.compile(r"%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGco]")
BRACES = re.compile(r"\{[^{}]*\}")


def po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def read_catalog(locale: str) -> Catalog:
    with po_path(locale).open("rb") as f:
        return read_po(f, locale=locale)


def compile_catalog(po: Path) -> None:
    """Write messages.mo beside the .po, atomically, so a server or test reading it never sees half a file."""
    with po.open("rb") as f:
        catalog = read_po(f)
    fd, tmp = tempfile.mkstemp(dir=po.parent, prefix=".messages-", suffix=".mo")
    try:
        with os.fdopen(fd, "wb") as out:
            write_mo(out, catalog)
        os.replace(tmp, po.with_suffix(".mo"))
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs() -> None:
    """`pytest` alone works too: compile a catalog whose .mo is missing or older than its .po."""
    for locale in LOCALES:
        po, mo = po_path(locale), po_path(locale).with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            compile_catalog(po)


def chinese_translations() -> Translations:
    """The compiled catalog as Flask-Babel finds it for the app's locale code "zh_CN"."""
    translations = Translations.load(str(TRANSLATIONS), [Locale.parse("zh_CN")])
    assert isinstance(translations, Translations), "no compiled catalog found for zh_CN"
    return translations


def real_messages(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id]


def singular(message: Message) -> str:
    return message.id[0] if isinstance(message.id, (list, tuple)) else message.id


def translations_of(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]


def placeholders(text: str) -> list[str]:
    return sorted(PERCENT.findall(text.replace("%%", ""))) + sorted(BRACES.findall(text))


def extracted_from_sources() -> dict[tuple[str, str | None], str]:
    """Every msgid the code and templates use now (babel.cfg mapping), with where it was first seen."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f, "babel.cfg")
    found: dict[tuple[str, str | None], str] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        msgid = message[0] if isinstance(message, (list, tuple)) else message
        if msgid:
            found.setdefault((msgid, context), f"{filename}:{lineno}")
    return found


# --- the catalogs ----------------------------------------------------------------------------------------

def test_chinese_catalog_has_one_plural_form() -> None:
    catalog = read_catalog(CHINESE)
    assert catalog.num_plurals == 1
    assert catalog.plural_expr == "0"


@pytest.mark.parametrize("locale", LOCALES)
def test_no_fuzzy_entries(locale: str) -> None:
    fuzzy = [singular(m) for m in real_messages(read_catalog(locale)) if m.fuzzy]
    assert not fuzzy, f"fuzzy entries in {locale}: {fuzzy}"


def test_every_chinese_entry_is_translated() -> None:
    catalog = read_catalog(CHINESE)
    messages = real_messages(catalog)
    assert len(messages) > 300, "the zh_CN catalog looks truncated"
    empty = [singular(m) for m in messages if not all(s.strip() for s in translations_of(m))]
    assert not empty, f"{len(empty)} zh_CN entries without a translation: {empty}"


def test_chinese_catalog_covers_every_string_in_the_sources() -> None:
    """A string added to the code without a Chinese translation fails here (run `make extract-messages`)."""
    catalog = read_catalog(CHINESE)
    translated = {(singular(m), m.context) for m in real_messages(catalog)
                  if all(s.strip() for s in translations_of(m))}
    found = extracted_from_sources()
    assert len(found) > 300, "extraction found suspiciously few strings: is babel.cfg still right?"
    missing = sorted(f"{where}: {msgid!r}" for (msgid, ctx), where in found.items()
                     if (msgid, ctx) not in translated)
    assert not missing, ("strings without a zh_CN translation (make extract-messages, then translate):\n"
                         + "\n".join(missing))


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_the_placeholders(locale: str) -> None:
    wrong = []
    for m in real_messages(read_catalog(locale)):
        source = m.id[-1] if isinstance(m.id, (list, tuple)) else m.id  # Chinese has only the plural form
        for text in translations_of(m):
            if text and placeholders(text) != placeholders(source):
                wrong.append(f"{source!r} → {text!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


@pytest.mark.parametrize("locale", LOCALES)
def test_no_stray_percent_sign(locale: str) -> None:
    """Translated strings are %-formatted (Jinja's newstyle gettext): a lone % would fail at render time."""
    wrong = [f"{singular(m)!r} → {t!r}"
             for m in real_messages(read_catalog(locale)) for t in translations_of(m)
             if "%" in PERCENT.sub("", t.replace("%%", ""))]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("msgid, expected", [
    ("Sign in", "登录"),
    ("Customer groups", "客户群"),
    ("Decision chain", "决策链"),
    ("Iron triangle", "铁三角"),
    ("Edit conflict", "编辑冲突"),
    ("Performance gap", "业绩差距"),
])
def test_compiled_chinese_catalog_uses_the_domain_words(msgid: str, expected: str) -> None:
    translations = chinese_translations()
    assert translations.gettext(msgid) == expected


@pytest.mark.parametrize("lookup", [Locale.parse("zh_CN"), "zh_CN", "zh"])
def test_chinese_catalog_is_found_however_zh_cn_is_spelt(lookup: Any) -> None:
    """Flask-Babel looks up Locale("zh_CN") (= zh_Hans_CN); plain gettext lookups use the string."""
    assert Translations.load(str(TRANSLATIONS), [lookup]).gettext("Accounts") == "客户"


def test_compiled_chinese_catalog_has_plurals() -> None:
    translations = chinese_translations()
    for n in (1, 2, 5):
        text = translations.ngettext("%(num)d account", "%(num)d accounts", n) % {"num": n}
        assert text == f"{n} 个客户"


# --- pages in the reader's language ----------------------------------------------------------------------

@pytest.fixture
def app_config(tmp_path: Path, database_url: str) -> dict[str, Any]:
    """The product's own default language (the suite's conftest makes tests default to English)."""
    config = make_config(tmp_path, database_url)
    del config["BABEL_DEFAULT_LOCALE"]
    return config


@pytest.mark.parametrize("accept", ["zh-CN", "zh-CN,zh;q=0.9,en;q=0.8", "zh", "zh-TW,zh;q=0.8", "fr,zh-HK;q=0.9,en;q=0.5"])
def test_login_page_in_chinese(client: Any, accept: str) -> None:
    page = client.get("/login", headers={"Accept-Language": accept}).get_data(as_text=True)
    assert '<html lang="zh-CN">' in page
    assert "<h1>登录</h1>" in page
    assert "保持登录" in page
    assert "Sign in" not in page


@pytest.mark.parametrize("accept", ["en", "en-US,en;q=0.9", "en-GB", "en-GB,zh;q=0.5", "fr-FR,en-GB;q=0.8,zh;q=0.5"])
def test_login_page_in_english(client: Any, accept: str) -> None:
    page = client.get("/login", headers={"Accept-Language": accept}).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "<h1>Sign in</h1>" in page
    assert "Keep me signed in" in page
    assert "登录" not in page


@pytest.mark.parametrize("headers", [{}, {"Accept-Language": "fr-FR,fr;q=0.9"}])
def test_chinese_is_the_default(client: Any, headers: dict[str, str]) -> None:
    page = client.get("/login", headers=headers).get_data(as_text=True)
    assert "<h1>登录</h1>" in page


def test_form_errors_are_translated(client: Any, create_user: Any) -> None:
    user = create_user()
    data = {"email": user.email, "password": "wrong-password"}
    zh = client.post("/login", data=data, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    en = client.post("/login", data=data, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "邮箱或密码错误。" in zh
    assert "Wrong email or password." in en


def test_built_in_form_messages_are_chinese_too(client: Any) -> None:
    """WTForms' own messages (required, e-mail format) come from its zh catalog, not in English."""
    page = client.post("/login", data={"email": "not-an-email", "password": ""},
                       headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    errors = re.findall(r'class="error"[^>]*>([^<]*)<', page)
    assert len(errors) == 2
    assert all(re.search(r"[\u4e00-\u9fff]", e) for e in errors), errors
    assert "Invalid email address" not in page and "This field is required" not in page


def test_language_switch_changes_the_nav_of_a_signed_in_user(client: Any, create_user: Any,
                                                             login_as: Any) -> None:
    login_as(create_user(role="admin"))
    page = client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert ">客户群<" in page and ">退出登录<" in page

    response = client.post("/language", data={"locale": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    for word in ("Home", "Accounts", "Customer groups", "Users", "Sign out"):
        assert f">{word}<" in page
    assert "退出登录" not in page

    client.post("/language", data={"locale": "zh_CN", "next": "/"})
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert ">客户群<" in page and ">退出登录<" in page


def test_unknown_language_choice_is_ignored(client: Any) -> None:
    client.post("/language", data={"locale": "xx", "next": "/login"})
    page = client.get("/login").get_data(as_text=True)
    assert "<h1>登录</h1>" in page


def test_saved_user_preference_beats_the_browser(client: Any, create_user: Any, login_as: Any) -> None:
    login_as(create_user(locale="en"))
    page = client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert ">Sign out<" in page


def test_choice_made_before_signing_in_is_kept(client: Any, create_user: Any) -> None:
    from tests.factories import PASSWORD

    user = create_user()
    client.post("/language", data={"locale": "en", "next": "/login"})
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    page = client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert ">Sign out<" in page


def test_a_language_chosen_on_a_page_is_saved_for_the_api_and_the_next_sign_in(
        app: Any, client: Any, create_user: Any, login_as: Any) -> None:
    """docs/api.md: the API answers "in your saved language" — choosing English on a page saves it."""
    from flask.testing import FlaskClient

    from kb.db import session
    from models import User
    from tests.api_support import make_token
    from tests.factories import PASSWORD

    user = create_user(role="admin")
    login_as(user)
    client.post("/language", data={"locale": "en", "next": "/"})
    with app.app_context():
        saved = session.get(User, user.id)
        assert saved.locale == "en" and saved.version == user.version  # a preference: no new version
    token = make_token(app, user)
    answer = client.application.test_client().get(
        "/api/v1/accounts/999999", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert answer["error"]["message"].isascii(), answer  # English, though nobody sent Accept-Language
    other: FlaskClient = client.application.test_client()
    other.post("/login", data={"email": user.email, "password": PASSWORD})
    page = other.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert ">Sign out<" in page

    client.post("/language", data={"locale": "xx", "next": "/"})  # refused by the form: nothing saved
    with app.app_context():
        assert session.get(User, user.id).locale == "en"
