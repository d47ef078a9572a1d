"""Database plumbing shared by every area: SQLite pragmas, aware UTC timestamps, column aliases."""

import sqlite3
import time
from datetime import UTC, datetime
from typing import Annotated

from sqlalchemy import DateTime, Engine, Table, event, exc, text
from sqlalchemy.orm import mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in and out: SQLite stores naive text, so the zone is restored on load."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


intpk = Annotated[int, mapped_column(primary_key=True)]
timestamp = Annotated[datetime, mapped_column(UTCDateTime(), default=utcnow)]


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers go on while one writer writes; busy_timeout makes a writer wait for the lock
    # instead of failing at once; SQLite enforces foreign keys only when asked.
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


# PostgreSQL storage settings of tables whose rows are updated again and again (#22). An answer is saved
# many times over into the same attempt_items row; none of the columns a save writes is indexed, so with
# room left on the page (fillfactor) PostgreSQL updates it in place (a HOT update: no new index entries,
# the dead version pruned on the page), and autovacuum visits the table long before 20% of it is dead.
# Set when the table is created (create_all) and by migration 0021_hot_paths.
STORAGE = {
    "attempt_items": (
        "fillfactor = 50, autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.05, "
        "autovacuum_vacuum_cost_delay = 0"
    ),
}


def storage_statement(table: str) -> str:
    return f"ALTER TABLE {table} SET ({STORAGE[table]})"


@event.listens_for(Table, "after_create")
def _storage_settings(table, connection, **_kw) -> None:
    if table.name in STORAGE and connection.dialect.name == "postgresql":
        connection.execute(text(storage_statement(table.name)))


def ping_when_idle(engine: Engine, idle_seconds: float) -> None:
    """Check a pooled connection with one round trip before use only when it has idled `idle_seconds`.

    A server restart, an idle timeout or a firewall drops connections that sit unused; one in steady use
    is not dropped. SQLAlchemy's `pool_pre_ping` pinged on every checkout: one round trip more on every
    request, a fifth of an answer save's time on PostgreSQL (#22). A connection that fails the check is
    replaced before the request sees it; one dropped while in steady use fails its request once, and the
    error empties the worker's pool of the connections opened before it (SQLAlchemy's disconnect handling).
    """

    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < idle_seconds:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError(str(error)) from error  # the pool opens a fresh one instead
        if not alive:
            raise exc.DisconnectionError("connection failed its ping")
