"""One gate for "may this person see answers now". Pure: no Flask, no database; time is a parameter.

Every page and API that can show a question's key, its explanation, a case's scored example answers or a
rubric's reference answer asks `shown` first, with the attempt's and the round's state:

- a drill (practice, assigned, review): its owner sees key, explanation and reference once it is closed;
- an exam: its candidate only once the results are released, and only if the exam allows the review;
- a competition round: a participant's peers calibrate on the example answers only once entries are
  closed (reviewing, closed); reviewers and judges get the reference while they score, judges once the
  round has opened; a participant sees keys and references of their own entry only after the round closed;
- organisers (the trainer or admin who manages the exam, the round or the pack) see everything, always;
  anyone else sees nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from drill.attempts.rules import kinds
from drill.competitions.rules import states as rounds

OWNER, REVIEWER, JUDGE, ORGANISER, OTHER = "owner", "reviewer", "judge", "organiser", "other"


@dataclass(frozen=True)
class Shown:
    key: bool = False  # the right answers
    explanation: bool = False
    examples: bool = False  # a case's scored example answers (model essays, objective keys)
    reference: bool = False  # a rubric's or an open question's reference answer

    @property
    def anything(self) -> bool:
        return self.key or self.explanation or self.examples or self.reference


NOTHING = Shown()
EVERYTHING = Shown(True, True, True, True)
REVIEW = Shown(key=True, explanation=True, reference=True)


def shown(
    *,
    kind: str,
    viewer: str,
    closed: bool,
    now: datetime,
    released_at: datetime | None = None,
    allow_review: bool = False,
    round_state: str | None = None,
) -> Shown:
    """What `viewer` may see of an attempt of `kind` (or of its round) at `now`."""
    if viewer == ORGANISER:
        return EVERYTHING
    if kind in kinds.DRILLS:
        return REVIEW if viewer == OWNER and closed else NOTHING
    if kind == "exam":
        released = released_at is not None and released_at <= now
        return REVIEW if viewer == OWNER and closed and released and allow_review else NOTHING
    if kind == "competition" and round_state is not None:
        return _round(viewer, closed, round_state)
    return NOTHING


def _round(viewer: str, closed: bool, state: str) -> Shown:
    entries_closed = rounds.examples_open(state)  # reviewing or closed: nobody can still copy
    if viewer == JUDGE:
        return EVERYTHING if rounds.judging_open(state) else NOTHING
    if viewer == REVIEWER:
        return Shown(examples=True, reference=True) if entries_closed else NOTHING
    if viewer == OWNER:
        if state == rounds.CLOSED and closed:
            return EVERYTHING
        return Shown(examples=True) if entries_closed else NOTHING
    return NOTHING
