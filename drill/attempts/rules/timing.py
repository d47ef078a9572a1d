"""Deadline arithmetic. Pure: `now` is always a parameter, never read here.

The server fixes an attempt's deadline when it starts. A save or submit is accepted until the deadline
plus a small grace that absorbs network delay; the page counts down from the server's remaining seconds.
"""

from datetime import datetime, timedelta


def deadline_for(started: datetime, limit_minutes: float, closes: datetime | None = None) -> datetime:
    """Start plus the time limit, or the window's close if that comes first."""
    deadline = started + timedelta(minutes=limit_minutes)
    return min(deadline, closes) if closes is not None else deadline


def seconds_used(started: datetime, closed: datetime, deadline: datetime) -> int:
    """How long a closed paper took: to its close, or to its deadline when it closed later (a paper
    collected after time ran out used the whole time, not the time until someone collected it)."""
    return int((min(closed, deadline) - started).total_seconds())


def remaining_seconds(deadline: datetime, now: datetime) -> int:
    return max(0, int((deadline - now).total_seconds()))


def accepts(deadline: datetime, now: datetime, grace_seconds: float) -> bool:
    """Whether a save or submit arriving at `now` still counts."""
    return now <= deadline + timedelta(seconds=grace_seconds)


def earliest_accepted_deadline(now: datetime, grace_seconds: float) -> datetime:
    """The earliest deadline that still `accepts` a save arriving at `now` (for a guard written in SQL)."""
    return now - timedelta(seconds=grace_seconds)


def overdue(deadline: datetime, now: datetime, grace_seconds: float) -> bool:
    return not accepts(deadline, now, grace_seconds)
