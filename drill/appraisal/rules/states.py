"""The life of an appraisal period: a table of allowed moves; nothing moves backwards. Pure.

open      evidence comes in (indicator sheets, ratings, bonus/deduction/veto entries); computing moves it on
computed  records exist; evidence may still change and the period may be recomputed
reviewed  the management group has checked the records; still recomputable if evidence is corrected
published managers read their records; evidence and records are frozen; level rules may use the grades
locked    archived: nothing changes any more
"""

OPEN, COMPUTED, REVIEWED, PUBLISHED, LOCKED = "open", "computed", "reviewed", "published", "locked"
ORDER = (OPEN, COMPUTED, REVIEWED, PUBLISHED, LOCKED)

TRANSITIONS = {
    OPEN: frozenset({COMPUTED}),
    COMPUTED: frozenset({REVIEWED}),
    REVIEWED: frozenset({PUBLISHED}),
    PUBLISHED: frozenset({LOCKED}),
    LOCKED: frozenset(),
}
EDITABLE = frozenset({OPEN, COMPUTED, REVIEWED})  # evidence may change and the period may be (re)computed
FINAL = frozenset({PUBLISHED, LOCKED})  # managers read their records; roll-ups and level rules use them


def started(starts_on, today) -> bool:
    """Whether a period has begun on `today` (the organisation's local day, turned from an instant once at
    the edge): one that has not is neither computed nor used by the level rules."""
    return starts_on <= today


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def next_state(current: str) -> str | None:
    """The one state an admin may move the period to by hand (computing is the way out of `open`)."""
    if current == OPEN:
        return None
    return next(iter(TRANSITIONS.get(current, frozenset())), None)
