"""Rounds that open by their schedule: a draft round whose opening time has come opens without a click
(`states.opens_by_schedule`). It happens where the state is read — the competition's pages, for its
participants and its organisers — and in `drill housekeeping`, so the to-do page lists it too; there is
no background thread. Opening is the organiser's own move (`setup.move_round`), so the same checks hold: a
round whose closing time has passed stays a draft, and the organiser's page says so."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from drill.competitions import setup
from drill.competitions.models import Competition, Round
from drill.competitions.rules import states
from drill.extensions import db


def due(competition: Competition, now: datetime) -> list[Round]:
    return [
        r
        for r in competition.rounds
        if states.opens_by_schedule(
            r.state, competition.state, r.opens_at, now, r.qualify_from_id is not None and r.qualified is None
        )
    ]


def open_due(competition: Competition, now: datetime) -> list[Round]:
    """Open the rounds of `competition` whose time has come; the ones opened (flushed, not committed)."""
    opened = []
    for round_ in due(competition, now):
        try:
            setup.move_round(round_, states.OPEN, now)
        except setup.SetupError:
            continue  # e.g. its closing time has passed too: the organiser's page asks for a later one
        opened.append(round_)
    if opened:
        db.session.flush()
    return opened


def open_all_due(now: datetime) -> int:
    """Every running competition's due rounds (the scheduled job); how many opened."""
    waiting = db.session.scalars(
        select(Competition)
        .join(Round, Round.competition_id == Competition.id)
        .where(
            Competition.state == states.OPEN,
            Round.state == states.DRAFT,
            Round.opens_at.is_not(None),
            Round.opens_at <= now,
        )
        .distinct()
    ).all()
    return sum(len(open_due(competition, now)) for competition in waiting)


def opened_on_read(competition: Competition, now: datetime) -> None:
    """At the start of a request that reads `competition`: open its due rounds and commit that alone, before
    the request's own work, so the page shows the round open and a failure costs the page nothing."""
    if competition.state != states.OPEN:
        return
    if open_due(competition, now):
        db.session.commit()
