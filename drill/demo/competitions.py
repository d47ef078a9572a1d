"""A competition mid-way: the written round two weeks ago, scored as each paper closed; the case round's
entries in, peers calibrated on the example answers and reviewing, some reviews still to come; the board
frozen since last night, so the hall sees the standings of then while the organiser sees them live."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from drill.attempts import engine
from drill.competitions import content, entries, peer, round_scores, setup
from drill.competitions.models import Competition, Round
from drill.competitions.rules import states
from drill.content.models import Pack
from drill.demo.answers import rubric_scores
from drill.demo.drills import GRACE, answer
from drill.demo.world import World
from drill.extensions import db

WRITTEN = [
    {"part": "written", "count": 10, "points": 4, "type": "single"},
    {"part": "written", "count": 5, "points": 6, "type": "multiple"},
    {"part": "written", "count": 10, "points": 3, "type": "truefalse"},
]
CASE = "case-complaint-handling"
COMMENTS = [
    "思路清楚，步骤完整。",
    "处理步骤合理，话术可以更具体。",
    "对材料的把握不够，时限要求没有写。",
    "表达流畅，要点齐全。",
]


def seed(world: World) -> Competition | None:
    case_pack = db.session.scalar(select(Pack).where(Pack.slug == CASE))
    if case_pack is None:
        world.note(f"competition skipped: the case {CASE} is not imported")
        return None
    rng, organiser = world.rng, world.user("trainer1")
    competition = setup.create("冬季营销服务技能大赛", organiser, reviews_per_entry=3, team_rule="mean")
    setup.add_participants(competition, world.bank_managers)
    written = setup.add_round(
        competition, kind="written", title="第一轮 笔试", weight=0.4, time_limit_minutes=30,
        blueprint=WRITTEN, opens_at=world.at(14, 9), closes_at=world.at(14, 11),
    )  # fmt: skip
    case = setup.add_round(
        competition, kind="case", title="第二轮 案例分析：客户投诉处理", weight=0.6, time_limit_minutes=90,
        case_pack_id=case_pack.id, peer_weight=1.0, judge_weight=0.0, opens_at=world.at(6, 9),
        closes_at=world.at(5, 18), review_closes_at=world.now + timedelta(days=3),
        judges=[world.user(f"judge{n}").id for n in (1, 2, 3)],
    )  # fmt: skip
    written.seed, case.seed = rng.getrandbits(31), rng.getrandbits(31)  # reproducible draws and allocation
    setup.move_competition(competition, states.OPEN)
    people = setup.participants(competition)
    skills = {p.id: rng.uniform(0.45, 0.9) for p in people}

    take_round(world, written, people, skills, pace=(20, 60))
    setup.move_round(written, states.CLOSED, written.closes_at)
    take_round(world, case, people[:-2], skills, pace=(400, 900))  # two did not hand in
    reviewing = world.at(4, 9)
    setup.move_round(case, states.REVIEWING, reviewing)
    peer.allocate(case)
    round_scores.settle_round(case, reviewing)
    done = review(world, case, people, skills, reviewing)
    competition.freeze_at = world.at(1, 18)
    world.note(
        f"competition “{competition.title}”: written round scored, case round in review "
        f"({done} reviews given), board frozen since {competition.freeze_at:%Y-%m-%d %H:%M} UTC"
    )
    return competition


def take_round(world: World, round_: Round, people, skills, pace) -> None:
    """Every participant opens the round (the organiser opened it just before) and hands in."""
    setup.move_round(round_, states.OPEN, round_.opens_at - timedelta(minutes=5))
    for participant in people:
        when = round_.opens_at + timedelta(minutes=world.rng.randint(0, 20))
        attempt = entries.start(round_, participant, when)
        finished = answer(world, attempt, skills[participant.id], when, attempt.deadline, pace)
        engine.close(attempt.id, finished, engine.Why.SUBMITTED, grace=GRACE)


def review(world: World, round_: Round, people, skills, since) -> int:
    """Most participants calibrate on the examples, then score some or all of the entries given them."""
    rng, case = world.rng, content.of_round(round_)
    authors = peer.authors(round_)
    span = (world.now - since).total_seconds()
    done = 0
    for participant in people:
        if rng.random() < 0.15:
            continue  # has not started reviewing
        when = since + timedelta(seconds=rng.uniform(0.05, 0.9) * span)
        if case.examples:
            off = 1 - skills[participant.id]  # a weaker reviewer strays further from the experts
            given = {
                example_id: {
                    c["id"]: clamp(
                        scores[c["id"]] + rng.uniform(-off, off) * float(c["weight"]) / 2, c["weight"]
                    )
                    for c in case.criteria
                }
                for example_id, scores in case.expert.items()
            }
            peer.calibrate(round_, participant, case, given, when)
        mine = peer.allocations(round_, reviewer=participant)
        for allocation in mine[: rng.choice([1, 2, 3, 3, 3])]:
            when += timedelta(minutes=rng.randint(8, 25))
            if when >= world.now:
                break
            author = authors[allocation.entry_id]
            share = skills[author.id] + rng.uniform(-0.1, 0.1)
            scores = rubric_scores(case.criteria, share, rng)
            peer.review(round_, participant, allocation.entry_id, case, scores, rng.choice(COMMENTS), when)
            round_scores.settle_entry(round_, peer.entry(allocation.entry_id), author, when)
            done += 1
    return done


def clamp(value: float, weight) -> float:
    return round(min(float(weight), max(0.0, value)) * 2) / 2
