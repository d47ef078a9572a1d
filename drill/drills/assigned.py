"""Assignments as a manager meets them: which open ones are theirs, and their attempt at each."""

from __future__ import annotations

from datetime import datetime

from flask import abort
from sqlalchemy import false, or_, select, update
from sqlalchemy.exc import IntegrityError

from drill.accounts.models import Branch, User
from drill.drills import services
from drill.drills.models import Assignment, AssignmentTarget, Attempt
from drill.drills.services import Criteria
from drill.extensions import db


def _ancestor_ids(user: User) -> list[int]:
    return [int(part) for part in user.branch.path.strip("/").split("/") if part]


def is_for(user: User) -> object:
    """SQL condition: the assignment targets the user, or a branch the user's branch lies under."""
    return or_(AssignmentTarget.user_id == user.id, AssignmentTarget.branch_id.in_(_ancestor_ids(user)))


def open_for(user: User, now: datetime) -> list[tuple[Assignment, Attempt | None]]:
    query = (
        select(Assignment)
        .join(AssignmentTarget)
        .where(is_for(user), Assignment.opens_at <= now, Assignment.closes_at > now)
        .distinct()
        .order_by(Assignment.closes_at)
    )
    return [(a, attempt_of(user, a)) for a in db.session.scalars(query)]


def for_user_or_404(user: User, assignment_id: int, now: datetime) -> Assignment:
    query = (
        select(Assignment)
        .join(AssignmentTarget)
        .where(
            Assignment.id == assignment_id,
            is_for(user),
            Assignment.opens_at <= now,
            Assignment.closes_at > now,
        )
    )
    assignment = db.session.scalars(query).first()
    if assignment is None:
        abort(404)
    return assignment


def attempt_of(user: User, assignment: Assignment) -> Attempt | None:
    return db.session.scalars(
        select(Attempt).where(Attempt.user_id == user.id, Attempt.assignment_id == assignment.id)
    ).first()


def start(user: User, assignment: Assignment, now: datetime) -> Attempt:
    """The user's attempt at the assignment: the one they have, or a new one. One attempt per assignment
    and user is a unique key, so of two taps at once the second finds the first's attempt (its insert,
    in a savepoint, fails on the key and is rolled back) instead of starting a second one or failing.
    SQLite has one writer: the write lock is taken first, so the second tap waits and then finds it."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(update(Assignment).where(false()).values(title=Assignment.title))
    existing = attempt_of(user, assignment)
    if existing is not None:
        return existing
    try:
        with db.session.begin_nested():
            return services.start(
                user,
                criteria(assignment),
                now,
                kind="assigned",
                title=assignment.title,
                assignment=assignment,
            )
    except IntegrityError:
        existing = attempt_of(user, assignment)
        if existing is None:
            raise
        return existing


def criteria(assignment: Assignment) -> Criteria:
    return Criteria(
        theme=assignment.theme,
        level=assignment.level,
        competency=assignment.competency,
        pack_slug=assignment.pack.slug if assignment.pack is not None else None,
        count=assignment.question_count,
        minutes=assignment.time_limit_minutes,
    )


def assignees(assignment: Assignment) -> list[User]:
    """Every active user the assignment is for (managers in the target branches' subtrees, named people)."""
    branch_paths = [t.branch.path for t in assignment.targets if t.branch is not None]
    user_ids = [t.user_id for t in assignment.targets if t.user_id is not None]
    conditions = [User.id.in_(user_ids)] if user_ids else []
    conditions += [Branch.path.startswith(path, autoescape=True) for path in branch_paths]
    if not conditions:
        return []
    query = (
        select(User)
        .join(User.branch)
        .where(User.active.is_(True), or_(*conditions))
        .order_by(User.employee_no)
    )
    return [u for u in db.session.scalars(query) if "manager" in u.roles or u.id in user_ids]
