"""The servers under test: fresh databases, and gunicorn processes on loopback only.

Everything here is made by the benchmark and removed by it: a temporary SQLite file (or a fresh
PostgreSQL database, dropped afterwards), and gunicorn masters started and stopped by their own pid.
"""

from __future__ import annotations

import http.client
import logging
import os
import secrets
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
LOOPBACK = ("127.0.0.1", "localhost", "::1")
BENCH_PASSWORD = "bench-drill"  # only ever in a throwaway database


class NotLoopback(ValueError):
    pass


def require_loopback(host: str | None, what: str = "host") -> str:
    if host not in LOOPBACK:
        raise NotLoopback(f"{what} {host!r} refused: the benchmark only talks to {', '.join(LOOPBACK)}")
    return host


def free_port(host: str) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


# --- databases ---------------------------------------------------------------------------------


def employee_no(index: int) -> str:
    return f"b{index + 1:04d}"


def prepare_drill(url: str, users: int, schema: str = "models") -> dict:
    """Build the schema, import the shipped content, add one bench user per client.

    `schema="models"` creates the tables from the models (`db.create_all()`), so a model ahead of its
    migration is still measured; `"migrations"` runs `flask db upgrade` first, creates only the tables no
    migration covers yet, and refuses to go on if a migrated table lacks a column the models use.
    """
    from flask_migrate import upgrade
    from sqlalchemy import func, inspect, select

    from drill import create_app
    from drill.accounts.models import User
    from drill.accounts.services import create_branch, create_user
    from drill.content.models import Question
    from drill.content.services import import_paths
    from drill.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_hex(16)})
    with app.app_context():
        migrated: set[str] = set()
        if schema == "migrations":
            logging.disable(logging.INFO)  # alembic announces every revision
            try:
                upgrade()
            finally:
                logging.disable(logging.NOTSET)
            migrated = set(inspect(db.engine).get_table_names())
            missing = _missing_columns(db, inspect(db.engine), migrated)
            if missing:
                raise RuntimeError(f"the migrations lag the models (missing columns: {', '.join(missing)})")
        db.create_all()
        added = sorted(set(inspect(db.engine).get_table_names()) - migrated) if migrated else []
        content = Path(app.config["CONTENT_DIR"])  # the question banks: all that drills draw from
        result = import_paths([content / "quizzes"], taxonomy_path=content / "taxonomy.yaml")
        if not result.ok:
            raise RuntimeError(f"the shipped question banks did not import: {result.report.errors[:3]}")
        db.session.commit()
        outlet = create_branch("BENCH", "压测网点", "outlet")
        for index in range(users):
            create_user(
                employee_no=employee_no(index), name=f"压测客户经理{index + 1}", branch=outlet,
                roles={"manager"}, password=BENCH_PASSWORD, category="personal", level="junior",
            )  # fmt: skip
        db.session.commit()
        info = {
            "schema": schema,
            "tables_not_in_migrations": added,
            "questions": db.session.scalar(select(func.count()).select_from(Question)),
            "users": db.session.scalar(select(func.count()).select_from(User)),
        }
        db.session.remove()
        db.engine.dispose()
    return info


def _missing_columns(db, inspector, tables: set[str]) -> list[str]:
    missing = []
    for table in db.metadata.sorted_tables:
        if table.name in tables:
            present = {column["name"] for column in inspector.get_columns(table.name)}
            missing += [f"{table.name}.{c.name}" for c in table.columns if c.name not in present]
    return missing


@contextmanager
def postgres_database(admin_url: str):
    """A fresh database beside the one named in `admin_url`, dropped on the way out; yields its URL."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(admin_url)
    require_loopback(parts.hostname, "database host")
    name = f"drill_bench_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


# --- gunicorn ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gunicorn:
    """The production server's settings, the same for drill and for the floor."""

    workers: int = 2
    threads: int = 8
    keepalive: int = 30  # longer than any think time: a pause never meets a closed connection

    def argv(self, app: str, host: str, port: int, log: Path) -> list[str]:
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        return [
            sys.executable, "-m", "gunicorn", app, "--config", "python:drill.gunicorn_config",
            "--bind", bind, "--chdir", str(REPO),
            "--workers", str(self.workers), "--worker-class", "gthread", "--threads", str(self.threads),
            "--keep-alive", str(self.keepalive), "--timeout", "60",
            "--error-logfile", str(log), "--capture-output",
        ]  # fmt: skip

    def describe(self) -> str:
        return f"gunicorn -w {self.workers} -k gthread --threads {self.threads} --keep-alive {self.keepalive}"


class Server:
    """One gunicorn master that this process started; stopped by its pid, never by name."""

    def __init__(self, app: str, env: dict[str, str], host: str, settings: Gunicorn, log: Path):
        self.host = require_loopback(host)
        self.port = free_port(host)
        self.log = log
        self.argv = settings.argv(app, host, self.port, log)
        self.env = {**os.environ, **env}
        self.process: subprocess.Popen | None = None

    def start(self, ready_path: str, timeout: float = 60.0) -> None:
        self.process = subprocess.Popen(
            self.argv, env=self.env, cwd=REPO, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        give_up = time.monotonic() + timeout
        while time.monotonic() < give_up:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            if self._answers(ready_path):
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer {ready_path} within {timeout:.0f} s:\n{self.log_tail()}")

    def _answers(self, path: str) -> bool:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=5)
        try:
            connection.request("GET", path)
            return connection.getresponse().status == 200
        except OSError:
            return False
        finally:
            connection.close()

    def stop(self, timeout: float = 20.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def cpu_seconds(self) -> float | None:
        """CPU time (user + system) used so far by the master and its workers; None off Linux."""
        if self.process is None:
            return None
        pids = [self.process.pid, *_children(self.process.pid)]
        try:
            return sum(_cpu(pid) for pid in pids)
        except OSError:
            return None


def machine_busy_seconds() -> float | None:
    """CPU seconds every process on the machine has used since boot (all cores); None off Linux."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def wait_for_quiet(limit: float, cores: float, probe: float = 2.0) -> float | None:
    """Wait, at most `limit` seconds, until the machine uses less than `cores` of CPU over `probe`
    seconds (call it while nothing of the benchmark's own runs); the last load seen, None off Linux."""
    give_up = time.monotonic() + limit
    while True:
        before = machine_busy_seconds()
        time.sleep(probe)
        after = machine_busy_seconds()
        if before is None or after is None:
            return None
        busy = (after - before) / probe
        if busy < cores or time.monotonic() + probe > give_up:
            return round(busy, 2)


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def _cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
