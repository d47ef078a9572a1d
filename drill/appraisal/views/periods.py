"""Appraisal periods: the list, opening one, its page, computing it and moving it on (admins run them;
supervisors read them). The other pages hang on the same blueprint (listed in views/__init__.py)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from drill.accounts.access import role_required, scope_path
from drill.appraisal import evidence, labels, period_records, reports, services
from drill.appraisal.access import SUPERVISORS, is_supervisor, period_or_404
from drill.appraisal.entry import rating_items
from drill.appraisal.forms import ActionForm, MoveForm, PeriodForm
from drill.appraisal.models import Occurrence, Period, Rating
from drill.appraisal.rules import states
from drill.appraisal.services import AppraisalError
from drill.database import utcnow
from drill.extensions import db
from drill.forms import options
from drill.i18n import local_day

TRANSLATED_PARAMS = {
    "state": labels.STATES,
    "current": labels.STATES,
    "target": labels.STATES,
    "kind": labels.KINDS,
}


def translated(error: AppraisalError) -> str:
    params = {
        k: str(TRANSLATED_PARAMS[k].get(v, v)) if k in TRANSLATED_PARAMS else v
        for k, v in error.params.items()
    }
    return _(error.message, **params)


def refuse(error: AppraisalError) -> None:
    flash(translated(error), "danger")


@login_required
def index():
    if not is_supervisor(current_user):
        return redirect(url_for("appraisal.person", user_id=current_user.id))
    periods = db.session.scalars(
        select(Period)
        .options(selectinload(Period.scheme_version))
        .order_by(Period.starts_on.desc(), Period.kind)
    ).all()
    return render_template("appraisal/periods.html", periods=periods, labels=labels)


@role_required("admin")
def new_period():
    files = {f.scheme.id: f for f in services.scheme_files()}
    form = PeriodForm()
    form.scheme.choices = options(
        (key, f"{f.scheme.title} · " + _("version %(number)d", number=f.scheme.version))
        for key, f in files.items()
    )
    form.kind.choices = options(labels.KINDS.items())
    if form.validate_on_submit():
        try:
            period = services.create_period(
                files[form.scheme.data], form.kind.data, form.year.data, form.number.data, current_user
            )
            db.session.commit()
        except AppraisalError as error:
            db.session.rollback()
            refuse(error)
        except IntegrityError:
            db.session.rollback()
            flash(_("That period already exists."), "warning")
        else:
            flash(_("Period %(label)s opened.", label=period.label), "success")
            return redirect(url_for("appraisal.period", period_id=period.id))
    return render_template("appraisal/period_form.html", form=form, files=files.values(), labels=labels)


def filters_from_request() -> reports.Filters:
    """The records list's filters from the query string (the report and the exports take the same)."""
    return reports.Filters(
        branch=request.args.get("branch", type=int),
        band=request.args.get("band", "").strip()[:32],
        level=request.args.get("level", "").strip()[:16],
        name=request.args.get("q", "").strip()[:80],
    )


def period_page(period: Period, blockers=(), status: int = 200):
    scheme = services.scheme_of(period)
    managers = db.session.scalar(
        select(func.count()).select_from(evidence.managers_query(scheme).order_by(None).subquery())
    )
    rule = scheme.periods[period.kind]
    items = rating_items(scheme) if rule.source == "evidence" else []
    rated = db.session.scalar(select(func.count(Rating.id)).where(Rating.period_id == period.id))
    entered = db.session.scalar(
        select(func.count(Occurrence.id)).where(
            Occurrence.period_id == period.id, Occurrence.withdrawn_at.is_(None)
        )
    )
    scope = scope_path(current_user)
    filters = filters_from_request()
    pagination, found = reports.page(period, scope, filters)
    return (
        render_template(
            "appraisal/period.html",
            period=period,
            scheme=scheme,
            rule=rule,
            managers=managers,
            sheet=evidence.latest_import(period) if rule.source == "evidence" and scheme.columns else None,
            takes_sheet=rule.source == "evidence" and bool(scheme.columns),
            ratings=(rated, len(items) * managers),
            entered=entered,
            rows=found,
            page=pagination,
            filters=filters,
            groups=reports.groups(period, scope),
            bands={b.key: b.label for b in scheme.bands},
            blockers=blockers,
            next_state=states.next_state(period.state),
            editable=period.state in states.EDITABLE,
            action_form=ActionForm(),
            move_form=MoveForm(),
            labels=labels,
        ),
        status,
    )


@role_required(*SUPERVISORS)
def period(period_id: int):
    return period_page(period_or_404(period_id))


@role_required("admin")
def compute(period_id: int):
    period = period_or_404(period_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        now = utcnow()
        outcome = period_records.compute_period(period, current_user, now, local_day(now))
        if not outcome.ok:
            db.session.rollback()
            return period_page(period_or_404(period_id), outcome.blockers, 409)
        db.session.commit()
    except AppraisalError as error:
        db.session.rollback()
        refuse(error)
        return redirect(url_for("appraisal.period", period_id=period.id))
    except IntegrityError:  # computed at the same moment by someone else
        db.session.rollback()
        flash(_("Someone else computed this period at the same moment; here is their result."), "warning")
    else:
        flash(
            _(
                "Computed: %(created)d new, %(changed)d changed, %(removed)d removed.",
                created=outcome.created,
                changed=outcome.changed,
                removed=outcome.removed,
            ),
            "success",
        )
    return redirect(url_for("appraisal.period", period_id=period.id))


@role_required("admin")
def move(period_id: int):
    period = period_or_404(period_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    if form.target.data == states.COMPUTED:
        flash(_("A period is computed with the Compute button, which checks the evidence first."), "warning")
        return redirect(url_for("appraisal.period", period_id=period.id))
    try:
        services.move(period, form.target.data, current_user, utcnow())
    except AppraisalError as error:
        db.session.rollback()
        refuse(error)
    else:
        db.session.commit()
        flash(
            _("Period %(label)s is now %(state)s.", label=period.label, state=labels.STATES[period.state]),
            "success",
        )
    return redirect(url_for("appraisal.period", period_id=period.id))
