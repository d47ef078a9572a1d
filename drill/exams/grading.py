"""Grading open answers: an anonymous queue, marks criterion by criterion, double marking, an audit trail.

An item needs one mark, or two with double marking; two marks further apart than the exam's threshold
call a third marker (see marking.resolve). Every mark given or changed writes a MarkChange row.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError

from drill.accounts.models import User
from drill.content.models import QuestionVersion
from drill.drills import states
from drill.drills.models import Attempt, AttemptItem
from drill.exams import marking
from drill.exams.models import Exam, Mark, MarkChange, MarkClaim
from drill.extensions import db


def gradable(exam: Exam) -> list[AttemptItem]:
    """Items of closed attempts that people must grade (open answers), in a stable order."""
    rows = db.session.scalars(
        select(AttemptItem)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
        .where(Attempt.exam_id == exam.id, Attempt.state != states.OPEN, QuestionVersion.type == "open")
        .order_by(AttemptItem.id)
    )
    return list(rows)


def marks_of(item: AttemptItem) -> list[Mark]:
    return list(db.session.scalars(select(Mark).where(Mark.attempt_item_id == item.id).order_by(Mark.round)))


def resolution(exam: Exam, item: AttemptItem, marks: list[Mark] | None = None) -> marking.Resolution:
    marks = marks_of(item) if marks is None else marks
    return marking.resolve(
        [marking.Mark(m.marker_id, m.total, m.round) for m in marks],
        max_points=float(item.points),
        threshold=exam.marking_threshold,
        double=exam.double_marking,
    )


def rounds_wanted(exam: Exam, item: AttemptItem, marks: list[Mark]) -> int:
    if not exam.double_marking:
        return 1
    return 3 if resolution(exam, item, marks).needs_third else 2


CLAIM_MINUTES = 30  # a claim left this long (a marker who walked away) may be taken by another marker


def next_for(exam: Exam, marker: User, now: datetime) -> AttemptItem | None:
    """The next answer this marker should grade, claimed for them: one still short of marks that they
    have not marked, and not their own; first markings before second and third ones. The answer they
    already hold comes back first; answers another marker holds are skipped. Two markers asking at once
    are handed different answers (see `claim`). The caller commits."""
    waiting = []
    for item in gradable(exam):
        marks = marks_of(item)
        if item.attempt.user_id == marker.id or any(m.marker_id == marker.id for m in marks):
            continue
        if len(marks) < rounds_wanted(exam, item, marks):
            waiting.append((len(marks) + 1, item.id, item))
    waiting.sort()
    claims = {
        (c.attempt_item_id, c.round): c
        for c in db.session.scalars(
            select(MarkClaim).where(MarkClaim.attempt_item_id.in_([item_id for _, item_id, _ in waiting]))
        )
    }
    stale = now - timedelta(minutes=CLAIM_MINUTES)
    for round_, item_id, item in waiting:
        held = claims.get((item_id, round_))
        if held is not None and held.marker_id == marker.id:
            return item
    for round_, item_id, item in waiting:
        held = claims.get((item_id, round_))
        if held is not None and held.claimed_at > stale:
            continue
        if claim(item_id, round_, marker.id, now):
            return item
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
    """(answers fully graded, answers to grade)."""
    items = gradable(exam)
    return sum(resolution(exam, i).final is not None for i in items), len(items)


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
