import re
import sqlite3
import time

import pytest
from sqlalchemy.pool import NullPool

from drill import create_app
from drill.config import instance_secret_key
from drill.paths import project_dir


def test_environment_variables_configure_the_database(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'env.sqlite'}"
    monkeypatch.setenv("DRILL_DATABASE_URL", url)
    monkeypatch.setenv("DRILL_SECRET_KEY", "from-the-environment")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == url
    assert app.config["SECRET_KEY"] == "from-the-environment"


def test_a_postgresql_url_uses_psycopg(monkeypatch):
    monkeypatch.setenv("DRILL_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/drill")
    monkeypatch.setenv("DRILL_SECRET_KEY", "x")
    assert create_app().config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")


def test_a_dropped_idle_connection_is_replaced_before_a_request_sees_it(app_config):
    """PostgreSQL only: a pooled connection idle longer than DB_PING_IDLE_SECONDS is pinged first, and one
    the server dropped meanwhile is replaced; one in steady use is not pinged (the round trip is saved),
    so a drop within that time fails one use, after which the pool has opened fresh connections."""
    if not app_config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("PostgreSQL drops connections; a SQLite file does not (set DRILL_TEST_DATABASE_URL)")
    from sqlalchemy import create_engine, exc, text

    from drill.extensions import db

    admin = create_engine(app_config["SQLALCHEMY_DATABASE_URI"], poolclass=NullPool)

    def drop(pid: int) -> None:  # as a server restart or a firewall would
        with admin.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    def backend() -> int:
        pid = db.session.scalar(text("SELECT pg_backend_pid()"))
        db.session.remove()
        return pid

    app = create_app({**app_config, "DB_PING_IDLE_SECONDS": 0.2, "DB_POOL_SIZE": 1})
    with app.app_context():
        first = backend()
        drop(first)
        time.sleep(0.3)
        assert backend() != first  # replaced before use: the request never saw the dead connection
        db.engine.dispose()
    app = create_app({**app_config, "DB_PING_IDLE_SECONDS": 60, "DB_POOL_SIZE": 1})
    with app.app_context():
        first = backend()
        drop(first)
        with pytest.raises(exc.OperationalError):  # in steady use: no ping, so this one use fails
            backend()
        db.session.remove()  # as the end of that request does
        assert backend() != first
        db.engine.dispose()
    admin.dispose()


def test_a_missing_secret_key_is_generated_once_and_kept(tmp_path):
    first = instance_secret_key(tmp_path)
    assert len(first) >= 32
    assert instance_secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # readable by the owner only


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(app, db):
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert isinstance(raw, sqlite3.Connection)
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_templates_and_content_are_found_from_a_checkout(app):
    assert (project_dir("templates") / "base.html").is_file()
    assert (project_dir("content") / "taxonomy.yaml").is_file()
    assert app.config["CONTENT_DIR"].endswith("content")


def test_every_asset_is_served_by_the_app(client, make_user, login):
    login(make_user(roles={"admin"}))
    html = client.get("/").get_data(as_text=True)
    assert "//cdn" not in html and "https://" not in html
    linked = set(re.findall(r'(?:href|src)="(/[^"]+\.(?:css|js|svg|png|ico))"', html))
    assert {"/bootstrap/static/css/bootstrap.min.css", "/static/drill.css", "/static/favicon.svg"} <= linked
    for path in linked | {"/bootstrap/static/js/bootstrap.min.js"}:
        response = client.get(path)
        response.close()  # static files are streamed from disk
        assert response.status_code == 200, path
    assert client.get("/favicon.ico").headers["Location"].endswith("/static/favicon.svg")


def test_health_check_answers_without_login(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
