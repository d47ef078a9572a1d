"""A quarter of practice: most managers drill a few times a week or a month, get better, keep a
wrong-answer notebook and review it; and an assigned drill half done (done, started, not started)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from drill.accounts.models import User
from drill.attempts import engine
from drill.attempts.models import Attempt
from drill.content import catalog
from drill.content.models import Pack
from drill.demo.answers import response
from drill.demo.world import World
from drill.drills import assigned, services
from drill.drills.models import Assignment, AssignmentTarget
from drill.extensions import db

THEMES = [
    "service-qa",
    "marketing-planning",
    "data-application",
    "case-analysis",
    "brand-culture",
    "brand-cultivation",
    "terminal-function",
]
IDLE = {"m007", "m013", "m022", "m029"}  # four managers who never practised this quarter
GRACE = 5.0


def answer(
    world: World, attempt: Attempt, skill: float, started: datetime, limit: datetime, pace=(25, 95)
) -> datetime:
    """Answer the paper item by item (right with probability `skill`), as saves at a person's pace (seconds
    a question); the moment to submit. Stops at `limit`: the rest stays unanswered."""
    # A generator of its own (one draw from the demo's): what the paper holds never shifts later steps.
    rng, versions, when = random.Random(world.rng.random()), engine.versions_of(attempt), started
    for item in sorted(attempt.items, key=lambda i: i.position):
        when += timedelta(seconds=rng.randint(*pace))
        if when >= limit:
            break
        spec = versions[item.question_version_id].spec
        given = response(spec, rng.random() < skill, rng)
        engine.save_answer(attempt.id, attempt.user_id, item.position, given, when, GRACE)
    return min(when + timedelta(seconds=rng.randint(5, 40)), limit)


def practise(world: World, user: User, criteria: services.Criteria, title: str, when: datetime, skill: float):
    """One practice drill started at `when`, answered and submitted."""
    key = (criteria.theme, criteria.audience)
    if key not in world.cache:
        world.cache[key] = services.candidates(criteria)
    pool = world.cache[key]
    if not pool:
        return None
    first = world.rng.sample(pool, min(criteria.count, len(pool)))  # the demo's own draw: reproducible
    attempt = services.start(user, criteria, when, title=title, first=first)
    finished = answer(world, attempt, skill, when, attempt.deadline)
    engine.close(attempt.id, finished, engine.Why.SUBMITTED, grace=GRACE)
    return attempt


def seed(world: World) -> int:
    """Practice drills over the last ~90 days; returns how many."""
    rng, made = world.rng, 0
    for user in world.managers:
        if user.employee_no in IDLE:
            continue
        audience = services.audience_of(user)
        skill, sessions = rng.uniform(0.45, 0.8), rng.randint(4, 12)
        if user.employee_no == "m001":  # the login the README suggests: a keen one
            skill, sessions = 0.62, 16
        days = sorted(rng.sample(range(1, 92), sessions), reverse=True)
        for n, days_ago in enumerate(days):
            theme = rng.choice(THEMES)
            count = rng.choice([5, 10, 10, 15])
            criteria = services.Criteria(theme=theme, audience=audience, count=count, minutes=count + 5)
            title = _("Practice: %(what)s", what=catalog.theme_label(theme))
            when = world.at(days_ago, rng.choice([8, 12, 13, 19, 20, 21]), rng.randint(0, 59))
            progress = n / max(1, sessions - 1)  # better as the quarter goes on
            if practise(world, user, criteria, title, when, min(0.95, skill + 0.15 * progress)):
                made += 1
            if n % 5 == 4:  # now and then, the wrong-answer notebook
                made += review(world, user, when + timedelta(hours=2), skill + 0.2)
    world.note(f"{made} practice drills by {len(world.managers) - len(IDLE)} managers over 90 days")
    return made


def review(world: World, user: User, when: datetime, skill: float) -> int:
    first = services.review_candidates(user, when)
    if not first:
        return 0
    criteria = services.Criteria(count=min(len(first), 20), minutes=max(5, min(len(first), 20)))
    attempt = services.start(user, criteria, when, kind="review", title=_("Review my mistakes"), first=first)
    finished = answer(world, attempt, min(0.95, skill), when, attempt.deadline, (15, 45))
    engine.close(attempt.id, finished, engine.Why.SUBMITTED, grace=GRACE)
    return 1


def assignment(world: World) -> Assignment | None:
    """Trainer 1's drill for two branches, a week in, one fixed paper for everyone: half done, some
    started, the rest not yet and reminded (催办) yesterday. m001, the README's manager, has it to do."""
    rng, now, trainer = world.rng, world.now, world.user("trainer1")
    task = Assignment(
        title="本月服务规范与消费者权益保护测验",
        created_by=trainer,
        pack=db.session.scalar(select(Pack).where(Pack.slug == "service-qa-practice")),
        question_count=10,
        time_limit_minutes=45,
        opens_at=world.at(6, 9),
        closes_at=now + timedelta(days=8),
    )
    task.targets = [AssignmentTarget(branch_id=world.branch(code).id) for code in ("QH-DC", "QH-XS")]
    if not assigned.fix_paper(task):
        return None
    db.session.add(task)
    db.session.flush()
    people = sorted(assigned.assignees(task), key=lambda u: u.employee_no == "m001")  # m001 last
    half = len(people) // 2
    done, started, waiting = people[:half], people[half : half + 4], people[half + 4 :]
    for user in done:
        when = world.at(rng.randint(1, 6), rng.choice([9, 12, 20]), rng.randint(0, 59))
        attempt = assigned.start(user, task, when)
        finished = answer(world, attempt, rng.uniform(0.55, 0.9), when, attempt.deadline)
        engine.close(attempt.id, finished, engine.Why.SUBMITTED, grace=GRACE)
    for user in started:  # on it right now: a few answers saved, the paper still open
        when = now - timedelta(minutes=rng.randint(3, 10))
        attempt = assigned.start(user, task, when)
        answer(world, attempt, 0.7, when, now - timedelta(seconds=30))
    assigned.remind(task, waiting, trainer, world.at(1, 17))
    world.note(
        f"assignment “{task.title}”: {len(done)} done, {len(started)} started, "
        f"{len(waiting)} not started (reminded)"
    )
    return task
