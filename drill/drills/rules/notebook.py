"""The wrong-answer notebook (错题本) as Leitner boxes. Pure: `now` is a parameter.

A question answered wrong enters box 1, due at once. Answered right when due, it moves up a box and is
due again after that box's interval; answered right in the last box, it leaves the notebook (mastered).
Answered right before it is due, nothing changes: spacing is the point. Answered wrong, it falls back to
box 1. A review falls due at the start of its local day (in `zone`): "again in one day" means from
tomorrow morning, not from this time tomorrow, and a manager who drills at 07:00 in Beijing finds it due.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# Days until the next review after a right answer in each box; right in the last box = mastered.
INTERVALS = {1: 1, 2: 3, 3: 7}
UTC_ZONE = ZoneInfo("UTC")
LAST_BOX = max(INTERVALS)


@dataclass(frozen=True)
class Entry:
    box: int
    due: datetime


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """The instant (UTC) a local day begins."""
    return datetime.combine(day, time.min, zone).astimezone(UTC)


def after_answer(
    entry: Entry | None, correct: bool, now: datetime, zone: ZoneInfo = UTC_ZONE
) -> Entry | None:
    """The notebook entry after a scored answer (None: not, or no longer, in the notebook)."""
    if not correct:
        return Entry(box=1, due=now)
    if entry is None:
        return None
    if now < entry.due:
        return entry
    if entry.box >= LAST_BOX:
        return None
    today = now.astimezone(zone).date()
    return Entry(box=entry.box + 1, due=day_start(today + timedelta(days=INTERVALS[entry.box]), zone))


def is_due(entry: Entry, now: datetime) -> bool:
    return entry.due <= now


@dataclass(frozen=True)
class Mastery:
    """A competency's questions once answered wrong: how many have left the notebook (mastered), how
    many are still in it, and how many of those are due now."""

    wrong: int
    mastered: int
    due: int

    @property
    def percent(self) -> int:
        return round(100 * self.mastered / self.wrong) if self.wrong else 100


def mastery(
    ever_wrong: dict[int, set[str]], in_notebook: dict[int, Entry], now: datetime
) -> dict[str, Mastery]:
    """Per competency, from {question: its competencies} of every question the manager ever answered
    wrong in a drill and {question: entry} of the notebook now. A question leaves the notebook only when
    answered right on three spaced reviews, so what has left it counts as mastered."""
    counts: dict[str, list[int]] = {}
    for question, competencies in ever_wrong.items():
        entry = in_notebook.get(question)
        for competency in competencies:
            wrong, mastered, due = counts.setdefault(competency, [0, 0, 0])
            counts[competency] = [
                wrong + 1,
                mastered + (entry is None),
                due + (entry is not None and is_due(entry, now)),
            ]
    return {c: Mastery(*values) for c, values in counts.items()}
