"""A trainer's side of drills: assign a drill to branches or people, see how it went, remind (催办) those
who have not finished, export the report."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, raiseload

from drill import export
from drill.accounts.access import (
    branch_choices,
    limit_branches_to_scope,
    role_required,
    scope_path,
    visible_branches,
)
from drill.accounts.models import Branch, User
from drill.accounts.roles import LEVELS
from drill.accounts.rules.scope import in_subtree
from drill.attempts.models import Attempt
from drill.charts import bar_chart
from drill.content import catalog
from drill.content.models import Pack, Question, QuestionVersion
from drill.database import utcnow
from drill.drills import assigned, report, services
from drill.drills.forms import AssignmentForm, RemindForm
from drill.drills.models import Assignment, AssignmentTarget
from drill.drills.rules import progress
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
    query = select(User).where(User.employee_no.in_(numbers)).options(joinedload(User.branch))
    found = list(db.session.scalars(query)) if numbers else []
    path = scope_path(current_user)
    found = [u for u in found if in_subtree(u.branch.path, path)]
    missing = numbers - {u.employee_no for u in found}
    if missing:
        form.people.errors.append(
            _("Unknown or out of your scope: %(numbers)s", numbers=", ".join(sorted(missing)))
        )
        return None
    return found


@role_required("trainer", "admin")
def assignments():
    query = select(Assignment).order_by(Assignment.closes_at.desc(), Assignment.id.desc())
    if scope_path(current_user) is not None:
        query = query.where(Assignment.created_by_id == current_user.id)
    page, now = db.paginate(query, per_page=50, error_out=False), utcnow()
    open_now = {a.id for a in page.items if progress.is_open(a.opens_at, a.closes_at, now)}
    return render_template("drills/assignments.html", page=page, open_now=open_now)


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
    """The assignment, if the caller set it up (any, for an unscoped trainer or admin); else a 404. Its
    targets (5,000 named people, say) are not loaded: the report reads them in SQL (report.target_paths)."""
    assignment = db.get_or_404(
        Assignment, assignment_id, options=[raiseload(Assignment.targets, sql_only=True)]
    )
    if scope_path(current_user) is not None and assignment.created_by_id != current_user.id:
        abort(404)
    return assignment


@dataclass
class Standing:
    user: User
    attempt: Attempt | None
    status: str  # drill.drills.rules.progress: not_started | in_progress | overdue | done


BRANCH_LINES = 20  # branches in the completion and average tables (the chart): those furthest behind
BRANCH_CHOICES_UP_TO = 200  # a province's 2,000 outlets make no list: the filter is then a branch code
NO_BRANCH = "-"  # no branch's path (they start with "/"): an unknown code matches nobody, not everyone


def report_filters() -> report.Filters:
    """The people list's filters from the query string: text, branch (a subtree: `branch`, its id, from
    the list, or `branch_code` typed in) and status."""
    branch_id = request.args.get("branch", type=int)
    code = request.args.get("branch_code", "").strip()[:32]
    # Any branch only narrows the assignment's own people, whom the caller sees anyway (scope applies).
    path = None
    if branch_id:
        path = db.session.scalar(select(Branch.path).where(Branch.id == branch_id))
    elif code:
        path = (
            db.session.scalar(select(Branch.path).where(func.lower(Branch.code) == code.lower())) or NO_BRANCH
        )
    status = request.args.get("status", "")
    return report.Filters(
        text=request.args.get("q", "").strip()[:80],
        branch_path=path,
        status=status if status in report.STATUSES else "",
    )


def branch_filter_choices() -> list | None:
    """The branch filter's options (the caller's scope), or None when there are more than a list can
    offer: one bounded statement either way."""
    query = limit_branches_to_scope(select(Branch).order_by(Branch.path), current_user)
    branches = list(db.session.scalars(query.limit(BRANCH_CHOICES_UP_TO + 1)))
    return None if len(branches) > BRANCH_CHOICES_UP_TO else branch_choices(branches)


@role_required("trainer", "admin")
def assignment_report(assignment_id: int):
    """The report in a fixed number of statements: counts and charts aggregated in SQL over everyone in
    the caller's scope, and one page of people (50) with their attempts and reminders."""
    assignment = _visible_assignment(assignment_id)
    now = utcnow()  # a paper past its deadline shows "overdue, closing": the scheduled job closes it
    who = report.assignees(assignment.id, scope_path(current_user))
    filters = report_filters()
    totals = report.summary(who, now)
    page = db.paginate(report.people_query(who, filters, now), per_page=50, error_out=False)
    ids = [user.id for user in page.items]
    attempts = report.attempts_of(assignment.id, ids)
    standings = []
    for user in page.items:
        attempt = attempts.get(user.id)
        state = progress.status(attempt and attempt.state, attempt and attempt.deadline, now)
        standings.append(Standing(user, attempt, state))
    completion = progress.furthest_behind(totals.completion, BRANCH_LINES)
    chart = bar_chart(  # shares, so that a small outlet and a large branch compare; the table has counts
        [(line.branch, line.shares) for line in completion],
        [_("Completed"), _("Started, not finished"), _("Not started yet")],
        maximum=100,
    )
    return render_template(
        "drills/assignment_report.html",
        assignment=assignment,
        standings=standings,
        page=page,
        filters=filters,
        branch_options=branch_filter_choices(),
        branch_id=request.args.get("branch", type=int),
        branch_code=request.args.get("branch_code", "").strip()[:32],
        totals=totals,
        reminders=report.reminders_of(assignment.id, ids),
        may_remind=lambda r: r is None or progress.may_remind(r.sent_at, now),
        branches=len(totals.completion),
        means_of=len(totals.branch_means),
        labels=status_labels(),
        filter_labels={**status_labels(), progress.OVERDUE: _("Past the deadline")},
        branch_means=totals.branch_means[:BRANCH_LINES],
        completion=completion,
        chart=chart,
        paper=_fixed_paper(assignment),
        missed=report.most_missed(who),
        remind_form=RemindForm(),
        is_open=progress.is_open(assignment.opens_at, assignment.closes_at, now),
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
    if not progress.is_open(assignment.opens_at, assignment.closes_at, now):
        flash(_("Reminders can be sent only while the drill is open."), "warning")
        return back
    who = report.assignees(assignment.id, scope_path(current_user))
    if form.user.data:
        person = report.unfinished_one(who, int(form.user.data), now)
        if person is None:
            flash(_("This person has already finished the drill, or it is not for them."), "warning")
            return back
        result = assigned.remind(assignment, [person], current_user, now)
        sent, too_soon, skipped = len(result.sent), result.too_soon, 0
    else:  # everyone: one INSERT … SELECT, however many people have not finished
        sent, skipped = report.remind_everyone(who, current_user, now)
        too_soon = []
        if not sent and not skipped:
            flash(_("Everyone has finished: nobody to remind."), "info")
            return back
    db.session.commit()
    if sent:
        flash(_("Reminder sent to %(count)d people; it shows on their to-do list.", count=sent), "success")
    for user, again in too_soon:
        flash(
            _(
                "%(name)s was reminded less than an hour ago; you can remind them again after %(when)s.",
                name=user.name,
                when=format_datetime(again, "short"),
            ),
            "info",
        )
    if skipped:
        flash(
            _(
                "%(count)d people were reminded less than an hour ago and were left out this time.",
                count=skipped,
            ),
            "info",
        )
    return back


@role_required("trainer", "admin")
def export_assignment(assignment_id: int):
    """The report as XLSX, one row per person matching the page's filters, read from the database in chunks
    into a constant-memory workbook and streamed from a temporary file."""
    assignment = _visible_assignment(assignment_id)
    now = utcnow()
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
    found = report.export_rows(
        report.assignees(assignment.id, scope_path(current_user)), report_filters(), now
    )
    rows = (
        [
            number,
            name,
            branch,
            labels[status],
            score if status == progress.DONE else None,
            points if status == progress.DONE else None,
            export.local_time(closed_at, zone) if status == progress.DONE else None,
        ]
        for number, name, branch, status, score, points, closed_at in found
    )
    book = export.write_xlsx(assignment.title, headers, rows)
    return send_file(
        book, mimetype=export.XLSX, as_attachment=True, download_name=f"{assignment.title}.xlsx", max_age=0
    )
