"""A manager's record of drills: recent attempts, trends per theme and competency, the notebook."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from drill.accounts.models import User
from drill.charts import LineChart, line_chart
from drill.content import catalog
from drill.content.models import Pack, Question, QuestionVersion
from drill.drills import states
from drill.drills.models import Attempt, AttemptItem, NotebookEntry
from drill.extensions import db
from drill.i18n import local_day

TREND_POINTS = 20


def closed_attempts(user: User, limit: int | None = None) -> list[Attempt]:
    query = (
        select(Attempt)
        .where(
            Attempt.user_id == user.id,
            Attempt.state != states.OPEN,
            Attempt.kind.not_in(("exam", "competition")),
        )
        .order_by(Attempt.closed_at.desc())
    )
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def recent(user: User, limit: int) -> list[Attempt]:
    return closed_attempts(user, limit)


def _scored_rows(user: User):
    """(attempt id, closed at, theme, competencies, points, earned) for every auto-scored item."""
    return db.session.execute(
        select(
            Attempt.id,
            Attempt.closed_at,
            Pack.theme,
            QuestionVersion.competencies,
            QuestionVersion.points,
            AttemptItem.earned,
        )
        .join(AttemptItem, AttemptItem.attempt_id == Attempt.id)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
        .join(Question, Question.id == QuestionVersion.question_id)
        .join(Pack, Pack.id == Question.pack_id)
        .where(
            Attempt.user_id == user.id,
            Attempt.state != states.OPEN,
            Attempt.kind.not_in(("exam", "competition")),  # exam scores stay private until released
            AttemptItem.earned.is_not(None),
        )
        .order_by(Attempt.closed_at, Attempt.id)
    ).all()


def _trend(rows, keys_of, label_of) -> tuple[LineChart | None, dict[str, float]]:
    """Percent per attempt for each key (theme or competency), as a chart and the latest value per key."""
    attempts: list[int] = []
    dates: dict[int, str] = {}
    sums: dict[str, dict[int, list[float]]] = defaultdict(dict)
    for attempt_id, closed_at, theme, competencies, points, earned in rows:
        if attempt_id not in dates:
            attempts.append(attempt_id)
            dates[attempt_id] = f"{local_day(closed_at):%m-%d}"  # the list below shows local times too
        for key in keys_of(theme, competencies):
            got, out_of = sums[key].get(attempt_id, [0.0, 0.0])
            sums[key][attempt_id] = [got + earned, out_of + float(points)]
    attempts = attempts[-TREND_POINTS:]
    series, latest = {}, {}
    for key, per_attempt in sorted(sums.items()):
        values = [_percent(per_attempt.get(a)) for a in attempts]
        present = [v for v in values if v is not None]
        if present:
            series[label_of(key)] = values
            latest[label_of(key)] = round(present[-1], 1)
    if not series:
        return None, {}
    return line_chart(series, [dates[a] for a in attempts]), latest


def _percent(pair: list[float] | None) -> float | None:
    return 100 * pair[0] / pair[1] if pair and pair[1] else None


def trends_by_theme(user: User):
    return _trend(_scored_rows(user), lambda theme, _c: [theme] if theme else [], catalog.theme_label)


def trends_by_competency(user: User):
    return _trend(_scored_rows(user), lambda _t, comps: comps or [], catalog.competency_label)


def notebook(user: User) -> list[tuple[NotebookEntry, QuestionVersion]]:
    query = (
        select(NotebookEntry, QuestionVersion)
        .join(Question, Question.id == NotebookEntry.question_id)
        .join(
            QuestionVersion,
            (QuestionVersion.question_id == Question.id)
            & (QuestionVersion.number == Question.current_version),
        )
        .where(NotebookEntry.user_id == user.id)
        .order_by(NotebookEntry.due)
    )
    return [tuple(row) for row in db.session.execute(query)]
