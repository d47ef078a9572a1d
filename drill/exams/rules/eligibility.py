"""Who may sit an exam, and when. Pure: plain data in, `now` a parameter.

An exam names the branches (whole subtrees), manager categories and current levels it is for; an empty
list means "any". A candidate's window is the exam's, or the second window an adjustment grants; the
deadline is the earlier of start plus the time limit (plus any extra minutes) and the window's close.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Window:
    opens: datetime
    closes: datetime
    extra_minutes: int = 0


def is_eligible(
    rules: dict, branch_path: str, branch_paths: dict[int, str], category: str | None, level: str | None
) -> bool:
    branches = rules.get("branches") or []
    if branches and not any(branch_path.startswith(branch_paths.get(b, "\0")) for b in branches):
        return False
    categories = rules.get("categories") or []
    if categories and category not in categories:
        return False
    levels = rules.get("levels") or []
    return not (levels and level not in levels)


def window_for(exam_opens: datetime, exam_closes: datetime, adjustments: list[dict], now: datetime) -> Window:
    """The candidate's window at `now`: the exam's own or a second one granted to them, whichever is open
    (else the next to open, else the last); extra minutes from every adjustment are added up."""
    extra = sum(a.get("extra_minutes") or 0 for a in adjustments)
    windows = [(exam_opens, exam_closes)] + [
        (a["opens_at"], a["closes_at"]) for a in adjustments if a.get("opens_at") and a.get("closes_at")
    ]
    current = next((w for w in windows if w[0] <= now < w[1]), None)
    upcoming = sorted((w for w in windows if now < w[0]), key=lambda w: w[0])
    opens, closes = current or (upcoming[0] if upcoming else max(windows, key=lambda w: w[1]))
    return Window(opens, closes, extra)


def status(window: Window, now: datetime) -> str:
    if now < window.opens:
        return "upcoming"
    return "open" if now < window.closes else "closed"


def phase(*, released: bool, closed_early: bool, opens: datetime, closes: datetime, now: datetime) -> str:
    """Where an exam stands for its organisers: `released`; `closed_early` (by decision, being graded);
    `upcoming`; `open`; or `grading` once its window (`closes`) is over and before the release."""
    if released:
        return "released"
    if closed_early:
        return "closed_early"
    if now < opens:
        return "upcoming"
    return "open" if now < closes else "grading"


def deadline(window: Window, started: datetime, limit_minutes: int) -> datetime:
    return min(started + timedelta(minutes=limit_minutes + window.extra_minutes), window.closes)
