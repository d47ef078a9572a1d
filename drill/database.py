"""Database plumbing shared by every area: SQLite pragmas, aware UTC timestamps, column aliases."""

import sqlite3
from datetime import UTC, datetime
from typing import Annotated

from sqlalchemy import DateTime, Engine, Table, event, text
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
