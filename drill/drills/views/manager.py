"""A manager's drills: start, take, submit, results, notebook, history."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from drill import reveal
from drill.accounts.roles import LEVELS
from drill.attempts import engine, pages
from drill.attempts.models import Attempt, AttemptItem
from drill.attempts.rules import kinds, states, timing
from drill.content import catalog
from drill.content.models import Pack
from drill.database import utcnow
from drill.drills import assigned, history, services
from drill.drills.forms import ActionForm, SelfAssessmentForm, StartForm
from drill.extensions import db
from drill.forms import options


def grace() -> float:
    return float(current_app.config["DEADLINE_GRACE_SECONDS"])


def own_attempt(attempt_id: int) -> Attempt:
    """The signed-in user's attempt, closed first if its deadline has passed. Anyone else's is a 404."""
    # The paper's items load with it: the attempt and result pages show them all.
    attempt = db.session.get(Attempt, attempt_id, options=[selectinload(Attempt.items)])
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)
    if not attempt.closed and engine.close(attempt.id, utcnow(), engine.Why.DEADLINE, grace=grace()):
        db.session.commit()  # this paper only: everyone else's is the scheduled job's
        attempt = db.session.get(
            Attempt, attempt_id, options=[selectinload(Attempt.items)], populate_existing=True
        )
    return attempt


def fill_start_form(form: StartForm) -> None:
    anything = [("", _("Any"))]
    form.theme.choices = options(anything + catalog.theme_choices())
    form.level.choices = options(anything + list(LEVELS.items()))
    form.competency.choices = options(anything + catalog.competency_choices())
    packs = db.session.scalars(
        select(Pack).where(Pack.kind == "quiz", Pack.retired.is_(False)).order_by(Pack.title)
    )
    form.pack.choices = options(anything + [(p.slug, p.title) for p in packs])


@login_required
def index():
    now = utcnow()
    closed = engine.close_overdue(now, grace(), user=current_user)  # committed below, once
    form = StartForm()
    fill_start_form(form)
    if form.validate_on_submit():
        criteria = services.Criteria(
            theme=form.theme.data or None,
            level=form.level.data or None,
            competency=form.competency.data or None,
            pack_slug=form.pack.data or None,
            audience=services.audience_of(current_user),
            count=form.count.data,
            minutes=form.minutes.data,
        )
        try:
            attempt = services.start(current_user, criteria, now, title=_start_title(criteria))
        except services.NothingToDraw:
            flash(_("No question matches that choice. Choose a wider theme, level or competency."), "warning")
        else:
            db.session.commit()  # the new drill, and the user's papers that fell due
            return redirect(url_for("drills.attempt", attempt_id=attempt.id))
    if closed:
        db.session.commit()
    open_attempts = db.session.scalars(
        select(Attempt)
        .where(Attempt.user_id == current_user.id, Attempt.state == states.OPEN)
        .order_by(Attempt.started_at.desc())
    ).all()
    return render_template(
        "drills/index.html",
        form=form,
        action_form=ActionForm(),
        open_attempts=open_attempts,
        assignments=assigned.open_for(current_user, now),
        notebook=services.notebook_size(current_user, now),
        recent=history.recent(current_user, limit=5),
        now=now,
    )


def _start_title(criteria: services.Criteria) -> str:
    parts = [
        catalog.theme_label(criteria.theme) if criteria.theme else "",
        str(LEVELS[criteria.level]) if criteria.level else "",
        catalog.competency_label(criteria.competency) if criteria.competency else "",
    ]
    if criteria.pack_slug:
        pack = db.session.scalar(select(Pack).where(Pack.slug == criteria.pack_slug))
        parts.insert(0, pack.title if pack else criteria.pack_slug)
    label = " · ".join(p for p in parts if p)
    return _("Practice: %(what)s", what=label) if label else _("Practice: all themes")


@login_required
def review():
    if not ActionForm().validate_on_submit():
        abort(400)
    now = utcnow()
    first = services.review_candidates(current_user, now)
    if not first:
        flash(_("Your wrong-answer notebook is empty."), "info")
        return redirect(url_for("drills.index"))
    criteria = services.Criteria(count=min(len(first), 20), minutes=max(5, min(len(first), 20)))
    attempt = services.start(
        current_user, criteria, now, kind="review", title=_("Review my mistakes"), first=first
    )
    db.session.commit()
    return redirect(url_for("drills.attempt", attempt_id=attempt.id))


@login_required
def start_assignment(assignment_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    now = utcnow()
    assignment = assigned.for_user_or_404(current_user, assignment_id, now)
    try:
        attempt = assigned.start(current_user, assignment, now)
    except services.NothingToDraw:
        flash(_("This drill has no questions to draw any more; tell your trainer."), "warning")
        return redirect(url_for("drills.index"))
    db.session.commit()
    return redirect(url_for("drills.attempt", attempt_id=attempt.id))


@login_required
def attempt(attempt_id: int):
    attempt = own_attempt(attempt_id)
    if attempt.closed and attempt.kind == "exam":  # exam results wait for their release
        return redirect(url_for("exams.result", exam_id=attempt.exam_id))
    if attempt.kind == "competition":  # the round's own page: the case above the tasks, no answers shown
        return redirect(url_for("competitions.attempt", attempt_id=attempt.id))
    versions = engine.versions_of(attempt)
    if reveal.shown(kind=attempt.kind, viewer=reveal.OWNER, closed=attempt.closed, now=utcnow()).key:
        return render_template(
            "drills/result.html",
            attempt=attempt,
            items=pages.result_items(attempt, versions),
            breakdown=pages.competency_breakdown(attempt, versions),
            seconds_used=timing.seconds_used(attempt.started_at, attempt.closed_at, attempt.deadline),
            self_form=SelfAssessmentForm(),
        )
    return render_template(
        "drills/take.html",
        attempt=attempt,
        items=pages.take_items(attempt, versions),
        remaining=timing.remaining_seconds(attempt.deadline, utcnow()),
        form=ActionForm(),
    )


@login_required
def submit(attempt_id: int):
    attempt = own_attempt(attempt_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if engine.close(attempt.id, utcnow(), engine.Why.SUBMITTED, grace=grace()):
        db.session.commit()
        if attempt.state == states.EXPIRED:
            flash(
                _("Time was up before this arrived: the answers saved by the deadline were scored."),
                "warning",
            )
    else:
        flash(_("This drill was already submitted; it counts once."), "info")
    return redirect(url_for("drills.attempt", attempt_id=attempt.id))


@login_required
def self_assess(attempt_id: int, item_id: int):
    attempt = own_attempt(attempt_id)
    item = db.session.get(AttemptItem, item_id)
    private = attempt.kind in kinds.PRIVATE
    if item is None or item.attempt_id != attempt.id or not attempt.closed or private:
        abort(404)
    if item.earned is not None:
        abort(404)
    form = SelfAssessmentForm()
    if form.validate_on_submit():
        item.self_assessment = {"percent": form.points.data, "at": utcnow().isoformat()}
        db.session.commit()
        flash(_("Your own mark is kept beside the answer; it is not part of the score."), "info")
    else:
        flash(_("A mark is a whole number from 0 to 100."), "danger")
    return redirect(url_for("drills.attempt", attempt_id=attempt.id, _anchor=f"q{item.position}"))


@login_required
def my_history():
    page = db.paginate(history.closed_query(current_user), per_page=50, error_out=False)
    return render_template(
        "drills/history.html",
        page=page,
        theme_trends=history.trends_by_theme(current_user),
        competency_trends=history.trends_by_competency(current_user),
    )
