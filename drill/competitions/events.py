"""The score log: every round score that reaches a board is recorded here, never edited.

Numbering (#22). On PostgreSQL `record` takes the event's `seq` from a sequence (`score_event_seq`) and
stamps it with its transaction's id (`txid`, pg_current_xact_id): no row is locked, so scorers of one
competition no longer queue behind each other. Numbers then have gaps and may commit out of order; the
boards therefore catch up by transaction, not by number (`boards`): a board that read the events at a
snapshot whose oldest running transaction was x has seen every event of a transaction below x, and asks next
for `txid >= x`, skipping the events it already took. On SQLite there is one writer at a time anyway: `seq`
is `Competition.event_seq` + 1 (UPDATE … RETURNING, under the write lock until the commit), so numbers are
in commit order and a board catches up with `seq > n`.

A correction — a re-mark, a disqualification — is a new event with its reason and who recorded it; the
boards take the last one recorded for each (participant, round), the higher number first among events
recorded at the same instant. Services flush; the view commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Text, bindparam, func, insert, select, update

from drill.accounts.models import User
from drill.competitions.models import Competition, Participant, Round, ScoreEvent
from drill.extensions import db

# pg_current_xact_id() is an xid8: as text, then bigint (it stays below 2**63).
_TXID = func.pg_current_xact_id().cast(Text).cast(BigInteger)


# Writes of this process that end a board's shared interval (BOARD_CATCH_UP_SECONDS, see boards), counted
# by `boards` after each flush: `written` for everyone's polls; `written_by` (user id -> when) for that
# user's own polls only, so whoever records a score sees it at once while other readers keep sharing.
written = [0]
written_by: dict = {}
BOARD_WRITES = "board_writes"  # session.info: whose writes of this transaction the boards count at commit


def note_written(session, user_id: int | None) -> None:
    """Count this transaction's write for the boards once it commits: `user_id` wrote score events that
    their own polls show at once; None, something every poll must see at once (see `boards`)."""
    session.info.setdefault(BOARD_WRITES, set()).add(user_id)


_EVENTS = ScoreEvent.__table__
_NEXT_SEQ = (  # Core, built once: the seq of SQLite's next event, for the ORM's `record` and for `append`
    update(Competition.__table__)
    .where(Competition.__table__.c.id == bindparam("competition_id"))
    .values(event_seq=Competition.__table__.c.event_seq + 1)
    .returning(Competition.__table__.c.event_seq)
)


def _next_seq(competition_id: int) -> int:
    """SQLite: the competition's next number, under the write lock (held to the commit)."""
    return db.session.connection().execute(_NEXT_SEQ, {"competition_id": competition_id}).scalar_one()


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
    event = ScoreEvent(
        competition_id=round_.competition_id,
        **_numbering(round_.competition_id),
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


def _numbering(competition_id: int) -> dict:
    if db.session.get_bind().dialect.name == "postgresql":
        return {"txid": _TXID}  # seq comes from SCORE_EVENT_SEQ, in the INSERT itself
    return {"seq": _next_seq(competition_id)}


def _append_statement(postgresql: bool):
    column = _EVENTS.c
    values = {
        name: bindparam(name, type_=column[name].type)
        for name in ("competition_id", "round_id", "participant_id", "score", "completed_at", "recorded_at",
                     "reason", "recorded_by_id")
    }  # fmt: skip
    if postgresql:  # seq: SCORE_EVENT_SEQ's nextval, as the column's default
        return insert(_EVENTS).values(**values, txid=_TXID)
    return insert(_EVENTS).values(**values, seq=bindparam("seq", type_=column.seq.type))


_APPEND = {False: _append_statement(False), True: _append_statement(True)}


def append(
    competition_id: int,
    round_id: int,
    participant_id: int,
    score: float | None,
    *,
    completed_at: datetime,
    reason: str,
    now: datetime,
    by: int,
) -> None:
    """`record` for a caller that holds ids, not objects (`corrections`): one INSERT built once, in Core (no
    ORM flush); `by` is the recording user's id, whose own board polls show the event at once."""
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    values = {
        "competition_id": competition_id, "round_id": round_id, "participant_id": participant_id,
        "score": None if score is None else round(float(score), 4), "completed_at": completed_at,
        "recorded_at": now, "reason": reason, "recorded_by_id": by,
    }  # fmt: skip
    if not postgresql:
        values["seq"] = _next_seq(competition_id)
    db.session.connection().execute(_APPEND[postgresql], values)
    note_written(db.session, by)


def current(round_id: int, participant_id: int) -> ScoreEvent | None:
    """The event that stands for a (participant, round): the last recorded."""
    return db.session.scalar(
        select(ScoreEvent)
        .where(ScoreEvent.round_id == round_id, ScoreEvent.participant_id == participant_id)
        .order_by(ScoreEvent.recorded_at.desc(), ScoreEvent.seq.desc())  # as standings.standing_order
        .limit(1)
    )


_UNREAD = object()


def standings(round_id: int) -> dict[int, ScoreEvent]:
    """participant id -> the event that stands for them in the round (as `current`), in one statement."""
    out = {}
    for event in db.session.scalars(
        select(ScoreEvent)
        .where(ScoreEvent.round_id == round_id)
        .order_by(ScoreEvent.participant_id, ScoreEvent.recorded_at, ScoreEvent.seq)
    ):
        out[event.participant_id] = event  # the last one wins, as in standings.standing_order
    return out


def record_if_changed(
    round_: Round, participant: Participant, score: float | None, *, standing=_UNREAD, **kwargs
) -> ScoreEvent | None:
    """Record only when the standing score differs (so recomputing a round adds no noise to the log).
    `standing`: the participant's current event (or None), when the caller read the round's at once."""
    if standing is _UNREAD:
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
    made = []
    for round_ in db.session.scalars(
        select(Round).where(Round.competition_id == participant.competition_id).order_by(Round.position)
    ):
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


def recorders(log: list[ScoreEvent]) -> dict[int, str]:
    """user id -> name of whoever recorded the events by hand (one statement; plain names, not User objects,
    which could be the signed-in organiser's own, reloaded without what the request reads later)."""
    ids = sorted({e.recorded_by_id for e in log if e.recorded_by_id is not None})
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


def names(participant_ids) -> dict[int, str]:
    """participant id -> name, for the few an audit page shows (one statement)."""
    if not participant_ids:
        return {}
    return dict(
        db.session.execute(
            select(Participant.id, User.name)
            .join(User, User.id == Participant.user_id)
            .where(Participant.id.in_(sorted(participant_ids)))
        ).all()
    )
