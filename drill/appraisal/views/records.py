"""One record: "why is my score 82.4?" — the trail line by line, and who changed what."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from drill.accounts.services import named_users
from drill.appraisal import explain, labels, services
from drill.appraisal.access import is_supervisor, visible_record_or_404
from drill.appraisal.models import AuditLog
from drill.extensions import db


@login_required
def record(record_id: int):
    row, person = visible_record_or_404(record_id)
    period = row.period
    scheme = services.scheme_of(period)
    bands = {b.key: b.label for b in scheme.bands}
    vetoes = {v.key: v.label for v in scheme.vetoes}
    changes = []
    if is_supervisor(current_user):
        changes = db.session.scalars(
            select(AuditLog)
            .where(
                AuditLog.period_id == period.id,
                AuditLog.subject_id == row.user_id,
                or_(AuditLog.entity != "record", AuditLog.entity_id == row.id),
            )
            .options(named_users(AuditLog.actor))
            .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        ).all()
    return render_template(
        "appraisal/record.html",
        row=row,
        period=period,
        scheme=scheme,
        person=person,
        lines=explain.lines(row.trail, scheme, bands, vetoes),
        band=bands.get(row.band, row.band),
        changes=changes,
        labels=labels,
        own=row.user_id == current_user.id,
    )
