"""The entries of a round as the organiser lists them: one row per entry, filtered by who (name, employee
number or branch) and by state, fifty a page, and the same rows for the XLSX export.

A case round's scores come from the whole round at once (the peer model is fitted on every review), so the
rows are built from the round as read once (`round_data`, `round_scores.Scored`) and filtered and paged here,
in memory; only the page is rendered.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from drill.competitions import round_scores
from drill.competitions.round_data import RoundData
from drill.messages import N_

PER_PAGE = 50
# ?state= -> its label; "" lists everyone
STATES = {
    "needs_judge": N_("needs a judge"),
    "awaiting_reviews": N_("awaiting reviews"),
    "scored": N_("scored"),
    "disqualified": N_("disqualified"),
}


@dataclass
class Row:
    entry: object  # the entry, closed (`round_data.ENTRY`)
    name: str
    employee_no: str
    branch: str
    disqualified: bool
    score: round_scores.EntryScore | None  # case rounds: how the score is reached

    @property
    def round_score(self) -> float | None:
        if self.score is not None:
            return self.score.score
        e = self.entry
        return 100 * e.score / e.max_score if e.max_score else None

    @property
    def state(self) -> str:
        if self.disqualified:
            return "disqualified"
        if self.score is not None and self.score.rule == round_scores.AWAITING_JUDGE:
            return "needs_judge"
        if self.score is not None and self.score.rule == round_scores.AWAITING_REVIEWS:
            return "awaiting_reviews"
        return "scored" if self.round_score is not None else ""


def rows(data: RoundData, scored: round_scores.Scored | None) -> list[Row]:
    scores = scored.scores if scored is not None else {}
    out = []
    for e in data.entries:
        participant, person = data.participants.get(e.user_id), data.people[e.user_id]
        out.append(
            Row(
                e,
                person.name,
                person.employee_no,
                person.branch,
                participant is not None and participant.disqualified_at is not None,
                scores.get(e.id),
            )
        )
    return out


def matching(found: list[Row], wanted: str = "", state: str = "") -> list[Row]:
    """Rows whose name, employee number or branch contains `wanted`, in `state` (one of STATES) if given."""
    wanted = wanted.strip().casefold()
    return [
        r
        for r in found
        if (not wanted or any(wanted in v.casefold() for v in (r.name, r.employee_no, r.branch)))
        and (not state or r.state == state)
    ]


class Page:
    """A page of an in-memory list, with what the `pager` macro reads (as Flask-SQLAlchemy's pages)."""

    def __init__(self, items: list, page: int, per_page: int = PER_PAGE):
        self.total = len(items)
        self.per_page = per_page
        self.pages = max(1, math.ceil(self.total / per_page))
        self.page = min(max(1, page), self.pages)
        start = (self.page - 1) * per_page
        self.items = items[start : start + per_page]

    def iter_pages(self, left_edge=2, left_current=2, right_current=4, right_edge=2):
        last = 0
        for number in range(1, self.pages + 1):
            if (
                number <= left_edge
                or self.page - left_current <= number <= self.page + right_current
                or number > self.pages - right_edge
            ):
                if last + 1 != number:
                    yield None
                yield number
                last = number
