"""Sign-in throttling rules: pure, over plain values, with the time as a parameter.

Each key (an account, a client address) counts its failed sign-ins within a window. The failure that
reaches the limit locks the key until `now + lock`; while locked, no password is even checked. A lock that
has run out starts a fresh count. A successful sign-in clears its account's count (not its address's: many
people share one address behind a branch's router, and one of them signing in proves nothing about the
others). The store that keeps the counts for every app process is `drill.auth.throttle_store`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Limits:
    failures: int  # the failure that reaches this count locks the key
    window: timedelta  # failures older than this are forgotten
    lock: timedelta  # how long a lock lasts


@dataclass(frozen=True)
class Count:
    failures: int = 0
    window_started_at: datetime | None = None
    locked_until: datetime | None = None


def locked_until(count: Count, now: datetime) -> datetime | None:
    """The end of the key's lock, or None when it is not locked at `now`."""
    if count.locked_until is not None and count.locked_until > now:
        return count.locked_until
    return None


def after_failure(count: Count, now: datetime, limits: Limits) -> tuple[Count, bool]:
    """The count after one more failure, and whether this failure locked the key."""
    fresh = (
        count.window_started_at is None
        or now - count.window_started_at >= limits.window
        or count.locked_until is not None
    )
    failures, started = (1, now) if fresh else (count.failures + 1, count.window_started_at)
    if failures >= limits.failures:
        return Count(0, now, now + limits.lock), True
    return Count(failures, started, None), False
