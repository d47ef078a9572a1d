"""The floor: the least a Flask app can do to save an answer.

One endpoint parses a JSON body and upserts one row into SQLite, with the same WAL and busy_timeout
settings as drill (`drill/database.py`), in one transaction per request. Served by the same gunicorn
settings as drill, it is what the answer-save path is measured against: nothing can be cheaper.

    BENCH_FLOOR_DATABASE=/tmp/floor.sqlite gunicorn 'bench.floor_app:create_app()'

With a `postgresql://` URL in BENCH_FLOOR_DATABASE it upserts into PostgreSQL instead (psycopg 3, one
connection per server thread, autocommit: one transaction per statement), the floor of the PostgreSQL runs
of `bench.pg_paths`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from datetime import UTC, datetime

from flask import Flask, jsonify, request

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS answers ("
    "key INTEGER PRIMARY KEY, response TEXT NOT NULL, saved_at TEXT NOT NULL)"
)
UPSERT = (
    "INSERT INTO answers (key, response, saved_at) VALUES (?, ?, ?) "
    "ON CONFLICT (key) DO UPDATE SET response = excluded.response, saved_at = excluded.saved_at"
)


PG_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS answers ("
    "key INTEGER PRIMARY KEY, response JSONB NOT NULL, saved_at TIMESTAMPTZ NOT NULL)"
)
PG_UPSERT = (
    "INSERT INTO answers (key, response, saved_at) VALUES (%s, %s, %s) "
    "ON CONFLICT (key) DO UPDATE SET response = excluded.response, saved_at = excluded.saved_at"
)


def postgresql(path: str) -> bool:
    return path.startswith(("postgresql://", "postgres://"))


def connect(path: str):
    """A connection set up as drill sets up its own (WAL, wait for the write lock, foreign keys)."""
    if postgresql(path):
        import psycopg

        return psycopg.connect(path, autocommit=True)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA busy_timeout=10000")
    connection.execute("PRAGMA foreign_keys=ON")
    return connection


def prepare(path: str) -> None:
    """Create the floor's one table. Run once, before the server starts."""
    connection = connect(path)
    with connection:
        connection.execute(PG_SCHEMA if postgresql(path) else SCHEMA)
    connection.close()


def create_app(path: str | None = None) -> Flask:
    app = Flask(__name__)
    path = path or os.environ["BENCH_FLOOR_DATABASE"]
    pg = postgresql(path)
    local = threading.local()  # one connection per server thread, as a connection pool would give

    def connection() -> sqlite3.Connection:
        if not hasattr(local, "connection"):
            local.connection = connect(path)
        return local.connection

    @app.put("/rows/<int:key>")
    def upsert(key: int):
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or "response" not in body:
            return jsonify(status="invalid"), 400
        db = connection()
        if pg:  # autocommit: the upsert is its own transaction
            db.execute(PG_UPSERT, (key, json.dumps(body["response"]), datetime.now(UTC)))
            return jsonify(status="saved")
        with db:  # one transaction: BEGIN, the upsert, COMMIT
            db.execute(UPSERT, (key, json.dumps(body["response"]), datetime.now(UTC).isoformat()))
        return jsonify(status="saved")

    @app.get("/health")
    def health():
        return jsonify(status="ok")

    return app
