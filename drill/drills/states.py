"""The attempt state machine: an open attempt is submitted by its owner or expires at its deadline.

Nothing moves backwards and a closed attempt never reopens.
"""

OPEN = "open"
SUBMITTED = "submitted"
EXPIRED = "expired"

TRANSITIONS = {
    OPEN: frozenset({SUBMITTED, EXPIRED}),
    SUBMITTED: frozenset(),
    EXPIRED: frozenset(),
}


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def is_closed(state: str) -> bool:
    return state in (SUBMITTED, EXPIRED)
