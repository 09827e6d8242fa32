"""Log lines during an outage stay single lines (the fault suite bounds the log lines per second; a psycopg
connection error is three lines, and SQLAlchemy's wrapper adds the statement and a "Background" link)."""
from __future__ import annotations

import logging

from sqlalchemy.exc import OperationalError

from kb.outage import one_line
from kb.search.backoff import WriteBackoff

REFUSED = ('connection failed: connection to server at "127.0.0.1", port 48117 failed: Connection refused\n'
           "\tIs the server running on that host and accepting TCP/IP connections?")


def wrapped() -> OperationalError:
    return OperationalError("SELECT 1", {}, Exception(REFUSED))


def test_one_line_keeps_the_drivers_first_line_and_the_class():
    assert one_line(wrapped()) == ('OperationalError: connection failed: connection to server at "127.0.0.1", '
                                   "port 48117 failed: Connection refused")
    assert "\n" not in one_line(wrapped()) and "sqlalche.me" not in one_line(wrapped())
    assert one_line(OSError(28, "No space left on device")) == "OSError: [Errno 28] No space left on device"
    assert one_line(RuntimeError()) == "RuntimeError"
    assert len(one_line(ValueError("x" * 1000))) == len("ValueError: ") + 200


def test_index_write_failures_log_one_single_line_until_they_recover(caplog):
    caplog.set_level(logging.WARNING, logger="kb")
    backoff = WriteBackoff(clock=lambda: 0.0)
    for _ in range(3):
        backoff.failed(wrapped())
    backoff.succeeded(5)
    messages = [r.getMessage() for r in caplog.records]
    assert messages == [
        'index writes failing: OperationalError: connection failed: connection to server at "127.0.0.1", '
        "port 48117 failed: Connection refused; retrying with back-off",
        "index writes recovered after 5 events (3 failed attempts)"]
