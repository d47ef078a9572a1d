"""Level changes: run the level rules, and approve (with the date it takes effect) or reject each proposal."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from drill.accounts.access import role_required, scope_path
from drill.accounts.scope import in_subtree
from drill.appraisal import labels, leveling
from drill.appraisal.forms import ActionForm, DecisionForm
from drill.appraisal.models import LevelChange
from drill.appraisal.services import AppraisalError
from drill.appraisal.views import bp, refuse
from drill.database import utcnow
from drill.extensions import db


def _mine(changes: list[LevelChange]) -> list[LevelChange]:
    path = scope_path(current_user)
    return [c for c in changes if in_subtree(c.user.branch.path, path)]


@bp.route("/levels")
@role_required("admin")
def levels():
    if leveling.apply_due(utcnow()):
        db.session.commit()
    decided = db.session.scalars(
        select(LevelChange)
        .where(LevelChange.state != leveling.PROPOSED)
        .options(*leveling.WITH_PEOPLE)
        .order_by(LevelChange.decided_at.desc())
        .limit(50)
    ).all()
    pending = _mine(leveling.pending())
    four_eyes = bool(current_app.config.get("LEVEL_FOUR_EYES", True))
    return render_template(
        "appraisal/levels.html",
        pending=pending,
        own_proposals=leveling.proposed_by(pending, current_user) if four_eyes else set(),
        decided=_mine(list(decided)),
        reasons=leveling.reasons,
        action_form=ActionForm(),
        decision_form=DecisionForm(formdata=None),
        labels=labels,
    )


@bp.route("/levels/propose", methods=["POST"])
@role_required("admin")
def propose_levels():
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        made = leveling.propose_all(current_user, utcnow())
    except AppraisalError as error:
        refuse(error)
        return redirect(url_for("appraisal.levels"))
    db.session.commit()
    flash(_("%(count)d new proposals.", count=len(made)), "success" if made else "info")
    return redirect(url_for("appraisal.levels"))


@bp.route("/levels/<int:change_id>/decide", methods=["POST"])
@role_required("admin")
def decide_level(change_id: int):
    change = db.get_or_404(LevelChange, change_id)
    if not in_subtree(change.user.branch.path, scope_path(current_user)):
        abort(403)
    form = DecisionForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
        return redirect(url_for("appraisal.levels"))
    try:
        leveling.decide(
            change,
            current_user,
            bool(form.approve.data),
            utcnow(),
            form.effective_date.data,
            form.note.data or "",
            four_eyes=bool(current_app.config.get("LEVEL_FOUR_EYES", True)),
        )
    except AppraisalError as error:
        db.session.rollback()
        refuse(error)
    else:
        db.session.commit()
        flash(_outcome(change), "success")
    return redirect(url_for("appraisal.levels"))


def _outcome(change: LevelChange) -> str:
    level = labels.label(labels.LEVELS, change.to_level)
    if change.state == leveling.REJECTED:
        return _("Rejected.")
    if change.applied_at is None:
        return _(
            "Approved: %(name)s becomes %(level)s on %(date)s.",
            name=change.user.name,
            level=level,
            date=change.effective_date.isoformat(),
        )
    return _("Approved: %(name)s is now %(level)s.", name=change.user.name, level=level)
