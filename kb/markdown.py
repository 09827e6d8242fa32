"""The one way user Markdown becomes HTML: python-markdown, then nh3 (ammonia) sanitising."""
from __future__ import annotations

import threading

import markdown as md
import nh3
from flask import Flask
from markupsafe import Markup

from .markdown_habits import HabitsExtension

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["extra", "sane_lists", HabitsExtension()]
#: Table cell alignment as the `align` attribute (allowed below), not a `style` the sanitiser strips.
EXTENSION_CONFIGS = {"extra": {"tables": {"use_align_attribute": True}}}
#: Longest text rendered; longer input is cut (fields are validated far below this).
MAX_SOURCE = 200_000

#: One parser per thread, reset between texts: building a parser (extensions, patterns) cost more than
#: converting a short excerpt, 60% of the onboarding page. Parsers are not thread-safe, hence per thread.
_parsers = threading.local()


def _parser(kind: str) -> md.Markdown:
    """This thread's reusable parser: "full" (our extensions) or "plain" (for excerpts), reset for a new text."""
    parser = getattr(_parsers, kind, None)
    if parser is None:
        parser = (md.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html")
                  if kind == "full" else md.Markdown())
        setattr(_parsers, kind, parser)
    return parser.reset()


def render_markdown(text: str | None) -> Markup:
    """Render user Markdown to safe HTML: no scripts, no event handlers, no `javascript:` links."""
    if not text:
        return Markup("")
    html = _parser("full").convert(text[:MAX_SOURCE])
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return Markup(clean)


def plain_excerpt(text: str | None, length: int = 160) -> str:
    """First `length` characters of the text as plain words (Markdown markup stripped)."""
    if not text:
        return ""
    plain = nh3.clean(_parser("plain").convert(text[:MAX_SOURCE]), tags=set())
    plain = " ".join(plain.split())
    return plain if len(plain) <= length else plain[: length - 1] + "…"


def init_app(app: Flask) -> None:
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(plain_excerpt, "excerpt")
