"""Entering a period's evidence: the indicator sheet and the bonus/deduction/veto items (admins), and the
supervisors' ratings of the managers in their subtree."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from drill.accounts.access import role_required, scope_path
from drill.accounts.models import User
from drill.accounts.rules.scope import in_subtree
from drill.accounts.services import named_users
from drill.appraisal import entry, evidence, labels, services
from drill.appraisal.access import SUPERVISORS, period_or_404, supervised_or_403
from drill.appraisal.forms import ImportForm, OccurrenceForm, WithdrawForm, rating_form
from drill.appraisal.models import Occurrence, Rating
from drill.appraisal.services import AppraisalError
from drill.appraisal.views.periods import refuse
from drill.database import utcnow
from drill.extensions import db
from drill.forms import options


@role_required("admin")
def import_sheet(period_id: int):
    period = period_or_404(period_id)
    scheme = services.scheme_of(period)
    form = ImportForm()
    outcome = None
    if form.validate_on_submit():
        upload = form.sheet.data
        try:
            outcome = entry.import_indicators(
                period, upload.filename or "sheet", upload.read(), current_user, utcnow()
            )
            if outcome.problems:
                db.session.rollback()
            else:
                db.session.commit()
        except AppraisalError as error:
            db.session.rollback()
            refuse(error)
            return redirect(url_for("appraisal.period", period_id=period.id))
        except IntegrityError:  # the same sheet imported at the same moment by someone else
            db.session.rollback()
            flash(_("This sheet is already the period's sheet: nothing changed."), "info")
            return redirect(url_for("appraisal.period", period_id=period.id))
        if not outcome.problems:
            if outcome.unchanged:
                flash(_("This sheet is already the period's sheet: nothing changed."), "info")
            else:
                flash(_("Indicator sheet imported: %(rows)d rows.", rows=outcome.rows), "success")
            return redirect(url_for("appraisal.period", period_id=period.id))
    return render_template(
        "appraisal/import.html",
        period=period,
        scheme=scheme,
        form=form,
        problems=outcome.problems if outcome else [],
        latest=evidence.latest_import(period),
    ), 422 if outcome and outcome.problems else 200


def people_in_scope(period) -> list[User]:
    path = scope_path(current_user)
    scheme = services.scheme_of(period)
    return [u for u in evidence.managers_for(scheme, path) if u.id != current_user.id]


@role_required(*SUPERVISORS)
def ratings(period_id: int):
    """The managers to rate, a page at a time (a name or number narrows them), with how many items each
    has been rated on."""
    period = period_or_404(period_id)
    scheme = services.scheme_of(period)
    items = entry.rating_items(scheme) if scheme.periods[period.kind].source == "evidence" else []
    term = request.args.get("q", "").strip()[:80]
    query = (
        evidence.managers_query(scheme, scope_path(current_user))
        .where(User.id != current_user.id)
        .options(contains_eager(User.branch))
    )
    if term:
        query = query.where(or_(User.name.contains(term, autoescape=True), User.employee_no == term))
    page = db.paginate(query, per_page=50, error_out=False)
    done = dict(
        db.session.execute(
            select(Rating.user_id, func.count())
            .where(Rating.period_id == period.id, Rating.user_id.in_([u.id for u in page.items]))
            .group_by(Rating.user_id)
        ).all()
    )
    return render_template(
        "appraisal/ratings.html",
        period=period,
        items=items,
        people=page.items,
        page=page,
        term=term,
        done=done,
    )


@role_required(*SUPERVISORS)
def rate(period_id: int, user_id: int):
    period = period_or_404(period_id)
    manager = supervised_or_403(user_id)
    scheme = services.scheme_of(period)
    if manager.id not in {u.id for u in evidence.managers_for(scheme)}:
        abort(404)
    items = entry.rating_items(scheme) if scheme.periods[period.kind].source == "evidence" else []
    existing = {
        r.item_key: r
        for r in db.session.scalars(
            select(Rating).where(Rating.period_id == period.id, Rating.user_id == manager.id)
        )
    }
    data = {}
    for key, rating in existing.items():
        data[f"value_{key}"], data[f"comment_{key}"] = rating.value, rating.comment
    form = rating_form(items, data=data, bands=scheme.bands)
    if form.validate_on_submit():
        now, saved = utcnow(), 0
        try:
            for item in items:
                value = form[f"value_{item.key}"].data
                if value is None:
                    continue
                if entry.save_rating(
                    period,
                    manager,
                    item.key,
                    value,
                    form[f"comment_{item.key}"].data or "",
                    current_user,
                    now,
                ):
                    saved += 1
            db.session.commit()
        except AppraisalError as error:
            db.session.rollback()
            refuse(error)
        except IntegrityError:
            db.session.rollback()
            flash(_("Someone else rated at the same moment; look again."), "warning")
        else:
            flash(_("%(count)d ratings saved.", count=saved), "success")
            return redirect(url_for("appraisal.ratings", period_id=period.id))
    return render_template(
        "appraisal/rate.html",
        period=period,
        manager=manager,
        items=items,
        form=form,
        existing=existing,
        editable=period.state in ("open", "computed", "reviewed"),
    )


def occurrence_choices(period) -> list[tuple[str, str]]:
    scheme = services.scheme_of(period)
    return [
        (f"{kind}:{key}", f"{labels.ADJUSTMENTS[kind]} · {label}")
        for kind, key, label in entry.adjustment_choices(scheme, period)
    ]


@role_required("admin")
def occurrences(period_id: int):
    period = period_or_404(period_id)
    form = OccurrenceForm()
    form.item.choices = options(occurrence_choices(period))
    if form.validate_on_submit():
        manager = db.session.scalar(
            select(User)
            .where(User.employee_no == form.employee_no.data.strip())
            .options(joinedload(User.branch))
        )
        scheme = services.scheme_of(period)
        if (
            manager is None
            or manager.id not in {u.id for u in evidence.managers_for(scheme)}
            or not in_subtree(manager.branch.path, scope_path(current_user))
        ):
            form.employee_no.errors.append(_("No customer manager of this scheme has that employee number."))
        else:
            kind, key = form.item.data.split(":", 1)
            try:
                entry.add_occurrence(
                    period, manager, kind, key, form.count.data, form.note.data, current_user
                )
            except AppraisalError as error:
                db.session.rollback()
                refuse(error)
            else:
                db.session.commit()
                flash(_("Entered."), "success")
                return redirect(url_for("appraisal.occurrences", period_id=period.id))
    found = db.paginate(
        select(Occurrence)
        .where(Occurrence.period_id == period.id)
        .options(selectinload(Occurrence.user), named_users(Occurrence.entered_by))
        .order_by(Occurrence.id.desc()),
        per_page=50,
        error_out=False,
    )
    scheme = services.scheme_of(period)
    names = {key: label for _kind, key, label in entry.adjustment_choices(scheme, period)}
    return render_template(
        "appraisal/occurrences.html",
        period=period,
        form=form,
        entries=found.items,
        page=found,
        names=names,
        withdraw_form=WithdrawForm(formdata=None),
        labels=labels,
    )


@role_required("admin")
def withdraw(period_id: int, occurrence_id: int):
    period = period_or_404(period_id)
    occurrence = db.get_or_404(Occurrence, occurrence_id)
    if occurrence.period_id != period.id:
        abort(404)
    form = WithdrawForm()
    if not form.validate_on_submit():
        flash(_("Say why the entry is withdrawn."), "warning")
        return redirect(url_for("appraisal.occurrences", period_id=period.id))
    try:
        entry.withdraw_occurrence(occurrence, period, current_user, form.reason.data, utcnow())
    except AppraisalError as error:
        db.session.rollback()
        refuse(error)
    else:
        db.session.commit()
        flash(_("Withdrawn."), "success")
    return redirect(url_for("appraisal.occurrences", period_id=period.id))
