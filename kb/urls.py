"""Where the app may send a browser after a form (same-site paths only), and URLs for many rows at once."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import url_for


def is_safe_redirect(target: str | None) -> bool:
    """Whether `target` is a path on this site: starts with one "/", no scheme, no host, no backslash
    (browsers read `/\\host` as `//host`), no control characters (browsers drop tabs and newlines, so
    `/\t/host` would become `//host`)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_redirect(target: str | None, default: str) -> str:
    """`target` if it is a safe same-site path (see is_safe_redirect), else `default`."""
    return target if target is not None and is_safe_redirect(target) else default


#: The id put in a URL built once by id_url and replaced by each row's id (an unlikely run of digits).
_MARK = 7_193_846_205


def id_url(endpoint: str, param: str, **values: Any) -> Callable[[int], str]:
    """A function giving `url_for(endpoint, **{param: id}, **values)` for an int `id`, for the many rows of a
    page: url_for runs once and each row's URL is the id put in its place (issue 9: a url_for per row was a
    large part of the home and group pages' rendering). Same URLs, with the app's SCRIPT_NAME prefix and any
    `values` (query arguments, `_anchor`). Needs a request or app context, like url_for; raises what url_for
    raises (werkzeug.routing.BuildError for an unknown endpoint or parameter). Ids are ints (`int` routes)."""
    built = url_for(endpoint, **{param: _MARK}, **values)
    head, mark, tail = built.partition(str(_MARK))
    if not mark or str(_MARK) in tail:  # not where an id goes, or twice: url_for per row
        return lambda id_: url_for(endpoint, **{param: id_}, **values)
    return lambda id_: f"{head}{int(id_)}{tail}"
