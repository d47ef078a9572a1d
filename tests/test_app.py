import re
import sqlite3

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


def test_only_a_database_server_gets_its_connections_pinged(monkeypatch, tmp_path):
    monkeypatch.setenv("DRILL_SECRET_KEY", "x")
    monkeypatch.setenv("DRILL_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/drill")
    assert create_app().config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
    monkeypatch.setenv("DRILL_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite'}")
    assert "pool_pre_ping" not in create_app().config["SQLALCHEMY_ENGINE_OPTIONS"]


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
