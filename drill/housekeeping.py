"""Work that falls due with the clock rather than with a click: attempts past their deadline (a drill,
an exam or a competition paper nobody submitted) are closed and scored, competition rounds open at their
opening time, and approved level changes take effect on their day.

It is a scheduled job, run once however many app nodes there are: `drill housekeeping` from the systemd
timer (or cron line) in deploy/. It closes papers in chunks of `CHUNK`, each chunk its own transaction,
so thousands of papers falling due in the same second never hold one long transaction, and a save on
another paper waits for one chunk at most. Two runs at once never do the same work twice:

- PostgreSQL: the run takes a session advisory lock (`pg_try_advisory_lock`); a second run finds it taken
  and stops at once. Each chunk's rows are taken `FOR UPDATE SKIP LOCKED`, so a paper that its candidate
  is submitting at that moment is left to the submit, and closing stays a guarded UPDATE
  (`drill.attempts.engine.claim`) besides.
- SQLite: one writer at a time; the guarded UPDATE makes a paper closed by someone else a no-op.

A request never does this work for others: it closes only its own user's overdue paper (drills views).
The in-request mode below is there for a single-process SQLite install without a scheduler, and is on by
default only there (HOUSEKEEPING_SECONDS, see drill/config.py): at most every HOUSEKEEPING_SECONDS per
process, at the start of a request; a failure is logged and never fails the user's request.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, current_app
from sqlalchemy import text

from drill.database import utcnow
from drill.extensions import db

CHUNK = 200
RUN_LOCK = "drill-housekeeping"


@dataclass(frozen=True)
class Outcome:
    closed: int
    applied: int
    ran: bool = True  # False: another run held the lock, this one did nothing


def run(now: datetime, chunk: int = CHUNK) -> tuple[int, int]:
    """(attempts closed, level changes applied). Commits as it goes, one transaction per chunk."""
    outcome = run_once(now, chunk)
    return outcome.closed, outcome.applied


def run_once(now: datetime, chunk: int = CHUNK) -> Outcome:
    """The whole job under the run lock; an `Outcome` with ran=False if another run holds it."""
    db.session.commit()  # start clean: nothing of the caller's rides in a chunk's transaction
    with run_lock() as held:
        if not held:
            return Outcome(0, 0, ran=False)
        open_rounds(now)
        return Outcome(close_overdue(now, chunk), apply_levels(now))


def open_rounds(now: datetime) -> int:
    """Competition rounds whose opening time has come (drill.competitions.schedule), so the to-do page
    lists them before anyone opens the competition's page."""
    # The job's steps import their areas when they run: the app factory loads this module to install the
    # job, and the areas' models must all be mapped before their queries are built.
    from drill.competitions import schedule

    return committed(lambda: schedule.open_all_due(now))


def close_overdue(now: datetime, chunk: int = CHUNK) -> int:
    """Close every paper past its deadline and grace, `chunk` at a time, committing each chunk."""
    from drill.attempts import engine  # when the job runs, as above

    grace = float(current_app.config["DEADLINE_GRACE_SECONDS"])
    closed = 0
    while True:
        taken, done = committed(lambda: engine.close_overdue_chunk(now, grace, chunk))
        closed += done
        if taken == 0:
            return closed


def apply_levels(now: datetime) -> int:
    from drill.appraisal import level_changes  # when the job runs, as above

    return committed(lambda: level_changes.apply_due(now))


def committed(step):
    """Run one step of the job in a transaction of its own: committed, or rolled back and raised."""
    try:
        result = step()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return result


class run_lock:
    """PostgreSQL: a session advisory lock on a connection of its own, held for the whole run.
    SQLite: always granted (its one writer orders the chunks; the guarded UPDATE does the rest)."""

    def __enter__(self) -> bool:
        self.connection = None
        if db.engine.dialect.name != "postgresql":
            return True
        self.connection = db.engine.connect()
        held = self.connection.scalar(text("SELECT pg_try_advisory_lock(hashtext(:key))"), {"key": RUN_LOCK})
        self.connection.commit()
        if not held:
            self.connection.close()
            self.connection = None
        return bool(held)

    def __exit__(self, *_exc) -> None:
        if self.connection is not None:
            self.connection.execute(text("SELECT pg_advisory_unlock(hashtext(:key))"), {"key": RUN_LOCK})
            self.connection.commit()
            self.connection.close()


def install(app: Flask) -> None:
    every = float(app.config.get("HOUSEKEEPING_SECONDS", 0) or 0)
    if every <= 0:
        return
    lock = threading.Lock()
    last = [float("-inf")]  # the first request catches up at once

    @app.before_request
    def housekeeping() -> None:
        if time.monotonic() - last[0] < every or not lock.acquire(blocking=False):
            return
        try:
            last[0] = time.monotonic()
            run(utcnow())
        except Exception:  # the user's request goes on; the next round tries again
            db.session.rollback()
            app.logger.exception("housekeeping failed")
        finally:
            lock.release()
