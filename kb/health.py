"""`GET /healthz` for load balancers: is the database reachable, is its schema at head, how far is this
machine's search index behind the outbox. Nothing private: no URLs, no error texts, no user data."""
from __future__ import annotations

import functools
import logging
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

from .migrate import MIGRATIONS
from .search.freshness import Freshness, measure

if TYPE_CHECKING:
    from .search.index import SearchIndex

logger = logging.getLogger(__name__)

AT_HEAD = "at head"


@dataclass(frozen=True)
class Health:
    """The answer of `/healthz`; `index_lag` is None when it could not be measured."""

    status: str
    database: str
    schema: str
    index_lag: int | None
    #: True while the index is behind (kb.search.freshness: the same definition searches use).
    index_stale: bool | None = None

    @property
    def healthy(self) -> bool:
        """True when the app can serve: database reachable and schema at head."""
        return self.status == "ok"

    def as_dict(self) -> dict[str, object]:
        """The JSON body of `/healthz`."""
        return asdict(self)


@functools.cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory(str(MIGRATIONS))


def schema_state(connection: Connection) -> str:
    """"at head", "not initialised" (no migration applied), "behind" (an older revision: run `kb init`)
    or "unknown revision" (a revision this code does not know, e.g. written by a newer version)."""
    current = set(MigrationContext.configure(connection).get_current_heads())
    scripts = _scripts()
    if current and current == set(scripts.get_heads()):
        return AT_HEAD
    if not current:
        return "not initialised"
    try:
        known = all(scripts.get_revision(rev) is not None for rev in current)
    except CommandError:
        known = False
    return "behind" if known else "unknown revision"


def index_lag(connection: Connection, index: SearchIndex) -> int:
    """Outbox events this machine's index has not applied yet (all of them if it has no index yet)."""
    return measure(connection, index).lag


def check_health(*, engine: Engine, index: SearchIndex) -> Health:
    """Probe the database, its schema and the index lag; never raises."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            schema = schema_state(connection)
            fresh = _measure_lag(connection, index) if schema == AT_HEAD else None
    except SQLAlchemyError as exc:
        _log_state(f"database unreachable ({exc.__class__.__name__})")
        return Health(status="unavailable", database="unreachable", schema="unknown", index_lag=None)
    _log_state("ok" if schema == AT_HEAD else f"schema {schema}")
    return Health(status="ok" if schema == AT_HEAD else "unavailable", database="ok", schema=schema,
                  index_lag=fresh.lag if fresh else None, index_stale=fresh.stale if fresh else None)


_last_state: list[str] = ["ok"]


def _log_state(state: str) -> None:
    """One log line per change of state (a load balancer polls every few seconds: no line per probe)."""
    if state != _last_state[0]:
        (logger.info if state == "ok" else logger.warning)("health check: %s (was: %s)", state, _last_state[0])
        _last_state[0] = state


def _measure_lag(connection: Connection, index: SearchIndex) -> Freshness | None:
    try:
        return measure(connection, index)
    except SQLAlchemyError:
        raise  # the database went away after `SELECT 1`: "unreachable", one line (check_health), no traceback
    except Exception:  # noqa: BLE001  # a broken index must not make the health answer an error page
        logger.warning("health check: could not read the search index bookmark", exc_info=True)
        return None
