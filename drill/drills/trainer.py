"""A trainer's side of drills: assign a drill to branches or people, and see how it went."""

from __future__ import annotations

from collections import Counter, defaultdict

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from drill.accounts.access import role_required, scope_path
from drill.accounts.models import User
from drill.accounts.roles import LEVELS
from drill.accounts.scope import in_subtree
from drill.accounts.views import branch_choices, visible_branches
from drill.content import catalog
from drill.content.models import Pack, Question, QuestionVersion
from drill.database import utcnow
from drill.drills import assigned, services
from drill.drills.forms import AssignmentForm
from drill.drills.models import Assignment, AssignmentTarget, Attempt, AttemptItem
from drill.drills.views import bp
from drill.extensions import db
from drill.forms import options, to_utc


def _fill(form: AssignmentForm) -> None:
    anything = [("", _("Any"))]
    packs = db.session.scalars(
        select(Pack).where(Pack.kind == "quiz", Pack.retired.is_(False)).order_by(Pack.title)
    )
    form.pack.choices = options(anything + [(str(p.id), p.title) for p in packs])
    form.theme.choices = options(anything + catalog.theme_choices())
    form.level.choices = options(anything + list(LEVELS.items()))
    form.competency.choices = options(anything + catalog.competency_choices())
    form.branches.choices = branch_choices(visible_branches())


def _people(form: AssignmentForm) -> list[User] | None:
    numbers = {n.strip() for n in form.people.data.replace("，", ",").split(",") if n.strip()}
    found = list(db.session.scalars(select(User).where(User.employee_no.in_(numbers)))) if numbers else []
    path = scope_path(current_user)
    found = [u for u in found if in_subtree(u.branch.path, path)]
    missing = numbers - {u.employee_no for u in found}
    if missing:
        form.people.errors.append(
            _("Unknown or out of your scope: %(numbers)s", numbers=", ".join(sorted(missing)))
        )
        return None
    return found


@bp.route("/assignments")
@role_required("trainer", "admin")
def assignments():
    query = select(Assignment).order_by(Assignment.closes_at.desc())
    if scope_path(current_user) is not None:
        query = query.where(Assignment.created_by_id == current_user.id)
    return render_template(
        "drills/assignments.html", assignments=db.session.scalars(query).all(), now=utcnow()
    )


@bp.route("/assignments/new", methods=["GET", "POST"])
@role_required("trainer", "admin")
def new_assignment():
    form = AssignmentForm()
    _fill(form)
    if form.validate_on_submit():
        people = _people(form)
        if people is not None:
            assignment = Assignment(
                title=form.title.data.strip(),
                created_by=current_user,
                pack=db.session.get(Pack, int(form.pack.data)) if form.pack.data else None,
                theme=form.theme.data or None,
                level=form.level.data or None,
                competency=form.competency.data or None,
                question_count=form.count.data,
                time_limit_minutes=form.minutes.data,
                opens_at=to_utc(form.opens_at.data),
                closes_at=to_utc(form.closes_at.data),
            )
            assignment.targets = [AssignmentTarget(branch_id=b) for b in form.branches.data]
            assignment.targets += [AssignmentTarget(user_id=u.id) for u in people]
            if not services.candidates(assigned.criteria(assignment)):
                form.pack.errors.append(
                    _("No question matches this choice of bank, theme, level and competency.")
                )
            else:
                db.session.add(assignment)
                db.session.commit()
                flash(_("Drill assigned."), "success")
                return redirect(url_for("drills.assignment_report", assignment_id=assignment.id))
    return render_template("drills/assignment_form.html", form=form)


def _visible_assignment(assignment_id: int) -> Assignment:
    assignment = db.get_or_404(Assignment, assignment_id)
    if scope_path(current_user) is not None and assignment.created_by_id != current_user.id:
        abort(403)
    return assignment


@bp.route("/assignments/<int:assignment_id>")
@role_required("trainer", "admin")
def assignment_report(assignment_id: int):
    assignment = _visible_assignment(assignment_id)
    now = utcnow()  # a paper past its deadline shows "overdue, closing": the scheduled job closes it
    path = scope_path(current_user)
    people = [u for u in assigned.assignees(assignment) if in_subtree(u.branch.path, path)]
    attempts = {
        a.user_id: a
        for a in db.session.scalars(select(Attempt).where(Attempt.assignment_id == assignment.id))
        if a.user_id in {u.id for u in people}
    }
    by_branch: dict[str, list[float]] = defaultdict(list)
    for user in people:
        attempt = attempts.get(user.id)
        if attempt is not None and attempt.closed and attempt.max_score:
            by_branch[user.branch.name].append(100 * attempt.score / attempt.max_score)
    branch_means = sorted(
        ((name, sum(v) / len(v), len(v)) for name, v in by_branch.items()), key=lambda r: -r[1]
    )
    return render_template(
        "drills/assignment_report.html",
        assignment=assignment,
        people=people,
        attempts=attempts,
        branch_means=branch_means,
        missed=_most_missed([a.id for a in attempts.values() if a.closed]),
        now=now,
    )


def _most_missed(attempt_ids: list[int], limit: int = 10) -> list[tuple[str, str, int, int]]:
    """(question key, stem HTML, times missed, times asked), most missed first."""
    if not attempt_ids:
        return []
    rows = db.session.execute(
        select(Question.key, QuestionVersion.stem_html, AttemptItem.correct)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
        .join(Question, Question.id == QuestionVersion.question_id)
        .where(AttemptItem.attempt_id.in_(attempt_ids), AttemptItem.correct.is_not(None))
    ).all()
    asked, missed, stems = Counter(), Counter(), {}
    for key, stem, correct in rows:
        asked[key] += 1
        missed[key] += not correct
        stems[key] = stem
    ranked = sorted((k for k in missed if missed[k]), key=lambda k: (-missed[k], k))[:limit]
    return [(k, stems[k], missed[k], asked[k]) for k in ranked]
