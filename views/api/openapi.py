"""`GET /api/v1/openapi.json`: the OpenAPI 3.1 document of every API operation, built from the registry.

Paths come from the app's URL map (every rule of this blueprint), bodies and query parameters from the
declarations that also validate them (views.api.registry), answers from the pydantic models of
views/api/answers/. Operation summaries (babel extracts them: `-k operation`), tags, the meaning of every
enumeration value and the other prose are given in the caller's language.
"""
from __future__ import annotations

import logging
import re
from typing import Any

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

import models
from kb.labels import label

from . import bp
from .bodies import body_components, body_json_schema
from .examples import DEFAULT_EXAMPLE_USER, EXAMPLE_PATHS, EXAMPLE_USERS, EXAMPLES
from .registry import ATTRIBUTE, Operation, operation, operation_of
from .responses import SCHEMAS, ref

logger = logging.getLogger(__name__)

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
REASONS = {
    400: _l("Malformed request: not JSON, not an object, a bad Idempotency-Key, or a missing CSRF token."),
    401: _l("Not signed in and no valid bearer token."),
    403: _l("Signed in, but not allowed to do this."),
    404: _l("No such record, or one the caller may not see."),
    409: _l("Conflict: a stale `version` (the stored record is in `error.current`), an archived record, or "
            "an Idempotency-Key still in progress."),
    413: _l("The body is too large."),
    422: _l("Invalid input: `error.fields` says what is wrong with each field or parameter."),
    503: _l("The database is briefly unavailable; retry after `Retry-After` seconds."),
}
#: Each `@operation(tag=...)`: its name and description in the document (in the caller's language).
TAGS = {
    "accounts": (_l("Accounts"), _l("Customer accounts, their relationship coverage and workbook.")),
    "stakeholders": (_l("Stakeholders"), _l("The people at an account, and their personal data.")),
    "interactions": (_l("Interactions"), _l("Visits, meetings and calls, with their next steps.")),
    "plans": (_l("Account plans"), _l("An account's plan of a period, and its revisions.")),
    "customer groups": (_l("Customer groups"), _l("Groups of accounts and their iron-triangle seats.")),
    "leads": (_l("Leads"), _l("Leads, and converting one into an opportunity.")),
    "opportunities": (_l("Opportunities"), _l("Opportunities and their project-triangle seats.")),
    "risks": (_l("Risks"), _l("The risks of an opportunity.")),
    "contracts": (_l("Contracts"), _l("Contracts of won opportunities and their payment milestones.")),
    "handovers": (_l("Handovers"), _l("Handing someone's accounts, seats and next steps to a successor.")),
    "imports": (_l("Imports"), _l("Importing spreadsheets.")),
    "watches": (_l("The four watches"), _l("Health, KPI, key projects and risks of a period.")),
    "search": (_l("Search"), _l("Full-text search over what the caller may see.")),
    "tokens": (_l("API tokens"), _l("Your API tokens (admins: everyone's).")),
    "users": (_l("Users"), _l("Who is signed in, and the users (admins).")),
    "meta": (_l("About the API"), _l("This document.")),
}


def _tag(tag: str) -> str:
    """The tag's name in the caller's language (an undeclared tag as it is)."""
    return str(TAGS[tag][0]) if tag in TAGS else tag


def _enum_description(schema: Any) -> Any:
    """Replace our `x-enum` marker (an enum's class name) by a description of every value's meaning."""
    if isinstance(schema, list):
        return [_enum_description(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: _enum_description(value) for key, value in schema.items() if key != "x-enum"}
    enum_cls = getattr(models, schema.get("x-enum", ""), None)
    if enum_cls is not None:
        out["description"] = "; ".join(f"`{m.value}`: {label(m)}" for m in enum_cls)
    return out


#: What views/api/bodies/loading.py puts before the read-only fields a body accepts and ignores.
#: Keys whose values are data (request examples, defaults, enumerations), never prose to translate.
_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const"})


def _translate_prose(node: Any) -> Any:
    """Every `description` of the document in the caller's language, at render time.

    The descriptions are declared in English where they live (query parameters in views/api/query.py,
    `Field(description=...)` of the answer and body models, operation descriptions); their msgids are in
    the catalog (kb/translations/*, block `h/s5f2`), so a string missing there stays English. The
    read-only-fields note is translated around its list of field names. Examples are left as they are.
    """
    if isinstance(node, list):
        return [_translate_prose(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DATA_KEYS:
            out[key] = value
        elif key == "description" and isinstance(value, str) and value:
            out[key] = _translate_description(value)
        else:
            out[key] = _translate_prose(value)
    return out


def _translate_description(text: str) -> str:
    """One description in the caller's language (gettext)."""
    return _(text)


def _path(rule: str) -> tuple[str, list[dict[str, Any]]]:
    """Flask's `/accounts/<int:account_id>` → OpenAPI's `/accounts/{account_id}` and its parameters."""
    params = []
    for converter, name in _PARAM.findall(rule):
        schema = {"type": "integer", "minimum": 0} if converter == "int" else {"type": "string"}
        if name == "period":
            schema = {"type": "string", "examples": ["FY2027"]}
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    return _PARAM.sub(r"{\2}", rule), params


def _error_statuses(method: str, op: Operation, has_path_params: bool) -> list[int]:
    statuses = {401, 503, *op.errors}
    if has_path_params:
        statuses.add(404)
    if op.query is not None and op.query.params:
        statuses.add(422)
    if method in WRITE_METHODS:  # 404 also for an id in the body that names no record
        statuses |= {400, 403, 404, 409, 413, 422}
    return sorted(statuses)


def _operation(endpoint: str, method: str, op: Operation,
               path_params: list[dict[str, Any]]) -> dict[str, Any]:
    name = operation_id(endpoint)
    doc: dict[str, Any] = {"operationId": name, "summary": _(op.summary), "tags": [_tag(op.tag or "api")]}
    if op.description:
        doc["description"] = _(op.description)
    params = [{**param, "example": EXAMPLE_PATHS[name][param["name"]]}
              if param["name"] in EXAMPLE_PATHS.get(name, {}) else param for param in path_params]
    for param in op.query.params if op.query is not None else ():
        params.append({"name": param.name, "in": "query", "required": param.required,
                       "description": param.description, "schema": param.json_schema()})
    if takes_idempotency_key(endpoint):
        params.append({"name": "Idempotency-Key", "in": "header", "required": False,
                       "description": _("Repeat a create safely: the same key answers the first result."),
                       "schema": {"type": "string", "minLength": 1, "maxLength": 255,
                                  "pattern": "^[\\x21-\\x7e]+$"}})
    if params:
        doc["parameters"] = params
    if op.body is not None:
        body_schema = body_json_schema(op.body, partial=op.partial)
        content: dict[str, Any] = {"schema": body_schema}
        if name in EXAMPLES:
            content["example"] = EXAMPLES[name]
        doc["requestBody"] = {"required": True, "content": {"application/json": content}}
        if name in EXAMPLES:
            doc["requestBody"]["description"] = _(
                "The example works on the demo data (`flask --app wsgi kb demo`), sent as %(email)s to the "
                "path parameters' examples.", email=EXAMPLE_USERS.get(name, DEFAULT_EXAMPLE_USER))
    elif op.multipart:
        doc["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": {
            "type": "object", "required": ["file"],
            "properties": {"file": {"type": "string", "contentMediaType": "application/octet-stream"}}}}}}
    ok: dict[str, Any] = {"description": _("OK") if op.status == 200 else _("Created")}
    if op.response is not None:
        ok["content"] = {op.media: {"schema": op.response}}
    if op.extra.get("links"):
        ok["links"] = {link: {"operationId": target, "parameters": values}
                       for link, (target, values) in op.extra["links"].items()}
    responses: dict[str, Any] = {str(op.status): ok}
    for status in op.extra.get("also", ()):
        responses[str(status)] = {"description": _("OK"), "content": {op.media: {"schema": op.response}}}
    for status in op.extra.get("report_on", ()):  # e.g. an import's 422: the report of its rejected rows
        responses[str(status)] = {"description": str(REASONS[status]), "content": {"application/json": {
            "schema": {"anyOf": [ref("Error"), op.response]}}}}
    for status in _error_statuses(method, op, bool(path_params)):
        responses.setdefault(str(status), {"description": str(REASONS[status]), "content": {
            "application/json": {"schema": ref("Error")}}})
    doc["responses"] = responses
    if method in WRITE_METHODS:
        doc["security"] = [{"bearer": []}, {"session": [], "csrf": []}]
    return doc


def takes_idempotency_key(endpoint: str) -> bool:
    """Whether the view is wrapped by kb.idempotency.idempotent (it then honours an Idempotency-Key)."""
    view = current_app.view_functions[endpoint]
    return getattr(view.__code__, "co_qualname", "") == "idempotent.<locals>.wrapper"


def operation_id(endpoint: str) -> str:
    """`api.show_account` → `show_account`; another blueprint's `search.api` → `search_api`."""
    return endpoint[len("api."):] if endpoint.startswith("api.") else endpoint.replace(".", "_")


def build_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of every rule under /api/v1 that declares its @operation."""
    prefix = bp.url_prefix or ""
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(current_app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith(prefix + "/"):
            continue
        path, params = _path(rule.rule[len(prefix):])
        op = operation_of(rule.endpoint)
        if op is None:  # tests/test_api_openapi.py fails on it; the document still serves the rest
            logger.warning("%s (%s) has no @operation: it is missing from the document", rule.endpoint,
                           rule.rule)
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(rule.endpoint, method, op, params)
    return _translate_prose(_enum_description({
        "openapi": "3.1.0",
        "info": {"title": "Account KB API", "version": "1",
                 "description": _("The JSON API of Account KB. Guide: docs/api.md; try it at /api/docs.")},
        "servers": [{"url": url_for("api.openapi_document").rsplit("/", 1)[0]}],
        "security": [{"bearer": []}, {"session": []}],
        "tags": [{"name": str(name), "description": str(description)} for name, description in TAGS.values()],
        "paths": paths,
        "components": {
            "schemas": {**SCHEMAS, **_body_components()},
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer",
                           "description": _("An API token: made on the API tokens page (/tokens), or on the "
                                            "server with `flask --app wsgi kb create-token --email EMAIL`.")},
                "session": {"type": "apiKey", "in": "cookie", "name": "session",
                            "description": _("The browser session after signing in.")},
                "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRFToken",
                         "description": _("Session writes only: the page's CSRF token.")},
            },
        },
    }))


def _body_components() -> dict[str, Any]:
    """The component schemas of the objects nested in request bodies (pydantic's `$defs`)."""
    views = current_app.view_functions.values()
    return body_components([op.body for op in (getattr(v, ATTRIBUTE, None) for v in views)
                            if op is not None and op.body is not None])


@bp.get("/openapi.json")
@operation("This document", response={"type": "object"}, tag="meta")
def openapi_document():
    return build_document()
