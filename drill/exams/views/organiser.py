"""A trainer's side of exams: define, check the blueprint, preview papers, adjust, release."""

from __future__ import annotations

import random
from types import SimpleNamespace

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from drill import blueprint_form, export
from drill.accounts.access import branch_choices, role_required, scope_path, visible_branches
from drill.accounts.models import Branch, User
from drill.accounts.roles import CATEGORIES, LEVELS
from drill.attempts import pages
from drill.attempts.models import Attempt
from drill.content.models import QuestionVersion
from drill.database import utcnow
from drill.exams import control, grading, release, roster, services
from drill.exams.access import managed_exam
from drill.exams.forms import ActionForm, AdjustmentForm, CloseForm, ExamForm, PaperTimeForm, parse_part_mins
from drill.exams.models import Exam
from drill.exams.rules import eligibility
from drill.exams.rules.assembly import BlueprintShort
from drill.extensions import db
from drill.forms import options, to_local, to_utc
from drill.integrity import services as integrity
from drill.labels import label


def fill(form: ExamForm) -> None:
    anything = [("", _("Any"))]
    form.level.choices = options(LEVELS.items())
    form.category.choices = options(anything + list(CATEGORIES.items()))
    form.branches.choices = branch_choices(visible_branches())
    form.categories.choices = options(CATEGORIES.items())
    form.levels.choices = options(LEVELS.items())
    blueprint_form.fill(form.cells)


def save_form(form: ExamForm, exam: Exam) -> None:
    exam.title = form.title.data.strip()
    exam.level = form.level.data
    exam.category = form.category.data or None
    exam.same_paper = form.same_paper.data
    exam.shuffle_questions = form.shuffle_questions.data
    exam.shuffle_options = form.shuffle_options.data
    exam.opens_at, exam.closes_at = to_utc(form.opens_at.data), to_utc(form.closes_at.data)
    exam.time_limit_minutes = form.time_limit_minutes.data
    exam.attempts_allowed = form.attempts_allowed.data
    exam.pass_rule = {
        "total_min": float(form.total_min.data) if form.total_min.data is not None else None,
        "part_mins": parse_part_mins(form.part_mins.data or ""),
    }
    exam.eligible = {
        "branches": form.branches.data,
        "categories": form.categories.data,
        "levels": form.levels.data,
    }
    exam.double_marking = form.double_marking.data
    exam.marking_threshold = float(form.marking_threshold.data or 0)
    exam.allow_review = form.allow_review.data
    exam.validity_months = form.validity_months.data
    exam.blueprint = blueprint_form.blueprint(form.cells)
    integrity.save_settings(form.integrity, exam=exam)


def load_form(form: ExamForm, exam: Exam) -> None:
    form.title.data, form.level.data, form.category.data = exam.title, exam.level, exam.category or ""
    form.same_paper.data, form.shuffle_questions.data = exam.same_paper, exam.shuffle_questions
    form.shuffle_options.data = exam.shuffle_options
    form.opens_at.data, form.closes_at.data = to_local(exam.opens_at), to_local(exam.closes_at)
    form.time_limit_minutes.data, form.attempts_allowed.data = exam.time_limit_minutes, exam.attempts_allowed
    form.total_min.data = exam.pass_rule.get("total_min")
    form.part_mins.data = ", ".join(
        f"{label(k, 'exam_part')}={v:g}" for k, v in (exam.pass_rule.get("part_mins") or {}).items()
    )
    form.branches.data = exam.eligible.get("branches") or []
    form.categories.data = exam.eligible.get("categories") or []
    form.levels.data = exam.eligible.get("levels") or []
    form.double_marking.data, form.marking_threshold.data = exam.double_marking, exam.marking_threshold
    form.allow_review.data, form.validity_months.data = exam.allow_review, exam.validity_months
    blueprint_form.load(form.cells, exam.blueprint)
    integrity.load_settings(form.integrity, exam_id=exam.id)


@role_required("trainer", "admin")
def manage():
    query = select(Exam).options(selectinload(Exam.closure)).order_by(Exam.opens_at.desc())
    if scope_path(current_user) is not None:
        query = query.where(Exam.created_by_id == current_user.id)
    exams, now = db.session.scalars(query).all(), utcnow()
    phases = {
        exam.id: eligibility.phase(
            released=exam.released_at is not None,
            closed_early=exam.closure is not None,
            opens=exam.opens_at,
            closes=exam.closes_at,
            now=now,
        )
        for exam in exams
    }
    return render_template("exams/manage.html", exams=exams, phases=phases)


@role_required("trainer", "admin")
def new():
    form = ExamForm()
    fill(form)
    if form.validate_on_submit():
        exam = Exam(created_by=current_user, seed=random.SystemRandom().getrandbits(31))
        save_form(form, exam)
        db.session.add(exam)
        db.session.commit()
        flash(_("Exam saved. Check the blueprint below before the window opens."), "success")
        return redirect(url_for("exams.overview", exam_id=exam.id))
    return render_template("exams/form.html", form=form, exam=None)


@role_required("trainer", "admin")
def edit(exam_id: int):
    exam = managed_exam(exam_id)
    if db.session.scalar(select(Attempt.id).where(Attempt.exam_id == exam.id).limit(1)) is not None:
        flash(_("Candidates have started: the exam can no longer be changed."), "warning")
        return redirect(url_for("exams.overview", exam_id=exam.id))
    form = ExamForm()
    if request.method == "GET":
        load_form(form, exam)
    fill(form)
    if form.validate_on_submit():
        save_form(form, exam)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("exams.overview", exam_id=exam.id))
    return render_template("exams/form.html", form=form, exam=exam)


@role_required("trainer", "admin")
def overview(exam_id: int):
    exam = managed_exam(exam_id)
    now = utcnow()
    filters = candidate_filters()
    page = db.paginate(roster.filtered(exam, **filters), per_page=50, error_out=False)
    ids = [user.id for user in page.items]
    progress = grading.progress(exam)
    return render_template(
        "exams/overview.html",
        exam=exam,
        shortfalls=services.check_blueprint(exam),
        covered=services.covered_points(exam),
        page=page,
        filters=filters,
        branch_options=branch_choices(visible_branches()),
        state_labels=roster.STATES,
        states=roster.states_of(exam, ids),
        tries=roster.tries_of(exam, ids),
        progress=progress,
        blockers=release.blockers(exam, now, progress),
        adjustment_form=AdjustmentForm(),
        action_form=ActionForm(),
        close_form=CloseForm(prefix="close"),
        paper_form=PaperTimeForm(prefix="paper"),
        still_open=control.open_count(exam),
        named=named(exam),
        phase=eligibility.phase(
            released=exam.released_at is not None,
            closed_early=exam.closure is not None,
            opens=exam.opens_at,
            closes=control.last_close(exam),
            now=now,
        ),
    )


def named(exam: Exam) -> dict:
    """{user id: (name, employee_no)} of the people the exam's closure and adjustments name: one query."""
    ids = {a.user_id for a in exam.adjustments} | {a.granted_by_id for a in exam.adjustments}
    if exam.closure is not None:
        ids.add(exam.closure.closed_by_id)
    if not ids:
        return {}
    rows = db.session.execute(select(User.id, User.name, User.employee_no).where(User.id.in_(ids)))
    return {row.id: row for row in rows}


def candidate_filters() -> dict:
    """The candidate list's filters from the query string: text, branch (a subtree) and state."""
    branch_id = request.args.get("branch", type=int)
    # Any branch only narrows the exam's own candidates, whom the organiser sees anyway.
    branch = db.session.get(Branch, branch_id) if branch_id else None
    state = request.args.get("state", "")
    return {
        "text": request.args.get("q", "")[:80],
        "branch": branch,
        "state": state if state in roster.STATES else "",
    }


@role_required("trainer", "admin")
def results_export(exam_id: int):
    """Every candidate matching the list's filters with their state and result, as XLSX: a constant-memory
    workbook fed CHUNK candidates at a time (drill.export), streamed from a temporary file."""
    exam = managed_exam(exam_id)
    labels = {state: _(msgid) for state, msgid in roster.STATES.items()}
    headers = [
        _("Employee number"),
        _("Name"),
        _("Branch"),
        _("State"),
        _("Attempts"),
        _("Score"),
        _("Points"),
        _("Percent"),
        _("Certificate number"),
    ]
    rows = roster.result_rows(exam, roster.filtered(exam, **candidate_filters(), rows=True), labels)
    book = export.write_xlsx(exam.title, headers, rows)
    return send_file(
        book, mimetype=export.XLSX, as_attachment=True, download_name=f"{exam.title}.xlsx", max_age=0
    )


@role_required("trainer", "admin")
def preview(exam_id: int):
    """A paper as a candidate would draw it, shown with its answers for the trainer's review."""
    exam = managed_exam(exam_id)
    sample = request.args.get("sample", 1, type=int)
    try:
        paper = services.draw_paper(exam, services.paper_seed(exam, 0, sample))
    except BlueprintShort as short:
        return render_template(
            "exams/preview.html", exam=exam, items=[], shortfalls=short.shortfalls, sample=sample
        )
    # A paper that is never stored: plain objects shaped like an attempt's items.
    items = [
        SimpleNamespace(
            id=None,
            position=p.position,
            question_version_id=p.version_id,
            option_seed=p.option_seed,
            part=p.part,
            points=p.points,
            earned=None,
            correct=None,
            response=None,
            detail={},
            self_assessment=None,
        )
        for p in paper
    ]
    ids = [p.version_id for p in paper]
    versions = {
        v.id: v for v in db.session.scalars(select(QuestionVersion).where(QuestionVersion.id.in_(ids)))
    }
    items = pages.result_items(SimpleNamespace(items=items), versions)
    return render_template("exams/preview.html", exam=exam, items=items, shortfalls=[], sample=sample)


def candidate_by_number(employee_no: str) -> User | None:
    """One user by employee number, with the branch their eligibility reads."""
    query = select(User).where(User.employee_no == employee_no.strip()).options(joinedload(User.branch))
    return db.session.scalar(query)


@role_required("trainer", "admin")
def add_adjustment(exam_id: int):
    exam = managed_exam(exam_id)
    form = AdjustmentForm()
    if form.validate_on_submit():
        user = candidate_by_number(form.employee_no.data)
        if user is None or not services.eligible(exam, user):
            flash(_("No eligible candidate has that employee number."), "danger")
        else:
            services.adjust(
                exam,
                user,
                current_user,
                form.reason.data.strip(),
                form.extra_minutes.data,
                to_utc(form.opens_at.data),
                to_utc(form.closes_at.data),
            )
            db.session.commit()
            flash(_("Adjustment recorded."), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
    return redirect(url_for("exams.overview", exam_id=exam.id, _anchor="adjustments"))


@role_required("trainer", "admin")
def release_results(exam_id: int):
    exam = managed_exam(exam_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        issued = release.release(exam, utcnow())
    except release.NotReady as refusal:
        for reason in refusal.reasons:
            flash(_(reason), "warning")
    except release.AlreadyReleased:
        db.session.rollback()
        flash(_("The results are already released."), "info")
    else:
        db.session.commit()
        flash(_("Results released; %(count)d certificates issued.", count=issued), "success")
    return redirect(url_for("exams.overview", exam_id=exam.id))


def refused(refusal: control.Refused) -> None:
    flash(_(refusal.message, **refusal.params), "warning")


@role_required("trainer", "admin")
def close_exam(exam_id: int):
    """Close now: when everyone who started has submitted, or by decision with a reason (recorded)."""
    exam = managed_exam(exam_id)
    form = CloseForm(prefix="close")
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
        return redirect(url_for("exams.overview", exam_id=exam.id))
    try:
        closure = control.close_now(exam, current_user, form.reason.data or "", utcnow())
    except control.Refused as refusal:
        db.session.rollback()
        refused(refusal)
    else:
        db.session.commit()
        if closure.collected:
            count = closure.collected
            flash(
                _(
                    "The exam is closed; %(count)d open papers fall due now and are collected as saved "
                    "within a minute.",
                    count=count,
                ),
                "success",
            )
        else:
            flash(_("The exam is closed."), "success")
    return redirect(url_for("exams.overview", exam_id=exam.id))


@role_required("trainer", "admin")
def paper_time(exam_id: int):
    """Extra time for one candidate's open paper, or their closed unmarked paper re-opened (recorded)."""
    exam = managed_exam(exam_id)
    form = PaperTimeForm(prefix="paper")
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
        return redirect(url_for("exams.overview", exam_id=exam.id, _anchor="paper-time"))
    user = candidate_by_number(form.employee_no.data)
    if user is None or not services.eligible(exam, user):
        flash(_("No eligible candidate has that employee number."), "danger")
        return redirect(url_for("exams.overview", exam_id=exam.id, _anchor="paper-time"))
    try:
        adjustment = control.more_time(
            exam, user, current_user, form.minutes.data, form.reason.data, utcnow()
        )
    except control.Refused as refusal:
        db.session.rollback()
        refused(refusal)
    else:
        db.session.commit()
        when = format_datetime(adjustment.deadline, "short")
        if adjustment.action == "reopen":
            flash(_("%(name)s's paper is open again until %(when)s.", name=user.name, when=when), "success")
        else:
            flash(_("%(name)s's paper now ends at %(when)s.", name=user.name, when=when), "success")
    return redirect(url_for("exams.overview", exam_id=exam.id, _anchor="paper-time"))
