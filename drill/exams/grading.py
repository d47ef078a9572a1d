"""Grading open answers: an anonymous queue, marks criterion by criterion, double marking, an audit trail.

An item needs one mark, or two with double marking; two marks further apart than the exam's threshold
call a third marker (see marking.resolve). Every mark given or changed writes a MarkChange row.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import Select, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from drill.accounts.models import User
from drill.attempts.models import Attempt, AttemptItem
from drill.attempts.rules import states
from drill.content.models import QuestionVersion
from drill.exams.models import Exam, Mark, MarkChange, MarkClaim
from drill.exams.rules import marking
from drill.extensions import db


def _gradable_where(exam: Exam, *columns) -> Select:
    """`columns` (the ids by default) of the items people must grade: open answers of closed attempts."""
    return (
        select(*(columns or [AttemptItem.id]))
        .select_from(AttemptItem)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
        .where(Attempt.exam_id == exam.id, Attempt.state != states.OPEN, QuestionVersion.type == "open")
    )


def gradable(exam: Exam) -> list[AttemptItem]:
    """Items of closed attempts that people must grade (open answers), in a stable order."""
    query = select(AttemptItem).where(AttemptItem.id.in_(_gradable_where(exam))).order_by(AttemptItem.id)
    return list(db.session.scalars(query))


def _gradable_rows(exam: Exam) -> list[tuple[int, float, int]]:
    """(item id, points, candidate's user id) of every gradable item, in a stable order: one statement."""
    query = _gradable_where(exam, AttemptItem.id, AttemptItem.points, Attempt.user_id)
    return [tuple(row) for row in db.session.execute(query.order_by(AttemptItem.id))]


def _marks_by_item(exam: Exam) -> dict[int, list[marking.Mark]]:
    """Every mark on the exam's gradable items, by item, in round order: one statement whatever the count."""
    found: dict[int, list[marking.Mark]] = {}
    # A join, not `IN (gradable items)`: SQLite runs the IN form several times slower at 5,000 candidates.
    query = (
        _gradable_where(exam, AttemptItem.id, Mark.marker_id, Mark.total, Mark.round)
        .join(Mark, Mark.attempt_item_id == AttemptItem.id)
        .order_by(AttemptItem.id, Mark.round)
    )
    for item_id, marker_id, total, round_ in db.session.execute(query):
        found.setdefault(item_id, []).append(marking.Mark(marker_id, total, round_))
    return found


def marks_of(item: AttemptItem) -> list[Mark]:
    return list(db.session.scalars(select(Mark).where(Mark.attempt_item_id == item.id).order_by(Mark.round)))


def _resolve(exam: Exam, points: float, marks: list[marking.Mark]) -> marking.Resolution:
    return marking.resolve(
        marks, max_points=float(points), threshold=exam.marking_threshold, double=exam.double_marking
    )


def resolution(exam: Exam, item: AttemptItem, marks: list[Mark] | None = None) -> marking.Resolution:
    marks = marks_of(item) if marks is None else marks
    return _resolve(exam, item.points, [marking.Mark(m.marker_id, m.total, m.round) for m in marks])


def _rounds_wanted(exam: Exam, points: float, marks: list[marking.Mark]) -> int:
    if not exam.double_marking:
        return 1
    return 3 if _resolve(exam, points, marks).needs_third else 2


def rounds_wanted(exam: Exam, item: AttemptItem, marks: list[Mark]) -> int:
    return _rounds_wanted(exam, item.points, [marking.Mark(m.marker_id, m.total, m.round) for m in marks])


CLAIM_MINUTES = 30  # a claim left this long (a marker who walked away) may be taken by another marker


def next_for(exam: Exam, marker: User, now: datetime) -> AttemptItem | None:
    """The next answer this marker should grade, claimed for them: one still short of marks that they
    have not marked, and not their own; first markings before second and third ones. The answer they
    already hold comes back first; answers another marker holds are skipped. Two markers asking at once
    are handed different answers (see `claim`). The caller commits.

    The gradable items, their marks and their claims are read in three statements, whatever the count."""
    marks = _marks_by_item(exam)
    waiting = []
    for item_id, points, owner_id in _gradable_rows(exam):
        given = marks.get(item_id, [])
        if owner_id == marker.id or any(m.marker_id == marker.id for m in given):
            continue
        if len(given) < _rounds_wanted(exam, points, given):
            waiting.append((len(given) + 1, item_id))
    waiting.sort()
    claims = {
        (c.attempt_item_id, c.round): c
        for c in db.session.scalars(
            select(MarkClaim).where(MarkClaim.attempt_item_id.in_(_gradable_where(exam)))
        )
    }
    stale = now - timedelta(minutes=CLAIM_MINUTES)
    for round_, item_id in waiting:
        held = claims.get((item_id, round_))
        if held is not None and held.marker_id == marker.id:
            return db.session.get(AttemptItem, item_id)
    for round_, item_id in waiting:
        held = claims.get((item_id, round_))
        if held is not None and held.claimed_at > stale:
            continue
        if claim(item_id, round_, marker.id, now):
            return db.session.get(AttemptItem, item_id)
    return None


def claim(item_id: int, round_: int, marker_id: int, now: datetime) -> bool:
    """Take the answer's round for the marker: a guarded UPDATE of a stale (or their own) claim, else an
    INSERT that the unique (answer, round) key lets only one marker win. False: another marker has it."""
    stale = now - timedelta(minutes=CLAIM_MINUTES)
    taken = db.session.execute(
        update(MarkClaim)
        .where(
            MarkClaim.attempt_item_id == item_id,
            MarkClaim.round == round_,
            or_(MarkClaim.marker_id == marker_id, MarkClaim.claimed_at < stale),
        )
        .values(marker_id=marker_id, claimed_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken:
        return True
    try:
        with db.session.begin_nested():
            db.session.add(
                MarkClaim(attempt_item_id=item_id, round=round_, marker_id=marker_id, claimed_at=now)
            )
    except IntegrityError:
        return False
    return True


def progress(exam: Exam) -> tuple[int, int]:
    """(answers fully graded, answers to grade), counted in one statement: an open answer's `earned` is its
    final mark, set by `apply` from its marks in the same transaction as every mark given or changed (None
    until the marks resolve, and None when a paper closes: open answers are never scored automatically)."""
    total, done = db.session.execute(
        _gradable_where(exam, func.count(AttemptItem.id), func.count(AttemptItem.earned))
    ).one()
    return done, total


def anonymous_label(item: AttemptItem) -> str:
    """A label for an answer that names no one: the same answer always gets the same label."""
    return hashlib.sha256(f"answer:{item.attempt_id}:{item.attempt.seed}".encode()).hexdigest()[:6].upper()


def record(
    exam: Exam, item: AttemptItem, marker: User, criteria: dict, comment: str, reason: str, now: datetime
) -> Mark:
    """Give or change this marker's mark; ValueError (naming the criterion) on scores out of range."""
    version = db.session.get(QuestionVersion, item.question_version_id)
    rubric = (version.spec.get("rubric") or {}).get("criteria") or []
    points = float(item.points)
    total = marking.rubric_points(rubric, criteria, points) if rubric else float(criteria.get("points", -1))
    if not 0 <= total <= points:
        raise ValueError(f"points must be between 0 and {points:g}")
    mark = db.session.scalar(select(Mark).where(Mark.attempt_item_id == item.id, Mark.marker_id == marker.id))
    if mark is None:
        marks = marks_of(item)
        mark = Mark(
            attempt_item_id=item.id,
            marker_id=marker.id,
            round=len(marks) + 1,
            criteria=criteria,
            total=total,
            comment=comment,
            updated_at=now,
        )
        db.session.add(mark)
        old_total, old_criteria = None, None
    else:
        old_total, old_criteria = mark.total, mark.criteria
        mark.criteria, mark.total, mark.comment, mark.updated_at = criteria, total, comment, now
    db.session.flush()
    db.session.add(
        MarkChange(
            mark_id=mark.id,
            changed_by_id=marker.id,
            changed_at=now,
            old_total=old_total,
            new_total=total,
            old_criteria=old_criteria,
            new_criteria=criteria,
            reason=reason,
        )
    )
    db.session.execute(  # marked: the claim has done its work
        delete(MarkClaim)
        .where(MarkClaim.attempt_item_id == item.id, MarkClaim.marker_id == marker.id)
        .execution_options(synchronize_session=False)
    )
    apply(exam, item)
    return mark


def apply(exam: Exam, item: AttemptItem) -> None:
    """Put the resolved mark (or nothing yet) on the item, and refresh its attempt's total."""
    final = resolution(exam, item).final
    item.earned = final
    item.correct = None if final is None else final >= float(item.points)
    attempt = item.attempt
    attempt.score = round(sum(i.earned or 0.0 for i in attempt.items), 2)
    attempt.max_score = round(sum(float(i.points or 0) for i in attempt.items), 2)
    db.session.flush()
