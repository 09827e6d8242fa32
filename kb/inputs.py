"""What no page, form or API call may hand the database: ids beyond its integer range and control characters.

One rule each, used everywhere:
- `BoundedIntConverter` replaces the app's `<int:...>` converter, so every URL with an id of 2^31 or more is
  simply a page that does not exist (404), never an overflow in the database driver (500).
- Forms deriving from `FlaskForm` / `Form` below get, on every field they bind, the same checks: text fields
  refuse control characters (a 422 with a message on the field, the typed text kept), id selects refuse ids
  out of range, whole-number fields (e.g. a hidden `version`) stay within the database's integer range.
- The JSON API (views/api/bodies/base.py) refuses the same characters with `unstorable_reason`.
"""
from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes
from typing import Any

import flask_wtf
import wtforms
from flask import Flask, g, has_request_context, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.i18n import translations as flask_wtf_translations
from werkzeug.routing import IntegerConverter, Map
from wtforms.fields import IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import ValidationError

#: Record ids (and versions) are 32-bit signed integer columns; a bigger number can only be an unknown id.
MAX_ID = 2**31 - 1
MIN_INT = -(2**31)
#: C0 controls except tab, line feed and carriage return; DEL; C1 controls. PostgreSQL cannot store NUL
#: at all, and none of them is anything a person means to type.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def digits_at_most(limit: int) -> str:
    """A regex for the decimal numbers 0..`limit` (leading zeros allowed) and nothing bigger."""
    text = str(limit)
    # [0-9], not \d: \d also matches other scripts' digits (١, １, 𝟏), which are not ids in a URL.
    options = [rf"[0-9]{{1,{len(text) - 1}}}"] if len(text) > 1 else []
    for i, digit in enumerate(text):
        if digit != "0":
            rest = len(text) - i - 1
            options.append(f"{text[:i]}[0-{int(digit) - 1}]" + (rf"[0-9]{{{rest}}}" if rest else ""))
    options.append(text)
    return "0*(?:" + "|".join(options) + ")"


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` limited to what an id column holds: a larger number matches no route (404, not 500).

    The bound is in the regex, not only in `max`: Werkzeug converts values after it has matched the path
    for every method, so a value refused by `to_python` on `PATCH /x/<id>` would answer 405 (because
    `GET /x/<id>` matched the path) instead of 404.
    """

    regex = digits_at_most(MAX_ID)

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002
                 max: int | None = MAX_ID, signed: bool = False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


#: Characters that show nothing: blanks, soft hyphen, zero-width and direction marks, word joiners, BOM.
INVISIBLE = re.compile(r"[\s\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u206a-\u206f\ufeff]")


def blank_if_invisible(value: Any) -> Any:
    """"" for a text made only of invisible characters with at least one that is not a blank (e.g.
    "\u200b"), so a required field refuses it as it refuses an empty one; anything else unchanged. The one
    rule for forms (a filter on every text field, InputRules) and API bodies (views/api/bodies/base.Text)."""
    if isinstance(value, str) and value.strip() and not INVISIBLE.sub("", value):
        return ""
    return value


def unstorable_reason(text: str) -> str | None:
    """Why `text` cannot be stored (a control character or a lone surrogate), or None when it can."""
    found = CONTROL_CHARACTERS.search(text)
    if found:
        return _("Remove the control character U+%(code)04X (at character %(position)d): it cannot be saved.",
                 code=ord(found.group()), position=found.start() + 1)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _("Must be valid Unicode text.")
    return None


def undecodable_fields() -> frozenset[str]:
    """Names of this request's url-encoded form fields whose bytes are not UTF-8 (e.g. GBK pasted by an old
    client). Werkzeug keeps such bytes as literal %-escapes ("%D6%D0"), which would be saved as if typed; so
    the raw body is checked once per request (bounded by MAX_CONTENT_LENGTH) and those fields refused."""
    if not has_request_context() or request.method not in ("POST", "PUT", "PATCH") \
            or request.mimetype != "application/x-www-form-urlencoded":
        return frozenset()
    if "_kb_undecodable" not in g:
        bad = set()
        for pair in request.get_data(cache=True).split(b"&"):
            name, _sep, value = pair.partition(b"=")
            try:
                unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                bad.add(unquote_to_bytes(name.replace(b"+", b" ")).decode("utf-8", "replace"))
        g._kb_undecodable = frozenset(bad)
    return g._kb_undecodable


def storable_text(form: Any, field: Any) -> None:
    """WTForms validator: the field's text has no control characters (see `unstorable_reason`) and was
    sent as UTF-8 (see `undecodable_fields`)."""
    if field.name in undecodable_fields():
        raise ValidationError(_("This text was not sent as UTF-8 and cannot be read: type or paste it again."))
    values = field.data if isinstance(field.data, (list, tuple)) else [field.data]
    for value in values:
        reason = unstorable_reason(value) if isinstance(value, str) else None
        if reason:
            raise ValidationError(reason)


def record_id(value: Any) -> int:
    """Coerce a submitted id: a whole number the database can hold, else ValueError (a form error)."""
    number = value if isinstance(value, int) else int(str(value).strip())
    if not MIN_INT <= number <= MAX_ID:
        raise ValueError("id out of range")
    return number


def whole_number_in_range(form: Any, field: Any) -> None:
    """WTForms validator for whole-number fields: within the database's integer range."""
    if isinstance(field.data, int) and not MIN_INT <= field.data <= MAX_ID:
        raise ValidationError(_("Must be at most %(n)d.", n=MAX_ID))


#: What a checkbox filter in a query string may say for "yes" (the pages' checkboxes send "y"; links and scripts
#: write true or 1). Any other value is a bad filter: shown and ignored on a page, a 422 in the search API.
CHECKBOX_YES = ("y", "true", "1")


def checkbox_value(form: Any, field: Any) -> None:
    """WTForms validator for a query-string checkbox (`archived=`): ValidationError unless the value typed is
    empty or one of CHECKBOX_YES — `archived=maybe` must not quietly mean yes, as a BooleanField takes it."""
    raw = (field.raw_data or [""])[0].strip()
    if raw and raw not in CHECKBOX_YES:
        field.data = False
        raise ValidationError(_("Must be one of: %(values)s.", values=", ".join(CHECKBOX_YES)))


#: WTForms' own messages that its Chinese catalog leaves in English; our catalog translates them (listed here
#: so that message extraction keeps them).
WTFORMS_MESSAGES_WE_TRANSLATE = (
    _l("Not a valid date value."), _l("Not a valid datetime value."), _l("This field cannot be edited."),
    _l("This field is disabled and cannot have a value."), _l("'%(value)s' is not a valid choice for this field."),
    _l("Not a valid week value."),
)


class _WithOurCatalog:
    """WTForms' translations first; a message they leave untranslated comes from the app's catalog."""

    def __init__(self, wtforms_translations: Any) -> None:
        self.inner = wtforms_translations

    def gettext(self, string: str) -> str:
        """The translated message: WTForms' catalog, else ours."""
        text = self.inner.gettext(string) if self.inner is not None else string
        return _(string) if text == string else text

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Plural messages: WTForms' catalog only (ours adds none)."""
        if self.inner is None:
            return singular if n == 1 else plural
        return self.inner.ngettext(singular, plural, n)


class InputRules:
    """WTForms Meta mixin: binds the checks above to every field of a form (one place, every form)."""

    def get_translations(self, form: Any) -> Any:
        """WTForms' messages in the reader's language, completed by our catalog."""
        inner = super().get_translations(form)  # type: ignore[misc]
        # A plain WTForms form (query strings, sub-forms) has no translations of its own (`locales` False):
        # it gets Flask-WTF's, in the request's locale, so no form shows WTForms' English to a zh_CN reader.
        return _WithOurCatalog(inner if inner is not None else flask_wtf_translations)

    def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
        """Bind the field as usual, then add the rule that fits its kind."""
        field = super().bind_field(form, unbound_field, options)  # type: ignore[misc]
        if isinstance(field, StringField):
            field.validators = [*field.validators, storable_text]
            field.filters = [blank_if_invisible, *field.filters]
        elif isinstance(field, (SelectField, SelectMultipleField)) and field.coerce is int:
            field.coerce = record_id  # an out-of-range id is WTForms' "could not coerce" form error
        elif isinstance(field, IntegerField):
            field.validators = [*field.validators, whole_number_in_range]
        return field


class FlaskForm(flask_wtf.FlaskForm):
    """Flask-WTF's form (CSRF) with our input rules on every field."""

    class Meta(InputRules):
        pass


class Form(wtforms.Form):
    """A plain WTForms form (sub-forms, query strings) with our input rules on every field."""

    class Meta(InputRules):
        pass


def _note_undecodable_fields() -> None:
    undecodable_fields()  # before anything parses the form: parsing consumes the body it reads


def init_app(app: Flask) -> None:
    """Replace the `int` URL converter (must run before any blueprint adds its routes) and read url-encoded
    form bodies for non-UTF-8 fields before any other before-request function (kb.errors puts its size
    check in front of this one)."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request_funcs.setdefault(None, []).insert(0, _note_undecodable_fields)
