"""Gathering a period's evidence from the database into the plain data the pure roll-up takes.

Who is appraised: the active customer managers of the scheme's audience (tobacco schemes: category
`tobacco`; bank schemes: every other category). Each one's quota unit is their own branch (the outlet).

Platform observations, each dated by its local day (the app's time zone) and referenced for the trail:
- `drill_score`: every closed practice, assigned or review drill with a score: 100 × score / max score
  ("attempt 812"); `training_hours`: the same drills' time from start to close, in hours;
- `exam_score`: the best result in percent of each formal exam whose results are RELEASED, dated by the
  day of that attempt ("exam 3 attempt 40"); unreleased results never leave the exam;
- `competition_percentile`: each PUBLISHED competition's overall placing as a percentile, 100 × (n − rank)
  / (n − 1) among its n ranked participants (100 when alone), dated by the day it was published
  ("competition 2 rank 1/5"). See `competition_placings`.
Indicators: the period's latest accepted sheet ("import 4 row 7"). Ratings ("rating 41") and the bonus,
deduction and veto entries not withdrawn ("occurrence 5") as entered.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager

from drill.accounts.models import Branch, User, UserRole
from drill.appraisal.models import IndicatorImport, Occurrence, Period, Rating
from drill.appraisal.rules import records
from drill.appraisal.rules.scheme import Scheme
from drill.attempts.models import Attempt
from drill.attempts.rules import kinds
from drill.attempts.rules import states as attempt_states
from drill.competitions import boards
from drill.competitions.models import Competition
from drill.exams.models import Exam
from drill.exams.services import best_results
from drill.extensions import db
from drill.i18n import local_day  # the one place an instant becomes a day; re-exported for level_changes


def _window(period: records.Period) -> tuple[datetime, datetime]:
    """A UTC window safely around the period's local days (the exact day is checked in the pure rules)."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    start = datetime.combine(period.start - timedelta(days=1), datetime.min.time(), zone)
    end = datetime.combine(period.end + timedelta(days=2), datetime.min.time(), zone)
    return start, end


def managers_query(scheme: Scheme, path: str | None = None):
    """The SELECT of the scheme's active customer managers (in the branch subtree `path`, None: all), by
    employee number; a category other than tobacco (or none) is a bank manager."""
    query = (
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .join(Branch, Branch.id == User.branch_id)
        .where(User.active.is_(True), UserRole.role == "manager")
        .order_by(User.employee_no)
    )
    if scheme.audience == "tobacco":
        query = query.where(User.category == "tobacco")
    else:
        query = query.where(or_(User.category.is_(None), User.category != "tobacco"))
    if path is not None:
        query = query.where(Branch.path.startswith(path, autoescape=True))
    return query


def managers_for(scheme: Scheme, path: str | None = None) -> list[User]:
    """The scheme's managers with their branches (every page and the roll-up read the branch)."""
    return list(db.session.scalars(managers_query(scheme, path).options(contains_eager(User.branch))))


@dataclass(frozen=True)
class Person:
    """A manager as the roll-up needs them: plain data, read for 50,000 managers in one query."""

    id: int
    employee_no: str
    name: str
    unit: str  # the quota unit: their own branch's code


def roster(scheme: Scheme) -> list[Person]:
    """The scheme's managers (managers_query) as plain rows, by employee number."""
    query = managers_query(scheme).with_only_columns(User.id, User.employee_no, User.name, Branch.code)
    return [Person(*row) for row in db.session.execute(query)]


def unit_members(managers: list[Person]) -> dict[str, list[str]]:
    units: dict[str, list[str]] = defaultdict(list)
    for person in managers:
        units[person.unit].append(person.employee_no)
    return dict(units)


def _closed_in(period: records.Period, *where):
    start, end = _window(period)
    return (Attempt.state != attempt_states.OPEN, Attempt.closed_at >= start, Attempt.closed_at < end, *where)


def drill_observations(wanted: set[int], period: records.Period) -> dict[int, dict[str, list]]:
    """The closed drills of the period's window, in one query of plain columns; `wanted`: the user ids kept
    (filtered here, not in an IN list: a province has more managers than a statement takes parameters)."""
    found: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    attempts = db.session.execute(
        select(
            Attempt.id,
            Attempt.user_id,
            Attempt.score,
            Attempt.max_score,
            Attempt.started_at,
            Attempt.closed_at,
        )
        .where(*_closed_in(period, Attempt.kind.in_(kinds.DRILLS), Attempt.score.is_not(None)))
        .order_by(Attempt.closed_at, Attempt.id)
    )
    for attempt_id, user_id, score, max_score, started_at, closed_at in attempts:
        if user_id not in wanted or not max_score:
            continue
        day, ref = local_day(closed_at), f"attempt {attempt_id}"
        percent = round(100 * score / max_score, 2)
        hours = round((closed_at - started_at).total_seconds() / 3600, 2)
        found[user_id]["drill_score"].append(records.Observation(percent, day, ref))
        found[user_id]["training_hours"].append(records.Observation(hours, day, ref))
    return found


def exam_observations(wanted: set[int], period: records.Period) -> dict[int, list[records.Observation]]:
    """The best result of each released exam sat in the window, dated by the day of that best try (which
    may lie outside the window): three queries per exam (exams.services.best_results, then the tries'
    days), whatever the number of candidates."""
    sat = _closed_in(period, Attempt.kind == "exam")
    exams = db.session.scalars(
        select(Exam)
        .where(Exam.released_at.is_not(None), Exam.id.in_(select(Attempt.exam_id).where(*sat)))
        .order_by(Exam.id)
    ).all()
    found: dict[int, list[records.Observation]] = defaultdict(list)
    for exam in exams:
        candidates = select(Attempt.user_id).where(Attempt.exam_id == exam.id, *sat)
        results = best_results(exam, candidates)
        days = dict(
            db.session.execute(
                select(Attempt.id, Attempt.closed_at).where(
                    Attempt.exam_id == exam.id,
                    Attempt.state != attempt_states.OPEN,
                    Attempt.user_id.in_(candidates),
                )
            ).all()
        )
        for user_id in sorted(results):
            outcome = results[user_id]
            if user_id not in wanted or outcome is None:
                continue
            attempt = outcome.attempt
            found[user_id].append(
                records.Observation(
                    round(outcome.verdict.total_percent, 2),
                    local_day(days[attempt.id]),
                    f"exam {exam.id} attempt {attempt.id}",
                )
            )
    return found


def competition_placings(users: list[User], period: records.Period) -> dict[int, list[records.Observation]]:
    """Placings in published competitions as percentiles of their overall standings, built afresh from the
    score events by the pure rules (`boards.final_standings`, not a node's board cache). The one place that
    knows the competitions area: everything else sees `competition_percentile` observations."""

    start, end = _window(period)
    wanted = {u.id for u in users}
    found: dict[int, list[records.Observation]] = defaultdict(list)
    published = db.session.scalars(
        select(Competition).where(
            Competition.published_at.is_not(None),
            Competition.published_at >= start,
            Competition.published_at < end,
        )
    ).all()
    for competition in published:
        built = boards.final_standings(competition.id)
        if built is None:
            continue
        table, owners = built
        rows = table.individual()
        n, day = len(rows), local_day(competition.published_at)
        for row in rows:
            user_id = owners.get(row.id)
            if user_id not in wanted:
                continue
            percentile = 100.0 if n == 1 else round(100 * (n - row.rank) / (n - 1), 2)
            ref = f"competition {competition.id} rank {row.rank}/{n}"
            found[user_id].append(records.Observation(percentile, day, ref))
    return found


def latest_import(period: Period) -> IndicatorImport | None:
    return db.session.scalars(
        select(IndicatorImport)
        .where(IndicatorImport.period_id == period.id)
        .order_by(IndicatorImport.imported_at.desc(), IndicatorImport.id.desc())
    ).first()


def gather(period: Period, pure: records.Period, managers: list[Person]) -> records.Evidence:
    """Everything the scheme may use for `period` (a period computed from evidence), read in a fixed number
    of set-based queries (one more pair per exam and per competition), whatever the number of managers."""
    wanted = {m.id for m in managers}
    drills = drill_observations(wanted, pure)
    exams = exam_observations(wanted, pure)
    placings = competition_placings(managers, pure)
    sheet = latest_import(period)
    ratings: dict[int, dict[str, records.Rating]] = defaultdict(dict)
    given = (
        select(Rating.user_id, Rating.item_key, Rating.value, Rating.comment, User.name, Rating.id)
        .join(User, User.id == Rating.rater_id)
        .where(Rating.period_id == period.id)
    )
    for user_id, item_key, value, comment, rater, rating_id in db.session.execute(given):
        ratings[user_id][item_key] = records.Rating(value, comment, rater, f"rating {rating_id}")
    entered: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    occurrences = select(
        Occurrence.user_id,
        Occurrence.kind,
        Occurrence.item_key,
        Occurrence.count,
        Occurrence.note,
        Occurrence.id,
    ).where(Occurrence.period_id == period.id, Occurrence.withdrawn_at.is_(None))
    for user_id, kind, item_key, count, note, occurrence_id in db.session.execute(
        occurrences.order_by(Occurrence.id)
    ):
        entered[user_id][kind].append(
            records.Occurrence(item_key, count, note, f"occurrence {occurrence_id}")
        )
    managers_evidence = {}
    for user in managers:
        platform = {metric: list(values) for metric, values in drills.get(user.id, {}).items()}
        platform["exam_score"] = exams.get(user.id, [])
        platform["competition_percentile"] = placings.get(user.id, [])
        row = (sheet.rows if sheet else {}).get(user.employee_no)
        mine = entered.get(user.id, {})
        managers_evidence[user.employee_no] = records.ManagerEvidence(
            platform=platform,
            indicators=dict(row["values"]) if row else {},
            ratings=ratings.get(user.id, {}),
            bonus=list(mine.get("bonus", [])),
            deductions=list(mine.get("deduction", [])),
            vetoes=list(mine.get("veto", [])),
            indicator_ref=f"import {sheet.id} row {row['row']}" if row else "",
        )
    return records.Evidence(pure, managers_evidence)


def period_vetoes(period: Period, managers: list[Person]) -> dict[str, list[records.Occurrence]]:
    """Veto entries made for a rolled-up period itself (its finer periods' vetoes carry up on their own)."""
    numbers = {u.id: u.employee_no for u in managers}
    found: dict[str, list[records.Occurrence]] = defaultdict(list)
    query = select(Occurrence).where(
        Occurrence.period_id == period.id, Occurrence.kind == "veto", Occurrence.withdrawn_at.is_(None)
    )
    for occurrence in db.session.scalars(query.order_by(Occurrence.id)):
        if occurrence.user_id in numbers:
            found[numbers[occurrence.user_id]].append(
                records.Occurrence(
                    occurrence.item_key, occurrence.count, occurrence.note, f"occurrence {occurrence.id}"
                )
            )
    return dict(found)
