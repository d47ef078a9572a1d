"""A case or judged round as last read and scored, kept by each process between requests (#14).

A province's round (5,000 entries, 15,000 reviews) takes one to two seconds to read and score
(`round_data.load`, `round_scores.Scored`), and the organiser's overview, an entry's page and the judging
queue each need every entry's score (the filters, who awaits a judge, the reviewing grades); a participant's
own score and their bias as a reviewer come from the model fitted on the whole round. So each process keeps
its last reading of a few rounds, under the key it was read with:

- how many `RoundChange` rows the round has. Every flush that changes what its scores come from adds one
  (`note_changes`, below): an entry closing, an allocation, review, calibration or judge's sheet written,
  the panel or the round's settings changed, a participant of the competition added, changed or removed.
  Rows are only ever inserted, so the count only grows, on every node alike;
- the current versions of its case and rubric packs (a new version changes the rubric);
- the panel's units (a judge who moved branch recuses differently).

The key is read before the round, so what is kept is never older than its key: a change committed while a
round is read makes the next request read it again. The authors' names are read afresh on every request.
Writes never use what is kept: a settle reads the round inside its own transaction (`round_scores`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, replace

from flask import current_app
from sqlalchemy import event as sa_event
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drill.attempts.models import Attempt
from drill.competitions import round_data, round_scores
from drill.competitions.models import (
    Calibration,
    JudgeScore,
    Participant,
    PeerReview,
    ReviewAllocation,
    Round,
    RoundChange,
    RoundJudge,
)
from drill.content.models import Pack
from drill.extensions import db

KEPT = 4  # rounds a process keeps (a province's round holds some tens of MB as read)


@dataclass(frozen=True)
class Kept:
    key: tuple
    data: round_data.RoundData
    scored: round_scores.Scored | None  # case rounds
    grades: dict  # participant id -> aggregation.ReviewingGrade (case rounds)


def read(round_: Round, with_people: bool = True) -> Kept:
    """The round as read and scored: kept when nothing changed since, read and scored otherwise; with its
    authors' names as they are now (`with_people`: a page that shows no author's name skips reading them)."""
    key = _key(round_)
    store = current_app.extensions.setdefault(
        "competition_rounds", {"lock": threading.Lock(), "rounds": OrderedDict()}
    )
    with store["lock"]:
        kept = store["rounds"].get(round_.id)
    if kept is None or kept.key != key:
        kept = _scored(round_, key)  # outside the lock: other rounds' pages need not wait a second
    with store["lock"]:
        store["rounds"][round_.id] = kept
        store["rounds"].move_to_end(round_.id)
        while len(store["rounds"]) > KEPT:
            store["rounds"].popitem(last=False)
    return replace(kept, data=kept.data.with_people(round_data.people(round_.id))) if with_people else kept


def _key(round_: Round) -> tuple:
    changes = select(func.count()).where(RoundChange.round_id == round_.id).scalar_subquery()

    def version(pack_id: int | None):
        return select(Pack.current_version).where(Pack.id == pack_id).scalar_subquery()

    counted = db.session.execute(
        select(changes, version(round_.case_pack_id), version(round_.rubric_pack_id))
    ).one()
    panel = round_data.panel(round_.id) if round_.kind != "written" else {}
    return (*counted, tuple(sorted(panel.items())))


def _scored(round_: Round, key: tuple) -> Kept:
    data = round_data.load(round_, with_people=False)
    scored = round_scores.Scored.of(round_, data) if round_.kind == "case" else None
    grades = round_scores.reviewing_grades(round_, scored) if scored is not None else {}
    return Kept(key, data, scored, grades)


# --- what changes a round ------------------------------------------------------------------------

_BY_ROUND = (ReviewAllocation, PeerReview, Calibration, JudgeScore, RoundJudge)
_WATCHED = (*_BY_ROUND, Attempt, Participant, Round)


def note_changes(session: Session, _context, _instances) -> None:
    """Add a `RoundChange` for every round this flush changes what the scores come from, in the same
    transaction (so the change and its note commit together)."""
    rounds: set[int | None] = set()
    competitions: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if not isinstance(obj, _WATCHED) or (obj in session.dirty and not session.is_modified(obj)):
            continue  # every flush of the app comes here: other objects cost one isinstance
        if isinstance(obj, _BY_ROUND):
            rounds.add(obj.round_id)  # a judge added through `Round.judges` changes the round too (below)
        elif isinstance(obj, Attempt):
            rounds.add(obj.competition_round_id)  # None: not a competition's
        elif isinstance(obj, Participant):
            competitions.add(obj.competition_id)
        elif isinstance(obj, Round) and obj not in session.new:  # a new round has nothing to score yet
            rounds.add(obj.id)
    if competitions:
        rounds.update(session.scalars(select(Round.id).where(Round.competition_id.in_(competitions))))
    for round_id in sorted(rounds - {None}):
        session.add(RoundChange(round_id=round_id))


def listen() -> None:
    """Note round changes on every flush of this process (called once by the app factory)."""
    if not sa_event.contains(Session, "before_flush", note_changes):
        sa_event.listen(Session, "before_flush", note_changes)
