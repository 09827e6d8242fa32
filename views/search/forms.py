"""The search parameters (GET): shape checks only; a bad filter value is dropped, never an error page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, DateField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional

from kb.inputs import Form, checkbox_value
from kb.labels import TYPE_LABELS  # noqa: F401 — (re-exported: views import it from here)
from kb.pagination import parse_page
from kb.search.schema import DOC_TYPES
from kb.search.searching import MAX_PER_PAGE, SearchParams

# (the labels of the kinds of document live in kb.labels: search reads them after type: too)


class SearchForm(Form):
    """Read from the query string (no CSRF: searching changes nothing)."""

    q = StringField(_l("Search"))  # any length: long queries are shortened with a message
    type = SelectMultipleField(_l("Type"), choices=[SelectChoice(t, TYPE_LABELS[t]) for t in DOC_TYPES],
                               validate_choice=True)
    group = IntegerField(_l("Customer group"), validators=[Optional(), NumberRange(min=1)])
    industry = StringField(_l("Industry"))
    region = StringField(_l("Region"))
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    sort = SelectField(_l("Sort by"),
                       choices=[SelectChoice("relevance", _l("Relevance")), SelectChoice("newest", _l("Newest"))],
                       default="relevance")
    archived = BooleanField(_l("Include archived"), validators=[checkbox_value])


def _split_types(args: MultiDict[str, str]) -> MultiDict[str, str]:
    """Accept `type=a&type=b` and `type=a,b`."""
    args = MultiDict(args)
    types = [t.strip() for value in args.getlist("type") for t in value.split(",") if t.strip()]
    args.setlist("type", types)
    return args


def read_params(args: MultiDict[str, str], default_per_page: int = 20
                ) -> tuple[SearchForm, SearchParams, bool]:
    """The form, the parameters to search with, and whether some input was dropped as invalid.

    An empty parameter (`sort=`, `per_page=`, a blank form field) means its default, silently: only a value
    the search does not know is reported as dropped."""
    args = MultiDict([(k, v) for k, v in args.items(multi=True) if v.strip()])
    form = SearchForm(_split_types(args))
    form.validate()
    bad = False
    for name in ("type", "group", "date_from", "date_to", "sort", "archived"):
        field = getattr(form, name)
        if field.errors:
            bad = True
            field.data = [] if name == "type" else False if name == "archived" else field.default
    try:
        per_page = min(max(int(args.get("per_page", default_per_page)), 1), MAX_PER_PAGE)
    except ValueError:
        per_page, bad = default_per_page, True
    params = SearchParams(
        q=form.q.data or "", types=tuple(form.type.data or ()), group=str(form.group.data or ""),
        industry=(form.industry.data or "").strip()[:50], region=(form.region.data or "").strip()[:50],
        date_from=form.date_from.data, date_to=form.date_to.data, sort=form.sort.data or "relevance",
        page=parse_page(args.get("page")), per_page=per_page,
        include_archived=bool(form.archived.data),
    )
    return form, params, bad
