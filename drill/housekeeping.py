"""Work that falls due with the clock rather than with a click: attempts past their deadline (a drill,
an exam or a competition paper nobody submitted) are closed and scored, and approved level changes take
effect on their day.

`drill housekeeping` does it once (for cron). The app also does it in passing: at most every
HOUSEKEEPING_SECONDS (0: never) per process, at the start of a request (the first one at once), so a
closed intranet without a scheduler still sees boards and levels move on time. It costs one indexed
query for each of the two when nothing is due; a failure is logged and never fails the user's request.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime

from flask import Flask, current_app

from drill.database import utcnow
from drill.extensions import db


def run(now: datetime) -> tuple[int, int]:
    """(attempts closed, level changes applied); the caller commits."""
    from drill.appraisal import leveling
    from drill.drills import services

    closed = services.close_overdue(now, float(current_app.config["DEADLINE_GRACE_SECONDS"]))
    applied = leveling.apply_due(now)
    return closed, applied


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
            db.session.commit()
        except Exception:  # the user's request goes on; the next round tries again
            db.session.rollback()
            app.logger.exception("housekeeping failed")
        finally:
            lock.release()
