"""`drill demo`: an organisation with a quarter of history, seeded through the app's own services.

The map (each step a module of its own, each given the shared `World`: the people, now, one seeded
random generator):

- people       drill/accounts/demo.py — head office, three branches, six outlets; admin, two trainers,
               three judges, thirty managers (the logins `drill demo` prints)
- drills       practice over the last ~90 days with a wrong-answer notebook and its reviews, and an
               assigned drill half done (done, started, not started)
- exams        a skill-level exam sat a month ago: open answers double-marked, released, certificates
- competitions a competition mid-way: written round scored, case round in peer review, board frozen
- appraisal    last quarter computed and published, this quarter open, a level change to approve

Times are relative to now and stored in UTC; the same seed gives the same demo. It needs the shipped
content imported first (`drill import content`); without it only the people are seeded.
"""

from __future__ import annotations

import random
from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import func, select

from drill.accounts import demo as people
from drill.content.models import Pack
from drill.database import utcnow
from drill.demo import appraisal, competitions, drills, exams
from drill.demo.world import SEED, World
from drill.extensions import db


def seed(now: datetime | None = None) -> tuple[list[tuple[str, str, str, str]], list[str]]:
    """Seed the demo (the caller commits); returns (the logins made, what was seeded in words). What it
    stores in words (a drill's title) is in Chinese, as a manager on the default locale would have it."""
    with force_locale("zh_CN"):
        return _seed(now or utcnow())


def _seed(now: datetime) -> tuple[list[tuple[str, str, str, str]], list[str]]:
    logins = people.seed()
    db.session.flush()
    world = World.load(now)
    if not db.session.scalar(select(func.count()).select_from(Pack)):
        world.note("no content imported (drill import content): only the people were seeded")
        return logins, world.notes
    for step in (drills.seed, drills.assignment, exams.seed, competitions.seed, appraisal.seed):
        name = f"{step.__module__}.{step.__name__}"
        world.rng = random.Random(f"{SEED}:{name}")  # each step its own draws: one cannot shift the next
        try:
            with db.session.begin_nested():  # a step that fails leaves nothing behind; `make run` goes on
                step(world)
        except Exception as error:  # the demo is a convenience: report the failure and carry on
            current_app.logger.exception("demo step %s failed", name)
            world.note(f"{name} skipped: {type(error).__name__}: {error}")
    return logins, world.notes
