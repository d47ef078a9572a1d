"""The manager's file (档案): what it shows, gathered from every area. Reads only, except `assign`.

The competency profile sums, per competency, the points earned and possible on the auto-scored questions
of closed drills (practice, assigned, review) over the last 90 days — the manager's, their branch's (the
branch under the head office they belong to) and the whole organisation's; sums are grouped per question
version in SQL, so the organisation's profile costs one query, whatever its size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from drill.accounts.models import Branch, User
from drill.appraisal.evidence import competition_placings
from drill.appraisal.models import Occurrence, Period, Record, RewardPenalty
from drill.appraisal.rules import gaps, states
from drill.appraisal.rules.records import Period as Span
from drill.appraisal.services import scheme_of
from drill.attempts.models import Attempt, AttemptItem
from drill.attempts.rules import kinds
from drill.attempts.rules import states as attempt_states
from drill.competitions.models import Competition
from drill.content.in_use import current_versions
from drill.content.models import Pack, QuestionVersion
from drill.drills import assigned
from drill.drills.models import Assignment, AssignmentTarget
from drill.drills.services import audience_of
from drill.exams.models import Exam
from drill.exams.services import best_result
from drill.extensions import db

ASSIGNED_DAYS = 14
ASSIGNED_QUESTIONS = 10
ASSIGNED_MINUTES = 15


def group_branch(user: User) -> Branch:
    """The branch a manager is compared with: the node under the head office holding them."""
    ids = [int(part) for part in user.branch.path.strip("/").split("/") if part]
    return db.session.get(Branch, ids[1]) if len(ids) > 1 else user.branch


def competency_percents(since: datetime, user: User | None = None, branch: Branch | None = None) -> dict:
    points = func.coalesce(AttemptItem.points, QuestionVersion.points)
    sums_per_version = (
        select(
            AttemptItem.question_version_id.label("version_id"),
            func.sum(AttemptItem.earned).label("earned"),
            func.sum(points).label("possible"),
        )
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
        .where(
            Attempt.kind.in_(kinds.DRILLS),
            Attempt.state != attempt_states.OPEN,
            Attempt.closed_at >= since,
            AttemptItem.earned.is_not(None),
        )
        .group_by(AttemptItem.question_version_id)
    )
    if user is not None:
        sums_per_version = sums_per_version.where(Attempt.user_id == user.id)
    if branch is not None:
        sums_per_version = (
            sums_per_version.join(User, User.id == Attempt.user_id)
            .join(Branch, Branch.id == User.branch_id)
            .where(Branch.path.startswith(branch.path, autoescape=True))
        )
    per_version = sums_per_version.subquery()
    query = select(QuestionVersion.competencies, per_version.c.earned, per_version.c.possible).join(
        per_version, per_version.c.version_id == QuestionVersion.id
    )
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for competencies, earned, possible in db.session.execute(query):
        for key in competencies or []:
            sums[key][0] += float(earned or 0)
            sums[key][1] += float(possible or 0)
    return {k: round(100 * e / p, 1) for k, (e, p) in sums.items() if p}


@dataclass
class Profile:
    axes: list[str]
    mine: dict[str, float]
    branch: dict[str, float]
    organisation: dict[str, float]
    gaps: list[gaps.Gap]
    offers: list[gaps.Offer]
    status: str  # gaps.status


def profile(user: User, now: datetime, order: list[str]) -> Profile:
    since = now - timedelta(days=gaps.WINDOW_DAYS)
    mine = competency_percents(since, user=user)
    branch = competency_percents(since, branch=group_branch(user))
    organisation = competency_percents(since)
    found = gaps.gaps(mine, branch, organisation)
    return Profile(
        gaps.axes(order, organisation),
        mine,
        branch,
        organisation,
        found,
        gaps.offers(found, pack_offers(user, {g.competency for g in found})),
        gaps.status(mine, organisation, found),
    )


def pack_offers(user: User, competencies: set[str]) -> dict[str, list[gaps.Offer]]:
    """Quiz packs in use for the manager's audience, with their current questions per competency."""
    if not competencies:
        return {}
    query = current_versions().add_columns(Pack.id, Pack.slug, Pack.title)
    query = query.where(Pack.audience.in_([audience_of(user), "both"]))
    counts: dict[tuple, int] = defaultdict(int)
    for version, _key, pack_id, slug, title in db.session.execute(query):
        for competency in set(version.competencies or []) & competencies:
            counts[(competency, pack_id, slug, title)] += 1
    found: dict[str, list[gaps.Offer]] = defaultdict(list)
    for (competency, pack_id, slug, title), n in counts.items():
        found[competency].append(gaps.Offer(competency, pack_id, slug, title, n))
    return found


def assign(
    trainer: User, manager: User, pack: Pack, competency: str, title: str, now: datetime
) -> Assignment:
    """The one-click "assign the recommended drill": this pack's questions of this competency, for them."""
    available = sum(
        1
        for version, _key in db.session.execute(current_versions().where(Pack.id == pack.id))
        if competency in (version.competencies or [])
    )
    assignment = Assignment(
        title=title[:120],
        created_by=trainer,
        pack_id=pack.id,
        competency=competency,
        question_count=max(1, min(ASSIGNED_QUESTIONS, available)),
        time_limit_minutes=ASSIGNED_MINUTES,
        opens_at=now,
        closes_at=now + timedelta(days=ASSIGNED_DAYS),
    )
    assignment.targets = [AssignmentTarget(user_id=manager.id)]
    db.session.add(assignment)
    db.session.flush()
    return assignment


@dataclass
class Training:
    drills: int
    hours: float
    exams: list  # (Exam, exams.services.Result), released exams only
    competitions: list  # (Competition, "rank/n", percentile), published competitions only


def training(user: User) -> Training:

    closed = db.session.execute(
        select(Attempt.started_at, Attempt.closed_at).where(
            Attempt.user_id == user.id, Attempt.kind.in_(kinds.DRILLS), Attempt.state != attempt_states.OPEN
        )
    ).all()
    hours = sum((c - s).total_seconds() for s, c in closed if c) / 3600
    sat_ids = select(Attempt.exam_id).where(Attempt.user_id == user.id, Attempt.kind == "exam")
    sat = db.session.scalars(
        select(Exam)
        .where(Exam.id.in_(sat_ids), Exam.released_at.is_not(None))
        .order_by(Exam.released_at.desc())
    )
    exams = [(exam, result) for exam in sat if (result := best_result(exam, user)) is not None]
    ever = Span("annual", date(2000, 1, 1), date(2999, 12, 29))
    placings = []
    for seen in competition_placings([user], ever).get(user.id, []):
        _, competition_id, _, place = seen.ref.split()
        placings.append((db.session.get(Competition, int(competition_id)), place, seen.value))
    return Training(len(closed), round(hours, 1), exams, placings)


def appraisals(user: User) -> list[tuple[Record, Period]]:
    """The manager's records of published periods, oldest first."""
    rows = db.session.execute(
        select(Record, Period)
        .join(Period, Period.id == Record.period_id)
        .where(Record.user_id == user.id, Period.state.in_(states.FINAL))
        .order_by(Period.ends_on, Period.kind)
    ).all()
    return [tuple(row) for row in rows]


def rewards(user: User) -> list[RewardPenalty]:
    return list(
        db.session.scalars(
            select(RewardPenalty)
            .where(RewardPenalty.user_id == user.id)
            .order_by(RewardPenalty.awarded_on.desc(), RewardPenalty.id.desc())
        )
    )


@dataclass
class Adjustment:
    """A bonus, deduction or veto entered for the manager in an appraisal period (not withdrawn)."""

    occurrence: Occurrence
    period: Period
    item: str  # the scheme item's label


def adjustments(user: User, *, unpublished: bool) -> list[Adjustment]:
    """The manager's bonus, deduction and veto entries, newest first; `unpublished` also lists those of
    periods not yet published (for supervisors; the manager reads them with the published record)."""

    query = (
        select(Occurrence, Period)
        .join(Period, Period.id == Occurrence.period_id)
        .where(Occurrence.user_id == user.id, Occurrence.withdrawn_at.is_(None))
        .order_by(Period.ends_on.desc(), Occurrence.created_at.desc(), Occurrence.id.desc())
    )
    if not unpublished:
        query = query.where(Period.state.in_(states.FINAL))
    names: dict[int, dict[str, str]] = {}
    found = []
    for occurrence, period in db.session.execute(query):
        if period.scheme_version_id not in names:
            scheme = scheme_of(period)
            items = [*scheme.vetoes, *scheme.bonus.items, *scheme.deductions.items]
            names[period.scheme_version_id] = {i.key: i.label for i in items}
        item = names[period.scheme_version_id].get(occurrence.item_key, occurrence.item_key)
        found.append(Adjustment(occurrence, period, item))
    return found


def open_assignments(user: User, now: datetime) -> list:

    return [(a, attempt) for a, attempt in assigned.open_for(user, now) if a.competency]
