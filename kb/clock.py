"""The clock of the user's day: "today" is the date in the configured time zone, never the server's UTC day.

At 18:05 UTC on 29 November it is already 30 November in Shanghai: a step due on the 29th is overdue, a plan
reviewed then records the 30th. Timestamps are still *stored* in UTC (`models.utcnow`); `local()` converts
them to the zone for display.

Which zone: an explicit `zone` argument wins; else the zone of the current app, which `init_app` validates
from the `TIMEZONE` setting (`KB_TIMEZONE`, default Asia/Shanghai) when the app is created and keeps on the
app; outside any app (a script, a benchmark) the default zone. So services call `clock.today()` and never
read `current_app` themselves, and two apps with different zones in one process (tests) do not interfere.
"""
from __future__ import annotations

from datetime import date, datetime, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, current_app, has_app_context

DEFAULT_TIMEZONE = "Asia/Shanghai"
#: Where `init_app` keeps the app's zone (in `app.extensions`).
EXTENSION_KEY = "kb.clock"


class UnknownTimeZone(ValueError):
    """The configured time zone is not an IANA name zoneinfo knows (e.g. a typo in KB_TIMEZONE)."""


def load_zone(name: object) -> ZoneInfo:
    """The zone called `name` (``Asia/Shanghai``, ``UTC``, ...).

    Raises `UnknownTimeZone` with a message naming the setting when `name` is not a known IANA zone.
    """
    if not isinstance(name, str) or not name.strip():
        raise UnknownTimeZone(f"TIMEZONE (KB_TIMEZONE) must be an IANA time zone name such as "
                              f"{DEFAULT_TIMEZONE!r}, not {name!r}")
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError) as exc:  # ValueError: names like "../x" or "/etc"
        raise UnknownTimeZone(f"TIMEZONE (KB_TIMEZONE): unknown time zone {name!r}; use an IANA name such as "
                              f"{DEFAULT_TIMEZONE!r} or 'UTC'") from exc


def init_app(app: Flask) -> None:
    """Validate the app's `TIMEZONE` (a startup error if unknown) and make it the zone of this app's clock.

    Also makes it Flask-Babel's default zone, so anything Babel formats agrees; call before Babel's init.
    """
    zone = load_zone(app.config.get("TIMEZONE", DEFAULT_TIMEZONE))  # set but empty is an error too
    app.config["TIMEZONE"] = zone.key
    app.config["BABEL_DEFAULT_TIMEZONE"] = zone.key
    app.extensions[EXTENSION_KEY] = zone


def current_zone() -> tzinfo:
    """The current app's zone, or the default zone outside an app."""
    if has_app_context():
        zone = current_app.extensions.get(EXTENSION_KEY)
        if zone is not None:
            return zone
    return ZoneInfo(DEFAULT_TIMEZONE)


def now(zone: tzinfo | None = None) -> datetime:
    """The current time, timezone-aware, in `zone` (default: the configured zone)."""
    return datetime.now(timezone.utc).astimezone(zone or current_zone())


def today(zone: tzinfo | None = None) -> date:
    """Today's date in `zone` (default: the configured zone): the user's day, not the server's."""
    return now(zone).date()


def local(value: datetime, zone: tzinfo | None = None) -> datetime:
    """A stored timestamp in `zone` (default: the configured zone); a naive value is taken as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(zone or current_zone())


def local_date(value: date | datetime) -> date:
    """The user's day of a timestamp (a `date` is returned as it is)."""
    return local(value).date() if isinstance(value, datetime) else value
