"""The organiser's side (trainers and admins): set up a competition, its participants, open and finish it,
disqualify or correct with a reason, publish the final board, read the audit log."""

from __future__ import annotations

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from drill import bounds
from drill.accounts import session as login_sessions
from drill.accounts.access import branch_choices, role_required, scope_path, visible_branches
from drill.accounts.roles import CATEGORIES, LEVELS
from drill.auth.security import json_reply
from drill.competitions import corrections, enrolment, events, setup
from drill.competitions.access import managed
from drill.competitions.forms import ActionForm, CompetitionForm, CorrectionForm, ParticipantsForm, ReasonForm
from drill.competitions.models import Competition, Participant
from drill.competitions.rules import corrections as correction_rules
from drill.competitions.rules import states
from drill.database import utcnow
from drill.extensions import db
from drill.forms import options, to_local, to_utc
from drill.messages import N_

MAX_CORRECTION_BYTES = 8_000  # a reason of 1,000 characters, with room to spare
PAGE = 100  # participants listed on the manage page; find others by employee number or name
TEAM_RULES = {
    "mean": _l("Mean of all members"),
    "top": _l("Mean of the best N"),
    "sum": _l("Sum of all members"),
}


def _fill(form: CompetitionForm) -> None:
    form.team_rule.choices = options(TEAM_RULES.items())


def _save(form: CompetitionForm, competition: Competition) -> None:
    competition.title = form.title.data.strip()
    competition.team_rule = form.team_rule.data
    competition.team_n = form.team_n.data if form.team_rule.data == "top" else None
    competition.reviews_per_entry = form.reviews_per_entry.data
    competition.separate_branches = form.separate_branches.data
    competition.freeze_at = to_utc(form.freeze_at.data)


@role_required("trainer", "admin")
def new():
    form = CompetitionForm()
    _fill(form)
    if form.validate_on_submit():
        freeze = to_utc(form.freeze_at.data)
        if freeze is not None and freeze <= utcnow():  # nobody has a score yet: frozen at nothing
            form.freeze_at.errors.append(
                _("That time has passed: the public board would be frozen from the start, everyone at 0. "
                  "Choose a later time, or leave it empty.")
            )  # fmt: skip
        else:
            competition = setup.create(form.title.data.strip(), current_user)
            _save(form, competition)
            db.session.commit()
            return redirect(url_for("competitions.manage", competition_id=competition.id))
    return render_template("competitions/form.html", form=form, competition=None)


@role_required("trainer", "admin")
def edit(competition_id: int):
    competition = managed(competition_id)
    form = CompetitionForm()
    _fill(form)
    if request.method == "GET":
        form.title.data, form.team_rule.data, form.team_n.data = (
            competition.title, competition.team_rule, competition.team_n,
        )  # fmt: skip
        form.reviews_per_entry.data = competition.reviews_per_entry
        form.separate_branches.data = competition.separate_branches
        form.freeze_at.data = to_local(competition.freeze_at)
    if form.validate_on_submit():
        before = competition.freeze_at
        _save(form, competition)
        db.session.commit()
        flash(_("Saved."), "success")
        freeze = competition.freeze_at
        if freeze is not None and freeze != before and freeze <= utcnow():
            # Allowed: freezing late at the time meant, or now. Scores already shown may disappear.
            flash(
                _("The public board is now frozen as it stood at %(time)s: scores recorded since then show "
                  "only when the final board is published.", time=format_datetime(freeze, "short")),
                "warning",
            )  # fmt: skip
        return redirect(url_for("competitions.manage", competition_id=competition.id))
    return render_template("competitions/form.html", form=form, competition=competition)


def participants_form() -> ParticipantsForm:
    form = ParticipantsForm(prefix="p")
    form.branches.choices = branch_choices(visible_branches())
    form.categories.choices = options(CATEGORIES.items())
    form.levels.choices = options(LEVELS.items())
    return form


@role_required("trainer", "admin")
def manage(competition_id: int):
    competition = managed(competition_id)
    correction = CorrectionForm(prefix="fix")
    correction.round.choices = options((r.id, r.title) for r in competition.rounds)
    wanted = (request.args.get("q") or "").strip()
    found = setup.participants_query(competition, wanted)
    shown = list(db.session.scalars(found.limit(PAGE)))
    matching = db.session.scalar(select(func.count()).select_from(found.order_by(None).subquery()))
    return render_template(
        "competitions/manage.html",
        competition=competition,
        people=shown,
        total=setup.participant_count(competition),
        more=max(0, matching - PAGE),
        wanted=wanted,
        participants_form=participants_form(),
        reason_form=ReasonForm(prefix="dq"),
        correction_form=correction,
        action_form=ActionForm(),
        next_states=sorted(states.COMPETITION[competition.state]),
        round_states={r.id: states.next_round_states(r.kind, r.state) for r in competition.rounds},
        team_rules=TEAM_RULES,
        now=utcnow(),
    )


@role_required("trainer", "admin")
def add_participants(competition_id: int):
    competition = managed(competition_id)
    form = participants_form()
    if form.validate_on_submit():
        skipped = {}
        if numbers := form.numbers():
            users, skipped = setup.by_numbers(competition, numbers, scope=scope_path(current_user))
        else:
            users = setup.select_users(
                branch_ids=form.branches.data, categories=form.categories.data, levels=form.levels.data,
                scope=scope_path(current_user),
            )  # fmt: skip
        added = setup.add_participants(competition, users)
        db.session.commit()
        flash(_("%(count)d participants added.", count=added), "success" if added or not skipped else "info")
        for reason, which in skipped.items():
            flash(_(reason, numbers=enrolment.listed(which)), "warning")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
    return redirect(url_for("competitions.manage", competition_id=competition.id, _anchor="participants"))


@role_required("trainer", "admin")
def move(competition_id: int, target: str):
    competition = managed(competition_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        setup.move_competition(competition, target)
    except setup.SetupError as error:
        flash(_(str(error)), "warning")
    else:
        db.session.commit()
        flash(
            _("The competition is open: participants see it now.")
            if target == states.OPEN
            else _("The competition is finished: check the boards, then publish the final board."),
            "success",
        )
    return redirect(url_for("competitions.manage", competition_id=competition.id))


@role_required("trainer", "admin")
def disqualify(competition_id: int, participant_id: int):
    competition = managed(competition_id)
    participant = db.get_or_404(Participant, participant_id)
    form = ReasonForm(prefix="dq")
    if participant.competition_id != competition.id or participant.disqualified_at is not None:
        abort(404)
    if form.validate_on_submit():
        events.disqualify(participant, form.reason.data.strip(), current_user, utcnow())
        db.session.commit()
        flash(_("Disqualified; the reason is in the audit log."), "success")
    else:
        flash(_("Give the reason."), "danger")
    return redirect(url_for("competitions.manage", competition_id=competition.id, _anchor="participants"))


# What a refused correction answers, JSON or form: (status, English msgid).
_REFUSED = {
    corrections.Outcome.NOT_ORGANISER: (
        403,
        N_("This competition is not yours: your account manages only the competitions it set up."),
    ),
    corrections.Outcome.NOT_FOUND: (404, N_("No such participant in this competition.")),
    corrections.Outcome.NO_ROUND: (400, N_("Choose the round: this competition has no such round.")),
    corrections.Outcome.DISQUALIFIED: (
        409,
        N_("This participant was disqualified: their scores stay withdrawn."),
    ),
}


@role_required("trainer", "admin")
def correct(competition_id: int, participant_id: int):
    """A re-mark: a new score event with who and why; the boards take it like any other. The page's script
    posts the same form as JSON to `record_correction` and stays on the page; this is its fallback."""
    competition = managed(competition_id)
    form = CorrectionForm(prefix="fix")
    form.round.choices = options((r.id, r.title) for r in competition.rounds)
    if form.validate_on_submit():
        score = float(form.score.data) if form.score.data is not None else None
        correction = correction_rules.Correction(form.round.data, score, form.reason.data.strip())
        outcome = corrections.record(
            login_sessions.signed_in(), competition_id, participant_id, correction, utcnow()
        )
        if outcome is corrections.Outcome.RECORDED:
            db.session.commit()
            flash(_("Correction recorded."), "success")
        elif outcome is corrections.Outcome.SIGNED_OUT:  # ended since the page loaded the user
            db.session.rollback()
            return current_app.login_manager.unauthorized()
        else:
            db.session.rollback()
            status, message = _REFUSED[outcome]
            if status == 404:
                abort(404)
            flash(_(message), "danger")
    else:
        flash(_("Give the round, the score and the reason."), "danger")
    # The URL's id, not competition.id: after the commit that would read the competition again.
    return redirect(url_for("competitions.manage", competition_id=competition_id, _anchor="participants"))


@json_reply
@login_sessions.claim_required
def record_correction(claim: login_sessions.SignedIn, competition_id: int, participant_id: int):
    """The correction form as JSON — `{"round": id, "score": 0–100 or null, "reason": text}` with the page's
    CSRF token in X-CSRFToken — answered in place: 201 recorded, or the status and a message naming what
    is wrong. Two statements (`corrections`); the user is not loaded (#22)."""
    try:
        body = bounds.json_body(MAX_CORRECTION_BYTES)
    except bounds.BodyRefused as refused:
        # Too long: said at once (no correction is that long); not JSON: answered below, as malformed.
        if refused.status == 413:
            return jsonify(status="invalid", field="reason", message=_(correction_rules.TOO_LONG)), 413
        body = None
    found = correction_rules.parse(body)
    outcome = corrections.record(claim, competition_id, participant_id, found, utcnow())
    if outcome is corrections.Outcome.SIGNED_OUT:
        db.session.rollback()
        return current_app.login_manager.unauthorized()
    if outcome is corrections.Outcome.INVALID:
        db.session.rollback()
        return jsonify(status="invalid", field=found.field, message=_(found.message)), 400
    if outcome is not corrections.Outcome.RECORDED:
        db.session.rollback()
        status, message = _REFUSED[outcome]
        field = "round" if outcome is corrections.Outcome.NO_ROUND else ""
        return jsonify(status="refused", field=field, message=_(message)), status
    db.session.commit()
    return jsonify(status="recorded"), 201  # the page says so in its language: no user loaded for it


@role_required("trainer", "admin")
def publish(competition_id: int):
    competition = managed(competition_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if not states.can_publish(competition.state):
        flash(
            _("Finish the competition first: the final board is published once every round is over."),
            "warning",
        )
    elif competition.published_at is None:
        competition.published_at = utcnow()
        db.session.commit()
        flash(_("The final board is published: everyone now sees it."), "success")
    return redirect(url_for("competitions.manage", competition_id=competition.id))


@role_required("trainer", "admin")
def audit(competition_id: int):
    competition = managed(competition_id)
    log = events.log(competition)
    names = events.names({e.participant_id for e in log})
    rounds = {r.id: r for r in competition.rounds}
    return render_template(
        "competitions/audit.html",
        competition=competition,
        log=log,
        recorders=events.recorders(log),
        names=names,
        rounds=rounds,
    )
