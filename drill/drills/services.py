"""Starting, saving, submitting and closing attempts. Services flush; the view commits once.

Saving and submitting both begin by updating the attempt's own row while it is still open. That one
conditional UPDATE takes the row lock (PostgreSQL) or the write lock (SQLite), so a save and a submit
of the same attempt run one after the other: a save that loses the race finds the attempt closed and
is refused, and a submit that loses finds nothing left to close. Nothing is lost or counted twice.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from blinker import Namespace
from sqlalchemy import and_, bindparam, func, or_, select, update

from drill.accounts.models import User
from drill.content.models import Pack, Question, QuestionVersion
from drill.content.questions import score as score_response
from drill.drills import notebook, progress, states, timing
from drill.drills.models import Assignment, Attempt, AttemptItem, NotebookEntry
from drill.drills.paper import Candidate, draw
from drill.drills.results import ScoredItem, total
from drill.extensions import db
from drill.i18n import local_zone

MAX_QUESTIONS = 100
MAX_MINUTES = 240
PRIVATE_KINDS = ("exam", "competition")  # results come later: no notebook, no history, no result page

# Sent inside `close`, under the attempt's lock and in its transaction: a competition round scores here.
attempt_closed = Namespace().signal("attempt-closed")


@dataclass(frozen=True)
class Criteria:
    """What a manager (or a trainer's assignment) asks to be drawn."""

    theme: str | None = None
    level: str | None = None
    competency: str | None = None
    pack_slug: str | None = None
    audience: str | None = None  # bank | tobacco: also draws from packs for both
    count: int = 10
    minutes: int = 10

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


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


class NothingToDraw(Exception):
    """No question matches what was asked for."""


def current_versions():
    """Current versions of questions still in use, in quiz packs still in use."""
    return (
        select(QuestionVersion, Question.key)
        .join(
            Question,
            and_(
                Question.id == QuestionVersion.question_id, Question.current_version == QuestionVersion.number
            ),
        )
        .join(Pack, Pack.id == Question.pack_id)
        .where(Question.retired_at.is_(None), Pack.retired.is_(False), Pack.kind == "quiz")
    )


def candidates(criteria: Criteria) -> list[Candidate]:
    query = current_versions()
    if criteria.theme:
        query = query.where(Pack.theme == criteria.theme)
    if criteria.level:
        query = query.where(QuestionVersion.level == criteria.level)
    if criteria.pack_slug:
        query = query.where(Pack.slug == criteria.pack_slug)
    elif criteria.audience:
        query = query.where(Pack.audience.in_([criteria.audience, "both"]))
    found = []
    for version, key in db.session.execute(query.order_by(Question.key)):
        if criteria.competency and criteria.competency not in (version.competencies or []):
            continue
        found.append(Candidate(version.id, key))
    return found


def audience_of(user: User) -> str:
    """Which packs suit a manager: tobacco-marketing managers drill tobacco packs, everyone else bank ones."""
    return "tobacco" if user.category == "tobacco" else "bank"


def start(
    user: User,
    criteria: Criteria,
    now: datetime,
    *,
    kind: str = "practice",
    title: str,
    assignment: Assignment | None = None,
    first: list[Candidate] = (),
    fixed: list[int] = (),
) -> Attempt:
    """A new open attempt on a paper drawn for it, or, with `fixed` (an assignment's fixed paper: question
    version ids), on those questions in an order and with options shuffled for this attempt."""
    seed = random.SystemRandom().getrandbits(31)
    if fixed:
        paper = progress.deal(list(fixed), seed)
    else:
        pool = candidates(criteria) if kind != "review" else []
        if not pool and not first:
            raise NothingToDraw
        paper = draw(pool, min(criteria.count, MAX_QUESTIONS), seed, first=list(first))
    attempt = Attempt(
        user=user,
        kind=kind,
        assignment=assignment,
        title=title,
        criteria=criteria.as_dict(),
        seed=seed,
        state=states.OPEN,
        started_at=now,
        deadline=timing.deadline_for(
            now, min(criteria.minutes, MAX_MINUTES), assignment and assignment.closes_at
        ),
    )
    attempt.items = [
        AttemptItem(position=i.position, question_version_id=i.version_id, option_seed=i.option_seed)
        for i in paper
    ]
    db.session.add(attempt)
    db.session.flush()
    return attempt


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
        if claim(attempt_id, user_id) is None:
            return Saved(_refused(attempt_id, user_id))
        close(db.session.get(Attempt, attempt_id), states.EXPIRED, now)
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


def submit(attempt: Attempt, now: datetime, grace: float) -> bool:
    """Close the attempt as submitted (or expired, if past its grace). False if it was already closed."""
    deadline = claim(attempt.id)
    if deadline is None:
        return False
    db.session.refresh(attempt)
    late = timing.overdue(attempt.deadline, now, grace)
    close(attempt, states.EXPIRED if late else states.SUBMITTED, now)
    return True


def close(attempt: Attempt, state: str, now: datetime) -> None:
    """Score the saved answers, move the attempt to `state`, update the notebook. Hold the lock."""
    if not states.can_move(attempt.state, state):
        raise ValueError(f"attempt {attempt.id} cannot move from {attempt.state} to {state}")
    versions = versions_of(attempt)
    notes = {} if attempt.kind in PRIVATE_KINDS else _notebook_rows(attempt.user_id, versions.values())
    scored = []
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
        # Exam and competition answers stay out of the notebook: it would show right and wrong before the
        # results are out (and while other competitors are still answering).
        if item.correct is not None and attempt.kind not in PRIVATE_KINDS:
            _file_in_notebook(notes, attempt.user_id, version.question_id, item.correct, now)
    sums = total(scored)
    attempt.score, attempt.max_score = sums.earned, sums.points
    attempt.state, attempt.closed_at = state, now
    attempt_closed.send(attempt, now=now)


def item_points(item: AttemptItem, version: QuestionVersion) -> float:
    return float(item.points) if item.points is not None else float(version.points)


def versions_of(attempt: Attempt) -> dict[int, QuestionVersion]:
    """{version id: version} of the attempt's paper, in one query (a join: the items need not be loaded)."""
    asked = select(AttemptItem.question_version_id).where(AttemptItem.attempt_id == attempt.id)
    return {v.id: v for v in db.session.scalars(select(QuestionVersion).where(QuestionVersion.id.in_(asked)))}


def _notebook_rows(user_id: int, versions) -> dict[int, NotebookEntry]:
    """The user's notebook rows for these questions, in one query: question id -> row."""
    ids = {v.question_id for v in versions}
    rows = db.session.scalars(
        select(NotebookEntry).where(NotebookEntry.user_id == user_id, NotebookEntry.question_id.in_(ids))
    )
    return {row.question_id: row for row in rows}


def _file_in_notebook(
    notes: dict[int, NotebookEntry], user_id: int, question_id: int, correct: bool, now: datetime
) -> None:
    row = notes.get(question_id)
    before = notebook.Entry(row.box, row.due) if row else None
    after = notebook.after_answer(before, correct, now, local_zone())
    if after is None:
        if row is not None:
            db.session.delete(row)
            del notes[question_id]
        return
    if row is None:
        row = NotebookEntry(user_id=user_id, question_id=question_id, wrong_count=0, last_wrong_at=now)
        db.session.add(row)
        notes[question_id] = row
    if not correct:
        row.wrong_count += 1
        row.last_wrong_at = now
    row.box, row.due = after.box, after.due


def close_overdue(now: datetime, grace: float, user: User) -> int:
    """Close the user's own open attempts past their deadline with the answers saved so far; how many.
    (Everyone's overdue papers are the scheduled job's: `close_overdue_chunk`, drill/housekeeping.py.)"""
    query = select(Attempt.id).where(
        Attempt.user_id == user.id,
        Attempt.state == states.OPEN,
        Attempt.deadline < now - timedelta(seconds=grace),
    )
    return sum(close_if_overdue(attempt_id, now, grace) for attempt_id in list(db.session.scalars(query)))


def close_if_overdue(attempt_id: int, now: datetime, grace: float) -> bool:
    """Close this one attempt if it is open and past its deadline and grace; False if it is not (or if
    someone else closed it first: the guarded UPDATE in `claim` lets only one close it)."""
    deadline = db.session.scalar(select(Attempt.deadline).where(Attempt.id == attempt_id))
    if deadline is None or not timing.overdue(deadline, now, grace) or claim(attempt_id) is None:
        return False
    attempt = db.session.get(Attempt, attempt_id)
    db.session.refresh(attempt)
    close(attempt, states.EXPIRED, now)
    return True


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
    return len(ids), sum(close_if_overdue(attempt_id, now, grace) for attempt_id in ids)


def review_candidates(user: User, now: datetime) -> list[Candidate]:
    """The notebook's questions, due ones first (oldest due first), at their current version."""
    query = (
        current_versions()
        .add_columns(NotebookEntry.due)
        .join(NotebookEntry, NotebookEntry.question_id == Question.id)
        .where(NotebookEntry.user_id == user.id)
        .order_by(NotebookEntry.due, Question.key)
    )
    return [Candidate(version.id, key) for version, key, _due in db.session.execute(query)]


def notebook_size(user: User, now: datetime) -> tuple[int, int]:
    """(entries in the notebook, entries due now)."""
    rows = list(db.session.scalars(select(NotebookEntry.due).where(NotebookEntry.user_id == user.id)))
    return len(rows), sum(due <= now for due in rows)
