"""The kinds of attempt, and what happens when one of each kind closes.

The engine scores a closing attempt's answers the same way for every kind; what follows depends on who
started it: a drill files its answers in the wrong-answer notebook, a written competition round records
the entry's score, an exam waits for its release. Each client registers its follow-up here, and the app
factory registers them all in one place (`drill.register_attempt_kinds`): an attempt of a kind nobody
registered cannot close, so a forgotten follow-up fails loudly instead of silently not scoring.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drill.attempts.models import Attempt

PRACTICE = "practice"  # a manager's own drill
ASSIGNED = "assigned"  # a drill a trainer set
REVIEW = "review"  # a review of the notebook's questions
EXAM = "exam"  # one try at an exam
COMPETITION = "competition"  # an entry in a competition round

DRILLS = (PRACTICE, ASSIGNED, REVIEW)  # a manager's own practice, whoever set it

# Results come later: no notebook, no history, no result page with answers.
PRIVATE = frozenset({EXAM, COMPETITION})


@dataclass(frozen=True)
class Answer:
    """One scored answer of a closing attempt, as its follow-up sees it."""

    question_id: int
    correct: bool | None  # None: an open answer, which people grade
    earned: float | None
    points: float  # what the question was worth on this paper


@dataclass(frozen=True)
class Closing:
    """An attempt that has just closed (state, closing time and score set; its lock still held)."""

    attempt: Attempt
    answers: tuple[Answer, ...]  # in paper order
    now: datetime


OnClose = Callable[[Closing], None]

_ON_CLOSE: dict[str, OnClose] = {}


def register(kind: str, on_close: OnClose) -> None:
    """What follows when an attempt of `kind` closes: called in the closing transaction, under the lock.
    Registering the same follow-up again is harmless (every app the process builds registers them)."""
    known = _ON_CLOSE.setdefault(kind, on_close)
    if known is not on_close:
        raise ValueError(f"attempt kind {kind!r} already closes with {known.__qualname__}")


def nothing(closing: Closing) -> None:
    """The follow-up of a kind whose results wait for someone (an exam's release)."""


def on_close(kind: str) -> OnClose:
    try:
        return _ON_CLOSE[kind]
    except KeyError:
        raise LookupError(f"no follow-up registered for attempt kind {kind!r}") from None
