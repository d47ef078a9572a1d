"""Judges' pages: the entries a judge scores, and one sheet at a time.

A judge sees their own sheet; the others' only once every assigned judge has scored and the entry is
locked. Case entries are shown under their anonymous label; a judged round's participants present live,
so judges see who they score.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from drill.accounts.models import User
from drill.attempts import engine, pages
from drill.competitions import content, entries, judge_sheets, kept_rounds, peer, round_scores, setup
from drill.competitions.access import is_organiser, judges_in, load_competition, round_of
from drill.competitions.forms import criteria_form, scores_from
from drill.competitions.models import Competition, Participant
from drill.competitions.rules import states
from drill.database import utcnow
from drill.extensions import db


def _rounds_i_judge(competition: Competition):
    """([(round, the participants I may score in it)], {(round id, participant id): their sheets}): nobody
    in a round that has not opened yet. Each round as read and kept (`kept_rounds`), its participants once."""
    out, sheets, everyone = [], {}, None
    for round_ in competition.rounds:
        mine = any(j.user_id == current_user.id for j in round_.judges)
        if not states.judging_open(round_.state):
            if mine:
                out.append((round_, []))
            continue
        if round_.kind == "case" and judge_sheets.decides_alone(round_):
            if not current_user.has_role("judge", "trainer", "admin"):
                continue
            kept = kept_rounds.read(round_, with_people=False)  # no author is named here
            scored, data = kept.scored, kept.data
            people = [
                p for _e, p, _r in round_scores.disputed(round_, scored) if p.user_id != current_user.id
            ]
        elif mine:
            data = kept_rounds.read(round_, with_people=False).data
            everyone = everyone if everyone is not None else setup.participants(competition)
            people = [p for p in everyone if p.disqualified_at is None]
            if round_.qualify_from_id is not None:
                people = [p for p in people if p.id in (round_.qualified or [])]
            if round_.kind == "case":
                handed_in = {e.user_id for e in data.entries}  # closed entries only
                people = [p for p in people if p.user_id in handed_in]
            people = [p for p in people if judge_sheets.may_score(round_, p, current_user, data.panel)]
        else:
            continue
        out.append((round_, people))
        sheets.update({(round_.id, p.id): data.sheets_of(p.id) for p in people})
    return out, sheets


@login_required
def judging(competition_id: int):
    competition = load_competition(competition_id)
    rounds, sheets = _rounds_i_judge(competition)
    # Its judges, its organisers, and whoever may decide a disputed entry in it; nobody else learns of it.
    if not (any(people for _r, people in rounds) or judges_in(competition) or is_organiser(competition)):
        abort(404)
    return render_template(
        "competitions/judging.html", competition=competition, rounds=rounds, sheets=sheets, label=peer.label
    )


@login_required
def judge(competition_id: int, round_id: int, participant_id: int):
    competition = load_competition(competition_id)
    round_ = round_of(competition, round_id)
    organiser = is_organiser(competition)
    # One participant, and their user loaded lazily on purpose (a single bounded load): a join would reload
    # the signed-in user when they open their own entry, and leave their roles and branch unloadable.
    participant = db.get_or_404(Participant, participant_id, options=[lazyload(Participant.user)])
    if participant.competition_id != competition.id:
        abort(404)
    if not judge_sheets.may_score(round_, participant, current_user) and not organiser:
        abort(403, _("You are not a judge of this entry."))
    if not states.judging_open(round_.state):
        flash(_("This round has not opened yet: judging starts when the organiser opens it."), "warning")
        return redirect(url_for("competitions.judging", competition_id=competition.id))
    case = content.of_round(round_)
    entry = entries.entry_of(round_, participant.user_id) if round_.kind == "case" else None
    # A case entry is judged once handed in: before that there is nothing to read.
    may_score = judge_sheets.may_score(round_, participant, current_user) and (
        round_.kind != "case" or (entry is not None and entry.closed)
    )
    found = judge_sheets.sheets(round_, participant)
    mine = found.get(current_user.id)
    data = None
    if mine is not None and request.method == "GET":
        data = {f"c_{k}": v for k, v in mine.criteria.items()} | {"comment": mine.comment}
    form = criteria_form(case.criteria, data=data)
    if may_score and form.validate_on_submit():
        now = utcnow()
        try:
            judge_sheets.score(
                round_, participant, current_user, case.criteria, scores_from(form, case.criteria),
                form.comment.data or "", now,
            )  # fmt: skip
        except (judge_sheets.JudgingError, ValueError) as error:
            flash(_(str(error)), "danger")
        else:
            round_scores.settle_participant(round_, participant, now)
            db.session.commit()
            flash(_("Scores saved."), "success")
            return redirect(url_for("competitions.judging", competition_id=competition.id))
    items = pages.take_items(entry, engine.versions_of(entry)) if entry is not None and entry.closed else []
    visible = judge_sheets.visible(round_, participant, current_user, organiser)
    return render_template(
        "competitions/judge.html",
        competition=competition,
        round=round_,
        participant=participant,
        label=peer.label(round_, entry.id) if entry is not None else None,
        items=items,
        case=case,
        form=form if may_score else None,
        mine=mine,
        visible=visible,
        judge_names=dict(
            db.session.execute(select(User.id, User.name).where(User.id.in_(sorted(visible)))).all()
        ),
        locked=judge_sheets.locked(found),
        result=judge_sheets.result(round_, participant),
    )
