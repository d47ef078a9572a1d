"""An assignment's progress, person by person: pure rules, no Flask, no database.

Where each assignee stands (not started, in progress, overdue and closing, done), how many per branch have
done, started or not started, whom a reminder (催办) may go to, and how a fixed paper is dealt to each person.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from drill.attempts.rules import states
from drill.drills.rules.paper import PaperItem

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
OVERDUE = "overdue"  # past its deadline, waiting for the scheduled job to close it
DONE = "done"
UNFINISHED = (NOT_STARTED, IN_PROGRESS)  # whom a reminder is for

# A second reminder to the same person for the same drill within this time is refused: one nudge is enough.
REMIND_AGAIN_AFTER = timedelta(hours=1)


def status(state: str | None, deadline: datetime | None, now: datetime) -> str:
    """Where a person stands, from their attempt's state and deadline (None: no attempt)."""
    if state is None:
        return NOT_STARTED
    if states.is_closed(state):
        return DONE
    return OVERDUE if deadline is not None and deadline < now else IN_PROGRESS


@dataclass(frozen=True)
class BranchProgress:
    branch: str
    done: int
    started: int  # in progress or overdue
    not_started: int

    @property
    def total(self) -> int:
        return self.done + self.started + self.not_started

    @property
    def shares(self) -> list[float]:
        """Done, started and not started as percentages of the branch's people."""
        counts = (self.done, self.started, self.not_started)
        return [round(100 * n / self.total, 1) if self.total else 0.0 for n in counts]


def by_branch(people: list[tuple[str, str]]) -> list[BranchProgress]:
    """(branch name, status) per person → one line per branch, in branch-name order."""
    counts: dict[str, Counter] = {}
    for branch, state in people:
        counts.setdefault(branch, Counter())[state] += 1
    return [
        BranchProgress(name, c[DONE], c[IN_PROGRESS] + c[OVERDUE], c[NOT_STARTED])
        for name, c in sorted(counts.items())
    ]


def furthest_behind(lines: list[BranchProgress], limit: int) -> list[BranchProgress]:
    """At most `limit` lines: those with the smallest share done (then the most people not started), in
    branch-name order. A province's 2,000 outlets do not fit a chart: the page shows those to chase."""
    if len(lines) <= limit:
        return lines
    behind = sorted(lines, key=lambda b: (b.done / b.total if b.total else 0.0, -b.not_started, b.branch))
    return sorted(behind[:limit], key=lambda b: b.branch)


def is_open(opens_at: datetime, closes_at: datetime, now: datetime) -> bool:
    """Whether an assignment's window is open: from its opening, up to (not at) its close."""
    return opens_at <= now < closes_at


def may_remind(last_sent: datetime | None, now: datetime) -> bool:
    """Whether a reminder may go now, given the last one sent to the same person for the same drill."""
    return last_sent is None or now - last_sent >= REMIND_AGAIN_AFTER


def next_reminder_at(last_sent: datetime) -> datetime:
    return last_sent + REMIND_AGAIN_AFTER


def deal(version_ids: list[int], seed: int) -> list[PaperItem]:
    """A fixed paper dealt to one person: the same questions for everyone, in this person's own order,
    with options shuffled from a per-item seed (so nothing is learnt from a colleague's paper)."""
    rng = random.Random(seed)
    order = rng.sample(version_ids, len(version_ids))
    return [
        PaperItem(position, version_id, f"{seed}:{position}:{rng.getrandbits(32)}")
        for position, version_id in enumerate(order, start=1)
    ]
