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
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from drill.accounts.models import User, UserRole
from drill.appraisal import records
from drill.appraisal.models import IndicatorImport, Occurrence, Period, Rating
from drill.appraisal.scheme import Scheme
from drill.drills import states as attempt_states
from drill.drills.models import Attempt
from drill.exams.models import Exam
from drill.exams.services import best_result
from drill.extensions import db
from drill.i18n import local_day  # the one place an instant becomes a day; re-exported for leveling

DRILL_KINDS = ("practice", "assigned", "review")


def _window(period: records.Period) -> tuple[datetime, datetime]:
    """A UTC window safely around the period's local days (the exact day is checked in the pure rules)."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    start = datetime.combine(period.start - timedelta(days=1), datetime.min.time(), zone)
    end = datetime.combine(period.end + timedelta(days=2), datetime.min.time(), zone)
    return start, end


def managers_for(scheme: Scheme) -> list[User]:
    query = (
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.active.is_(True), UserRole.role == "manager")
        .order_by(User.employee_no)
    )
    tobacco = scheme.audience == "tobacco"
    return [u for u in db.session.scalars(query) if (u.category == "tobacco") == tobacco]


def unit_members(managers: list[User]) -> dict[str, list[str]]:
    units: dict[str, list[str]] = defaultdict(list)
    for user in managers:
        units[user.branch.code].append(user.employee_no)
    return dict(units)


def drill_observations(users: list[User], period: records.Period) -> dict[int, dict[str, list]]:
    start, end = _window(period)
    by_id = {u.id for u in users}
    found: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    if not by_id:
        return found
    attempts = db.session.scalars(
        select(Attempt)
        .where(
            Attempt.user_id.in_(by_id),
            Attempt.kind.in_(DRILL_KINDS),
            Attempt.state != attempt_states.OPEN,
            Attempt.closed_at >= start,
            Attempt.closed_at < end,
            Attempt.score.is_not(None),
        )
        .order_by(Attempt.closed_at, Attempt.id)
    )
    for attempt in attempts:
        if not attempt.max_score:
            continue
        day, ref = local_day(attempt.closed_at), f"attempt {attempt.id}"
        percent = round(100 * attempt.score / attempt.max_score, 2)
        hours = round((attempt.closed_at - attempt.started_at).total_seconds() / 3600, 2)
        found[attempt.user_id]["drill_score"].append(records.Observation(percent, day, ref))
        found[attempt.user_id]["training_hours"].append(records.Observation(hours, day, ref))
    return found


def exam_observations(users: list[User], period: records.Period) -> dict[int, list[records.Observation]]:
    start, end = _window(period)
    people = {u.id: u for u in users}
    pairs = db.session.execute(
        select(Attempt.exam_id, Attempt.user_id)
        .join(Exam, Exam.id == Attempt.exam_id)
        .where(
            Attempt.user_id.in_(people or [0]),
            Attempt.kind == "exam",
            Exam.released_at.is_not(None),
            Attempt.state != attempt_states.OPEN,
            Attempt.closed_at >= start,
            Attempt.closed_at < end,
        )
        .distinct()
    ).all()
    found: dict[int, list[records.Observation]] = defaultdict(list)
    for exam_id, user_id in sorted(pairs):
        outcome = best_result(db.session.get(Exam, exam_id), people[user_id])
        if outcome is None:
            continue
        attempt = outcome.attempt
        found[user_id].append(
            records.Observation(
                round(outcome.verdict.total_percent, 2),
                local_day(attempt.closed_at),
                f"exam {exam_id} attempt {attempt.id}",
            )
        )
    return found


def competition_placings(users: list[User], period: records.Period) -> dict[int, list[records.Observation]]:
    """Placings in published competitions as percentiles (drill.competitions' overall standings). The one
    place that knows the competitions area: everything else sees `competition_percentile` observations."""
    from drill.competitions import boards
    from drill.competitions.models import Competition, Participant

    start, end = _window(period)
    wanted = {u.id for u in users}
    found: dict[int, list[records.Observation]] = defaultdict(list)
    published = db.session.scalars(
        select(Competition).where(
            Competition.published_at.is_not(None),
            Competition.published_at >= start,
            Competition.published_at < end,
        )
    )
    for competition in published:
        table = boards.snapshot(competition.id, live=True)
        if table is None:
            continue
        rows = table.individual()
        owners = dict(
            db.session.execute(
                select(Participant.id, Participant.user_id).where(
                    Participant.competition_id == competition.id
                )
            ).all()
        )
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


def gather(period: Period, pure: records.Period, managers: list[User]) -> records.Evidence:
    """Everything the scheme may use for `period` (a period computed from evidence)."""
    drills = drill_observations(managers, pure)
    exams = exam_observations(managers, pure)
    placings = competition_placings(managers, pure)
    sheet = latest_import(period)
    ratings: dict[int, dict[str, records.Rating]] = defaultdict(dict)
    for rating in db.session.scalars(select(Rating).where(Rating.period_id == period.id)):
        ratings[rating.user_id][rating.item_key] = records.Rating(
            rating.value, rating.comment, rating.rater.name, f"rating {rating.id}"
        )
    entered: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    occurrences = select(Occurrence).where(
        Occurrence.period_id == period.id, Occurrence.withdrawn_at.is_(None)
    )
    for occurrence in db.session.scalars(occurrences.order_by(Occurrence.id)):
        entered[occurrence.user_id][occurrence.kind].append(
            records.Occurrence(
                occurrence.item_key, occurrence.count, occurrence.note, f"occurrence {occurrence.id}"
            )
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


def period_vetoes(period: Period, managers: list[User]) -> dict[str, list[records.Occurrence]]:
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
