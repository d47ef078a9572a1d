"""A manager's record of drills: recent attempts, trends per theme and competency, the notebook."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from drill.accounts.models import User
from drill.attempts import pages
from drill.attempts.models import Attempt, AttemptItem
from drill.attempts.rules import kinds, states
from drill.charts import LineChart, line_chart
from drill.content import catalog
from drill.content.models import Pack, Question, QuestionVersion
from drill.drills.models import NotebookEntry
from drill.drills.rules import notebook as notebook_rules
from drill.extensions import db
from drill.i18n import local_day

TREND_POINTS = 20


def closed_query(user: User):
    """The user's finished drills, latest first (years of them: the page paginates this)."""
    return (
        select(Attempt)
        .where(
            Attempt.user_id == user.id,
            Attempt.state != states.OPEN,
            Attempt.kind.not_in(("exam", "competition")),
        )
        .order_by(Attempt.closed_at.desc(), Attempt.id.desc())
    )


def closed_attempts(user: User, limit: int | None = None) -> list[Attempt]:
    query = closed_query(user)
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def recent(user: User, limit: int) -> list[Attempt]:
    return closed_attempts(user, limit)


def _scored_rows(user: User):
    """(attempt id, closed at, theme, competencies, points, earned) for every auto-scored item of the
    user's latest TREND_POINTS drills with one (all the trend shows: years of drills are not read)."""
    mine = (
        Attempt.user_id == user.id,
        Attempt.state != states.OPEN,
        Attempt.kind.not_in(("exam", "competition")),  # exam scores stay private until released
    )
    scored = select(AttemptItem.id).where(
        AttemptItem.attempt_id == Attempt.id, AttemptItem.earned.is_not(None)
    )
    latest = (
        select(Attempt.id)
        .where(*mine, scored.exists())
        .order_by(Attempt.closed_at.desc(), Attempt.id.desc())
        .limit(TREND_POINTS)
        .correlate(None)  # its own attempts, not the outer query's
    )
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
        .where(*mine, Attempt.id.in_(latest), AttemptItem.earned.is_not(None))
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


@dataclass
class NotebookItem:
    """A notebook question as the manager last answered it wrong: the version asked then (pinned), the
    answer given, the right answer and the explanation. `item` is None for an entry without a wrong
    drill answer on record; the question is then shown at its current version, without an answer."""

    entry: NotebookEntry
    version: QuestionVersion
    item: pages.ResultItem | None
    answered_at: datetime | None


def notebook(user: User) -> list[NotebookItem]:
    """The user's notebook, oldest due first, each with its last wrong drill answer: two queries in all."""
    wrong = (
        select(QuestionVersion.question_id.label("question_id"), func.max(AttemptItem.id).label("item_id"))
        .join(AttemptItem, AttemptItem.question_version_id == QuestionVersion.id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(
            Attempt.user_id == user.id,
            Attempt.kind.not_in(kinds.PRIVATE),  # an exam's answers are never shown here
            AttemptItem.correct.is_(False),
        )
        .group_by(QuestionVersion.question_id)
        .subquery()
    )
    pinned, current = aliased(QuestionVersion), aliased(QuestionVersion)
    rows = db.session.execute(
        select(NotebookEntry, AttemptItem, pinned, current, Attempt.closed_at)
        .join(Question, Question.id == NotebookEntry.question_id)
        .join(current, (current.question_id == Question.id) & (current.number == Question.current_version))
        .outerjoin(wrong, wrong.c.question_id == NotebookEntry.question_id)
        .outerjoin(AttemptItem, AttemptItem.id == wrong.c.item_id)
        .outerjoin(pinned, pinned.id == AttemptItem.question_version_id)
        .outerjoin(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(NotebookEntry.user_id == user.id)
        .order_by(NotebookEntry.due, NotebookEntry.id)
    ).all()
    found = []
    for entry, item, asked, now_asked, closed_at in rows:
        if item is not None and asked is not None:
            found.append(NotebookItem(entry, asked, pages._result(item, asked), closed_at))
        else:
            found.append(NotebookItem(entry, now_asked, None, None))
    return found


def ever_wrong(user: User) -> dict[int, set[str]]:
    """{question id: its competencies} of every question the user ever answered wrong in a drill."""
    versions = (
        select(AttemptItem.question_version_id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(
            Attempt.user_id == user.id,
            Attempt.kind.not_in(kinds.PRIVATE),
            AttemptItem.correct.is_(False),
        )
        .distinct()
    )
    found: dict[int, set[str]] = defaultdict(set)
    for question_id, competencies in db.session.execute(
        select(QuestionVersion.question_id, QuestionVersion.competencies).where(
            QuestionVersion.id.in_(versions)
        )
    ):
        found[question_id].update(competencies or [])
    return found


def mastery(user: User, items: list[NotebookItem], now: datetime) -> dict[str, notebook_rules.Mastery]:
    """Mastery per competency, in the taxonomy's order (see notebook.mastery)."""
    entries = {i.entry.question_id: notebook_rules.Entry(i.entry.box, i.entry.due) for i in items}
    found = notebook_rules.mastery(ever_wrong(user), entries, now)
    order = [t.key for t in catalog.taxonomy().competencies.terms]
    return dict(
        sorted(found.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order), kv[0]))
    )
