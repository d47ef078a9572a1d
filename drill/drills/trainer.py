"""A trainer's side of drills: assign a drill to branches or people, see how it went, remind (催办) those
who have not finished, export the report."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from drill.accounts.access import role_required, scope_path
from drill.accounts.models import User
from drill.accounts.roles import LEVELS
from drill.accounts.scope import in_subtree
from drill.accounts.views import branch_choices, visible_branches
from drill.charts import bar_chart
from drill.content import catalog
from drill.content.models import Pack, Question, QuestionVersion
from drill.database import utcnow
from drill.drills import assigned, export, progress, services
from drill.drills.forms import AssignmentForm, RemindForm
from drill.drills.models import Assignment, AssignmentTarget, Attempt, AttemptItem
from drill.drills.views import bp
from drill.extensions import db
from drill.forms import options, to_utc
from drill.i18n import local_zone


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
            if form.fixed_paper.data:
                drawn = assigned.fix_paper(assignment)
            else:
                drawn = bool(services.candidates(assigned.criteria(assignment)))
            if not drawn:
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
    """The assignment, if the caller set it up (any, for an unscoped trainer or admin); else a 404."""
    assignment = db.get_or_404(Assignment, assignment_id)
    if scope_path(current_user) is not None and assignment.created_by_id != current_user.id:
        abort(404)
    return assignment


@dataclass
class Standing:
    user: User
    attempt: Attempt | None
    status: str  # drill.drills.progress: not_started | in_progress | overdue | done


def _standings(assignment: Assignment, now: datetime) -> list[Standing]:
    """Every assignee in the caller's scope, by employee number, with their attempt and where they stand."""
    path = scope_path(current_user)
    people = [u for u in assigned.assignees(assignment) if in_subtree(u.branch.path, path)]
    attempts = {
        a.user_id: a
        for a in db.session.scalars(select(Attempt).where(Attempt.assignment_id == assignment.id))
    }
    out = []
    for user in people:
        attempt = attempts.get(user.id)
        state = progress.status(attempt and attempt.state, attempt and attempt.deadline, now)
        out.append(Standing(user, attempt, state))
    return out


@bp.route("/assignments/<int:assignment_id>")
@role_required("trainer", "admin")
def assignment_report(assignment_id: int):
    assignment = _visible_assignment(assignment_id)
    now = utcnow()  # a paper past its deadline shows "overdue, closing": the scheduled job closes it
    standings = _standings(assignment, now)
    by_branch: dict[str, list[float]] = defaultdict(list)
    for s in standings:
        if s.status == progress.DONE and s.attempt.max_score:
            by_branch[s.user.branch.name].append(100 * s.attempt.score / s.attempt.max_score)
    branch_means = sorted(
        ((name, sum(v) / len(v), len(v)) for name, v in by_branch.items()), key=lambda r: -r[1]
    )
    completion = progress.by_branch([(s.user.branch.name, s.status) for s in standings])
    chart = bar_chart(  # shares, so that a small outlet and a large branch compare; the table has counts
        [(line.branch, line.shares) for line in completion],
        [_("Completed"), _("Started, not finished"), _("Not started yet")],
        maximum=100,
    )
    return render_template(
        "drills/assignment_report.html",
        assignment=assignment,
        standings=standings,
        done=sum(s.status == progress.DONE for s in standings),
        unfinished=[s for s in standings if s.status in progress.UNFINISHED],
        reminders=assigned.last_reminders(assignment),
        may_remind=lambda r: r is None or progress.may_remind(r.sent_at, now),
        labels=status_labels(),
        branch_means=branch_means,
        completion=completion,
        chart=chart,
        paper=_fixed_paper(assignment),
        missed=_most_missed([s.attempt.id for s in standings if s.status == progress.DONE]),
        remind_form=RemindForm(),
        is_open=assignment.opens_at <= now < assignment.closes_at,
        now=now,
    )


def status_labels() -> dict[str, str]:
    return {
        progress.NOT_STARTED: _("Not started yet"),
        progress.IN_PROGRESS: _("in progress"),
        progress.OVERDUE: _("overdue, closing"),
        progress.DONE: _("Completed"),
    }


@dataclass
class FixedPaper:
    questions: list[tuple[str, float, bool]]  # (question key, points, open: self-assessed, not scored)

    @property
    def points(self) -> float:
        """What every total is out of: open answers are self-assessed in a drill, never in the score."""
        return round(sum(points for _key, points, is_open in self.questions if not is_open), 2)


def _fixed_paper(assignment: Assignment) -> FixedPaper | None:
    """The questions everyone is asked, in the drawn order; None for a paper per person."""
    if not assignment.fixed_paper:
        return None
    ids = assigned.fixed_versions(assignment)
    rows = db.session.execute(
        select(QuestionVersion.id, Question.key, QuestionVersion.points, QuestionVersion.type)
        .join(Question, Question.id == QuestionVersion.question_id)
        .where(QuestionVersion.id.in_(ids))
    ).all()
    found = {version_id: (key, float(points), kind == "open") for version_id, key, points, kind in rows}
    return FixedPaper([found[i] for i in ids if i in found])


@bp.route("/assignments/<int:assignment_id>/remind", methods=["POST"])
@role_required("trainer", "admin")
def remind_assignment(assignment_id: int):
    """Remind (催办) one person who has not finished, or all of them; the reminder shows on their to-do.
    Someone reminded for this drill within the hour is left out, and the trainer is told when they may
    be reminded again."""
    assignment = _visible_assignment(assignment_id)
    back = redirect(url_for("drills.assignment_report", assignment_id=assignment.id))  # the flash on top
    form = RemindForm()
    now = utcnow()
    if not form.validate_on_submit():
        flash(
            _("The reminder could not be sent: the form was stale or incomplete. Please try again."), "danger"
        )
        return back
    if not assignment.opens_at <= now < assignment.closes_at:
        flash(_("Reminders can be sent only while the drill is open."), "warning")
        return back
    unfinished = [s.user for s in _standings(assignment, now) if s.status in progress.UNFINISHED]
    if form.user.data:
        unfinished = [u for u in unfinished if u.id == int(form.user.data)]
        if not unfinished:
            flash(_("This person has already finished the drill, or it is not for them."), "warning")
            return back
    if not unfinished:
        flash(_("Everyone has finished: nobody to remind."), "info")
        return back
    result = assigned.remind(assignment, unfinished, current_user, now)
    db.session.commit()
    if result.sent:
        flash(
            _("Reminder sent to %(count)d people; it shows on their to-do list.", count=len(result.sent)),
            "success",
        )
    for user, again in result.too_soon:
        flash(
            _(
                "%(name)s was reminded less than an hour ago; you can remind them again after %(when)s.",
                name=user.name,
                when=format_datetime(again, "short"),
            ),
            "info",
        )
    return back


@bp.route("/assignments/<int:assignment_id>/export.xlsx")
@role_required("trainer", "admin")
def export_assignment(assignment_id: int):
    """The report as XLSX, one row per person, streamed from a temporary file (write-only workbook)."""
    assignment = _visible_assignment(assignment_id)
    standings = _standings(assignment, utcnow())
    labels = status_labels()
    zone = local_zone()
    headers = [
        _("Employee number"),
        _("Name"),
        _("Branch"),
        _("State"),
        _("Score"),
        _("Points"),
        _("Submitted at"),
    ]
    rows = (
        [
            s.user.employee_no,
            s.user.name,
            s.user.branch.name,
            labels[s.status],
            s.attempt.score if s.status == progress.DONE else None,
            s.attempt.max_score if s.status == progress.DONE else None,
            export.local_time(s.attempt.closed_at, zone) if s.status == progress.DONE else None,
        ]
        for s in standings
    )
    book = export.write_xlsx(assignment.title, headers, rows)
    return send_file(
        book, mimetype=export.XLSX, as_attachment=True, download_name=f"{assignment.title}.xlsx", max_age=0
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
