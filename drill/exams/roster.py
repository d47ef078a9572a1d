"""An exam's candidates at province size (issue 14): each one's state worked out in SQL, so that the list
filters and paginates in the database, and the results export streams them in chunks.

A candidate's state, first match wins: writing (a paper open), not started (no paper), then, once the
results are released, passed (a certificate not revoked: release and re-marks keep it in step with the
verdict) or failed; before the release, submitted (an open answer still without its final mark) or marked.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import ColumnElement, Select, and_, case, exists, false, func, select

from drill.accounts.models import Branch, User
from drill.attempts.models import Attempt, AttemptItem
from drill.attempts.rules import states
from drill.content.models import QuestionVersion
from drill.exams import services
from drill.exams.models import Certificate, Exam
from drill.extensions import db
from drill.messages import N_

NOT_STARTED, WRITING, SUBMITTED, MARKED, PASSED, FAILED = (
    "not_started", "writing", "submitted", "marked", "passed", "failed"
)  # fmt: skip
STATES = {
    NOT_STARTED: N_("not started"),
    WRITING: N_("in progress"),
    SUBMITTED: N_("submitted"),
    MARKED: N_("marked"),
    PASSED: N_("passed"),
    FAILED: N_("failed"),
}
CHUNK = 500  # candidates per statement when the export walks the whole list


def _tests(exam: Exam) -> dict[str, ColumnElement[bool]]:
    """The EXISTS tests the states are made of, correlated to User."""
    mine = (Attempt.exam_id == exam.id, Attempt.user_id == User.id)
    return {
        "writing": exists().where(*mine, Attempt.state == states.OPEN),
        "started": exists().where(*mine),
        "certified": exists().where(
            Certificate.exam_id == exam.id, Certificate.user_id == User.id, Certificate.revoked_at.is_(None)
        ),
        "unmarked": exists()
        .where(*mine, Attempt.state != states.OPEN, AttemptItem.attempt_id == Attempt.id)
        .where(AttemptItem.earned.is_(None), QuestionVersion.id == AttemptItem.question_version_id)
        .where(QuestionVersion.type == "open"),
    }


def state_of(exam: Exam) -> ColumnElement[str]:
    """The candidate's state (see the module docstring) as a SQL expression over User."""
    t = _tests(exam)
    if exam.released_at is not None:
        return case(
            (t["writing"], WRITING), (~t["started"], NOT_STARTED), (t["certified"], PASSED), else_=FAILED
        )
    return case(
        (t["writing"], WRITING), (~t["started"], NOT_STARTED), (t["unmarked"], SUBMITTED), else_=MARKED
    )


def state_is(exam: Exam, state: str) -> ColumnElement[bool]:
    """`state_of(exam) == state` spelt as plain EXISTS and NOT EXISTS tests, which the database runs as
    semi-joins (a CASE is worked out user by user: seconds over a province's 50,000 managers)."""
    t = _tests(exam)
    released = exam.released_at is not None
    writing, started = t["writing"], t["started"]
    return {
        WRITING: writing,
        NOT_STARTED: ~started,
        PASSED: and_(t["certified"], ~writing) if released else false(),
        FAILED: and_(started, ~writing, ~t["certified"]) if released else false(),
        SUBMITTED: false() if released else and_(t["unmarked"], ~writing),
        MARKED: false() if released else and_(started, ~writing, ~t["unmarked"]),
    }[state]


def filtered(
    exam: Exam, text: str = "", branch: Branch | None = None, state: str = "", rows: bool = False
) -> Select:
    """The exam's candidates (with their branch, by employee number) matching the filters: `text` in the
    name or employee number, `branch` a whole subtree, `state` one of STATES. With `rows`, plain rows of
    (id, employee_no, name, branch, state) instead of users: what the export writes, without objects."""
    if rows:
        columns = (
            User.id,
            User.employee_no,
            User.name,
            Branch.name.label("branch"),
            state_of(exam).label("state"),
        )
        query = (
            select(*columns).join(User.branch).where(services.eligible_where(exam)).order_by(User.employee_no)
        )
    else:
        query = services.candidates_query(exam)
    text = text.strip()
    if text:
        query = query.where(
            User.name.icontains(text, autoescape=True) | User.employee_no.icontains(text, autoescape=True)
        )
    if branch is not None:
        query = query.where(Branch.path.startswith(branch.path, autoescape=True))
    if state in STATES:
        query = query.where(state_is(exam, state))
    return query


def states_of(exam: Exam, user_ids: list[int]) -> dict[int, str]:
    """The states of one page of candidates, in one statement."""
    query = select(User.id, state_of(exam)).where(User.id.in_(user_ids))
    return dict(db.session.execute(query).all())


def tries_of(exam: Exam, user_ids: list[int]) -> dict[int, list[Attempt]]:
    """One page of candidates' tries, by candidate, in order: one statement."""
    found: dict[int, list[Attempt]] = {}
    query = select(Attempt).where(Attempt.exam_id == exam.id, Attempt.user_id.in_(user_ids))
    for attempt in db.session.scalars(query.order_by(Attempt.user_id, Attempt.number)):
        found.setdefault(attempt.user_id, []).append(attempt)
    return found


def chunks(query: Select) -> Iterator[list]:
    """The rows of `query` (ordered by employee number), CHUNK at a time, by keyset: the export never
    holds the whole list, and each chunk is one statement."""
    last = None
    while True:
        page = query if last is None else query.where(User.employee_no > last)
        found = db.session.execute(page.limit(CHUNK)).all()
        if not found:
            return
        yield found
        last = found[-1].employee_no


def result_rows(exam: Exam, query: Select, labels: dict[str, str]) -> Iterator[list]:
    """One export row per candidate of `query` (`filtered(..., rows=True)`): who, where, state, tries,
    best score and verdict, certificate; four statements a chunk."""
    for found in chunks(query):
        ids = [row.id for row in found]
        counted = select(Attempt.user_id, func.count()).where(
            Attempt.exam_id == exam.id, Attempt.user_id.in_(ids)
        )
        tries = dict(db.session.execute(counted.group_by(Attempt.user_id)).all())
        best = services.best_results(exam, ids) if exam.released_at is not None else {}
        held = select(Certificate.user_id, Certificate.number).where(
            Certificate.exam_id == exam.id, Certificate.user_id.in_(ids), Certificate.revoked_at.is_(None)
        )
        certificates = dict(db.session.execute(held).all())
        for row in found:
            outcome = best.get(row.id)
            yield [
                row.employee_no,
                row.name,
                row.branch,
                labels[row.state],
                tries.get(row.id, 0),
                outcome.attempt.score if outcome else None,
                outcome.attempt.max_score if outcome else None,
                outcome.verdict.total_percent if outcome else None,
                certificates.get(row.id),
            ]
