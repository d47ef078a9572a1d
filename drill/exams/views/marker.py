"""The grading queue: anonymous answers, marked criterion by criterion, every change audited."""

from __future__ import annotations

from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from wtforms import DecimalField
from wtforms.validators import InputRequired, NumberRange

from drill.accounts.access import role_required
from drill.attempts.models import Attempt, AttemptItem
from drill.content.models import QuestionVersion
from drill.database import utcnow
from drill.exams import grading, release
from drill.exams.access import managed_exam
from drill.exams.forms import MarkForm
from drill.extensions import db


def mark_form(rubric: list[dict], points: float, data=None) -> MarkForm:
    """A MarkForm with one field per rubric criterion, or one points field when there is no rubric."""

    class Form(MarkForm):
        pass

    if rubric:
        for criterion in rubric:
            setattr(
                Form,
                f"c_{criterion['id']}",
                DecimalField(
                    f"{criterion['name']} (0–{criterion['weight']})",
                    places=1,
                    validators=[InputRequired(), NumberRange(0, float(criterion["weight"]))],
                ),
            )
    else:
        label = _("Points (0–%(max)s)", max=f"{points:g}")
        Form.c_points = DecimalField(label, places=1, validators=[InputRequired(), NumberRange(0, points)])
    return Form(data=data)


@role_required("trainer", "admin")
def grading_queue(exam_id: int):
    exam = managed_exam(exam_id)
    item = grading.next_for(exam, current_user, utcnow())
    db.session.commit()  # the claim on the answer handed out
    if item is not None:
        return redirect(url_for("exams.grade", exam_id=exam.id, item_id=item.id))
    done, total = grading.progress(exam)
    return render_template("exams/grading_done.html", exam=exam, done=done, total=total)


@role_required("trainer", "admin")
def grade(exam_id: int, item_id: int):
    exam = managed_exam(exam_id)
    # One answer and its paper (the total is refreshed from its items) and candidate (a re-mark after the
    # release re-checks their certificate): a bounded load, whatever the exam's size.
    item = db.first_or_404(
        select(AttemptItem)
        .where(AttemptItem.id == item_id)
        .options(
            joinedload(AttemptItem.attempt).options(joinedload(Attempt.user), selectinload(Attempt.items))
        )
    )
    if item.attempt.exam_id != exam.id or not item.attempt.closed or item.attempt.user_id == current_user.id:
        abort(404)
    version = db.session.get(QuestionVersion, item.question_version_id)
    if version.type != "open":
        abort(404)
    rubric = (version.spec.get("rubric") or {}).get("criteria") or []
    mine = next((m for m in grading.marks_of(item) if m.marker_id == current_user.id), None)
    initial = None
    if mine is not None and request.method == "GET":
        initial = {f"c_{k}": Decimal(str(v)) for k, v in mine.criteria.items()} | {"comment": mine.comment}
    form = mark_form(rubric, float(item.points), data=initial)
    if form.validate_on_submit():
        if mine is not None and not (form.reason.data or "").strip():
            form.reason.errors.append(_("Say why you change your mark: every change is kept."))
        else:
            keys = [c["id"] for c in rubric] or ["points"]
            criteria = {k: float(getattr(form, f"c_{k}").data) for k in keys}
            reason = (form.reason.data or "").strip() or "first marking"
            try:
                grading.record(
                    exam, item, current_user, criteria, form.comment.data.strip(), reason, utcnow()
                )
                release.reconcile(exam, item.attempt.user, utcnow(), reason)
            except ValueError as error:
                flash(str(error), "danger")
            else:
                db.session.commit()
                flash(_("Mark saved."), "success")
                return redirect(url_for("exams.grading_queue", exam_id=exam.id))
    marks = grading.marks_of(item)
    return render_template(
        "exams/grade.html",
        exam=exam,
        item=item,
        version=version,
        form=form,
        rubric=(version.spec.get("rubric") or {}),
        label=grading.anonymous_label(item),
        mine=mine,
        others_done=sum(m.marker_id != current_user.id for m in marks),
        progress=grading.progress(exam),
    )
