"""The attempt state machine: an open attempt is submitted by its owner or expires at its deadline.

Nothing moves backwards and a closed attempt never reopens, with one exception outside the table: an
organiser re-opens a candidate's exam paper that nobody has marked yet (a power cut), with a reason that
is recorded (drill/exams/control.py).
"""

OPEN = "open"
SUBMITTED = "submitted"
EXPIRED = "expired"

TRANSITIONS = {
    OPEN: frozenset({SUBMITTED, EXPIRED}),
    SUBMITTED: frozenset(),
    EXPIRED: frozenset(),
}


REOPENED_FROM = frozenset({SUBMITTED, EXPIRED})  # the exam paper an organiser may re-open


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def is_closed(state: str) -> bool:
    return state in (SUBMITTED, EXPIRED)
