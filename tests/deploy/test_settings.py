"""The settings a production run refuses to start without, and the defaults that follow the database."""

import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from drill import create_app
from drill.config import ConfigError, instance_secret_key

POSTGRES = "postgresql://postgres@127.0.0.1:5432/drill"


@pytest.fixture
def environment(monkeypatch, tmp_path):
    """Start from no DRILL_* setting and an empty instance folder of its own."""
    import os

    for name in list(os.environ):
        if name.startswith("DRILL_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DRILL_DATABASE_URL", f"sqlite:///{tmp_path / 'drill.sqlite'}")
    return monkeypatch


def test_a_production_run_refuses_to_start_without_a_configured_secret_key(environment):
    environment.setenv("DRILL_PRODUCTION", "true")
    with pytest.raises(ConfigError, match="DRILL_SECRET_KEY"):
        create_app()
    environment.setenv("DRILL_SECRET_KEY", "configured")
    assert create_app().config["SECRET_KEY"] == "configured"


def test_several_nodes_refuse_the_sqlite_default_and_a_missing_key(environment):
    environment.setenv("DRILL_NODES", "2")
    with pytest.raises(ConfigError) as refused:
        create_app()
    assert "SQLite" in str(refused.value) and "DRILL_SECRET_KEY" in str(refused.value)
    environment.setenv("DRILL_SECRET_KEY", "configured")
    environment.setenv("DRILL_DATABASE_URL", POSTGRES)
    assert create_app().config["NODES"] == 2


def test_the_in_request_deadline_work_is_on_by_default_only_on_sqlite(environment):
    environment.setenv("DRILL_SECRET_KEY", "x")
    assert create_app().config["HOUSEKEEPING_SECONDS"] == 60
    environment.setenv("DRILL_DATABASE_URL", POSTGRES)
    assert create_app().config["HOUSEKEEPING_SECONDS"] == 0
    environment.setenv("DRILL_HOUSEKEEPING_SECONDS", "30")
    assert create_app().config["HOUSEKEEPING_SECONDS"] == 30


def test_workers_starting_together_all_get_the_same_generated_key(tmp_path):
    keys, barrier = [], threading.Barrier(8)

    def worker():
        barrier.wait()
        keys.append(instance_secret_key(tmp_path))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(keys) == 8 and len(set(keys)) == 1 and len(keys[0]) == 64
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no draft left behind


def test_postgresql_gets_a_pool_per_worker_that_deployment_settings_size_and_pgbouncer_needs(environment):
    environment.setenv("DRILL_DATABASE_URL", POSTGRES)
    app = create_app()
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert (options["pool_size"], options["max_overflow"]) == (8, 4)
    assert "pool_pre_ping" not in options  # a round trip per request: idle connections are pinged instead
    assert "connect_args" not in options
    with app.app_context():
        from drill.extensions import db

        assert db.engine.pool.size() == 8  # not opened: no connection is made here
    environment.setenv("DRILL_DB_POOL_SIZE", "16")
    environment.setenv("DRILL_PGBOUNCER", "true")
    options = create_app().config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["pool_size"] == 16
    assert options["connect_args"] == {"prepare_threshold": None}  # no server-side prepared statements


def test_sqlite_keeps_its_own_pool_without_a_ping(environment):
    options = create_app().config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert "pool_size" not in options and "pool_pre_ping" not in options


def test_gunicorn_workers_take_the_loaded_app_out_of_the_garbage_collectors_way(tmp_path):
    """`--config python:drill.gunicorn_config` (the systemd unit, the benchmarks) freezes each worker's heap
    once its app is loaded: a misspelt hook would be ignored by gunicorn without a word."""
    (tmp_path / "probe.py").write_text(
        "import gc\n"
        "def app(environ, start_response):\n"
        "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
        "    return [str(gc.get_freeze_count()).encode()]\n"
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    unit = (Path(__file__).resolve().parents[2] / "deploy" / "systemd" / "drill@.service").read_text()
    assert "--config python:drill.gunicorn_config" in unit
    command = [
        *(sys.executable, "-m", "gunicorn", "probe:app", "--config", "python:drill.gunicorn_config"),
        *("--bind", f"127.0.0.1:{port}", "--workers", "1", "--chdir", str(tmp_path)),
    ]
    server = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                frozen = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not answer")
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert int(frozen) > 1000
