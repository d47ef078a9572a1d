"""Who may see and do what in appraisal, on top of drill.accounts.rules.scope.

- Admins run periods: create them, import sheets, enter bonus/deduction/veto items, compute, review,
  publish, lock, approve level changes, enter rewards and penalties.
- Supervisors — admins and trainers, limited to their scope subtree when they have one — rate the managers
  in that subtree, read their files and records (also before publication) and assign them drills.
- A manager reads their own file and their own records once the period is published. Anyone else's file
  or record is a 404: its existence is not confirmed.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy.orm import joinedload

from drill.accounts.access import scope_path
from drill.accounts.models import User
from drill.accounts.rules.scope import can_view_user, in_subtree
from drill.appraisal.models import Period, Record
from drill.appraisal.rules import states
from drill.extensions import db

# The pages below read the person's branch (scope checks) and the record's period: loaded with them.
_WITH_BRANCH = (joinedload(User.branch),)

SUPERVISORS = ("admin", "trainer")


def is_supervisor(user: User) -> bool:
    return user.has_role(*SUPERVISORS)


def oversees(viewer: User, person: User) -> bool:
    """A supervisor whose scope holds the person (never themselves)."""
    return (
        is_supervisor(viewer)
        and viewer.id != person.id
        and in_subtree(person.branch.path, scope_path(viewer))
    )


def visible_person_or_404(user_id: int) -> User:
    person = db.session.get(User, user_id, options=_WITH_BRANCH)
    path = scope_path(current_user)
    if person is None or not can_view_user(
        current_user.roles, current_user.id, path, person.id, person.branch.path
    ):
        abort(404)
    return person


def supervised_or_403(user_id: int) -> User:
    person = db.get_or_404(User, user_id, options=_WITH_BRANCH)
    if not oversees(current_user, person):
        abort(403)
    return person


def visible_record_or_404(record_id: int) -> tuple[Record, User]:
    """The record and its manager (read by id: the signed-in manager's own comes from the session)."""
    record = db.session.get(Record, record_id, options=(joinedload(Record.period),))
    if record is None:
        abort(404)
    person = db.session.get(User, record.user_id, options=_WITH_BRANCH)
    if record.user_id == current_user.id and record.period.state in states.FINAL:
        return record, person
    if oversees(current_user, person):
        return record, person
    abort(404)


def period_or_404(period_id: int) -> Period:
    return db.get_or_404(Period, period_id)
