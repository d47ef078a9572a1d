"""The sign-in throttle's counts, kept in the database so that every app process shares them.

One row per key; a row is read `FOR UPDATE` (PostgreSQL) so two processes counting the same key at the
same moment count twice, not once. The rules are in `drill.auth.rules.throttle`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, request
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from drill.accounts import security_log
from drill.accounts.models import LoginThrottle, User
from drill.auth.rules import throttle
from drill.extensions import db


def account_key(employee_no: str) -> str:
    return f"account:{employee_no.strip().casefold()[:64]}"


def address_key(address: str) -> str:
    return f"address:{address[:64]}"


def client_address() -> str:
    """The client's address. Behind proxies of our own, `PROXIES` (drill/config.py) has Werkzeug's ProxyFix
    put the address the outermost proxy saw here; a client cannot forge it."""
    return request.remote_addr or "unknown"


def limits(key: str) -> throttle.Limits:
    config = current_app.config
    per_address = key.startswith("address:")
    return throttle.Limits(
        failures=config["LOGIN_MAX_FAILURES_PER_ADDRESS" if per_address else "LOGIN_MAX_FAILURES"],
        window=timedelta(seconds=config["LOGIN_WINDOW_SECONDS"]),
        lock=timedelta(seconds=config["LOGIN_LOCK_SECONDS"]),
    )


def _count(row: LoginThrottle | None) -> throttle.Count:
    if row is None:
        return throttle.Count()
    return throttle.Count(row.failures, row.window_started_at, row.locked_until)


def locked_until(keys: list[str], now: datetime) -> datetime | None:
    """The latest end of a lock on any of the keys, or None when none is locked."""
    rows = db.session.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(keys)))
    ends = [end for row in rows if (end := throttle.locked_until(_count(row), now)) is not None]
    return max(ends, default=None)


def _row_for_update(key: str, now: datetime) -> LoginThrottle:
    query = select(LoginThrottle).where(LoginThrottle.key == key).with_for_update()
    row = db.session.scalar(query)
    if row is not None:
        return row
    try:
        with db.session.begin_nested():
            row = LoginThrottle(key=key, failures=0, window_started_at=now)
            db.session.add(row)
    except IntegrityError:  # another process added it first
        row = db.session.scalar(query.execution_options(populate_existing=True))
    return row


def fail(keys: list[str], now: datetime, user: User | None) -> datetime | None:
    """Count a failed sign-in against every key; returns the end of the lock it started, if any. A lock is
    written to the security log (with the account, when the employee number names one)."""
    locked = None
    for key in keys:
        row = _row_for_update(key, now)
        count, began = throttle.after_failure(_count(row), now, limits(key))
        row.failures, row.window_started_at, row.locked_until = (
            count.failures,
            count.window_started_at,
            count.locked_until,
        )
        if began:
            locked = max(locked or count.locked_until, count.locked_until)
            security_log.record(
                "lock",
                user=user if key.startswith("account:") else None,
                key=key,
                detail=f"until {count.locked_until.isoformat(timespec='seconds')}",
            )
    db.session.flush()
    return locked


def clear(key: str) -> bool:
    """Forget a key's failures and lift its lock; True when it was locked."""
    row = db.session.get(LoginThrottle, key)
    was_locked = row is not None and row.locked_until is not None
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))
    return was_locked


def account_locked_until(user: User, now: datetime) -> datetime | None:
    return locked_until([account_key(user.employee_no)], now)


def unlock(user: User, actor: User) -> None:
    """An admin lifts the lock on a user's account (audited, locked or not)."""
    key = account_key(user.employee_no)
    was_locked = clear(key)
    security_log.record("unlock", actor=actor, user=user, key=key, detail="was locked" if was_locked else "")
    db.session.flush()
