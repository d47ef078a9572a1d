"""Writing the security log (`SecurityEvent`): the services that lock, unlock, end sessions or change a
password call `record`; the caller commits."""

from __future__ import annotations

from sqlalchemy import select

from drill.accounts.models import SecurityEvent, User
from drill.accounts.services import named_users
from drill.extensions import db
from drill.messages import N_

LABELS = {
    "lock": N_("Signing in locked after failed attempts"),
    "unlock": N_("Signing in unlocked"),
    "end_sessions": N_("All sessions ended"),
    "password_change": N_("Password changed by the user"),
    "password_reset": N_("Password set by an admin"),
    "rehash": N_("Password hash renewed"),
}

ACTIONS = (
    "lock",  # too many failed sign-ins on an account or from an address
    "unlock",  # an admin lifted an account's lock
    "end_sessions",  # an admin ended every session of a user
    "password_change",  # a user changed their own password; their other sessions ended
    "password_reset",  # an admin set a user's password; the user's sessions ended
    "rehash",  # a password hash was upgraded to the current parameters at sign-in
)


def record(
    action: str, *, actor: User | None = None, user: User | None = None, key: str = "", detail: str = ""
) -> SecurityEvent:
    if action not in ACTIONS:
        raise ValueError(f"unknown security action {action!r}")
    event = SecurityEvent(
        action=action,
        actor_id=actor.id if actor is not None else None,
        user_id=user.id if user is not None else None,
        key=key[:160],
        detail=detail[:255],
    )
    db.session.add(event)
    return event


def of_user(user: User, limit: int = 10) -> list[SecurityEvent]:
    """The user's latest security events, newest first (with who did them, in the same query)."""
    return list(
        db.session.scalars(
            select(SecurityEvent)
            .where(SecurityEvent.user_id == user.id)
            .options(named_users(SecurityEvent.actor))
            .order_by(SecurityEvent.id.desc())
            .limit(limit)
        )
    )
