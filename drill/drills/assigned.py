"""Assignments as a manager meets them (which open ones are theirs, their attempt at each, the reminders
sent to them), and the writes a trainer's assignment makes: its fixed paper, its reminders (催办)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from flask import abort
from sqlalchemy import and_, false, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload

from drill.accounts.models import Branch, User
from drill.attempts.models import Attempt
from drill.drills import report, services
from drill.drills.models import Assignment, AssignmentQuestion, AssignmentReminder, AssignmentTarget
from drill.drills.rules import progress
from drill.drills.rules.paper import draw
from drill.drills.services import MAX_QUESTIONS, Criteria
from drill.extensions import db


def _ancestor_ids(user: User) -> list[int]:
    return [int(part) for part in user.branch.path.strip("/").split("/") if part]


def is_for(user: User) -> object:
    """SQL condition: the assignment targets the user, or a branch the user's branch lies under."""
    return or_(AssignmentTarget.user_id == user.id, AssignmentTarget.branch_id.in_(_ancestor_ids(user)))


def open_for(user: User, now: datetime) -> list[tuple[Assignment, Attempt | None]]:
    """The open assignments for the user, the soonest to close first, each with the user's attempt (one
    query, however many there are)."""
    targeted = select(AssignmentTarget.assignment_id).where(is_for(user))
    rows = db.session.execute(
        select(Assignment, Attempt)
        .outerjoin(Attempt, and_(Attempt.assignment_id == Assignment.id, Attempt.user_id == user.id))
        .where(Assignment.id.in_(targeted), Assignment.opens_at <= now, Assignment.closes_at > now)
        .order_by(Assignment.closes_at, Assignment.id)
    ).all()
    return [(assignment, attempt) for assignment, attempt in rows]


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
        .options(joinedload(Assignment.pack))  # criteria() names the pack
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
                fixed=fixed_versions(assignment),
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
    """Every active user the assignment is for (managers in the target branches' subtrees, named people).
    All of them at once: for the demo and scripts; pages page through `report.people_query`."""
    query = (
        select(User)
        .join(Branch, Branch.id == User.branch_id)
        .where(report.assignee_condition(assignment.id, None))
        .options(contains_eager(User.branch))
        .order_by(User.employee_no)
    )
    return list(db.session.scalars(query))


def fix_paper(assignment: Assignment) -> bool:
    """Draw the assignment's paper once, for everyone: False if no question matches its choice."""
    pool = services.candidates(criteria(assignment))
    if not pool:
        return False
    drawn = draw(pool, min(assignment.question_count, MAX_QUESTIONS), random.SystemRandom().getrandbits(31))
    assignment.fixed_paper = True
    assignment.paper = [
        AssignmentQuestion(position=item.position, question_version_id=item.version_id) for item in drawn
    ]
    return True


def fixed_versions(assignment: Assignment) -> list[int]:
    """The question versions everyone is asked ([] for an assignment that draws a paper per person)."""
    if not assignment.fixed_paper:
        return []
    return list(
        db.session.scalars(
            select(AssignmentQuestion.question_version_id)
            .where(AssignmentQuestion.assignment_id == assignment.id)
            .order_by(AssignmentQuestion.position)
        )
    )


def last_reminders(assignment: Assignment) -> dict[int, AssignmentReminder]:
    """{user id: the latest reminder sent to them for this assignment}."""
    rows = db.session.scalars(
        select(AssignmentReminder)
        .where(AssignmentReminder.assignment_id == assignment.id)
        .order_by(AssignmentReminder.sent_at, AssignmentReminder.id)
        .options(joinedload(AssignmentReminder.sent_by))
    )
    return {r.user_id: r for r in rows}


@dataclass
class Reminded:
    sent: list[User]
    too_soon: list[tuple[User, datetime]]  # (person, when they may be reminded again)


def remind(assignment: Assignment, people: list[User], sender: User, now: datetime) -> Reminded:
    """Send each person a reminder, except those reminded for this assignment a short while ago."""
    last = last_reminders(assignment)
    out = Reminded([], [])
    for user in people:
        before = last.get(user.id)
        if before is not None and not progress.may_remind(before.sent_at, now):
            out.too_soon.append((user, progress.next_reminder_at(before.sent_at)))
            continue
        db.session.add(
            AssignmentReminder(
                assignment_id=assignment.id, user_id=user.id, sent_by_id=sender.id, sent_at=now
            )
        )
        out.sent.append(user)
    db.session.flush()
    return out


def reminders_for(user: User, assignment_ids: list[int]) -> dict[int, AssignmentReminder]:
    """{assignment id: the latest reminder the user was sent for it}, in one query."""
    if not assignment_ids:
        return {}
    latest = (
        select(func.max(AssignmentReminder.id))
        .where(AssignmentReminder.user_id == user.id, AssignmentReminder.assignment_id.in_(assignment_ids))
        .group_by(AssignmentReminder.assignment_id)
    )
    rows = db.session.scalars(
        select(AssignmentReminder)
        .where(AssignmentReminder.id.in_(latest))
        .options(joinedload(AssignmentReminder.sent_by))
    )
    return {r.assignment_id: r for r in rows}
