"""A participant's entry in a written or case round: an Attempt (kind "competition") taken on the drills
page and saved through the attempts API, so autosave, the server-held deadline and submit work unchanged.

Written round: a paper drawn like an exam (the round's blueprint; auto-scored question types only), one
paper per participant from the round's seed. It is scored the moment it closes — submitted, or expired at
its deadline — inside the attempt's lock (the kind's follow-up, `score_written_entry`), and the round score
is recorded:

    round score = 100 × points / paper's full marks
    points      = Σ earned                                    speed bonus off
                = Σ earned × (floor + (1 − floor) × f)        on, right answers     (speed.speed_points)
                  + Σ earned × floor                          on, partly right ones
    f           = max(0, 1 − t / T)   t: seconds from start to close, T: the time limit in seconds

so a correct slow paper still earns `floor` (default 80%) of its marks. Time is the server's.

Case round: the case's tasks; scored later by peers and judges (`peer`, `judged`).
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from drill.attempts import engine
from drill.attempts.models import Attempt, AttemptItem
from drill.attempts.rules import kinds, timing
from drill.attempts.rules import states as attempt_states
from drill.competitions import content, events
from drill.competitions.models import Participant, Round
from drill.competitions.rules import speed
from drill.competitions.rules.states import DRAFT, OPEN
from drill.exams import services as exams
from drill.exams.rules.assembly import assemble
from drill.extensions import db
from drill.messages import N_


class Refused(Exception):
    """The participant may not start; the message (an English msgid) says why."""


def entry_of(round_: Round, user_id: int) -> Attempt | None:
    """The user's entry in the round, with its items (one entry: the pages that show it read them)."""
    return db.session.scalar(
        select(Attempt)
        .options(selectinload(Attempt.items))
        .where(Attempt.competition_round_id == round_.id, Attempt.user_id == user_id)
    )


def participant_of(round_: Round, user_id: int) -> Participant | None:
    return db.session.scalar(
        select(Participant).where(
            Participant.competition_id == round_.competition_id, Participant.user_id == user_id
        )
    )


def may_enter(round_: Round, participant: Participant | None) -> bool:
    """Registered, not disqualified, and qualified when the round takes only qualifiers."""
    if participant is None or participant.disqualified_at is not None:
        return False
    return round_.qualify_from_id is None or participant.id in (round_.qualified or [])


UPCOMING, TAKING, OVER = "upcoming", "taking", "over"


def window(round_: Round, now: datetime) -> str:
    """Where the round's entries stand at `now`: `taking` them (open, and inside its window), `upcoming`
    (a draft, or open before its opening time) or `over` (past its closing time, or moved on)."""
    if round_.state == DRAFT:
        return UPCOMING
    if round_.state != OPEN or (round_.closes_at is not None and round_.closes_at <= now):
        return OVER
    return UPCOMING if round_.opens_at is not None and now < round_.opens_at else TAKING


def too_late_to_open(round_: Round, now: datetime) -> bool:
    """A round whose closing time has already passed: opening it would let nobody take part."""
    return round_.closes_at is not None and round_.closes_at <= now


def window_open(round_: Round, now: datetime) -> bool:
    return window(round_, now) == TAKING


def paper_seed(round_: Round, user_id: int) -> int:
    digest = hashlib.sha256(f"{round_.seed}:{round_.id}:{user_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") >> 1


def _items(round_: Round, seed: int) -> list[AttemptItem]:
    if round_.kind == "written":
        bank = [b for b in exams.drawable() if b.type != "open"]  # a written round is scored at once
        paper = assemble(exams.cells_of(round_), bank, seed)
        return [
            AttemptItem(
                position=p.position,
                question_version_id=p.version_id,
                option_seed=p.option_seed,
                part=p.part,
                points=p.points,
            )
            for p in paper
        ]
    tasks = content.task_versions(round_.case_pack_id)
    return [
        AttemptItem(position=i, question_version_id=v.id, option_seed=f"{seed}:{i}", points=float(v.points))
        for i, v in enumerate(tasks, start=1)
    ]


def start(round_: Round, participant: Participant, now: datetime) -> Attempt:
    """Start (or resume) the participant's entry. Raises Refused saying why they may not."""
    existing = entry_of(round_, participant.user_id)
    if existing is not None:
        return existing
    if round_.kind not in ("written", "case"):
        raise Refused(N_("This round is scored by judges; there is nothing to write."))
    if not may_enter(round_, participant):
        raise Refused(N_("You do not take part in this round."))
    if not window_open(round_, now):
        raise Refused(N_("The round is not open now."))
    seed = paper_seed(round_, participant.user_id)
    items = _items(round_, seed)
    if not items:
        raise Refused(N_("This round has nothing to answer yet; tell the organiser."))
    attempt = Attempt(
        user_id=participant.user_id,
        kind="competition",
        competition_round_id=round_.id,
        title=round_.title,
        criteria={"competition": round_.competition_id, "round": round_.id},
        seed=seed,
        state=attempt_states.OPEN,
        started_at=now,
        deadline=timing.deadline_for(now, round_.time_limit_minutes, round_.closes_at),
        items=items,
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:  # a second tab started the same entry a moment earlier
        return entry_of(round_, participant.user_id)
    return attempt


def written_points(closing: kinds.Closing, round_: Round) -> tuple[float, float]:
    """(points, full marks) of a closed written-round paper, with the speed bonus if the round has it."""
    attempt = closing.attempt
    seconds = max(0.0, (attempt.closed_at - attempt.started_at).total_seconds())
    allowance = max(1.0, (attempt.deadline - attempt.started_at).total_seconds())
    answers = [
        speed.TimedAnswer(float(a.earned or 0.0), a.points, seconds, allowance) for a in closing.answers
    ]
    full = sum(a.possible for a in answers)
    return speed.with_speed(answers, enabled=round_.speed_bonus, floor=round_.speed_floor), full


def score_written_entry(closing: kinds.Closing) -> None:
    """A competition attempt's follow-up: a written round's score is recorded as the paper closes (same
    transaction, under the attempt's lock). A case round's entry waits for its reviews."""
    attempt, now = closing.attempt, closing.now
    if attempt.competition_round_id is None:
        return
    round_ = db.session.get(Round, attempt.competition_round_id)
    participant = participant_of(round_, attempt.user_id)
    if round_.kind != "written" or participant is None or participant.disqualified_at is not None:
        return
    points, full = written_points(closing, round_)
    score = 100 * points / full if full else 0.0
    how = (
        N_("written paper scored on submission")
        if attempt.state == "submitted"
        else N_("written paper scored at its deadline")
    )
    events.record(round_, participant, score, completed_at=attempt.closed_at, reason=how, now=now)


def close_all(round_: Round, now: datetime) -> int:
    """When the organiser closes the round: every open entry closes now, with what was saved."""
    closed = 0
    ids = db.session.scalars(
        select(Attempt.id).where(
            Attempt.competition_round_id == round_.id, Attempt.state == attempt_states.OPEN
        )
    )
    for attempt_id in list(ids):
        closed += engine.close(attempt_id, now, engine.Why.ROUND_CLOSED) is not None
    return closed


def entries(round_: Round) -> list[Attempt]:
    """The round's closed entries, oldest first."""
    return list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.competition_round_id == round_.id, Attempt.state != attempt_states.OPEN)
            .order_by(Attempt.id)
        )
    )
