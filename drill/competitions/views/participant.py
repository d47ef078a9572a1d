"""A participant's side of competitions: the list, a competition, entering a round, their own results."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from drill.accounts.access import scope_path
from drill.attempts import engine, pages
from drill.attempts.models import Attempt
from drill.attempts.rules import timing
from drill.competitions import content, entries, events, judge_sheets, kept_rounds, peer, round_scores
from drill.competitions.access import grace, is_organiser, round_of, visible_competition
from drill.competitions.forms import ActionForm
from drill.competitions.models import Competition, Participant, Round, RoundJudge
from drill.competitions.rules import states
from drill.database import utcnow
from drill.extensions import db


@login_required
def index():
    mine = db.session.scalars(
        select(Competition)
        .join(Participant, Participant.competition_id == Competition.id)
        .where(Participant.user_id == current_user.id, Competition.state != states.DRAFT)
        .order_by(Competition.created_at.desc())
    ).all()
    judging = db.session.scalars(
        select(Competition)
        .join(Round, Round.competition_id == Competition.id)
        .join(RoundJudge, RoundJudge.round_id == Round.id)
        .where(RoundJudge.user_id == current_user.id)
        .distinct()
    ).all()
    organised = []
    if current_user.has_role("trainer", "admin"):
        query = select(Competition).order_by(Competition.created_at.desc())
        if scope_path(current_user) is not None:
            query = query.where(Competition.created_by_id == current_user.id)
        organised = db.session.scalars(query).all()
    return render_template("competitions/index.html", mine=mine, judging=judging, organised=organised)


@login_required
def show(competition_id: int):
    competition, participant = visible_competition(competition_id)
    rows = []
    for round_ in competition.rounds:
        attempt = entries.entry_of(round_, current_user.id) if participant else None
        standing = events.current(round_.id, participant.id) if participant else None
        rows.append(
            (round_, attempt, standing, participant is not None and entries.may_enter(round_, participant))
        )
    return render_template(
        "competitions/show.html",
        competition=competition,
        participant=participant,
        rows=rows,
        organiser=is_organiser(competition),
        form=ActionForm(),
        now=utcnow(),
    )


@login_required
def start(competition_id: int, round_id: int):
    competition, participant = visible_competition(competition_id)
    round_ = round_of(competition, round_id)
    if not ActionForm().validate_on_submit() or participant is None:
        abort(400 if participant else 404)
    try:
        attempt = entries.start(round_, participant, utcnow())
    except entries.Refused as refused:
        flash(_(str(refused)), "warning")
        return redirect(url_for("competitions.show", competition_id=competition.id))
    db.session.commit()
    return redirect(url_for("competitions.attempt", attempt_id=attempt.id))


@login_required
def attempt(attempt_id: int):
    """The drills take page (autosave API, server clock) with the case above the tasks; no answers after."""
    # The paper's items load with it: the page shows them all.
    found = db.session.get(Attempt, attempt_id, options=[selectinload(Attempt.items)])
    if found is None or found.user_id != current_user.id or found.kind != "competition":
        abort(404)
    round_ = db.session.get(Round, found.competition_round_id)
    # Past its time, this paper (only) closes now.
    if not found.closed and engine.close(found.id, utcnow(), engine.Why.DEADLINE, grace=grace()):
        db.session.commit()
        found = db.session.get(
            Attempt, attempt_id, options=[selectinload(Attempt.items)], populate_existing=True
        )
    if found.closed:
        return redirect(
            url_for("competitions.my_round", competition_id=round_.competition_id, round_id=round_.id)
        )
    return render_template(
        "competitions/take.html",
        attempt=found,
        round=round_,
        case=content.of_round(round_) if round_.kind == "case" else None,
        items=pages.take_items(found, engine.versions_of(found)),
        remaining=timing.remaining_seconds(found.deadline, utcnow()),
        form=ActionForm(),
    )


@login_required
def my_round(competition_id: int, round_id: int):
    """My round: my score, how a case entry's score was reached (reviewers anonymous), my reviews to do."""
    competition, participant = visible_competition(competition_id)
    round_ = round_of(competition, round_id)
    if participant is None:
        abort(404)
    attempt_ = entries.entry_of(round_, current_user.id)
    explained = None
    if round_.kind == "case" and attempt_ is not None and attempt_.closed:
        kept = kept_rounds.read(round_, with_people=False)  # the round as scored for everyone, not re-read
        explained = round_scores.entry_score(round_, attempt_, participant, kept.scored.model, kept.data)
    case = content.of_round(round_) if round_.kind == "case" else None
    return render_template(
        "competitions/my_round.html",
        competition=competition,
        round=round_,
        participant=participant,
        attempt=attempt_,
        standing=events.current(round_.id, participant.id),
        explained=explained,
        judges=judge_sheets.result(round_, participant) if round_.kind == "judged" else None,
        to_review=peer.allocations(round_, reviewer=participant) if round_.kind == "case" else [],
        calibrated=peer.calibration_of(round_, participant) if round_.kind == "case" else None,
        has_examples=bool(case and case.examples),
        label=peer.label,
        criteria=case.criteria if case else [],
        reference=(case.sections.get("reference") if case and round_.state == states.CLOSED else None),
    )
