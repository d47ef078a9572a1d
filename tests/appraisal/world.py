"""Building an organisation's year for the appraisal app tests: sheets, drills, exams, competitions, and a
period taken from open to published through the services (the app tests drive the pages where it counts).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from drill.appraisal import entry, period_records, services
from drill.appraisal.rules import states
from drill.attempts.models import Attempt, AttemptItem
from drill.competitions.models import Competition, Participant, Round, ScoreEvent
from drill.content.models import QuestionVersion
from drill.content.services import import_paths
from drill.exams.models import Certificate, Exam
from drill.extensions import db
from drill.paths import project_dir


def at(day: date, hour: int = 2) -> datetime:
    """A moment in UTC on `day` (02:00 UTC is 10:00 in Shanghai: the same local day)."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def sheet_csv(columns: list[str], rows: dict[str, dict[str, float]]) -> bytes:
    """A CSV indicator sheet: 工号, 姓名 (ignored) and the scheme's columns by their Chinese labels."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["工号", "姓名", *columns])
    for number, values in rows.items():
        writer.writerow([number, "某人", *(values[c] for c in columns)])
    return text.getvalue().encode("utf-8")


def scheme_file(scheme_id: str) -> services.SchemeFile:
    return next(f for f in services.scheme_files() if f.scheme.id == scheme_id)


def labels_of(scheme_id: str) -> dict[str, str]:
    """Indicator key → the Chinese header of the sheet."""
    return {c.key: c.label for c in scheme_file(scheme_id).scheme.columns}


def drill(user, day: date, score: float, max_score: float = 10, items=(), minutes: int = 12) -> Attempt:
    """A finished practice drill closed on `day`; `items`: (question version id, points, earned)."""
    closed = at(day)
    attempt = Attempt(
        user_id=user.id,
        kind="practice",
        title="练兵",
        criteria={},
        seed=1,
        state="submitted",
        started_at=closed - timedelta(minutes=minutes),
        deadline=closed + timedelta(minutes=30),
        closed_at=closed,
        score=score,
        max_score=max_score,
    )
    attempt.items = [
        AttemptItem(position=i, question_version_id=v, option_seed="s", points=None, earned=e, correct=e >= p)
        for i, (v, p, e) in enumerate(items, start=1)
    ]
    db.session.add(attempt)
    db.session.flush()
    return attempt


def versions(limit: int | None = None) -> list[QuestionVersion]:
    query = select(QuestionVersion).order_by(QuestionVersion.id)
    return list(db.session.scalars(query.limit(limit) if limit else query))


def import_shipped_quizzes() -> None:
    result = import_paths(
        [project_dir("content") / "quizzes"], taxonomy_path=project_dir("content") / "taxonomy.yaml"
    )
    assert result.ok, [str(p) for p in result.report.errors]
    db.session.commit()


def released_exam(author, user, day: date, earned: list[tuple[int, float, float]], level: str, category: str):
    """A formal exam sat on `day`, released, with the certificate its pass earned. `earned`: (question
    version id, points, earned) per item."""
    exam = Exam(
        title="中级技能考评",
        level=level,
        category=category,
        seed=7,
        blueprint=[],
        opens_at=at(day, 0),
        closes_at=at(day, 6),
        time_limit_minutes=60,
        pass_rule={"total_min": 60, "part_mins": {}},
        eligible={"branches": [], "categories": [], "levels": []},
        released_at=at(day + timedelta(days=3)),
        created_by_id=author.id,
    )
    db.session.add(exam)
    db.session.flush()
    attempt = Attempt(
        user_id=user.id,
        kind="exam",
        exam_id=exam.id,
        title=exam.title,
        criteria={},
        seed=9,
        state="submitted",
        started_at=at(day, 1),
        deadline=at(day, 3),
        closed_at=at(day, 2),
        score=sum(e for _, _, e in earned),
        max_score=sum(p for _, p, _ in earned),
    )
    attempt.items = [
        AttemptItem(position=i, question_version_id=v, option_seed="s", part="theory", points=p, earned=e)
        for i, (v, p, e) in enumerate(earned, start=1)
    ]
    db.session.add(attempt)
    db.session.flush()
    issued = (exam.released_at).date()
    certificate = Certificate(
        number=f"DR{issued:%Y}-{exam.id:04d}-{user.id:06d}",
        user_id=user.id,
        exam_id=exam.id,
        attempt_id=attempt.id,
        level=level,
        category=category,
        issued_on=issued,
        valid_until=date(issued.year + 10, issued.month, issued.day),  # valid whenever the test runs
        score_percent=100 * attempt.score / attempt.max_score,
    )
    db.session.add(certificate)
    db.session.flush()
    return exam, attempt, certificate


def published_competition(author, scores: list[tuple[object, float]], day: date) -> Competition:
    """A finished, published one-round competition; `scores`: (user, score on 100)."""
    competition = Competition(
        title="营销技能竞赛", state="finished", published_at=at(day), created_by_id=author.id
    )
    db.session.add(competition)
    db.session.flush()
    round_ = Round(competition_id=competition.id, kind="written", title="笔试", weight=1.0, state="closed")
    db.session.add(round_)
    db.session.flush()
    for seq, (user, score) in enumerate(scores, start=1):
        participant = Participant(competition_id=competition.id, user_id=user.id, team_id=user.branch_id)
        db.session.add(participant)
        db.session.flush()
        db.session.add(
            ScoreEvent(
                competition_id=competition.id,
                seq=seq,
                round_id=round_.id,
                participant_id=participant.id,
                score=score,
                completed_at=at(day - timedelta(days=1), seq),
                recorded_at=at(day - timedelta(days=1), seq),
                reason="written round",
            )
        )
    competition.event_seq = len(scores)
    db.session.flush()
    return competition


def run_period(admin, period, now: datetime | None = None) -> None:
    """Compute, review and publish a period through the services (it must be computable)."""
    now = now or datetime.now(UTC)
    outcome = period_records.compute_period(period, admin, now)
    assert outcome.ok, [m.text() for m in outcome.blockers]
    services.move(period, states.REVIEWED, admin, now)
    services.move(period, states.PUBLISHED, admin, now)
    db.session.commit()


def rate_all(period, manager, values: dict[str, float], rater, comment: str = "按月度工作记录评价") -> None:
    for key, value in values.items():
        entry.save_rating(period, manager, key, value, comment, rater, datetime.now(UTC))
