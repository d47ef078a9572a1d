"""The pack library: every imported pack with its version, size, publisher and what uses it now.

"In use" is open for extension: an area that draws from packs (exams, competitions) registers a counter
with `usage_source`, returning {pack id: how many of its open things use that pack}.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import distinct, func, select

from drill.accounts.models import User
from drill.attempts.models import Attempt, AttemptItem
from drill.attempts.rules import states
from drill.authoring.models import PackSource
from drill.competitions.models import Round
from drill.competitions.rules import states as round_states
from drill.content.models import Pack, PackVersion, Question, QuestionVersion
from drill.drills.models import Assignment
from drill.exams.models import Exam
from drill.extensions import db

Counter = Callable[[datetime], dict[int, int]]
USAGE_SOURCES: list[tuple[object, Counter]] = []


def usage_source(label) -> Callable[[Counter], Counter]:
    """Register a counter of open things that use a pack, shown in the library under `label`."""

    def register(counter: Counter) -> Counter:
        USAGE_SOURCES.append((label, counter))
        return counter

    return register


@usage_source(_l("open drill assignments"))
def open_assignments(now: datetime) -> dict[int, int]:
    rows = db.session.execute(
        select(Assignment.pack_id, func.count())
        .where(Assignment.pack_id.is_not(None), Assignment.closes_at > now)
        .group_by(Assignment.pack_id)
    )
    return dict(rows.all())


@usage_source(_l("open attempts"))
def open_attempts(now: datetime) -> dict[int, int]:
    """Attempts still open that drew questions from the pack (drills and, through attempts, exams)."""
    rows = db.session.execute(
        select(Question.pack_id, func.count(distinct(Attempt.id)))
        .join(QuestionVersion, QuestionVersion.question_id == Question.id)
        .join(AttemptItem, AttemptItem.question_version_id == QuestionVersion.id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(Attempt.state == states.OPEN, Attempt.deadline > now)
        .group_by(Question.pack_id)
    )
    return dict(rows.all())


@usage_source(_l("competition rounds not yet finished"))
def competition_rounds(now: datetime) -> dict[int, int]:
    """Case and judged rounds that answer or judge by the pack, until they are closed."""

    counts: dict[int, int] = {}
    rounds = db.session.scalars(
        select(Round).where(Round.state.not_in([round_states.CLOSED, round_states.FINISHED]))
    )
    for round_ in rounds:
        for pack_id in {round_.case_pack_id, round_.rubric_pack_id} - {None}:
            counts[pack_id] = counts.get(pack_id, 0) + 1
    return counts


@usage_source(_l("open or upcoming exams that may draw from it"))
def exams_drawing(now: datetime) -> dict[int, int]:
    """Exams not yet closed whose blueprint has a row the pack's theme can fill (exams draw by theme)."""

    exams = list(db.session.scalars(select(Exam).where(Exam.closes_at > now, Exam.released_at.is_(None))))
    if not exams:
        return {}
    counts: dict[int, int] = {}
    for pack_id, theme in db.session.execute(select(Pack.id, Pack.theme).where(Pack.kind == "quiz")):
        n = sum(any(cell.get("theme") in (None, "", theme) for cell in exam.blueprint) for exam in exams)
        if n:
            counts[pack_id] = n
    return counts


def usage(now: datetime) -> dict[int, list[tuple[object, int]]]:
    """pack id → [(label, count)] of what uses it now."""
    found: dict[int, list[tuple[object, int]]] = {}
    for label, counter in USAGE_SOURCES:
        for pack_id, count in counter(now).items():
            if count:
                found.setdefault(pack_id, []).append((label, count))
    return found


@dataclass
class Row:
    pack: Pack
    questions: int
    published_at: datetime | None
    published_by: str | None  # who published it in the browser (None: unknown, or from git)
    browser: bool  # published in the browser; False: imported from git with `drill import`
    in_use: list[tuple[object, int]] = field(default_factory=list)


def library(now: datetime) -> list[Row]:
    packs = db.session.scalars(select(Pack).order_by(Pack.retired, Pack.kind, Pack.title)).all()
    live = dict(
        db.session.execute(
            select(Question.pack_id, func.count())
            .where(Question.retired_at.is_(None))
            .group_by(Question.pack_id)
        ).all()
    )
    # The current version of every pack, with who published it in the browser: one query, whatever the
    # number of packs and publishers.
    versions = {
        pack_id: (imported_at, source_id, published_at, publisher)
        for pack_id, imported_at, source_id, published_at, publisher in db.session.execute(
            select(
                PackVersion.pack_id,
                PackVersion.imported_at,
                PackSource.id,
                PackSource.published_at,
                User.name,
            )
            .join(Pack, Pack.id == PackVersion.pack_id)
            .outerjoin(PackSource, PackSource.pack_version_id == PackVersion.id)
            .outerjoin(User, User.id == PackSource.published_by_id)
            .where(PackVersion.number == Pack.current_version)
        )
    }
    used = usage(now)
    rows = []
    for pack in packs:
        imported_at, source_id, published_at, publisher = versions.get(pack.id, (None, None, None, None))
        browser = source_id is not None
        when = published_at if browser else imported_at
        rows.append(Row(pack, live.get(pack.id, 0), when, publisher, browser, used.get(pack.id, [])))
    return rows


def pack_usage(pack: Pack, now: datetime) -> list[tuple[object, int]]:
    return usage(now).get(pack.id, [])
