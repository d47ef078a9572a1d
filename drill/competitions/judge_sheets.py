"""Judges' sheets: judged rounds (live presentations, role-plays) and the judge part of case rounds.

Each judge scores alone, criterion by criterion against the rubric. A judge from the participant's own
unit is not assigned to them (本单位回避, `judging.assigned_judges`). Other judges' sheets stay hidden from a
judge until every assigned judge has scored and the entry is locked (`judging.visible_sheets`); the lock
comes by itself with the last sheet (or with a change of the panel, `lock_complete`), and a locked sheet
cannot change (a correction is an organiser's audited score event instead). Only locked sheets count.
The judges' score is `judging.judged_score`: the mean, trimmed of the highest and lowest from 5 judges on.

In a peer-only case round an entry the peers disagree on goes to one judge or trainer, whose sheet alone
decides (it locks at once).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from drill.accounts.models import User
from drill.competitions import round_data
from drill.competitions.models import JudgeScore, Participant, Round
from drill.competitions.rules import judging, states
from drill.extensions import db
from drill.messages import N_


class JudgingError(Exception):
    """Refused; the message (an English msgid) says why."""


def panel(round_: Round) -> dict[int, str]:
    """The round's judges, {user id: their unit id as text}."""
    return round_data.panel(round_.id)


def assigned(
    round_: Round, participant: Participant, judges: dict[int, str] | None = None
) -> tuple[int, ...]:
    judges = judges if judges is not None else panel(round_)
    return judging.assigned_judges(judges, str(participant.team_id))


def sheets(round_: Round, participant: Participant) -> dict[int, JudgeScore]:
    rows = db.session.scalars(
        select(JudgeScore).where(
            JudgeScore.round_id == round_.id, JudgeScore.participant_id == participant.id
        )
    )
    return {row.judge_id: row for row in rows}


def locked(found: dict[int, JudgeScore]) -> bool:
    return any(row.locked_at is not None for row in found.values())


def decides_alone(round_: Round) -> bool:
    """A peer-only case round: a judge's sheet is a decision on a disputed entry."""
    return round_.kind == "case" and round_.judge_weight <= 0


def may_score(
    round_: Round, participant: Participant, user: User, judges: dict[int, str] | None = None
) -> bool:
    """`judges`: the round's panel, when the caller has it already (a queue asks for many participants)."""
    judges = judges if judges is not None else panel(round_)
    if decides_alone(round_):  # a disputed entry of a peer-only round: its panel or its organisers
        if user.id == participant.user_id:
            return False
        organiser = states.organises(
            user, round_.competition.created_by_id, user.has_role(*states.ORGANISER_ROLES)
        )
        return organiser or user.id in judges
    return user.id in assigned(round_, participant, judges)


def score(
    round_: Round,
    participant: Participant,
    judge: User,
    criteria: list[dict],
    scores: dict,
    comment: str,
    now: datetime,
) -> JudgeScore:
    """Save the judge's sheet; lock the entry when every assigned judge has one. Returns the sheet."""
    if not may_score(round_, participant, judge):
        raise JudgingError(N_("You are not a judge of this entry."))
    if not states.judging_open(round_.state):
        raise JudgingError(N_("This round has not opened yet: judging starts when the organiser opens it."))
    found = sheets(round_, participant)
    if locked(found):
        raise JudgingError(N_("This entry is locked: every judge has scored it."))
    total = judging.judge_total(scores, {c["id"]: float(c["weight"]) for c in criteria})
    sheet = found.get(judge.id)
    if sheet is None:
        sheet = JudgeScore(
            round_id=round_.id, participant_id=participant.id, judge_id=judge.id, created_at=now
        )
        db.session.add(sheet)
        found[judge.id] = sheet
    sheet.criteria, sheet.total, sheet.comment, sheet.updated_at = scores, float(total), comment, now
    need = (judge.id,) if decides_alone(round_) else assigned(round_, participant)
    if judging.all_scored(need, found):
        for judge_id in need:
            found[judge_id].locked_at = now
    db.session.flush()
    return sheet


def lock_complete(round_: Round, now: datetime) -> int:
    """After the panel changed: lock every entry that the judges now assigned to it have all scored.
    Locked entries stay as they were. Returns how many were locked."""
    if decides_alone(round_):
        return 0
    judges = panel(round_)
    by_participant: dict[int, dict[int, JudgeScore]] = {}
    for row in db.session.scalars(select(JudgeScore).where(JudgeScore.round_id == round_.id)):
        by_participant.setdefault(row.participant_id, {})[row.judge_id] = row
    teams = dict(
        db.session.execute(
            select(Participant.id, Participant.team_id).where(Participant.id.in_(list(by_participant)))
        ).all()
    )
    done = 0
    for participant_id, found in by_participant.items():
        need = judging.assigned_judges(judges, str(teams[participant_id]))
        if not locked(found) and need and judging.all_scored(need, found):
            for judge_id in need:
                found[judge_id].locked_at = now
            done += 1
    db.session.flush()
    return done


def scored(round_: Round) -> list[Participant]:
    """The participants with at least one judge's sheet in the round."""
    return list(
        db.session.scalars(
            select(Participant)
            .where(
                Participant.id.in_(select(JudgeScore.participant_id).where(JudgeScore.round_id == round_.id))
            )
            .order_by(Participant.id)
        )
    )


def result(round_: Round, participant: Participant) -> judging.JudgedScore | None:
    """The judges' score once the entry is locked (None before), from the locked sheets: those of the
    judges assigned when it locked (a judge taken off the panel before then does not count)."""
    return result_of(sheets(round_, participant), panel(round_), participant)


def result_of(
    sheets_: dict[int, JudgeScore], judges: dict[int, str], participant: Participant
) -> judging.JudgedScore | None:
    """`result` from the participant's sheets and the round's panel as already read (`round_data`)."""
    found = {j: row for j, row in sheets_.items() if row.locked_at is not None}
    if not found:
        return None
    judges = dict(judges)
    for judge_id in found:
        judges.setdefault(judge_id, "")  # a deciding trainer outside the panel: no unit to recuse
    return judging.judged_score({j: row.total for j, row in found.items()}, judges, str(participant.team_id))


def lock_time(round_: Round, participant: Participant) -> datetime | None:
    found = sheets(round_, participant)
    return max((row.locked_at for row in found.values() if row.locked_at), default=None)


def visible(round_: Round, participant: Participant, viewer: User, organiser: bool) -> dict[int, JudgeScore]:
    found = sheets(round_, participant)
    need = assigned(round_, participant) if not decides_alone(round_) else tuple(found)
    return judging.visible_sheets(viewer.id, found, need, locked(found), organiser=organiser)
