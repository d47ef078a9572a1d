"""Level changes: run the level rules, and approve (with the date it takes effect) or reject each proposal."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from drill.accounts.access import role_required, scope_path
from drill.accounts.models import User
from drill.accounts.roles import LEVELS
from drill.accounts.rules.scope import in_subtree
from drill.appraisal import labels, level_changes, level_review, services
from drill.appraisal.forms import ActionForm, DecisionForm, HandProposalForm
from drill.appraisal.models import LevelChange
from drill.appraisal.services import AppraisalError
from drill.appraisal.views.periods import refuse, translated
from drill.database import utcnow
from drill.extensions import db
from drill.forms import options
from drill.i18n import local_day


def _mine(changes: list[LevelChange]) -> list[LevelChange]:
    path = scope_path(current_user)
    return [c for c in changes if in_subtree(c.user.branch.path, path)]


def _decided() -> list[LevelChange]:
    """The latest decided changes (the page keeps those in the caller's branches)."""
    return db.session.scalars(
        select(LevelChange)
        .where(LevelChange.state != level_changes.PROPOSED)
        .options(*level_changes.WITH_PEOPLE)
        .order_by(LevelChange.decided_at.desc())
        .limit(50)
    ).all()


@role_required("admin")
def levels():
    if level_changes.apply_due(utcnow()):
        db.session.commit()
    decided = _decided()
    pending = _mine(level_changes.pending())
    four_eyes = bool(current_app.config.get("LEVEL_FOUR_EYES", True))
    return _levels_page(pending, decided, four_eyes, HandProposalForm(formdata=None))


def _levels_page(pending, decided, four_eyes, hand_form, status=200):
    rules = services.level_rules()
    path = scope_path(current_user)
    term = request.args.get("q", "").strip()[:64]
    page = db.paginate(level_review.managers(path, term), per_page=50, error_out=False)
    people = page.items
    why = level_review.why_none(people, rules, local_day(utcnow())) if rules else {}
    hand_form.to_level.choices = options((key, str(name)) for key, name in LEVELS.items())
    return render_template(
        "appraisal/levels.html",
        rules=labels.level_rules(rules) if rules else [],
        why=[(u, why[u.id]) for u in people if u.id in why],
        page=page,
        term=term,
        hand_form=hand_form,
        pending=pending,
        own_proposals=level_changes.proposed_by(pending, current_user) if four_eyes else set(),
        decided=_mine(list(decided)),
        reasons=level_changes.reasons,
        action_form=ActionForm(),
        decision_form=DecisionForm(formdata=None),
        labels=labels,
    ), status


@role_required("admin")
def propose_by_hand():
    """An admin proposes a level change for one manager, with a reason; approved like a rule's proposal."""
    form = HandProposalForm()
    form.to_level.choices = options((key, str(name)) for key, name in LEVELS.items())
    rules = services.level_rules()
    if form.validate_on_submit() and rules is not None:
        manager = db.session.scalar(
            select(User)
            .where(User.employee_no == form.employee_no.data.strip())
            .options(joinedload(User.branch), selectinload(User.role_rows))
        )
        if manager is None or not in_subtree(manager.branch.path, scope_path(current_user)):
            form.employee_no.errors.append(
                _("No customer manager in your branches has that employee number.")
            )
        else:
            try:
                level_review.propose_by_hand(
                    manager, form.to_level.data, form.reason.data, rules, current_user, local_day(utcnow())
                )
            except AppraisalError as error:
                db.session.rollback()
                form.employee_no.errors.append(translated(error))
            else:
                db.session.commit()
                flash(_("Proposed: %(name)s, waiting for a decision.", name=manager.name), "success")
                return redirect(url_for("appraisal.levels"))
    decided = _decided()
    four_eyes = bool(current_app.config.get("LEVEL_FOUR_EYES", True))
    return _levels_page(_mine(level_changes.pending()), decided, four_eyes, form, 422)


@role_required("admin")
def propose_levels():
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        made = level_changes.propose_all(current_user, utcnow())
    except AppraisalError as error:
        refuse(error)
        return redirect(url_for("appraisal.levels"))
    db.session.commit()
    if made:
        flash(_("%(count)d new proposals.", count=len(made)), "success")
    else:
        flash(_("No new proposal: “Why no proposal” below says why for each manager."), "info")
    return redirect(url_for("appraisal.levels"))


@role_required("admin")
def decide_level(change_id: int):
    change = db.get_or_404(LevelChange, change_id, options=level_changes.WITH_PEOPLE)
    if not in_subtree(change.user.branch.path, scope_path(current_user)):
        abort(403)
    form = DecisionForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
        return redirect(url_for("appraisal.levels"))
    try:
        level_changes.decide(
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
    if change.state == level_changes.REJECTED:
        return _("Rejected.")
    if change.applied_at is None:
        return _(
            "Approved: %(name)s becomes %(level)s on %(date)s.",
            name=change.user.name,
            level=level,
            date=change.effective_date.isoformat(),
        )
    return _("Approved: %(name)s is now %(level)s.", name=change.user.name, level=level)
