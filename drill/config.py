"""Configuration: defaults here, then `instance/config.py`, then `DRILL_*` environment variables."""

import os
import secrets
from pathlib import Path
from typing import ClassVar

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from drill.paths import project_dir


class Defaults:
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {}
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
    # (seconds; 0 turns it off). None: every 60 s on a SQLite install (one process, no scheduler needed),
    # never on PostgreSQL, where the `drill housekeeping` timer in deploy/ does it. See drill/housekeeping.py.
    HOUSEKEEPING_SECONDS = None
    # A production run (DRILL_PRODUCTION=true) and a run of several app nodes (DRILL_NODES=2 or more)
    # refuse to start without a configured secret key; several nodes refuse the SQLite default too.
    PRODUCTION = False
    NODES = 1
    # Login sessions end after this long without a request, and this long after signing in, whatever.
    SESSION_IDLE_MINUTES = 120
    SESSION_MAX_HOURS = 12
    # Seconds a process reuses the question bank it read for drawing papers (0: read it for every paper). On
    # exam morning thousands of starts would each read every current question; a bank change (a publish, a
    # retired question) reaches new papers within this. Checking a blueprint always reads it afresh.
    EXAM_BANK_SECONDS = 10.0
    # Competitions whose leaderboards one process keeps in memory (least recently read dropped first).
    BOARD_CACHE_SIZE = 64
    # Seconds during which a process's board polls share one catch-up query (0: every poll asks the database).
    # Another node's score shows within this plus one poll; this process's own changes show at once.
    BOARD_CATCH_UP_SECONDS = 1.0
    # PostgreSQL: each worker process keeps its own pool. DB_POOL_SIZE connections stay open (one per gunicorn
    # thread: deploy/systemd runs --threads 8), DB_POOL_OVERFLOW more are opened under a burst and closed
    # after; a connection is replaced after DB_POOL_RECYCLE seconds. Nodes × workers × (size + overflow)
    # must stay below the server's max_connections, or go through pgbouncer (deploy/README.md).
    DB_POOL_SIZE = 8
    DB_POOL_OVERFLOW = 4
    DB_POOL_RECYCLE = 1800
    # PostgreSQL: a pooled connection idle this many seconds is checked with one round trip before use (a
    # server restart or a firewall may have dropped it); one in steady use is not (drill.database).
    DB_PING_IDLE_SECONDS = 10.0
    # Behind pgbouncer in transaction mode: no server-side prepared statements (psycopg's automatic ones).
    PGBOUNCER = False
    # Proxies in front of the app (the load balancer in deploy/: 1) whose X-Forwarded-For/-Proto/-Host
    # are believed; 0 believes none. Behind nginx without it, every user seems to come from one address.
    PROXIES = 0


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
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = postgresql_pool(app.config)
    sqlite = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    if app.config["HOUSEKEEPING_SECONDS"] is None:
        app.config["HOUSEKEEPING_SECONDS"] = 60 if sqlite else 0
    problems = production_problems(app.config)
    if problems:
        raise ConfigError("\n".join(problems))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))
    proxies = int(app.config.get("PROXIES") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)


class ConfigError(RuntimeError):
    """Settings a production run refuses to start with (the message names each, in both languages)."""


def production_problems(config) -> list[str]:
    """Why this configuration must not serve a production site or several nodes (empty: it may)."""
    nodes = int(config.get("NODES") or 1)
    problems = []
    if (config.get("PRODUCTION") or nodes > 1) and not config.get("SECRET_KEY"):
        problems.append(
            "未配置密钥：请设置 DRILL_SECRET_KEY（各节点相同）。"
            " No secret key configured: set DRILL_SECRET_KEY (the same on every node)."
        )
    if nodes > 1 and config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        problems.append(
            f"声明了 {nodes} 个节点，但数据库是 SQLite：请设置 DRILL_DATABASE_URL 指向 PostgreSQL。"
            f" {nodes} nodes declared but the database is SQLite: set DRILL_DATABASE_URL to PostgreSQL."
        )
    return problems


def postgresql_pool(config) -> dict:
    """The engine options for PostgreSQL: the pool per worker, and pgbouncer's needs (explicit
    SQLALCHEMY_ENGINE_OPTIONS win)."""
    options = {
        "pool_size": int(config["DB_POOL_SIZE"]),
        "max_overflow": int(config["DB_POOL_OVERFLOW"]),
        "pool_recycle": int(config["DB_POOL_RECYCLE"]),
        "pool_use_lifo": True,  # the most recently used first: spare connections idle and are recycled
        **config["SQLALCHEMY_ENGINE_OPTIONS"],
    }
    if config.get("PGBOUNCER"):
        options["connect_args"] = {**options.get("connect_args", {}), "prepare_threshold": None}
    return options


def normalise_database_url(url: str) -> str:
    """Let `postgresql://` URLs use psycopg 3, the driver drill installs."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.removeprefix("postgres://")
    return url


def instance_secret_key(instance: Path) -> str:
    """The secret key kept in the instance folder, generated on first use (never hard-coded).

    For a single-machine install: workers starting together all end up with the first one's key (it is
    written whole under another name, then linked into place, so nobody reads half a key). Several
    machines must share a configured key instead (see `production_problems`)."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    draft = instance / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        os.link(draft, path)
    except FileExistsError:
        return path.read_text().strip()  # another worker was first: use its key
    finally:
        draft.unlink(missing_ok=True)
    return key
