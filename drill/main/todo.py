"""The to-do list (待办): what waits for a user, gathered from every area in a fixed number of queries.

A manager: assigned drills not done yet and by when (with a trainer's reminder, 催办), exams open (or
opening soon) with tries left, rounds to enter, peer reviews owed, notebook questions due. A trainer or
admin: open exam answers waiting for a mark. Anyone on a judging panel (judges mostly): open rounds to
judge. An admin: level changes waiting for a decision.

Each list is one query (a few at most), whatever the number of items: the home page and the menu's
counts cost the same for a manager with one open drill as for one with fifty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import lazyload, selectinload

from drill.accounts.models import Branch, User
from drill.appraisal.level_changes import PROPOSED
from drill.appraisal.models import LevelChange
from drill.attempts.models import Attempt, AttemptItem
from drill.attempts.rules import states
from drill.competitions import entries
from drill.competitions.models import Competition, Participant, ReviewAllocation, Round, RoundJudge
from drill.competitions.rules import states as round_states
from drill.content.models import QuestionVersion
from drill.drills import assigned
from drill.drills.models import Assignment, AssignmentReminder, AssignmentTarget, NotebookEntry
from drill.exams.models import Exam, ExamAdjustment, Mark
from drill.exams.rules import eligibility
from drill.extensions import db

EXAMS_AHEAD_DAYS = 14  # an exam opening within two weeks is listed, so a manager can plan for it


@dataclass
class ExamToDo:
    exam: Exam
    window: eligibility.Window
    status: str  # open | upcoming
    attempt: Attempt | None  # an open try to resume


@dataclass
class RoundToDo:
    round: Round
    competition: Competition
    status: str  # entries.TAKING | entries.UPCOMING
    attempt: Attempt | None  # an entry begun and not submitted


@dataclass
class Todo:
    assignments: list[tuple[Assignment, Attempt | None]] = field(default_factory=list)
    reminders: dict[int, AssignmentReminder] = field(default_factory=dict)  # assignment id → the latest
    exams: list[ExamToDo] = field(default_factory=list)
    rounds: list[RoundToDo] = field(default_factory=list)
    reviews: list[tuple[Round, Competition, int]] = field(default_factory=list)
    notebook_total: int = 0
    notebook_due: int = 0
    grading: list[tuple[Exam, int]] = field(default_factory=list)
    judging: list[tuple[Round, Competition]] = field(default_factory=list)
    levels_pending: int = 0

    @property
    def drills(self) -> int:
        return len(self.assignments)

    @property
    def open_exams(self) -> int:
        return sum(1 for e in self.exams if e.status == "open")

    @property
    def competitions(self) -> int:
        taking = sum(1 for r in self.rounds if r.status == entries.TAKING)
        return taking + sum(n for _r, _c, n in self.reviews)

    @property
    def marking(self) -> int:
        return sum(n for _e, n in self.grading)

    @property
    def total(self) -> int:
        """What the menu's 待办 badge counts: things to do now (not what opens later); the questions due in
        the notebook are one thing to do (one review drill), their number is on the 错题本 badge."""
        return (
            self.drills
            + self.open_exams
            + self.competitions
            + (1 if self.notebook_due else 0)
            + self.marking
            + len(self.judging)
            + self.levels_pending
        )

    @property
    def empty(self) -> bool:
        return not (
            self.assignments
            or self.exams
            or self.rounds
            or self.reviews
            or self.notebook_total
            or self.grading
            or self.judging
            or self.levels_pending
        )


def ancestor_paths(user: User) -> dict[int, str]:
    """{branch id: its path} for the user's branch and every branch above it ("/1/4/9/" → 1, 4, 9)."""
    ids = [part for part in user.branch.path.strip("/").split("/") if part]
    return {int(part): "/" + "/".join(ids[: i + 1]) + "/" for i, part in enumerate(ids)}


def for_user(user: User, now: datetime) -> Todo:
    todo = Todo()
    paths = ancestor_paths(user)
    if user.has_role("manager"):
        todo.assignments = assignments(user, paths, now)
        todo.reminders = assigned.reminders_for(user, [a.id for a, _attempt in todo.assignments])
        todo.exams = exams(user, paths, now)
        todo.rounds = rounds(user, now)
        todo.reviews = reviews(user)
        todo.notebook_total, todo.notebook_due = notebook(user, now)
    if user.has_role("trainer", "admin"):
        todo.grading = grading(user)
    todo.judging = judging(user)  # anyone may sit on a panel (judges mostly, trainers too)
    if user.has_role("admin"):
        todo.levels_pending = levels_pending(user)
    return todo


def assignments(user: User, paths: dict[int, str], now: datetime) -> list[tuple[Assignment, Attempt | None]]:
    """Open assignments for the user not submitted yet, the soonest to close first, with a begun attempt."""
    targeted = select(AssignmentTarget.assignment_id).where(
        or_(AssignmentTarget.user_id == user.id, AssignmentTarget.branch_id.in_(list(paths)))
    )
    rows = db.session.execute(
        select(Assignment, Attempt)
        .outerjoin(Attempt, and_(Attempt.assignment_id == Assignment.id, Attempt.user_id == user.id))
        .where(Assignment.id.in_(targeted), Assignment.opens_at <= now, Assignment.closes_at > now)
        .where(or_(Attempt.id.is_(None), Attempt.state == states.OPEN))
        .options(lazyload(Assignment.targets))
        .order_by(Assignment.closes_at, Assignment.id)
    ).all()
    return [(assignment, attempt) for assignment, attempt in rows]


def exams(user: User, paths: dict[int, str], now: datetime) -> list[ExamToDo]:
    """Exams for the user, open now or opening within two weeks, with a try left or one to resume."""
    mine = select(ExamAdjustment.exam_id).where(
        ExamAdjustment.user_id == user.id, ExamAdjustment.closes_at > now
    )
    found = db.session.scalars(
        select(Exam)
        .where(
            Exam.released_at.is_(None),
            Exam.opens_at <= now + timedelta(days=EXAMS_AHEAD_DAYS),
            or_(Exam.closes_at > now, Exam.id.in_(mine)),
        )
        .options(selectinload(Exam.adjustments))
        .order_by(Exam.opens_at, Exam.id)
    ).all()
    tries: dict[int, list[Attempt]] = {}
    if found:
        for attempt in db.session.scalars(
            select(Attempt)
            .where(Attempt.user_id == user.id, Attempt.exam_id.in_([e.id for e in found]))
            .order_by(Attempt.number)
        ):
            tries.setdefault(attempt.exam_id, []).append(attempt)
    out = []
    for exam in found:
        rules = exam.eligible or {}
        if not eligibility.is_eligible(rules, user.branch.path, paths, user.category, user.level):
            continue
        adjustments = [
            {"extra_minutes": a.extra_minutes, "opens_at": a.opens_at, "closes_at": a.closes_at}
            for a in exam.adjustments
            if a.user_id == user.id
        ]
        span = eligibility.window_for(exam.opens_at, exam.closes_at, adjustments, now)
        status = eligibility.status(span, now)
        taken = tries.get(exam.id, [])
        open_try = next((a for a in taken if a.state == states.OPEN), None)
        if status == "closed" or (open_try is None and len(taken) >= exam.attempts_allowed):
            continue
        if status == "upcoming" and span.opens > now + timedelta(days=EXAMS_AHEAD_DAYS):
            continue
        out.append(ExamToDo(exam, span, status, open_try))
    return out


def rounds(user: User, now: datetime) -> list[RoundToDo]:
    """Rounds of running competitions the user may enter and has not submitted: taking entries or soon."""
    rows = db.session.execute(
        select(Round, Competition, Participant, Attempt)
        .join(Competition, Competition.id == Round.competition_id)
        .join(Participant, and_(Participant.competition_id == Competition.id, Participant.user_id == user.id))
        .outerjoin(Attempt, and_(Attempt.competition_round_id == Round.id, Attempt.user_id == user.id))
        .where(Competition.state == round_states.OPEN, Round.state == round_states.OPEN)
        .order_by(Round.closes_at, Round.position, Round.id)
    ).all()
    out = []
    for round_, competition, participant, attempt in rows:
        if round_.kind == "judged" or not entries.may_enter(round_, participant):
            continue  # a judged round is presented in person: nothing to do on the phone
        if attempt is not None and attempt.closed:
            continue
        status = entries.window(round_, now)
        if status in (entries.TAKING, entries.UPCOMING):
            out.append(RoundToDo(round_, competition, status, attempt))
    return out


def reviews(user: User) -> list[tuple[Round, Competition, int]]:
    """Case rounds in their reviewing stage where the user still owes peer reviews, and how many."""
    owed = (
        select(ReviewAllocation.round_id, func.count(ReviewAllocation.id).label("owed"))
        .join(Participant, Participant.id == ReviewAllocation.reviewer_id)
        .where(Participant.user_id == user.id, ReviewAllocation.state == "assigned")
        .group_by(ReviewAllocation.round_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Round, Competition, owed.c.owed)
        .join(owed, owed.c.round_id == Round.id)
        .join(Competition, Competition.id == Round.competition_id)
        .where(Round.state == round_states.REVIEWING, Competition.state == round_states.OPEN)
        .order_by(Round.review_closes_at, Round.id)
    ).all()
    return [(round_, competition, int(n)) for round_, competition, n in rows]


def notebook(user: User, now: datetime) -> tuple[int, int]:
    """(questions in the wrong-answer notebook, questions due now)."""
    total, due = db.session.execute(
        select(func.count(NotebookEntry.id), func.sum(case((NotebookEntry.due <= now, 1), else_=0))).where(
            NotebookEntry.user_id == user.id
        )
    ).one()
    return int(total or 0), int(due or 0)


def grading(user: User) -> list[tuple[Exam, int]]:
    """Unreleased exams the user may mark (a trainer limited to a subtree: the exams they set up) with the
    open answers still short of their first mark, or of their second with double marking, that the user
    may mark (not their own answer, not one they marked). A third marking, called when two markers
    disagree, shows on the exam's grading page."""
    marks = (
        select(func.count(Mark.id)).where(Mark.attempt_item_id == AttemptItem.id).correlate(AttemptItem)
    ).scalar_subquery()
    marked_by_me = exists().where(Mark.attempt_item_id == AttemptItem.id, Mark.marker_id == user.id)
    waiting = (
        select(Attempt.exam_id, func.count(AttemptItem.id).label("waiting"))
        .join(AttemptItem, AttemptItem.attempt_id == Attempt.id)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
        .join(Exam, Exam.id == Attempt.exam_id)
        .where(
            Attempt.state != states.OPEN,
            Attempt.user_id != user.id,
            QuestionVersion.type == "open",
            Exam.released_at.is_(None),
            ~marked_by_me,
            marks < case((Exam.double_marking, 2), else_=1),
        )
        .group_by(Attempt.exam_id)
    )
    if user.scope_branch_id is not None:
        waiting = waiting.where(Exam.created_by_id == user.id)
    counted = waiting.subquery()
    rows = db.session.execute(
        select(Exam, counted.c.waiting).join(counted, counted.c.exam_id == Exam.id).order_by(Exam.closes_at)
    ).all()
    return [(exam, int(n)) for exam, n in rows]


def judging(user: User) -> list[tuple[Round, Competition]]:
    """Rounds of running competitions on the user's panel that take scores now (open or reviewing)."""
    rows = db.session.execute(
        select(Round, Competition)
        .join(Competition, Competition.id == Round.competition_id)
        .where(
            Round.id.in_(select(RoundJudge.round_id).where(RoundJudge.user_id == user.id)),
            Round.state.in_((round_states.OPEN, round_states.REVIEWING)),
            Competition.state == round_states.OPEN,
        )
        .order_by(Round.closes_at, Round.id)
    ).all()
    return [(round_, competition) for round_, competition in rows]


def levels_pending(user: User) -> int:
    """Level changes proposed and waiting for an admin's decision, in the admin's part of the tree."""
    query = (
        select(func.count(LevelChange.id))
        .join(User, User.id == LevelChange.user_id)
        .join(Branch, Branch.id == User.branch_id)
        .where(LevelChange.state == PROPOSED)
    )
    if user.scope_branch is not None:
        query = query.where(Branch.path.startswith(user.scope_branch.path, autoescape=True))
    return int(db.session.scalar(query) or 0)
