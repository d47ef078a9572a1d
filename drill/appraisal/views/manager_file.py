"""The manager's file (档案): one page per manager; managers see their own, supervisors their subtree.
Admins add rewards and penalties; a trainer assigns a recommended drill in one click."""

from __future__ import annotations

from collections import defaultdict

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from drill.accounts.access import role_required
from drill.appraisal import labels, level_changes, profile, services
from drill.appraisal.access import SUPERVISORS, oversees, supervised_or_403, visible_person_or_404
from drill.appraisal.forms import AssignForm, RewardForm
from drill.appraisal.models import RewardPenalty
from drill.appraisal.rules import gaps
from drill.charts import line_chart, radar_chart
from drill.content import catalog
from drill.content.models import Pack
from drill.database import utcnow
from drill.drills.forms import ActionForm as StartAssignmentForm
from drill.exams.release import certificates_of
from drill.extensions import db
from drill.forms import options


@login_required
def my_file():
    return redirect(url_for("appraisal.person", user_id=current_user.id))


def trend(history) -> object:
    """Totals over time, one line per period kind, on a shared axis of period ends."""
    ends = sorted({period.ends_on for _, period in history})
    series: dict[str, list] = defaultdict(lambda: [None] * len(ends))
    for record, period in history:
        series[str(labels.KINDS[period.kind])][ends.index(period.ends_on)] = record.total
    labels_by_end = {period.ends_on: period.label for _, period in history}
    return line_chart(dict(series), [labels_by_end[e] for e in ends]) if history else None


def file_page(person, reward_form=None, status=200):
    now = utcnow()
    order = [t.key for t in catalog.taxonomy().competencies.terms]
    found = profile.profile(person, now, order)
    names = [catalog.competency_label(c) for c in found.axes]
    branch = profile.group_branch(person)
    radar = radar_chart(
        names,
        {
            person.name: [found.mine.get(c) for c in found.axes],
            branch.name: [found.branch.get(c) for c in found.axes],
            _("Whole organisation"): [found.organisation.get(c) for c in found.axes],
        },
    )
    history = profile.appraisals(person)
    bands = {}
    for file in services.scheme_files():
        bands.update({b.key: b.label for b in file.scheme.bands})
    form = reward_form or RewardForm(formdata=None)
    form.kind.choices = options(labels.REWARD_KINDS.items())
    wanted = {o.pack_id for o in found.offers}
    packs = {p.id: p for p in db.session.scalars(select(Pack).where(Pack.id.in_(wanted)))} if wanted else {}
    return render_template(
        "appraisal/file.html",
        person=person,
        own=person.id == current_user.id,
        supervising=oversees(current_user, person),
        is_admin=current_user.has_role("admin"),
        certificates=certificates_of(person.id),
        level_changes=level_changes.of_user(person),
        waiting=level_changes.waiting(person),
        reasons=level_changes.reasons,
        history=list(reversed(history)),
        trend=trend(history),
        bands=bands,
        rewards=profile.rewards(person),
        adjustments=profile.adjustments(person, unpublished=oversees(current_user, person)),
        threshold=f"{gaps.THRESHOLD:g}",
        training=profile.training(person),
        found=found,
        radar=radar,
        branch=branch,
        packs=packs,
        assigned=profile.open_assignments(person, now) if person.id == current_user.id else [],
        reward_form=form,
        assign_form=AssignForm(formdata=None),
        start_form=StartAssignmentForm(formdata=None),
        labels=labels,
    ), status


@login_required
def person(user_id: int):
    return file_page(visible_person_or_404(user_id))


@role_required("admin")
def add_reward(user_id: int):
    person = supervised_or_403(user_id)
    form = RewardForm()
    form.kind.choices = options(labels.REWARD_KINDS.items())
    if not form.validate_on_submit():
        return file_page(person, form, 422)
    reward = RewardPenalty(
        user_id=person.id,
        kind=form.kind.data,
        title=form.title.data.strip(),
        note=(form.note.data or "").strip(),
        awarded_on=form.awarded_on.data,
        entered_by_id=current_user.id,
    )
    db.session.add(reward)
    db.session.flush()
    services.audit(
        current_user,
        "reward",
        reward.id,
        "create",
        subject=person,
        new={"kind": reward.kind, "title": reward.title, "on": reward.awarded_on.isoformat()},
    )
    db.session.commit()
    flash(_("Added to the file."), "success")
    return redirect(url_for("appraisal.person", user_id=person.id))


@role_required(*SUPERVISORS)
def assign(user_id: int):
    person = supervised_or_403(user_id)
    form = AssignForm()
    if not form.validate_on_submit() or not form.pack_id.data.isdigit():
        abort(400)
    pack = db.session.get(Pack, int(form.pack_id.data))
    if pack is None or pack.retired or pack.kind != "quiz":
        abort(404)
    competency = form.competency.data
    title = _("Close the gap: %(competency)s", competency=catalog.competency_label(competency))
    assignment = profile.assign(current_user, person, pack, competency, title, utcnow())
    db.session.commit()
    flash(
        _(
            "Assigned to %(name)s: “%(title)s”, open for %(days)d days.",
            name=person.name,
            title=assignment.title,
            days=profile.ASSIGNED_DAYS,
        ),
        "success",
    )
    return redirect(url_for("appraisal.person", user_id=person.id))
