"""Where the app may send a browser after a form: same-site paths only."""
from __future__ import annotations

from urllib.parse import urlsplit


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
