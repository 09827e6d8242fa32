"""Security headers on every response: no MIME sniffing, no framing, same-origin referrers, a strict CSP.

The Content-Security-Policy allows scripts, styles and images from this site only (images also as data:
URLs), so templates must not use inline <script>/<style>, style="..." attributes or on...= handlers:
behaviour goes in static/js/app.js (wired by data- attributes), looks in static/css/.
"""
from __future__ import annotations

from flask import Flask, Response

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'"
)
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
}
#: With HTTPS on (KB_HTTPS=1): browsers use only https:// for this site for a year.
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


def add_security_headers(response: Response) -> Response:
    """Set the headers above unless the view already chose its own value."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def add_hsts_header(response: Response) -> Response:
    """Set Strict-Transport-Security (only registered when the app is served over HTTPS)."""
    response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    return response


def init_app(app: Flask) -> None:
    """Register `add_security_headers` for every response of `app` (pages, API, static files, errors),
    and HSTS when the `HTTPS` setting is on."""
    app.after_request(add_security_headers)
    if app.config.get("HTTPS"):
        app.after_request(add_hsts_header)
