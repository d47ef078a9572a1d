"""Peer review of a case round: allocation, calibration, reviews, late reviews moved or flagged.

Anonymity. A reviewer sees an entry under a label derived from the round's secret seed and the entry
("#3F9A"), never its author's name, number or branch; an author sees their reviewers as "Reviewer 1, 2,
3…" in allocation order, never who they are. Nobody is allocated their own entry (`allocation.eligible`),
and a participant reads another's entry only through an allocation of their own (`allocation_for`).

Reviewers are the participants who handed in an entry; each scores `k` entries (the competition's
reviews per entry). Before the first review, a reviewer calibrates on the case's example answers; the
weight it earns (`calibration.calibrate`) weighs all their reviews. A case without examples gives
everyone the same weight.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from drill.attempts.models import Attempt
from drill.competitions import entries
from drill.competitions.content import CaseContent
from drill.competitions.models import Calibration, Participant, PeerReview, ReviewAllocation, Round
from drill.competitions.rules import allocation, calibration, states
from drill.competitions.rules.judging import judge_total
from drill.extensions import db
from drill.messages import N_

ACTIVE = ("assigned", "done", "flagged")  # allocations that still count ("moved" ones were handed on)


class ReviewError(Exception):
    """Refused; the message (an English msgid) says why."""


def label(round_: Round, entry_id: int) -> str:
    """An entry's anonymous label: the same for everyone, telling nothing about its author."""
    digest = hashlib.sha256(f"{round_.seed}:entry:{entry_id}".encode()).hexdigest()
    return "#" + digest[:4].upper()


def authors(round_: Round) -> dict[int, Participant]:
    """entry (attempt) id -> its author, for the round's closed entries of participants still in."""
    by_user = {
        p.user_id: p
        for p in db.session.scalars(
            select(Participant).where(Participant.competition_id == round_.competition_id)
        )
    }
    return {
        a.id: by_user[a.user_id]
        for a in entries.entries(round_)
        if a.user_id in by_user and by_user[a.user_id].disqualified_at is None
    }


def allocate(round_: Round) -> allocation.Allocation:
    """Allocate k reviewers to every entry; raises allocation.InfeasibleAllocation naming short entries."""
    if db.session.scalar(select(ReviewAllocation.id).where(ReviewAllocation.round_id == round_.id).limit(1)):
        raise ReviewError(N_("The reviews of this round are already allocated."))
    by_entry = authors(round_)
    pool = {p.id: p for p in by_entry.values()}
    competition = round_.competition
    result = allocation.allocate(
        [allocation.Entry(e, p.id, str(p.team_id)) for e, p in by_entry.items()],
        [allocation.Reviewer(p.id, str(p.team_id)) for p in pool.values()],
        competition.reviews_per_entry,
        separate_branches=competition.separate_branches,
        seed=round_.seed,
    )
    for entry_id, reviewers in result.assignments.items():
        for reviewer_id in reviewers:
            db.session.add(ReviewAllocation(round_id=round_.id, entry_id=entry_id, reviewer_id=reviewer_id))
    db.session.flush()
    return result


def allocations(round_: Round, *, reviewer: Participant | None = None, entry_id: int | None = None):
    query = (
        select(ReviewAllocation).where(ReviewAllocation.round_id == round_.id).order_by(ReviewAllocation.id)
    )
    if reviewer is not None:
        query = query.where(ReviewAllocation.reviewer_id == reviewer.id)
    if entry_id is not None:
        query = query.where(ReviewAllocation.entry_id == entry_id)
    return list(db.session.scalars(query))


def allocation_for(round_: Round, reviewer: Participant, entry_id: int) -> ReviewAllocation | None:
    """The reviewer's own, still active allocation of this entry: the only way to read another's entry."""
    found = db.session.scalar(
        select(ReviewAllocation).where(
            ReviewAllocation.round_id == round_.id,
            ReviewAllocation.reviewer_id == reviewer.id,
            ReviewAllocation.entry_id == entry_id,
        )
    )
    return found if found is not None and found.state in ACTIVE else None


# --- calibration -------------------------------------------------------------------------------------


def calibration_of(round_: Round, participant: Participant) -> Calibration | None:
    return db.session.scalar(
        select(Calibration).where(
            Calibration.round_id == round_.id, Calibration.participant_id == participant.id
        )
    )


def needs_calibration(round_: Round, participant: Participant, case: CaseContent) -> bool:
    return bool(case.examples) and calibration_of(round_, participant) is None


def calibrate(
    round_: Round, participant: Participant, case: CaseContent, given: dict, now: datetime
) -> calibration.Calibration:
    """Score the examples once; the result (deviations per criterion, weight) is kept and shown."""
    if calibration_of(round_, participant) is not None:
        raise ReviewError(N_("You have already calibrated for this round."))
    result = calibration.calibrate(case.calibration_criteria, case.expert, given)
    row = Calibration(
        round_id=round_.id,
        participant_id=participant.id,
        given=given,
        relative_deviation=result.relative_deviation,
        accuracy=result.accuracy,
        weight=result.weight,
        created_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        raise ReviewError(N_("You have already calibrated for this round.")) from None
    return result


def calibration_result(round_: Round, participant: Participant, case: CaseContent):
    row = calibration_of(round_, participant)
    if row is None or not case.examples:
        return None
    return calibration.calibrate(case.calibration_criteria, case.expert, row.given)


def weights(round_: Round) -> dict[int, float]:
    """participant id -> reviewing weight (EQUAL_WEIGHT without a calibration)."""
    rows = db.session.scalars(select(Calibration).where(Calibration.round_id == round_.id))
    return {row.participant_id: row.weight for row in rows}


# --- reviews -----------------------------------------------------------------------------------------


def review(
    round_: Round, reviewer: Participant, entry_id: int, case: CaseContent, scores: dict, comment: str, now
) -> PeerReview:
    """Score one allocated entry criterion by criterion (each within its weight); once only."""
    if round_.state != states.REVIEWING:
        raise ReviewError(N_("Reviews are not being taken in this round now."))
    found = allocation_for(round_, reviewer, entry_id)
    if found is None:
        raise ReviewError(N_("This entry is not allocated to you."))
    if found.state == "done":
        raise ReviewError(N_("You have already scored this entry."))
    if case.examples and calibration_of(round_, reviewer) is None:
        raise ReviewError(N_("Calibrate on the example answers first."))
    total = judge_total(scores, {c["id"]: float(c["weight"]) for c in case.criteria})
    row = PeerReview(
        allocation_id=found.id,
        round_id=round_.id,
        entry_id=entry_id,
        reviewer_id=reviewer.id,
        criteria=scores,
        total=float(total),
        comment=comment,
        created_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
            found.state = "done"
    except IntegrityError:  # the same review sent twice at once
        raise ReviewError(N_("You have already scored this entry.")) from None
    return row


def reviews_of(round_: Round, entry_id: int) -> list[tuple[int, PeerReview]]:
    """(reviewer number, review) for an entry: numbers follow allocation order, names never shown."""
    active = [a for a in allocations(round_, entry_id=entry_id) if a.state in ACTIVE]
    by_allocation = {
        r.allocation_id: r
        for r in db.session.scalars(select(PeerReview).where(PeerReview.entry_id == entry_id))
    }
    return [(n, by_allocation[a.id]) for n, a in enumerate(active, start=1) if a.id in by_allocation]


def pending(round_: Round) -> list[ReviewAllocation]:
    return [a for a in allocations(round_) if a.state == "assigned"]


def reallocate_missing(round_: Round, now: datetime) -> allocation.Reallocation:
    """After the review deadline (or at once, without one): hand every missing review to someone else, or
    flag it for a judge. Reviews moved here after the deadline wait for the organiser to set a new one."""
    if round_.review_closes_at is not None and now < round_.review_closes_at:
        raise ReviewError(N_("The review deadline has not passed yet."))
    every = allocations(round_)
    active = [a for a in every if a.state in ACTIVE]
    by_entry = authors(round_)
    assignments: dict[int, tuple] = {e: () for e in by_entry}
    for a in active:
        assignments[a.entry_id] = (*assignments.get(a.entry_id, ()), a.reviewer_id)
    pool = {p.id: p for p in by_entry.values()}
    loads = {p: sum(a.reviewer_id == p for a in active) for p in pool}
    current = allocation.Allocation(round_.competition.reviews_per_entry, assignments, loads)
    # Late: still open, and handed out before the deadline (one moved here after it is not late yet).
    deadline = round_.review_closes_at
    missing = [
        (a.entry_id, a.reviewer_id)
        for a in active
        if a.state == "assigned" and (deadline is None or a.created_at <= deadline)
    ]
    result = allocation.reallocate(
        current,
        missing,
        [allocation.Entry(e, p.id, str(p.team_id)) for e, p in by_entry.items()],
        [allocation.Reviewer(p.id, str(p.team_id)) for p in pool.values()],
        separate_branches=round_.competition.separate_branches,
        unavailable={a.reviewer_id for a in every if a.state == "moved"},
        seed=round_.seed + 1,
    )
    rows = {(a.entry_id, a.reviewer_id): a for a in active}
    for move in result.moves:
        rows[(move.entry_id, move.from_id)].state = "moved"
        db.session.add(ReviewAllocation(round_id=round_.id, entry_id=move.entry_id, reviewer_id=move.to_id))
    for entry_id, reviewer_id in result.flagged:
        rows[(entry_id, reviewer_id)].state = "flagged"
    db.session.flush()
    return result


def entry(entry_id: int) -> Attempt | None:
    """One entry with its items (the review and judge pages show them)."""
    return db.session.get(Attempt, entry_id, options=[selectinload(Attempt.items)])
