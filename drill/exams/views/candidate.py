"""A candidate's exams: what is open, start within the window, results once released, certificates."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from drill import reveal
from drill.accounts.access import scope_path
from drill.accounts.models import User
from drill.accounts.rules.scope import can_view_user
from drill.attempts import pages
from drill.attempts.engine import versions_of
from drill.database import utcnow
from drill.exams import release, services
from drill.exams.forms import ActionForm
from drill.exams.models import Certificate, Exam
from drill.exams.rules import eligibility
from drill.extensions import db
from drill.verify.views.certificate import qr_svg, verification_url


@login_required
def index():
    now = utcnow()
    tries = services.exam_attempts_of(current_user)
    rows = [
        (exam, window, status, tries.get(exam.id, []))
        for exam, window, status in services.exams_for(current_user, now)
    ]
    return render_template(
        "exams/index.html",
        rows=rows,
        certificates=release.certificates_of(current_user.id),
        form=ActionForm(),
        now=now,
    )


@login_required
def start(exam_id: int):
    """GET: the start page (rules, time, questions, what happens on disconnect). POST ("开始作答"): the
    clock starts now, on the server; a try already open is resumed, never restarted."""
    exam = services.exam_or_404(exam_id)
    if request.method == "GET":
        return _start_page(exam)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        attempt = services.start(exam, current_user, utcnow())
    except services.ExamRefused as refusal:
        flash(_(str(refusal)), "warning")
        return redirect(url_for("exams.index"))
    db.session.commit()
    return redirect(url_for("drills.attempt", attempt_id=attempt.id))


def _start_page(exam: Exam):
    if not services.eligible(exam, current_user):
        abort(404)
    now = utcnow()
    tries = services.attempts_of(exam, current_user)
    open_try = next((a for a in tries if not a.closed), None)
    if open_try is not None:
        return redirect(url_for("drills.attempt", attempt_id=open_try.id))
    window = services.window(exam, current_user, now)
    status = eligibility.status(window, now)
    refusal = None
    if status != "open":
        refusal = _("The exam is not open now.")
    elif len(tries) >= exam.attempts_allowed:
        refusal = _("You have used every attempt this exam allows.")
    return render_template(
        "exams/start.html",
        exam=exam,
        window=window,
        minutes=exam.time_limit_minutes + window.extra_minutes,
        questions=sum(int(cell["count"]) for cell in exam.blueprint),
        points=services.max_points(exam),
        tries=tries,
        refusal=refusal,
        form=ActionForm(),
    )


@login_required
def result(exam_id: int):
    """Before release: only "submitted". After: score per part, pass or fail, and the review if allowed."""
    exam = db.get_or_404(Exam, exam_id)
    tries = [a for a in services.attempts_of(exam, current_user) if a.closed]
    if not tries:
        abort(404)
    if exam.released_at is None:
        return render_template("exams/submitted.html", exam=exam, tries=tries)
    outcome = services.best_result(exam, current_user)
    items = []
    gate = reveal.shown(
        kind="exam", viewer=reveal.OWNER, closed=outcome.attempt.closed, now=utcnow(),
        released_at=exam.released_at, allow_review=exam.allow_review,
    )  # fmt: skip
    if gate.key:
        items = pages.result_items(outcome.attempt, versions_of(outcome.attempt))
    certificate = db.session.scalar(
        db.select(Certificate).where(Certificate.exam_id == exam.id, Certificate.user_id == current_user.id)
    )
    return render_template(
        "exams/result.html", exam=exam, outcome=outcome, items=items, certificate=certificate
    )


@login_required
def certificate(number: str):
    """The holder's certificate, for them and for the trainers and admins whose scope holds them (the same
    rule as the holder's page): a trainer of another branch gets a 404."""
    # The viewer's roles first: the holder may be the viewer, and the certificate's query below loads that
    # same user without them.
    roles, path = current_user.roles, scope_path(current_user)
    found = db.session.scalar(
        db.select(Certificate)
        .where(Certificate.number == number)
        .options(joinedload(Certificate.exam), joinedload(Certificate.user).joinedload(User.branch))
    )
    if found is None:
        abort(404)
    holder = found.user
    if not can_view_user(roles, current_user.id, path, holder.id, holder.branch.path):
        abort(404)
    return render_template(
        "exams/certificate.html", certificate=found, qr=qr_svg(found), verify_url=verification_url(found)
    )
