"""A skill-level exam a month ago: the bank managers sat it in a two-hour window, two trainers marked the
open answers (a third mark where they were far apart), the results were released and the passes certified."""

from __future__ import annotations

from datetime import timedelta

from drill.attempts import engine
from drill.content.models import QuestionVersion
from drill.demo.answers import rubric_scores
from drill.demo.drills import GRACE, answer
from drill.demo.world import World
from drill.exams import grading, release, services
from drill.exams.models import Exam
from drill.extensions import db

BLUEPRINT = [
    {"part": "theory", "count": 10, "points": 3, "type": "single"},
    {"part": "theory", "count": 5, "points": 4, "type": "multiple"},
    {"part": "theory", "count": 10, "points": 1, "type": "truefalse"},
    {"part": "practical", "count": 1, "points": 40, "type": "open", "theme": "case-analysis"},
]
ABSENT = {"m010", "m019"}  # on leave that day


def seed(world: World) -> Exam | None:
    rng = world.rng
    exam = Exam(
        title="客户经理中级技能等级考评（秋季）",
        level="intermediate",
        category=None,
        seed=rng.getrandbits(31),
        blueprint=BLUEPRINT,
        opens_at=world.at(33, 9),
        closes_at=world.at(33, 11),
        time_limit_minutes=60,
        attempts_allowed=1,
        pass_rule={"total_min": 60, "part_mins": {"practical": 50}},
        eligible={"branches": [], "categories": ["personal", "corporate", "comprehensive"], "levels": []},
        double_marking=True,
        marking_threshold=6,
        created_by=world.user("trainer1"),
    )
    db.session.add(exam)
    db.session.flush()
    if services.check_blueprint(exam):
        db.session.delete(exam)
        world.note("exam skipped: the question bank cannot fill its blueprint")
        return None
    skills = {}
    for user in world.bank_managers:
        if user.employee_no in ABSENT:
            continue
        skills[user.id] = rng.uniform(0.45, 0.92)
        if user.employee_no == "m001":  # the README's manager passes: a certificate, then a promotion
            skills[user.id] = 0.9
        when = exam.opens_at + timedelta(minutes=rng.randint(0, 12))
        attempt = services.start(exam, user, when)
        done = answer(world, attempt, skills[user.id], when, attempt.deadline, (40, 110))
        engine.close(attempt.id, done, engine.Why.SUBMITTED, grace=GRACE)
    mark(world, exam, skills)
    released = world.at(30, 16)
    certified = release.release(exam, released)
    world.note(f"exam “{exam.title}”: {len(skills)} sat, {certified} certified, released {released:%Y-%m-%d}")
    return exam


def mark(world: World, exam: Exam, skills: dict[int, float]) -> None:
    """Two trainers mark every open answer against its rubric; an admin settles any they disagree on."""
    rng = world.rng
    markers = [world.user("trainer1"), world.user("trainer2")]
    for n, item in enumerate(grading.gradable(exam)):
        version = db.session.get(QuestionVersion, item.question_version_id)
        criteria = (version.spec.get("rubric") or {}).get("criteria") or []
        share = min(0.95, skills[item.attempt.user_id] + rng.uniform(-0.1, 0.05))
        when = exam.closes_at + timedelta(days=1, minutes=10 * n)
        for marker in markers:
            scores = (
                rubric_scores(criteria, share, rng)
                if criteria
                else {"points": round(float(item.points) * share)}
            )
            grading.record(exam, item, marker, scores, "要点基本齐全，分析可再深入。", "", when)
        if grading.resolution(exam, item).final is None:
            scores = (
                rubric_scores(criteria, share, rng, 0) if criteria else {"points": round(item.points * share)}
            )
            grading.record(exam, item, world.user("admin"), scores, "第三评：取接近的一评。", "", when)
