"""Configuration: defaults here, then `instance/config.py`, then `DRILL_*` environment variables."""

import os
import secrets
from pathlib import Path
from typing import ClassVar

from flask import Flask

from drill.paths import project_dir


class Defaults:
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {"pool_pre_ping": True}  # a server may drop idle connections
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session; a long exam must not lose its form
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh_CN", "en")
    BOOTSTRAP_SERVE_LOCAL = True  # closed intranet: no CDN
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    # Seconds of grace after a deadline that absorb network delay for a late save or submit.
    DEADLINE_GRACE_SECONDS = 5
    # Close overdue attempts and apply level changes that fell due, at most this often per process
    # (seconds; 0 turns it off, e.g. where cron runs `drill housekeeping`). See drill/housekeeping.py.
    HOUSEKEEPING_SECONDS = 60


def load_config(app: Flask, test_config: dict | None) -> None:
    app.config.from_object(Defaults)
    app.config["CONTENT_DIR"] = str(project_dir("content"))
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'drill.sqlite'}"
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("DRILL")
        if "DATABASE_URL" in app.config:
            app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    else:
        app.config.update(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A SQLite file never drops a connection: the pre-ping would be one wasted query per request.
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options.pop("pool_pre_ping", None)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))


def normalise_database_url(url: str) -> str:
    """Let `postgresql://` URLs use psycopg 3, the driver drill installs."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.removeprefix("postgres://")
    return url


def instance_secret_key(instance: Path) -> str:
    """The secret key kept in the instance folder, generated on first use (never hard-coded)."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
