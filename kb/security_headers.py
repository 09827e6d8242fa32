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


def add_security_headers(response: Response) -> Response:
    """Set the headers above unless the view already chose its own value."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    """Register `add_security_headers` for every response of `app` (pages, API, static files, errors)."""
    app.after_request(add_security_headers)
