"""SQLite: writers of one database take turns in a queue (drill.database.queue_sqlite_writers), so a burst
of answer saves never waits in SQLite's busy handler, and the turn passes however a transaction ends."""

import threading

import pytest
from sqlalchemy import create_engine, event, text

from drill import database


@pytest.fixture
def engine(request, tmp_path, monkeypatch):
    monkeypatch.setattr(database, "SQLITE_BUSY_SECONDS", 30)  # a turn never passed shows as a hang
    engine = create_engine(f"sqlite:///{tmp_path / 'turns.sqlite'}")
    # Without the queue a second writer fails at once. A discarded connection passes the turn as the pool
    # closes it, a moment before SQLite has let go of the file: there the app's own busy wait covers it.
    busy_ms = 10_000 if getattr(request, "param", None) == "invalidate" else 0

    @event.listens_for(engine, "connect")
    def _busy_wait(dbapi_connection, _record):
        dbapi_connection.execute(f"PRAGMA busy_timeout={busy_ms}")

    database.queue_sqlite_writers(engine)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE answers (id INTEGER PRIMARY KEY, response TEXT)"))
        connection.execute(text("INSERT INTO answers VALUES (1, 'first')"))
    yield engine
    engine.dispose()


def write(engine, response: str, end="commit", hold: threading.Event | None = None, wrote=None):
    connection = engine.connect()
    connection.execute(text("UPDATE answers SET response = :r WHERE id = 1"), {"r": response})
    if wrote is not None:
        wrote.set()
    if hold is not None:
        hold.wait(10)
    if end == "commit":
        connection.commit()
    elif end == "rollback":
        connection.rollback()
    else:
        connection.invalidate()  # the connection is discarded mid-transaction
    connection.close()


@pytest.mark.parametrize("engine", ["commit", "rollback", "invalidate"], indirect=True)
def test_a_second_writer_waits_its_turn_and_gets_it_however_the_first_ends(engine, request):
    end = request.node.callspec.params["engine"]
    release, wrote, errors = threading.Event(), threading.Event(), []

    def run(*args, **kwargs):
        try:
            write(*args, **kwargs)
        except Exception as error:
            errors.append(error)

    first = threading.Thread(target=run, args=(engine, "first writer", end, release, wrote))
    first.start()
    assert wrote.wait(10)
    second = threading.Thread(target=run, args=(engine, "second writer"))
    second.start()
    second.join(0.3)
    assert second.is_alive()  # waiting for its turn, not failing with "database is locked"
    release.set()
    first.join(10)
    second.join(10)
    assert not second.is_alive() and errors == []
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT response FROM answers")) == "second writer"


def test_many_threads_writing_at_once_all_write(engine):
    errors = []

    def run(n):
        try:
            for i in range(20):
                connection = engine.connect()
                connection.execute(text("INSERT INTO answers (response) VALUES (:r)"), {"r": f"{n}-{i}"})
                connection.commit()
                connection.close()
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM answers")) == 1 + 8 * 20
