"""An organiser's score correction — a re-mark — in two statements, whatever the size of the competition.

The manage page's correction form posts it as JSON (`views.organiser.record_correction`), and without
JavaScript as a form (`views.organiser.correct`); both come here. One read (`_FACTS`) fetches everything
the decision needs — whether the caller's login session is open and their account active, their role and
scope, the competition's creator, whether the participant and the round are the competition's, whether
the participant was disqualified, and the completion time of the score that stands — the pure rule
(`states.organises`) decides, and the event goes in as one INSERT (`events.append`). No user, competition
or round is loaded as an object: on competition day sixteen organisers may be correcting at once (#22).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from sqlalchemy import Integer, bindparam, exists, select

from drill.accounts import session as login_sessions
from drill.accounts.models import User, UserRole
from drill.competitions import events
from drill.competitions.models import Competition, Participant, Round, ScoreEvent
from drill.competitions.rules import corrections as rules
from drill.competitions.rules.states import ORGANISER_ROLES, organises
from drill.extensions import db


class Outcome(Enum):
    RECORDED = "recorded"
    SIGNED_OUT = "signed out"
    NOT_ORGANISER = "not organiser"  # 403
    NOT_FOUND = "not found"  # no such competition, or the participant is not in it: 404
    INVALID = "invalid"  # what was sent is malformed (`rules.corrections.parse` says how)
    NO_ROUND = "no round"  # the round named is not the competition's: the request is wrong
    DISQUALIFIED = "disqualified"  # their scores stay withdrawn


@dataclass(frozen=True)
class Caller:
    """What `organises` reads of a user."""

    id: int
    scope_branch_id: int | None


_user = bindparam("user_id", type_=Integer)
_participant = bindparam("participant_id", type_=Integer)
_round = bindparam("round_id", type_=Integer)
_FACTS = select(
    login_sessions.still_open(_user).label("signed_in"),
    exists().where(UserRole.user_id == _user, UserRole.role.in_(ORGANISER_ROLES)).label("has_role"),
    select(User.scope_branch_id).where(User.id == _user).scalar_subquery().label("scope_branch_id"),
    select(User.active).where(User.id == _user).scalar_subquery().label("active"),
    Competition.created_by_id,
    select(Participant.disqualified_at.is_not(None))
    .where(Participant.id == _participant, Participant.competition_id == Competition.id)
    .scalar_subquery()
    .label("disqualified"),  # None: not the competition's participant
    exists().where(Round.id == _round, Round.competition_id == Competition.id).label("round_found"),
    select(ScoreEvent.completed_at)
    .where(ScoreEvent.round_id == _round, ScoreEvent.participant_id == _participant)
    .order_by(ScoreEvent.recorded_at.desc(), ScoreEvent.seq.desc())  # as events.current
    .limit(1)
    .scalar_subquery()
    .label("completed_at"),
).where(Competition.id == bindparam("competition_id", type_=Integer))


def record(
    claim: login_sessions.SignedIn,
    competition_id: int,
    participant_id: int,
    correction: rules.Correction | rules.Problem,
    now: datetime,
) -> Outcome:
    """Record the caller's correction, or say why not. Who is asking is checked before what they sent: a
    malformed correction (`rules.Problem`) is INVALID only for someone who may correct this participant.
    The caller commits on RECORDED and rolls back otherwise (nothing was written then)."""
    round_id = correction.round_id if isinstance(correction, rules.Correction) else 0
    values = {
        "competition_id": competition_id, "participant_id": participant_id, "round_id": round_id,
        "user_id": claim.user_id, **login_sessions.bound(claim),
    }  # fmt: skip
    facts = db.session.connection().execute(_FACTS, values).first()
    if facts is None:  # no such competition: say "signed out" first if that is the case
        return Outcome.SIGNED_OUT if not login_sessions.is_open(claim) else Outcome.NOT_FOUND
    if not facts.signed_in or not facts.active:  # deactivating ends the sessions too; asked anyway
        return Outcome.SIGNED_OUT
    if not organises(Caller(claim.user_id, facts.scope_branch_id), facts.created_by_id, facts.has_role):
        return Outcome.NOT_ORGANISER
    if facts.disqualified is None:
        return Outcome.NOT_FOUND
    if isinstance(correction, rules.Problem):
        return Outcome.INVALID
    if not facts.round_found:
        return Outcome.NO_ROUND
    if facts.disqualified:
        return Outcome.DISQUALIFIED
    events.append(
        competition_id, round_id, participant_id, correction.score,
        completed_at=facts.completed_at or now, reason=correction.reason, now=now, by=claim.user_id,
    )  # fmt: skip
    return Outcome.RECORDED
