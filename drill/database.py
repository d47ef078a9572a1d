"""Database plumbing shared by every area: SQLite pragmas and writers' turns, pooled PostgreSQL connections
checked when idle, aware UTC timestamps, column aliases, storage settings, bulk inserts."""

import fcntl
import os
import sqlite3
import threading
import time
from datetime import UTC, datetime
from typing import Annotated

from sqlalchemy import Connection, DateTime, Engine, Table, event, exc, insert, text
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


SQLITE_BUSY_SECONDS = 10  # how long a SQLite writer waits for the lock (busy_timeout), and for its turn


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers go on while one writer writes; busy_timeout makes a writer wait for the lock
    # instead of failing at once; SQLite enforces foreign keys only when asked.
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
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


def insert_rows(connection: Connection, table: Table, rows: list[dict]) -> None:
    """Insert `rows` (dicts with the same keys) in the connection's transaction: COPY on PostgreSQL, an
    executemany elsewhere. An executemany binds, runs and answers each INSERT alone; COPY streams them
    (a release's 3,310 certificates: ~110 ms -> ~70 ms, #14). COPY applies no column type's conversion, so
    values must be plain (text, numbers, dates, aware times, None), and it runs beside SQLAlchemy's
    statement events (a statement counter does not see it); its errors are SQLAlchemy's as usual."""
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), rows)
        return
    from psycopg import sql  # installed only with PostgreSQL (the `postgres` and `prod` extras)

    columns = list(rows[0])
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    pooled = connection.connection
    try:
        with pooled.driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([row[column] for column in columns])
    except connection.dialect.loaded_dbapi.Error as error:
        gone = connection.dialect.is_disconnect(error, pooled.dbapi_connection, None)
        if gone:
            connection.invalidate(error)
        raise exc.DBAPIError.instance(
            statement.as_string(pooled.driver_connection)
            if not gone
            else "COPY",  # a dropped one cannot render it
            None,
            error,
            connection.dialect.loaded_dbapi.Error,
            connection_invalidated=gone,
            dialect=connection.dialect,
        ) from error


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


_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def queue_sqlite_writers(engine: Engine) -> None:
    """SQLite: the threads of one process take turns to write, in a queue, instead of sleeping on the lock.

    SQLite lets one connection write at a time. A thread that finds the file locked sleeps in SQLite's
    busy handler, which backs off up to 100 ms a try and wakes in no order: under a burst of answer saves
    a few waited hundreds of milliseconds while others went first (#22). Here a thread's first write of a
    transaction waits on this process's lock instead, which hands over at once, and holds it until its
    commit or rollback has finished. Between processes (gunicorn's workers) the turn is a lock on a file
    beside the database, which the kernel hands over in order and frees if a process dies. Readers never
    wait (WAL).
    """
    turn, holders = threading.Lock(), {}  # id of the connection writing -> its open turn file, or None
    database = engine.url.database
    queue = None if not database or database == ":memory:" else f"{database}-writers"
    dialect = engine.dialect
    commit, rollback = dialect.do_commit, dialect.do_rollback

    @event.listens_for(engine, "before_cursor_execute")
    def _wait_for_turn(connection, _cursor, statement, _parameters, _context, _executemany) -> None:
        holder = id(connection.connection.dbapi_connection)
        if holder in holders or not statement.lstrip()[:7].upper().startswith(_WRITES):
            return
        if turn.acquire(timeout=SQLITE_BUSY_SECONDS):  # else as before: SQLite's own wait decides
            holders[holder] = None if queue is None else _take_turn(queue)

    def _pass_turn(dbapi_connection, *_args) -> None:
        holder = id(getattr(dbapi_connection, "dbapi_connection", dbapi_connection))
        if holder in holders:
            turn_file = holders.pop(holder)
            if turn_file is not None:
                os.close(turn_file)  # and with it the lock
            turn.release()

    def _ended(end):
        def ended(connection) -> None:
            try:
                end(connection)
            finally:
                _pass_turn(connection)

        return ended

    # The dialect's own commit and rollback, which the pool's reset uses too: the turn passes once the
    # transaction has ended in the file, not before (the engine's "commit" event comes before it). A
    # connection closed or discarded mid-transaction passes it too.
    dialect.do_commit, dialect.do_rollback = _ended(commit), _ended(rollback)
    event.listen(engine.pool, "close", _pass_turn)


def _take_turn(path: str) -> int:
    """Wait for this process's turn among the processes: the file at `path`, open and locked."""
    turn_file = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(turn_file, fcntl.LOCK_EX)
    return turn_file
