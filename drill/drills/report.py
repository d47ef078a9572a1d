"""The assignment report's bulk reader: who an assignment is for and where each stands, read with joins and
subqueries in a fixed number of statements, however many people it is for (#14).

Nothing here builds an `IN` list of people or attempts: 40,000 assignees would pass SQLite's cap of 32,766
bound variables. The assignees are a condition on `User` (joined to its `Branch`) over the assignment's own
targets; each person's status is a SQL `CASE` that mirrors `progress.status`, so the page can filter,
count and chart by status in the database and hand plain rows to the pure rules.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, case, func, insert, literal, or_, select
from sqlalchemy.orm import contains_eager, lazyload

from drill.accounts.models import Branch, User, UserRole
from drill.attempts.models import Attempt, AttemptItem
from drill.attempts.rules import states
from drill.content.models import Question, QuestionVersion
from drill.drills.models import AssignmentReminder, AssignmentTarget
from drill.drills.rules import progress
from drill.extensions import db

CLOSED = (states.SUBMITTED, states.EXPIRED)  # states.is_closed, in SQL
STATUSES = (progress.NOT_STARTED, progress.IN_PROGRESS, progress.OVERDUE, progress.DONE)


@dataclass(frozen=True)
class Filters:
    """The report's filters: name or employee number, a branch (its subtree, by path), a status."""

    text: str = ""
    branch_path: str | None = None
    status: str = ""


def status_sql(now: datetime):
    """Where a person stands, as SQL over the outer-joined `Attempt` (progress.status, in the database)."""
    return case(
        (Attempt.id.is_(None), progress.NOT_STARTED),
        (Attempt.state.in_(CLOSED), progress.DONE),
        (Attempt.deadline < now, progress.OVERDUE),
        else_=progress.IN_PROGRESS,
    )


def target_paths(assignment_id: int) -> tuple[str, ...]:
    """The paths of the branches the assignment targets (a handful), outermost only: a path under another
    target's adds nobody. One statement, read once per request and handed to the readers below."""
    paths = sorted(
        set(
            db.session.scalars(
                select(Branch.path)
                .join(AssignmentTarget, AssignmentTarget.branch_id == Branch.id)
                .where(AssignmentTarget.assignment_id == assignment_id)
            )
        )
    )
    outermost: list[str] = []
    for path in paths:  # sorted, so a subtree's root comes before the branches under it
        if not any(path.startswith(root) for root in outermost):
            outermost.append(path)
    return tuple(outermost)


def assignee_condition(assignment_id: int, scope: str | None, paths: tuple[str, ...] | None = None):
    """SQL condition on `User` joined to its `Branch`: an active person the assignment is for (named in a
    target, or a manager under a target branch) within the caller's scope (a branch path, None: all).

    `paths` are the target branches' (`target_paths`; read here when not given). Both ways in are
    uncorrelated and indexable: `users.id IN (the named)` or `users.branch_id IN (the covered subtrees)`,
    not a scan of the targets for every user (50,000 users × 5,000 targets)."""
    if paths is None:
        paths = target_paths(assignment_id)
    named = select(AssignmentTarget.user_id).where(
        AssignmentTarget.assignment_id == assignment_id, AssignmentTarget.user_id.is_not(None)
    )
    people = User.id.in_(named)
    if paths:
        covered = select(Branch.id).where(or_(*(Branch.path.startswith(p, autoescape=True) for p in paths)))
        manager = select(UserRole.id).where(UserRole.user_id == User.id, UserRole.role == "manager").exists()
        people = or_(people, and_(User.branch_id.in_(covered), manager))
    condition = and_(User.active.is_(True), people)
    if scope is not None:
        condition = and_(condition, Branch.path.startswith(scope, autoescape=True))
    return condition


@dataclass(frozen=True)
class Assignees:
    """Whom the readers below count: an assignment's people within a caller's scope (None: all)."""

    assignment_id: int
    scope: str | None
    paths: tuple[str, ...]  # of the target branches: `target_paths`

    def condition(self):
        return assignee_condition(self.assignment_id, self.scope, self.paths)


def assignees(assignment_id: int, scope: str | None) -> Assignees:
    return Assignees(assignment_id, scope, target_paths(assignment_id))


def _people(who: Assignees, *columns) -> Select:
    """`columns` of each assignee, with their branch and (outer-joined) attempt at the assignment."""
    return (
        select(*columns)
        .select_from(User)
        .join(Branch, Branch.id == User.branch_id)
        .outerjoin(Attempt, and_(Attempt.assignment_id == who.assignment_id, Attempt.user_id == User.id))
        .where(who.condition())
    )


def _filtered(query: Select, filters: Filters, now: datetime) -> Select:
    if filters.text:
        like = f"%{filters.text}%"
        query = query.where(or_(User.name.ilike(like), User.employee_no.ilike(like)))
    if filters.branch_path:
        query = query.where(Branch.path.startswith(filters.branch_path, autoescape=True))
    if filters.status in STATUSES:
        query = query.where(status_sql(now) == filters.status)
    return query


def people_query(who: Assignees, filters: Filters, now: datetime) -> Select:
    """The assignees matching the filters, by employee number, as `User`s with their branch loaded: for
    `db.paginate`; `attempts_of` reads the page's attempts."""
    # Their roles are never read here; lazy (not the model's selectin) so that none load, yet a reader that
    # does (the signed-in user's menu, should they be on the page) still finds them.
    query = _people(who, User).options(contains_eager(User.branch), lazyload(User.role_rows))
    return _filtered(query, filters, now).order_by(User.employee_no)


def attempts_of(assignment_id: int, user_ids: list[int]) -> dict[int, Attempt]:
    """{user id: attempt at the assignment} for the people of one page (a bounded list)."""
    if not user_ids:
        return {}
    query = select(Attempt).where(Attempt.assignment_id == assignment_id, Attempt.user_id.in_(user_ids))
    return {a.user_id: a for a in db.session.scalars(query)}


@dataclass(frozen=True)
class Reminder:
    sent_at: datetime
    sent_by: str  # the sender's name


def reminders_of(assignment_id: int, user_ids: list[int]) -> dict[int, Reminder]:
    """{user id: the latest reminder sent to them for this assignment}, for one page's people, as plain
    rows (the sender's name, not the sender: often the signed-in trainer, whom the page must not reload)."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(AssignmentReminder.user_id, AssignmentReminder.sent_at, User.name)
        .join(User, User.id == AssignmentReminder.sent_by_id)
        .where(AssignmentReminder.assignment_id == assignment_id, AssignmentReminder.user_id.in_(user_ids))
        .order_by(AssignmentReminder.sent_at, AssignmentReminder.id)
    )
    return {user_id: Reminder(sent_at, name) for user_id, sent_at, name in rows}


@dataclass
class Summary:
    """Counts of the whole assignment in the caller's scope (unfiltered), aggregated in SQL."""

    counts: dict[str, int]  # status -> people
    completion: list[progress.BranchProgress]
    branch_means: list[tuple[str, float, int]]  # (branch, mean percent of those done, how many), best first

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def done(self) -> int:
        return self.counts.get(progress.DONE, 0)

    @property
    def unfinished(self) -> int:
        return sum(self.counts.get(s, 0) for s in progress.UNFINISHED)


def summary(who: Assignees, now: datetime) -> Summary:
    """One statement: people per (branch name, status), and the mean percent of those done per branch."""
    status = status_sql(now)
    percent = case(
        (and_(Attempt.state.in_(CLOSED), Attempt.max_score > 0), 100.0 * Attempt.score / Attempt.max_score)
    )
    rows = db.session.execute(
        _people(who, Branch.name, status, func.count(), func.avg(percent), func.count(percent)).group_by(
            Branch.name, status
        )
    ).all()
    counts: dict[str, int] = defaultdict(int)
    per_branch: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    means = []
    for branch, state, people, mean, scored in rows:
        counts[state] += people
        per_branch[branch][state] += people
        if state == progress.DONE and scored:
            means.append((branch, float(mean), int(scored)))
    completion = [
        progress.BranchProgress(
            name,
            c[progress.DONE],
            c[progress.IN_PROGRESS] + c[progress.OVERDUE],
            c[progress.NOT_STARTED],
        )
        for name, c in sorted(per_branch.items())
    ]
    return Summary(dict(counts), completion, sorted(means, key=lambda r: -r[1]))


def most_missed(who: Assignees, limit: int = 10) -> list[tuple[str, str, int, int]]:
    """(question key, stem HTML, times missed, times asked) over the finished papers of the assignees in
    scope, most missed first: one grouped statement and one for the (at most `limit`) stems."""
    missed = func.sum(case((AttemptItem.correct.is_(False), 1), else_=0))
    rows = db.session.execute(
        select(Question.key, missed, func.count(AttemptItem.id), func.max(QuestionVersion.id))
        .select_from(AttemptItem)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(User, User.id == Attempt.user_id)
        .join(Branch, Branch.id == User.branch_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
        .join(Question, Question.id == QuestionVersion.question_id)
        .where(
            Attempt.assignment_id == who.assignment_id,
            Attempt.state.in_(CLOSED),
            AttemptItem.correct.is_not(None),
            who.condition(),
        )
        .group_by(Question.key)
        .having(missed > 0)
        .order_by(missed.desc(), Question.key)
        .limit(limit)
    ).all()
    if not rows:
        return []
    stems = dict(
        db.session.execute(
            select(QuestionVersion.id, QuestionVersion.stem_html).where(
                QuestionVersion.id.in_([version_id for *_rest, version_id in rows])
            )
        ).all()
    )
    return [(key, stems.get(version_id, ""), int(n), int(asked)) for key, n, asked, version_id in rows]


def export_rows(who: Assignees, filters: Filters, now: datetime):
    """(employee no, name, branch, status, score, points, closed at) per assignee matching the filters,
    streamed from the database in chunks (never all in memory)."""
    query = _people(
        who,
        User.employee_no,
        User.name,
        Branch.name,
        status_sql(now),
        Attempt.score,
        Attempt.max_score,
        Attempt.closed_at,
    )
    query = _filtered(query, filters, now).order_by(User.employee_no)
    return db.session.execute(query.execution_options(yield_per=500))


def unfinished_one(who: Assignees, user_id: int, now: datetime) -> User | None:
    """The person, if the assignment is for them (in scope) and they have not finished it yet."""
    query = _people(who, User).where(User.id == user_id, status_sql(now).in_(progress.UNFINISHED))
    return db.session.scalars(query).first()


def remind_everyone(who: Assignees, sender: User, now: datetime) -> tuple[int, int]:
    """(reminded, reminded a short while ago and left out): one INSERT … SELECT of a reminder for every
    assignee in scope who has not finished and was not reminded within `progress.REMIND_AGAIN_AFTER`."""
    unfinished = status_sql(now).in_(progress.UNFINISHED)
    recent = (
        select(AssignmentReminder.id)
        .where(
            AssignmentReminder.assignment_id == who.assignment_id,
            AssignmentReminder.user_id == User.id,
            AssignmentReminder.sent_at > now - progress.REMIND_AGAIN_AFTER,
        )
        .exists()
    )
    # Counted before the insert (PostgreSQL's driver reports no row count for an INSERT … SELECT).
    waiting, too_soon = db.session.execute(
        _people(who, func.count(), func.count(case((recent, 1)))).where(unfinished)
    ).one()
    sent_at = AssignmentReminder.sent_at.type
    chosen = _people(
        who,
        literal(who.assignment_id).label("assignment_id"),
        User.id,
        literal(sender.id).label("sent_by_id"),
        literal(now, sent_at).label("sent_at"),
    ).where(unfinished, ~recent)
    db.session.execute(
        insert(AssignmentReminder).from_select(["assignment_id", "user_id", "sent_by_id", "sent_at"], chosen)
    )
    return int(waiting) - int(too_soon), int(too_soon)
