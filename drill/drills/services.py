"""Drills: drawing a paper and starting an attempt on it, and filing a closed drill's answers in the
wrong-answer notebook. Services flush; the view commits once. Saving and closing are the attempt engine's
(drill.attempts.engine)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from drill.accounts.models import User
from drill.attempts.models import Attempt, AttemptItem
from drill.attempts.rules import kinds, states, timing
from drill.content.in_use import current_versions
from drill.content.models import Pack, Question, QuestionVersion
from drill.drills.models import Assignment, NotebookEntry
from drill.drills.rules import notebook, progress
from drill.drills.rules.paper import Candidate, draw
from drill.extensions import db
from drill.i18n import local_zone

MAX_QUESTIONS = 100
MAX_MINUTES = 240


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


class NothingToDraw(Exception):
    """No question matches what was asked for."""


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


def file_in_notebook(closing: kinds.Closing) -> None:
    """A closed drill's follow-up: each answer marked right or wrong moves its question through the
    notebook's boxes. (Exam and competition answers stay out: it would show right and wrong before the
    results are out, and while other competitors are still answering.)"""
    answers = [answer for answer in closing.answers if answer.correct is not None]
    if not answers:
        return
    user_id = closing.attempt.user_id
    notes = _notebook_rows(user_id, {answer.question_id for answer in answers})
    for answer in answers:
        _file_in_notebook(notes, user_id, answer.question_id, answer.correct, closing.now)


def _notebook_rows(user_id: int, ids: set[int]) -> dict[int, NotebookEntry]:
    """The user's notebook rows for these questions, in one query: question id -> row."""
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
