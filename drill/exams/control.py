"""An organiser's control of a running exam: close it now, give one candidate's paper more time or
re-open it. Every step is recorded with who, when and why. Services flush; views commit.

- Close now: when everyone who started has submitted, or "by decision" with a reason; papers still open
  fall due at once and are collected with the answers saved so far by the deadline job (drill.housekeeping),
  like papers at the end of the window. Every window ends then, second windows too. One ExamClosure row
  per exam: a second click finds it already closed.
- Extra time: an open paper's deadline moves N minutes on (from now, if it has already passed).
- Re-open: a closed paper nobody has marked yet opens again (a power cut) with its answers, until now + N.
Both refused once the results are released.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from drill.accounts.models import User
from drill.attempts import engine
from drill.attempts.models import Attempt, AttemptItem
from drill.attempts.rules import states
from drill.exams.models import Exam, ExamAdjustment, ExamClosure, Mark, MarkClaim
from drill.extensions import db
from drill.messages import N_


class Refused(Exception):
    """The step is not allowed now: an English msgid (with %(name)s parameters) saying why."""

    def __init__(self, message: str, **params):
        super().__init__(message)
        self.message, self.params = message, params


class AlreadyClosed(Refused):
    def __init__(self):
        super().__init__(N_("The exam is already closed."))


def last_close(exam: Exam) -> datetime:
    """When the last window closes: the exam's, or a later second window granted to a candidate."""
    return max([exam.closes_at] + [a.closes_at for a in exam.adjustments if a.closes_at])


def open_count(exam: Exam) -> int:
    """How many papers are still open: counted in SQL, not listed (an exam day has thousands)."""
    return db.session.scalar(
        select(func.count())
        .select_from(Attempt)
        .where(Attempt.exam_id == exam.id, Attempt.state == states.OPEN)
    )


def close_now(exam: Exam, by: User, reason: str, now: datetime) -> ExamClosure:
    """Close the exam before its window ends. Without a reason only when no paper is still open."""
    reason = reason.strip()
    if exam.released_at is not None:
        raise Refused(N_("The results are already released."))
    if exam.closure is not None or now >= last_close(exam):
        raise AlreadyClosed
    if now < exam.opens_at:
        raise Refused(N_("The exam has not opened yet: change its window instead of closing it."))
    still_open = open_count(exam)
    if still_open and not reason:
        raise Refused(
            N_(
                "%(count)d candidates are still writing: to close the exam by decision, give the reason "
                "(it is recorded)."
            ),
            count=still_open,
        )
    closure = ExamClosure(
        exam_id=exam.id, closed_at=now, closed_by_id=by.id, everyone_submitted=not still_open, reason=reason
    )
    try:
        with db.session.begin_nested():
            db.session.add(closure)
    except IntegrityError:  # a double click or a second organiser: the first close stands
        raise AlreadyClosed from None
    # The papers still open fall due now. The deadline job collects them in chunks, as at any deadline,
    # and each candidate's own next request closes theirs: this request does not close thousands of papers.
    db.session.execute(
        update(Attempt)
        .where(Attempt.exam_id == exam.id, Attempt.state == states.OPEN, Attempt.deadline > now)
        .values(deadline=now)
        .execution_options(synchronize_session=False)
    )
    closure.collected = still_open
    db.session.flush()
    db.session.refresh(exam)
    return closure


def latest_paper(exam: Exam, user: User) -> Attempt | None:
    return db.session.scalar(
        select(Attempt)
        .where(Attempt.exam_id == exam.id, Attempt.user_id == user.id)
        .order_by(Attempt.number.desc())
        .limit(1)
    )


def is_marked(attempt: Attempt) -> bool:
    items = select(AttemptItem.id).where(AttemptItem.attempt_id == attempt.id)
    return db.session.scalar(select(Mark.id).where(Mark.attempt_item_id.in_(items)).limit(1)) is not None


def more_time(exam: Exam, user: User, by: User, minutes: int, reason: str, now: datetime) -> ExamAdjustment:
    """Extend the candidate's open paper by `minutes`, or re-open their closed, unmarked one until
    now + `minutes`. The adjustment it records says which ("extend" or "reopen") and the new deadline."""
    reason = reason.strip()
    if not reason:
        raise Refused(N_("Give the reason: it is recorded with the change."))
    if minutes < 1:
        raise Refused(N_("Give at least one minute."))
    if exam.released_at is not None:
        raise Refused(N_("The results are released: a paper can no longer be given more time or re-opened."))
    attempt = latest_paper(exam, user)
    if attempt is None:
        raise Refused(
            N_("%(name)s has not started this exam: record extra minutes or a second window instead."),
            name=user.name,
        )
    deadline = engine.claim(attempt.id)  # locks the row while it is open
    if deadline is not None:
        action, new_deadline = "extend", max(deadline, now) + timedelta(minutes=minutes)
        db.session.execute(
            update(Attempt)
            .where(Attempt.id == attempt.id)
            .values(deadline=new_deadline)
            .execution_options(synchronize_session=False)
        )
    else:
        if is_marked(attempt):
            raise Refused(
                N_("%(name)s's paper has marks already: it can no longer be re-opened."), name=user.name
            )
        action, new_deadline = "reopen", now + timedelta(minutes=minutes)
        # The one way back in the attempt state machine (attempts.rules.states.REOPENED_FROM): guarded,
        # so of two clicks only one re-opens it.
        won = db.session.execute(
            update(Attempt)
            .where(Attempt.id == attempt.id, Attempt.state.in_(states.REOPENED_FROM))
            .values(state=states.OPEN, closed_at=None, score=None, max_score=None, deadline=new_deadline)
            .execution_options(synchronize_session=False)
        ).rowcount
        if won != 1:
            raise Refused(N_("The paper changed meanwhile; please try again."))
        items = select(AttemptItem.id).where(AttemptItem.attempt_id == attempt.id)
        db.session.execute(
            delete(MarkClaim)
            .where(MarkClaim.attempt_item_id.in_(items))
            .execution_options(synchronize_session=False)
        )
    adjustment = ExamAdjustment(
        exam=exam,
        user=user,
        granted_by=by,
        reason=reason,
        extra_minutes=minutes,
        attempt_id=attempt.id,
        action=action,
        deadline=new_deadline,
    )
    db.session.add(adjustment)
    db.session.flush()
    db.session.refresh(attempt)
    return adjustment
