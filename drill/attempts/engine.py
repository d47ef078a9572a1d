"""Saving to and closing attempts: the engine every kind of attempt runs on. The caller commits once.

Saving and closing both begin by updating the attempt's own row while it is still open. That one
conditional UPDATE (`claim`) takes the row lock (PostgreSQL) or the write lock (SQLite), so a save and a
close of the same attempt run one after the other: a save that loses the race finds the attempt closed
and is refused, and a close that loses finds nothing left to close. Nothing is lost or counted twice.

`close` is the one way an attempt closes (its owner submits, its time is up, the organiser closes the
round): it scores the saved answers and hands the closed attempt to its kind's follow-up (`kinds`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import and_, bindparam, func, or_, select, update

from drill.accounts.models import User
from drill.attempts.models import Attempt, AttemptItem
from drill.attempts.rules import kinds, states, timing
from drill.attempts.rules.results import ScoredItem, total
from drill.content.models import QuestionVersion
from drill.content.rules.questions import score as score_response
from drill.extensions import db


class SaveOutcome(Enum):
    SAVED = "saved"
    KEPT = "kept"  # a replay older than the saved answer: the newer answer stays, nothing changes
    CLOSED = "closed"  # submitted, or closed at its deadline
    LATE = "late"  # arrived after deadline + grace: refused, and the attempt is now closed
    NOT_FOUND = "not_found"  # no such attempt or item, or not this user's
    INVALID = "invalid"  # the answer does not fit its question's type (`check`): nothing saved


@dataclass(frozen=True)
class Saved:
    outcome: SaveOutcome
    deadline: datetime | None = None
    seq: int | None = None  # the version now saved, when the page sends one
    problem: str | None = None  # INVALID: what is wrong with the answer for its question's type


class Why(Enum):
    """Why an attempt is being closed."""

    SUBMITTED = "submitted"  # its owner submits: expired instead if past the deadline and grace
    DEADLINE = "deadline"  # its time is up: closes only once past the deadline and grace
    ROUND_CLOSED = "round_closed"  # the organiser closes the round: expired now, whatever the deadline


def claim(attempt_id: int, user_id: int | None = None) -> datetime | None:
    """Lock the attempt's row if it is open (and the user's); its deadline, or None if it is not."""
    query = update(Attempt).where(Attempt.id == attempt_id, Attempt.state == states.OPEN)
    if user_id is not None:
        query = query.where(Attempt.user_id == user_id)
    return db.session.scalar(query.values(state=Attempt.state).returning(Attempt.deadline))


def _refused(attempt_id: int, user_id: int) -> SaveOutcome:
    owner = db.session.scalar(select(Attempt.user_id).where(Attempt.id == attempt_id))
    return SaveOutcome.CLOSED if owner == user_id else SaveOutcome.NOT_FOUND


# The hot path's two statements, built once; the values are bound per request. The first reads the open
# attempt's deadline under a share lock (of the attempt's row only) and, in the same indexed lookup, the
# type of the question at that position (None when there is no such item), which the answer must fit.
_OPEN_DEADLINE = (
    select(Attempt.deadline, QuestionVersion.type)
    .select_from(Attempt)
    .outerjoin(
        AttemptItem,
        and_(AttemptItem.attempt_id == Attempt.id, AttemptItem.position == bindparam("position")),
    )
    .outerjoin(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
    .where(
        Attempt.id == bindparam("attempt_id"),
        Attempt.user_id == bindparam("user_id"),
        Attempt.state == states.OPEN,
    )
    .with_for_update(read=True, of=Attempt)
)
_SAVE_ITEM = (
    update(AttemptItem)
    .where(
        AttemptItem.attempt_id == bindparam("b_attempt"),
        AttemptItem.position == bindparam("b_position"),
        select(Attempt.id).where(Attempt.id == bindparam("b_attempt"), Attempt.state == states.OPEN).exists(),
    )
    .values(
        response=bindparam("b_response", type_=AttemptItem.response.type),
        saved_at=bindparam("b_now", type_=AttemptItem.saved_at.type),
        first_saved_at=func.coalesce(
            AttemptItem.first_saved_at, bindparam("b_now", type_=AttemptItem.saved_at.type)
        ),
    )
    .execution_options(synchronize_session=False)
)
# A versioned save (the page's counter per item) writes only over an older version: a queued replay that
# arrives after a newer answer changes nothing.
_SAVE_NEWER = _SAVE_ITEM.where(
    or_(AttemptItem.saved_seq.is_(None), AttemptItem.saved_seq < bindparam("b_seq"))
).values(saved_seq=bindparam("b_seq"))


def save_answer(
    attempt_id: int,
    user_id: int,
    position: int,
    response: object,
    now: datetime,
    grace: float,
    seq: int | None = None,
    check=None,
) -> Saved:
    """The hot path: read the deadline, then one guarded UPDATE of the item; the caller commits.

    With `seq` (the page's version of this item's answer), an answer older than the saved one is kept
    out: the outcome is KEPT and the saved version is returned, so a replaying page can drop its copy.
    `check(question_type)` (the type is "" when there is no such item) returns what is wrong with the
    response for that type, or None; when something is, the outcome is INVALID and nothing is written.
    """
    found = db.session.execute(
        _OPEN_DEADLINE, {"attempt_id": attempt_id, "user_id": user_id, "position": position}
    ).first()
    if found is None:
        return Saved(_refused(attempt_id, user_id))
    deadline, question_type = found
    problem = None if check is None else check(question_type or "")
    if problem is not None:
        return Saved(SaveOutcome.INVALID, deadline, problem=problem)
    if timing.overdue(deadline, now, grace):
        if close(attempt_id, now, Why.DEADLINE, grace=grace, user_id=user_id) is None:
            return Saved(_refused(attempt_id, user_id))
        return Saved(SaveOutcome.LATE, deadline)
    values = {"b_attempt": attempt_id, "b_position": position, "b_response": response, "b_now": now}
    if seq is None:
        result = db.session.execute(_SAVE_ITEM, values)
    else:
        result = db.session.execute(_SAVE_NEWER, {**values, "b_seq": seq})
    if result.rowcount == 1:
        return Saved(SaveOutcome.SAVED, deadline, seq)
    state = db.session.scalar(select(Attempt.state).where(Attempt.id == attempt_id))
    if state != states.OPEN:
        return Saved(SaveOutcome.CLOSED, deadline)
    if seq is not None:
        newer = db.session.execute(
            select(AttemptItem.saved_seq).where(
                AttemptItem.attempt_id == attempt_id, AttemptItem.position == position
            )
        ).first()
        if newer is not None:
            return Saved(SaveOutcome.KEPT, deadline, newer.saved_seq)
    return Saved(SaveOutcome.NOT_FOUND, deadline)


def close(
    attempt_id: int, now: datetime, why: Why, *, grace: float = 0.0, user_id: int | None = None
) -> Attempt | None:
    """Close the attempt if it is open (and `user_id`'s, when given) and `why` allows: score its saved
    answers, set its state, closing time and score, and run its kind's follow-up, all under the row's
    lock. The closed Attempt, or None when it was not closed (already closed, not yet due, not found)."""
    if why is Why.DEADLINE:  # a cheap read first: pages ask this of open attempts on every view
        deadline = db.session.scalar(
            select(Attempt.deadline).where(Attempt.id == attempt_id, Attempt.state == states.OPEN)
        )
        if deadline is None or not timing.overdue(deadline, now, grace):
            return None
    deadline = claim(attempt_id, user_id)
    if deadline is None:
        return None
    late = timing.overdue(deadline, now, grace)
    if why is Why.DEADLINE and not late:  # given more time meanwhile
        return None
    attempt = db.session.get(Attempt, attempt_id, populate_existing=True)
    state = states.SUBMITTED if why is Why.SUBMITTED and not late else states.EXPIRED
    _score(attempt, state, now)
    return attempt


def _score(attempt: Attempt, state: str, now: datetime) -> None:
    if not states.can_move(attempt.state, state):
        raise ValueError(f"attempt {attempt.id} cannot move from {attempt.state} to {state}")
    follow_up = kinds.on_close(attempt.kind)  # before anything changes: an unknown kind closes nothing
    versions = versions_of(attempt)
    scored, answers = [], []
    # The answers as saved, even by a request that committed a moment before this one took the lock.
    items = db.session.scalars(
        select(AttemptItem)
        .where(AttemptItem.attempt_id == attempt.id)
        .order_by(AttemptItem.position)
        .execution_options(populate_existing=True)
    )
    for item in items:
        version = versions[item.question_version_id]
        points = item_points(item, version)
        result = score_response(version.spec, item.response)
        # An exam cell may give a question other points than its pack: scale the earned share.
        earned = None if result.earned is None else round(result.earned * points / float(version.points), 2)
        item.earned, item.detail = earned, result.detail
        item.correct = None if earned is None else earned >= points
        scored.append(ScoredItem(points, earned, tuple(version.competencies or ())))
        answers.append(kinds.Answer(version.question_id, item.correct, earned, points))
    sums = total(scored)
    attempt.score, attempt.max_score = sums.earned, sums.points
    attempt.state, attempt.closed_at = state, now
    follow_up(kinds.Closing(attempt, tuple(answers), now))


def item_points(item: AttemptItem, version: QuestionVersion) -> float:
    return float(item.points) if item.points is not None else float(version.points)


def versions_of(attempt: Attempt) -> dict[int, QuestionVersion]:
    """{version id: version} of the attempt's paper, in one query (a join: the items need not be loaded)."""
    asked = select(AttemptItem.question_version_id).where(AttemptItem.attempt_id == attempt.id)
    return {v.id: v for v in db.session.scalars(select(QuestionVersion).where(QuestionVersion.id.in_(asked)))}


def close_overdue(now: datetime, grace: float, user: User) -> int:
    """Close the user's own open attempts past their deadline with the answers saved so far; how many.
    (Everyone's overdue papers are the scheduled job's: `close_overdue_chunk`, drill/housekeeping.py.)"""
    query = select(Attempt.id).where(
        Attempt.user_id == user.id,
        Attempt.state == states.OPEN,
        Attempt.deadline < now - timedelta(seconds=grace),
    )
    ids = list(db.session.scalars(query))
    return sum(close(attempt_id, now, Why.DEADLINE, grace=grace) is not None for attempt_id in ids)


def close_overdue_chunk(now: datetime, grace: float, limit: int) -> tuple[int, int]:
    """(taken, closed): up to `limit` of anyone's overdue open attempts, oldest deadline first, taken
    `FOR UPDATE SKIP LOCKED` on PostgreSQL (a paper being submitted right now is left to its submit; two
    runs at once take different rows), then closed. The caller commits; `taken` 0 means none is left."""
    ids = db.session.scalars(
        select(Attempt.id)
        .where(Attempt.state == states.OPEN, Attempt.deadline < now - timedelta(seconds=grace))
        .order_by(Attempt.deadline, Attempt.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    return len(ids), sum(close(attempt_id, now, Why.DEADLINE, grace=grace) is not None for attempt_id in ids)
