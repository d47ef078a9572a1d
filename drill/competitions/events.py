"""The score log: every round score that reaches a board is recorded here, never edited.

`record` numbers a competition's events in commit order. It increments `Competition.event_seq` with one
UPDATE … RETURNING, which takes the competition's row lock (PostgreSQL) or the write lock (SQLite) until
the transaction commits; so an event numbered n + 1 cannot commit before event n. A board that has applied
the events up to n therefore catches up with `seq > n` and never skips one that committed late. The lock is
held only from here to the commit, and services record the event last.

A correction — a re-mark, a disqualification — is a new event with its reason and who recorded it; the
boards take the last one recorded for each (participant, round). Services flush; the view commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from drill.accounts.models import User
from drill.competitions.models import Competition, Participant, Round, ScoreEvent
from drill.extensions import db


def record(
    round_: Round,
    participant: Participant,
    score: float | None,
    *,
    completed_at: datetime,
    reason: str,
    now: datetime,
    by: User | None = None,
) -> ScoreEvent:
    """Append a round score on 100 (None withdraws it); `by` None means scored automatically."""
    seq = db.session.scalar(
        update(Competition)
        .where(Competition.id == round_.competition_id)
        .values(event_seq=Competition.event_seq + 1)
        .returning(Competition.event_seq)
    )
    event = ScoreEvent(
        competition_id=round_.competition_id,
        seq=seq,
        round_id=round_.id,
        participant_id=participant.id,
        score=None if score is None else round(float(score), 4),
        completed_at=completed_at,
        recorded_at=now,
        reason=reason,
        recorded_by_id=by.id if by is not None else None,
    )
    db.session.add(event)
    db.session.flush()
    return event


def current(round_id: int, participant_id: int) -> ScoreEvent | None:
    """The event that stands for a (participant, round): the last recorded."""
    return db.session.scalar(
        select(ScoreEvent)
        .where(ScoreEvent.round_id == round_id, ScoreEvent.participant_id == participant_id)
        .order_by(ScoreEvent.recorded_at.desc(), ScoreEvent.seq.desc())
        .limit(1)
    )


def record_if_changed(
    round_: Round, participant: Participant, score: float | None, **kwargs
) -> ScoreEvent | None:
    """Record only when the standing score differs (so recomputing a round adds no noise to the log)."""
    standing = current(round_.id, participant.id)
    if standing is not None and standing.score == (None if score is None else round(float(score), 4)):
        return None
    if standing is None and score is None:
        return None
    return record(round_, participant, score, **kwargs)


def disqualify(participant: Participant, reason: str, by: User, now: datetime) -> list[ScoreEvent]:
    """Withdraw every round score of a participant: one event per round that had one, all audited."""
    participant.disqualified_at, participant.disqualified_reason = now, reason
    participant.disqualified_by_id = by.id
    competition = db.session.get(Competition, participant.competition_id)
    made = []
    for round_ in competition.rounds:
        standing = current(round_.id, participant.id)
        if standing is not None and standing.score is not None:
            made.append(record(round_, participant, None, completed_at=now, reason=reason, now=now, by=by))
    return made


def log(competition: Competition, limit: int = 500) -> list[ScoreEvent]:
    """The audit trail, newest first."""
    return list(
        db.session.scalars(
            select(ScoreEvent)
            .where(ScoreEvent.competition_id == competition.id)
            .order_by(ScoreEvent.seq.desc())
            .limit(limit)
        )
    )
