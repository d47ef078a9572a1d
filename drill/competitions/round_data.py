"""A case or judged round read once: its entries and their authors, the entries' items, allocations, peer
reviews, calibrations, judges' sheets and panel, and the case — a fixed number of statements however many
entries the round has (issue 14). The scoring rules (`scoring`, `judged`, `peer_model`) take what they
need from here instead of asking the database entry by entry.

Every row is a plain read-only row (a column reads as the model's attribute does), never an ORM object:
thousands of allocations, reviews and calibrations in a province's round cost no object each, nothing can
load lazily later, and a round as read can be kept between requests (`kept_rounds`). Writes (a score
event, a moved allocation) still go through the services.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from sqlalchemy import and_, select

from drill.accounts.models import Branch, User
from drill.attempts.models import Attempt, AttemptItem
from drill.attempts.rules import states as attempt_states
from drill.competitions import content
from drill.competitions.content import CaseContent
from drill.competitions.models import (
    Calibration,
    JudgeScore,
    Participant,
    PeerReview,
    ReviewAllocation,
    Round,
    RoundJudge,
)
from drill.competitions.rules import states
from drill.extensions import db

ACTIVE = ("assigned", "done", "flagged")  # as peer.ACTIVE: allocations that still count


@dataclass(frozen=True)
class Person:
    name: str
    employee_no: str
    branch: str


@dataclass
class RoundData:
    round_id: int
    closed: bool  # the round is closed: every entry's reviews are in, whatever is still assigned
    case: CaseContent
    entries: list  # the round's closed entries (ENTRY columns), oldest first
    authors: dict[int, object]  # entry id -> author (a Participant row), still in only (as `peer.authors`)
    items: dict[int, list]  # entry id -> its items (.points, .earned), in paper order
    allocations: list  # ReviewAllocation rows, in allocation order
    reviews: list  # PeerReview rows, in the order given
    calibrations: list  # Calibration rows
    sheets: dict[int, dict[int, object]]  # participant id -> judge id -> sheet (a JudgeScore row)
    panel: dict[int, str]  # judge user id -> their unit id as text (`judged.panel`)
    participants: dict[int, object] = field(default_factory=dict)  # user id -> every entry's author (row)
    people: dict[int, Person] = field(default_factory=dict)  # user id -> every entry's author, as shown
    names: dict[int, str] = field(default_factory=dict)  # participant id -> name, for every entry's author
    _by_entry: dict[int, list] = field(default_factory=dict, repr=False)
    _by_allocation: dict = field(default_factory=dict, repr=False)
    _attempts: dict[int, object] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        by_entry = defaultdict(list)
        for a in self.allocations:
            by_entry[a.entry_id].append(a)
        self._by_entry = dict(by_entry)
        self._by_allocation = {r.allocation_id: r for r in self.reviews}
        self._attempts = {a.id: a for a in self.entries}

    def allocations_of(self, entry_id: int) -> list:
        return self._by_entry.get(entry_id, [])

    def reviews_of(self, entry_id: int) -> list[tuple]:
        """(reviewer number, review): numbers follow allocation order among the active allocations."""
        active = [a for a in self.allocations_of(entry_id) if a.state in ACTIVE]
        return [
            (n, self._by_allocation[a.id])
            for n, a in enumerate(active, start=1)
            if a.id in self._by_allocation
        ]

    def complete(self, entry_id: int) -> bool:
        """Every active allocation of the entry reviewed or flagged (or the round closed)."""
        if self.closed:
            return True
        return not any(a.state == "assigned" for a in self.allocations_of(entry_id))

    def attempt(self, entry_id: int):
        """The entry (a row of ENTRY columns), or None."""
        return self._attempts.get(entry_id)

    def sheets_of(self, participant_id: int) -> dict[int, object]:
        return self.sheets.get(participant_id, {})

    def with_people(self, people: dict[int, Person]) -> RoundData:
        """The same round with its authors' names as `people` reads them now (`kept_rounds`)."""
        names = {p.id: people[user_id].name for user_id, p in self.participants.items() if user_id in people}
        return replace(self, people=people, names=names)


def panel(round_id: int) -> dict[int, str]:
    """The round's judges, {user id: their branch-level unit id as text} (as `setup.team_of`): two
    statements, whatever the size of the organisation."""
    judges = db.session.execute(
        select(RoundJudge.user_id, User.branch_id, Branch.path)
        .join(User, User.id == RoundJudge.user_id)
        .join(Branch, Branch.id == User.branch_id)
        .where(RoundJudge.round_id == round_id)
    ).all()
    return {user_id: str(unit) for user_id, unit in units({u: (b, p) for u, b, p in judges}).items()}


def units(places: dict) -> dict:
    """{key: (branch id, branch path)} -> {key: the id of the branch-level unit above it, or the branch}."""
    ids = {int(x) for _b, path in places.values() for x in path.strip("/").split("/") if x}
    kinds = (
        set(db.session.scalars(select(Branch.id).where(Branch.id.in_(sorted(ids)), Branch.kind == "branch")))
        if ids
        else set()
    )
    out = {}
    for key, (branch_id, path) in places.items():
        found = [int(x) for x in path.strip("/").split("/") if x and int(x) in kinds]
        out[key] = found[0] if found else branch_id
    return out


def _rows(model, condition) -> list:
    """The table's rows as plain read-only rows, by id (a column reads as the model's attribute does):
    a round's 15,000 reviews without building an ORM object for each."""
    return db.session.execute(select(*model.__table__.columns).where(condition).order_by(model.id)).all()


# What the rules and pages read of an entry: it is closed (`closed_at`), scored (`score` of `max_score`).
ENTRY = (Attempt.id, Attempt.user_id, Attempt.closed_at, Attempt.score, Attempt.max_score)


def people(round_id: int) -> dict[int, Person]:
    """user id -> every closed entry's author as shown (name, employee number, branch), in one statement:
    read afresh even where the round's scores are kept, so that a renamed manager shows renamed."""
    authors = select(Attempt.user_id).where(_closed(round_id))
    return {
        user_id: Person(name, number, branch)
        for user_id, name, number, branch in db.session.execute(
            select(User.id, User.name, User.employee_no, Branch.name)
            .join(Branch, Branch.id == User.branch_id)
            .where(User.id.in_(authors))
        )
    }


def _closed(round_id: int):
    return and_(Attempt.competition_round_id == round_id, Attempt.state != attempt_states.OPEN)


def load(round_: Round, with_people: bool = True) -> RoundData:
    """Everything the round's scores are computed from, in a fixed number of statements (`with_people`:
    the authors' names too)."""
    closed = _closed(round_.id)
    entry_ids = select(Attempt.id).where(closed)
    entries = db.session.execute(select(*ENTRY).where(closed).order_by(Attempt.id)).all()
    by_user = {
        p.user_id: p
        for p in _rows(
            Participant,
            and_(
                Participant.competition_id == round_.competition_id,
                Participant.user_id.in_(select(Attempt.user_id).where(closed)),
            ),
        )
    }
    authors = {
        a.id: by_user[a.user_id]
        for a in entries
        if a.user_id in by_user and by_user[a.user_id].disqualified_at is None
    }
    items: dict[int, list] = defaultdict(list)
    case, allocations, reviews, calibrations = CaseContent(), [], [], []
    if round_.kind == "case":
        for item in db.session.execute(
            select(AttemptItem.attempt_id, AttemptItem.points, AttemptItem.earned)
            .where(AttemptItem.attempt_id.in_(entry_ids))
            .order_by(AttemptItem.attempt_id, AttemptItem.position)
        ):
            items[item.attempt_id].append(item)  # the case rule reads what each task earned of its points
        allocations = _rows(ReviewAllocation, ReviewAllocation.round_id == round_.id)
        reviews = _rows(PeerReview, PeerReview.round_id == round_.id)
        calibrations = _rows(Calibration, Calibration.round_id == round_.id)
    if round_.kind != "written":
        case = content.of_round(round_)
    sheets: dict[int, dict[int, object]] = defaultdict(dict)
    for sheet in _rows(JudgeScore, JudgeScore.round_id == round_.id):
        sheets[sheet.participant_id][sheet.judge_id] = sheet
    data = RoundData(
        round_.id,
        round_.state == states.CLOSED,
        case,
        list(entries),
        authors,
        dict(items),
        allocations,
        reviews,
        calibrations,
        dict(sheets),
        panel(round_.id) if round_.kind != "written" else {},
        by_user,
    )
    return data.with_people(people(round_.id)) if with_people else data
