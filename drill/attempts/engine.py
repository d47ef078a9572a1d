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

from drill.accounts import session as login_sessions
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
    INVALID = "invalid"  # the answer does not fit its question's type (`check`): the caller rolls back
    SIGNED_OUT = "signed_out"  # the browser's login session has ended (signed out, timed out, by an admin)


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


# The hot path: one statement. It writes the answer only while the attempt is open, the user's and not past
# its deadline plus grace (and, from a browser, while its login session is open), holding a share lock on the
# attempt's row (PostgreSQL; SQLite's write lock does the same) so that a close waits for it or it waits for
# the close. It returns the deadline and the type of the question at that position, whose shape the answer
# must fit: the caller rolls back when it does not. Built once per variant; the values are bound per call.
_ATTEMPTS, _ITEMS, _VERSIONS = Attempt.__table__, AttemptItem.__table__, QuestionVersion.__table__  # Core


def _save_statement(versioned: bool, signed_in: bool):
    open_attempt = select(_ATTEMPTS.c.id).where(
        _ATTEMPTS.c.id == bindparam("b_attempt"),
        _ATTEMPTS.c.user_id == bindparam("b_user"),
        _ATTEMPTS.c.state == states.OPEN,
        _ATTEMPTS.c.deadline >= bindparam("b_cutoff", type_=_ATTEMPTS.c.deadline.type),
    )
    if signed_in:
        open_attempt = open_attempt.where(login_sessions.still_open(_ATTEMPTS.c.user_id))
    statement = (
        update(_ITEMS)
        .where(
            _ITEMS.c.attempt_id == bindparam("b_attempt"),
            _ITEMS.c.position == bindparam("b_position"),
            open_attempt.with_for_update(read=True, of=_ATTEMPTS).exists(),
        )
        .values(
            response=bindparam("b_response", type_=_ITEMS.c.response.type),
            saved_at=bindparam("b_now", type_=_ITEMS.c.saved_at.type),
            first_saved_at=func.coalesce(
                _ITEMS.c.first_saved_at, bindparam("b_now", type_=_ITEMS.c.saved_at.type)
            ),
        )
        .returning(  # SQLite prints these unqualified: "id = attempt_id" still means the item's attempt
            select(_ATTEMPTS.c.deadline).where(_ATTEMPTS.c.id == _ITEMS.c.attempt_id).scalar_subquery(),
            select(_VERSIONS.c.type).where(_VERSIONS.c.id == _ITEMS.c.question_version_id).scalar_subquery(),
        )
    )
    if versioned:  # the page counts each item's changes: a queued older replay changes nothing
        statement = statement.where(
            or_(_ITEMS.c.saved_seq.is_(None), _ITEMS.c.saved_seq < bindparam("b_seq"))
        ).values(saved_seq=bindparam("b_seq"))
    return statement


_SAVES = {(v, s): _save_statement(v, s) for v in (False, True) for s in (False, True)}


def save_answer(
    attempt_id: int,
    user_id: int,
    position: int,
    response: object,
    now: datetime,
    grace: float,
    seq: int | None = None,
    check=None,
    signed_in: login_sessions.SignedIn | None = None,
) -> Saved:
    """The hot path: one guarded UPDATE of the item, in Core (no ORM work); the caller commits.

    From a browser, `signed_in` is its cookie's claim: the save then also checks, in the same statement,
    that the claim's login session is open (the outcome is SIGNED_OUT when it is not), so the user need not
    be loaded first.
    With `seq` (the page's version of this item's answer), an answer older than the saved one is kept
    out: the outcome is KEPT and the saved version is returned, so a replaying page can drop its copy.
    `check(question_type)` (the type is "" when there is no such item) returns what is wrong with the
    response for that type, or None; when something is, the outcome is INVALID and the caller must roll
    back (the answer may have been written in this transaction).
    """
    values = {
        "b_attempt": attempt_id, "b_user": user_id, "b_position": position, "b_response": response,
        "b_now": now, "b_cutoff": timing.earliest_accepted_deadline(now, grace),
    }  # fmt: skip
    if seq is not None:
        values["b_seq"] = seq
    if signed_in is not None:
        values.update(login_sessions.bound(signed_in))
    statement = _SAVES[seq is not None, signed_in is not None]
    saved = _write(statement, values)
    if saved is None:
        if signed_in is not None and not login_sessions.is_open(signed_in):
            return Saved(SaveOutcome.SIGNED_OUT)
        again = lambda: _write(statement, values)  # noqa: E731
        return _not_saved(attempt_id, user_id, position, seq, now, grace, check, again)
    deadline, question_type = saved
    problem = None if check is None else check(question_type)
    if problem is not None:
        return Saved(SaveOutcome.INVALID, deadline, problem=problem)
    return Saved(SaveOutcome.SAVED, deadline, seq)


def _write(statement, values: dict):
    """The hot path's statement, on the session's connection: Core, without the ORM's per-call work."""
    return db.session.connection().execute(statement, values).first()


def _not_saved(attempt_id, user_id, position, seq, now, grace, check, write_again) -> Saved:
    """Why the answer was not written, read under the attempt's share lock: not found or not the user's,
    not the question's shape, late (the attempt is closed now), closed, or older than the saved version."""
    found = db.session.execute(
        select(Attempt.deadline, QuestionVersion.type)
        .select_from(Attempt)
        .outerjoin(AttemptItem, and_(AttemptItem.attempt_id == Attempt.id, AttemptItem.position == position))
        .outerjoin(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
        .where(Attempt.id == attempt_id, Attempt.user_id == user_id, Attempt.state == states.OPEN)
        .with_for_update(read=True, of=Attempt)
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
    if write_again() is not None:  # given more time a moment ago
        return Saved(SaveOutcome.SAVED, deadline, seq)
    if seq is not None:
        newer = db.session.scalar(
            select(AttemptItem.saved_seq).where(
                AttemptItem.attempt_id == attempt_id, AttemptItem.position == position
            )
        )
        if newer is not None:
            return Saved(SaveOutcome.KEPT, deadline, newer)
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
