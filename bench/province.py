"""A province's data (#14), built fast with bulk Core inserts for `bench.data_scale`.

At scale 1.0: 50,000 customer managers in 2,000 branches; an exam sat by 5,000 candidates whose open
answers are partly marked (the grading queue) and a second one fully marked (the release); a competition
whose case round has 5,000 entries, each reviewed by 3 peers who calibrated first; an assignment to 5,000
managers, most of whom did it; and a year of appraisal (four published quarters of records for every
manager, the annual period open, waiting for its roll-up). Scale 0 builds the same world with 5 rows each.

Nothing goes through the services that hash passwords or write one row at a time: one password hash is
reused by every account, rows are inserted with executemany in chunks, and the values the pure rules would
have computed (calibration weights, appraisal trails) are computed once per distinct input and reused.
The shipped content (content/quizzes, content/cases) supplies the questions and the case.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select, text

from drill.accounts.models import Branch, User, UserRole
from drill.appraisal import services as appraisal_services
from drill.appraisal.models import Record
from drill.appraisal.rules import records as pure_records
from drill.appraisal.rules import rollup
from drill.attempts.models import Attempt, AttemptItem
from drill.competitions import content as case_content
from drill.competitions.models import (
    Calibration,
    Competition,
    Participant,
    PeerReview,
    ReviewAllocation,
    Round,
    RoundJudge,
    ScoreEvent,
)
from drill.competitions.rules import calibration
from drill.content.models import Pack, Question, QuestionVersion
from drill.content.services import import_paths
from drill.drills.models import Assignment, AssignmentTarget
from drill.exams.models import Exam, Mark, MarkChange
from drill.extensions import db
from drill.paths import project_dir

CHUNK = 5000
YEAR = 2025  # the appraisal year: its four quarters are published, its annual period waits for the roll-up
BOSS = "P-BOSS"  # the organiser, marker and appraisal admin every page is opened as
MANAGER = "P{:06d}"
ITEMS = 5  # questions on an exam or assignment paper: 4 objective, and on exams 1 open answer


@dataclass(frozen=True)
class Counts:
    branches: int
    managers: int
    candidates: int  # of each exam
    entries: int  # of the case round
    assignees: int

    @classmethod
    def at(cls, scale: float) -> Counts:
        """The province at `scale` (1.0: the issue's figures); never fewer than 5 rows (2 branches)."""

        def n(full: int, least: int = 5) -> int:
            return max(least, round(full * scale))

        managers = n(50_000)
        return cls(
            branches=n(2_000, 2),
            managers=managers,
            candidates=min(managers, n(5_000)),
            entries=min(managers, n(5_000)),
            assignees=min(managers, n(5_000)),
        )


@dataclass
class Province:
    counts: Counts
    boss: str  # employee number of the user who opens every page
    password: str
    ids: dict[str, int] = field(default_factory=dict)  # what the pages' URLs name
    branch_of: dict[int, int] = field(default_factory=dict)  # manager id → branch id
    rows: int = 0  # rows inserted in bulk
    seconds: dict[str, float] = field(default_factory=dict)  # how long each step of the build took

    def url(self, page: str) -> str:
        i = self.ids
        return {
            "round overview": f"/competitions/{i['competition']}/rounds/{i['round']}/manage",
            "entry detail": f"/competitions/{i['competition']}/rounds/{i['round']}/entries/{i['entry']}",
            "judging queue": f"/competitions/{i['competition']}/judging",
            "board.json": f"/competitions/{i['competition']}/board.json",
            "exam overview": f"/exams/{i['exam']}/overview",
            "grading queue": f"/exams/{i['exam']}/grading",
            "next answer": f"/exams/{i['exam']}/grading/{i['item']}",
            "assignment report": f"/drills/assignments/{i['assignment']}",
            "assignment xlsx": f"/drills/assignments/{i['assignment']}/export.xlsx",
            "users list": "/users",
            "appraisal person": f"/appraisal/people/{i['manager']}",
            "appraisal report": f"/appraisal/periods/{i['annual']}/report",
            "period page": f"/appraisal/periods/{i['annual']}",
            "levels": "/appraisal/levels",
            "release": f"/exams/{i['release_exam']}/release",
        }[page]


def bulk(model, rows: list[dict]) -> int:
    """executemany in chunks (one INSERT per chunk with SQLAlchemy's insertmanyvalues)."""
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(model), rows[start : start + CHUNK])
    return len(rows)


def next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def resync_sequences(tables: list[str]) -> None:
    """PostgreSQL: rows inserted with their ids leave the id sequences behind; move them past the rows, so
    the app's own inserts (the roll-up's records, the release's certificates) do not collide."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
        )


def build(counts: Counts, password_hash: str, password: str, seed: int = 0) -> Province:
    """Fill an empty database (schema created) with the province; commits."""
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    province = Province(counts, BOSS, password)
    clock = [time.perf_counter()]

    def lap(step: str) -> None:
        now_ = time.perf_counter()
        province.seconds[step] = round(now_ - clock[0], 2)
        clock[0] = now_

    content = project_dir("content")
    result = import_paths([content / "quizzes", content / "cases"], taxonomy_path=content / "taxonomy.yaml")
    if not result.ok:
        raise RuntimeError(f"the shipped content did not import: {result.report.errors[:3]}")
    db.session.commit()
    lap("content")
    users, manager_ids = _people(province, password_hash, now)
    boss_id = users[BOSS]
    objective, open_versions = _questions()
    lap("people")
    _exams(province, rng, boss_id, manager_ids, objective, open_versions, now)
    lap("exams")
    _competition(province, rng, boss_id, manager_ids, now)
    lap("competition")
    _assignment(province, rng, boss_id, manager_ids, objective, now)
    lap("assignment")
    _appraisal(province, boss_id, manager_ids, now)
    lap("appraisal")
    resync_sequences(
        [
            "branches", "users", "user_roles", "exams", "attempts", "attempt_items", "marks", "mark_changes",
            "competition_participants", "review_allocations", "peer_reviews", "calibrations", "score_events",
            "drill_assignment_targets", "appraisal_records",
        ]
    )  # fmt: skip
    db.session.commit()
    lap("commit")
    return province


def _people(province: Province, password_hash: str, now: datetime) -> tuple[dict[str, int], list[int]]:
    counts = province.counts
    head_id = next_id(Branch)
    branches = [{"id": head_id, "code": "PROV", "name": "省联社", "kind": "head_office", "parent_id": None,
                 "path": f"/{head_id}/"}]  # fmt: skip
    for b in range(counts.branches):
        bid = head_id + 1 + b
        branches.append(
            {"id": bid, "code": f"PB{b:04d}", "name": f"第{b + 1}支行", "kind": "branch",
             "parent_id": head_id, "path": f"/{head_id}/{bid}/"}
        )  # fmt: skip
    province.rows += bulk(Branch, branches)
    branch_ids = [b["id"] for b in branches[1:]]
    first = next_id(User)
    base = {"password_hash": password_hash, "locale": "zh_CN", "active": True, "created_at": now,
            "scope_branch_id": None}  # fmt: skip
    staff = [
        (BOSS, "省联社组织者", {"trainer", "admin"}),
        ("P-ADMIN2", "第二位管理员", {"admin"}),
        ("P-JUDGE", "评委甲", {"judge"}),
        ("P-MARKER", "阅卷人乙", {"trainer"}),
    ]
    rows, roles = [], []
    for i, (number, name, granted) in enumerate(staff):
        rows.append({**base, "id": first + i, "employee_no": number, "name": name, "branch_id": head_id,
                     "category": None, "level": None})  # fmt: skip
        roles += [{"user_id": first + i, "role": r} for r in sorted(granted)]
    levels = ("junior", "intermediate", "senior")
    manager_ids = []
    for m in range(counts.managers):
        uid = first + len(staff) + m
        manager_ids.append(uid)
        rows.append(
            {**base, "id": uid, "employee_no": MANAGER.format(m), "name": f"客户经理{m + 1}",
             "branch_id": branch_ids[m % len(branch_ids)], "category": "personal", "level": levels[m % 3]}
        )  # fmt: skip
        roles.append({"user_id": uid, "role": "manager"})
    province.rows += bulk(User, rows) + bulk(UserRole, roles)
    province.ids["manager"] = manager_ids[0]
    province.branch_of = dict(zip(manager_ids, (r["branch_id"] for r in rows[len(staff) :]), strict=True))
    return {r["employee_no"]: r["id"] for r in rows[: len(staff)]}, manager_ids


def _questions() -> tuple[list[QuestionVersion], list[QuestionVersion]]:
    """Single-choice versions, and open-answer versions (quiz ones first, else a case's tasks)."""
    versions = list(db.session.scalars(select(QuestionVersion).order_by(QuestionVersion.id)))
    objective = [v for v in versions if v.type == "single"]  # the theory cell's type
    open_versions = [v for v in versions if v.type == "open" and "/" not in _key(v)] or [
        v for v in versions if v.type == "open"
    ]
    return objective, open_versions


def _key(version: QuestionVersion) -> str:
    return version.question.key


def _exam_row(eid: int, title: str, boss_id: int, now: datetime, blueprint: list, released=None) -> dict:
    return {
        "id": eid, "title": title, "level": "intermediate", "category": "personal", "same_paper": False,
        "shuffle_questions": True, "shuffle_options": True, "seed": eid, "blueprint": blueprint,
        "opens_at": now - timedelta(days=3), "closes_at": now - timedelta(days=2), "time_limit_minutes": 90,
        "attempts_allowed": 1, "pass_rule": {"total_min": 60, "part_mins": {}},
        "eligible": {"branches": [], "categories": [], "levels": []}, "double_marking": False,
        "marking_threshold": 2.0, "allow_review": True, "validity_months": 24, "released_at": released,
        "created_by_id": boss_id, "created_at": now - timedelta(days=10),
    }  # fmt: skip


def _exams(province, rng, boss_id, manager_ids, objective, open_versions, now) -> None:
    """Two exams sat by the same candidates: the first with 40% of its open answers marked (the grading
    queue), the second fully marked and ready to release."""
    counts = province.counts
    open_version = open_versions[0]
    open_points = 20.0
    blueprint = [
        {"part": "theory", "count": ITEMS - 1, "points": 20.0, "type": "single"},
        {"part": "practical", "count": 1, "points": open_points, "type": "open"},
    ]
    first_exam = next_id(Exam)
    exams = [
        _exam_row(first_exam, "省级技能鉴定（阅卷中）", boss_id, now, blueprint),
        _exam_row(first_exam + 1, "省级技能鉴定（待发布）", boss_id, now, blueprint),
    ]
    province.rows += bulk(Exam, exams)
    province.ids["exam"], province.ids["release_exam"] = first_exam, first_exam + 1
    rubric = (open_version.spec.get("rubric") or {}).get("criteria") or []
    attempts, items, marks, changes = [], [], [], []
    attempt_id, item_id, mark_id = next_id(Attempt), next_id(AttemptItem), next_id(Mark)
    candidates = manager_ids[: counts.candidates]
    for exam in exams:
        marked_share = 0.4 if exam["id"] == first_exam else 1.0
        for c, user_id in enumerate(candidates):
            started = exam["opens_at"] + timedelta(minutes=c % 60)
            closed = started + timedelta(minutes=45)
            score = 0.0
            for position in range(1, ITEMS + 1):
                if position < ITEMS:
                    version = objective[(c + position) % len(objective)]
                    correct = rng.random() < 0.7
                    earned = 20.0 if correct else 0.0
                    score += earned
                    response, part, points = version.spec.get("answer"), "theory", 20.0
                else:
                    version, correct, earned = open_version, None, None
                    response, part, points = (
                        f"第{c + 1}位考生的作答：先核实情况，再按制度报告。",
                        "practical",
                        open_points,
                    )
                    if c < counts.candidates * marked_share:
                        earned = float(rng.randint(8, 20))
                        score += earned
                        criteria = _split(rubric, earned, open_points)
                        marks.append(
                            {"id": mark_id, "attempt_item_id": item_id, "marker_id": boss_id, "round": 1,
                             "criteria": criteria, "total": earned, "comment": "要点基本齐全",
                             "created_at": closed, "updated_at": closed}
                        )  # fmt: skip
                        changes.append(
                            {"mark_id": mark_id, "changed_by_id": boss_id, "changed_at": closed,
                             "old_total": None, "new_total": earned, "old_criteria": None,
                             "new_criteria": criteria, "reason": "first marking"}
                        )  # fmt: skip
                        mark_id += 1
                items.append(
                    {"id": item_id, "attempt_id": attempt_id, "position": position,
                     "question_version_id": version.id, "option_seed": f"s{attempt_id}", "part": part,
                     "points": points, "first_saved_at": started, "response": response, "saved_at": closed,
                     "saved_seq": 1, "earned": earned, "correct": correct, "detail": None,
                     "self_assessment": None}
                )  # fmt: skip
                item_id += 1
            attempts.append(
                {"id": attempt_id, "user_id": user_id, "kind": "exam", "exam_id": exam["id"], "number": 1,
                 "title": exam["title"], "criteria": {}, "seed": attempt_id, "state": "submitted",
                 "started_at": started, "deadline": started + timedelta(minutes=90), "closed_at": closed,
                 "score": score, "max_score": 100.0}
            )  # fmt: skip
            attempt_id += 1
    province.rows += bulk(Attempt, attempts) + bulk(AttemptItem, items) + bulk(Mark, marks)
    province.rows += bulk(MarkChange, changes)
    # an unmarked answer of the first exam: the grading page the queue hands out
    unmarked = next(i for i in items if i["earned"] is None and i["position"] == ITEMS)
    province.ids["item"] = unmarked["id"]


def _split(rubric: list[dict], earned: float, points: float) -> dict:
    """A mark's criteria: the earned points shared out by the rubric's weights (or one figure)."""
    if not rubric:
        return {"points": earned}
    total = sum(float(c["weight"]) for c in rubric)
    return {c["id"]: round(earned * float(c["weight"]) / total, 1) for c in rubric}


def _competition(province, rng, boss_id, manager_ids, now) -> None:
    """A case round in review: every entry handed in, reviewed by the next three participants, each of
    whom scored the case's examples first; a score for everyone on the board."""
    counts = province.counts
    case_pack = _case_with_examples()
    competition = Competition(title="全省营销案例大赛", state="open", reviews_per_entry=3,
                              created_by_id=boss_id, created_at=now - timedelta(days=20))  # fmt: skip
    db.session.add(competition)
    db.session.flush()
    round_ = Round(
        competition_id=competition.id, kind="case", title="案例分析", weight=1.0, position=1,
        state="reviewing",
        opens_at=now - timedelta(days=10), closes_at=now - timedelta(days=5), time_limit_minutes=50,
        case_pack_id=case_pack.id, peer_weight=1.0, judge_weight=0.0, judge_budget=10.0,
    )  # fmt: skip
    db.session.add(round_)
    db.session.flush()
    judge_id = db.session.scalar(select(User.id).where(User.employee_no == "P-JUDGE"))
    db.session.add(RoundJudge(round_id=round_.id, user_id=judge_id))
    db.session.flush()
    case = case_content.of_round(round_)
    tasks = _tasks(case_pack.id)
    criteria = case.calibration_criteria
    expert = case.expert
    province.ids["competition"], province.ids["round"] = competition.id, round_.id

    people = manager_ids[: counts.entries]
    branch_of = province.branch_of
    pid0, aid0, iid0 = next_id(Participant), next_id(Attempt), next_id(AttemptItem)
    participants, attempts, items = [], [], []
    closed = round_.closes_at - timedelta(hours=1)
    for n, user_id in enumerate(people):
        participants.append({"id": pid0 + n, "competition_id": competition.id, "user_id": user_id,
                             "team_id": branch_of[user_id]})  # fmt: skip
        attempts.append(
            {"id": aid0 + n, "user_id": user_id, "kind": "competition", "competition_round_id": round_.id,
             "number": 1, "title": round_.title, "criteria": {}, "seed": aid0 + n, "state": "submitted",
             "started_at": closed - timedelta(minutes=40), "deadline": closed + timedelta(minutes=10),
             "closed_at": closed, "score": None, "max_score": None}
        )  # fmt: skip
        for position, version in enumerate(tasks, start=1):
            items.append(
                {"id": iid0 + len(items), "attempt_id": aid0 + n, "position": position,
                 "question_version_id": version.id, "option_seed": f"c{aid0 + n}", "part": None,
                 "points": None, "first_saved_at": closed,
                 "response": f"参赛者{n + 1}对第{position}题的分析与对策。",
                 "saved_at": closed, "saved_seq": 1, "earned": None, "correct": None, "detail": None,
                 "self_assessment": None}
            )  # fmt: skip
    province.rows += bulk(Participant, participants) + bulk(Attempt, attempts) + bulk(AttemptItem, items)

    # calibration: a handful of reviewer styles, each calibrated once by the pure rule and reused
    styles = []
    for bias in (-12, -6, -2, 0, 2, 6, 12):
        given = {x: {c.id: max(0.0, min(c.full_marks, s[c.id] + bias * c.full_marks / 100)) for c in criteria}
                 for x, s in expert.items()}  # fmt: skip
        result = calibration.calibrate(criteria, expert, given)
        styles.append((bias, given, result))
    calibrations, allocations, reviews, events = [], [], [], []
    alloc0, review0 = next_id(ReviewAllocation), next_id(PeerReview)
    k, n_people = competition.reviews_per_entry, len(people)
    for n in range(n_people):
        bias, given, result = styles[n % len(styles)]
        calibrations.append(
            {"round_id": round_.id, "participant_id": pid0 + n, "given": given,
             "relative_deviation": result.relative_deviation, "accuracy": result.accuracy,
             "weight": result.weight, "created_at": closed + timedelta(hours=2)}
        )  # fmt: skip
    quality = [rng.uniform(0.4, 0.95) for _ in range(n_people)]
    for n in range(n_people):
        entry_id = aid0 + n
        for j in range(1, min(k, n_people - 1) + 1):
            reviewer = (n + j) % n_people
            bias = styles[reviewer % len(styles)][0]
            scores = {
                c.id: round(
                    max(0.0, min(c.full_marks, c.full_marks * (quality[n] + bias / 100) + rng.gauss(0, 3))), 1
                )
                for c in criteria
            }
            aid = alloc0 + len(allocations)
            allocations.append({"id": aid, "round_id": round_.id, "entry_id": entry_id,
                                "reviewer_id": pid0 + reviewer, "state": "done",
                                "created_at": closed + timedelta(hours=1)})  # fmt: skip
            reviews.append({"id": review0 + len(reviews), "allocation_id": aid, "round_id": round_.id,
                            "entry_id": entry_id, "reviewer_id": pid0 + reviewer, "criteria": scores,
                            "total": round(sum(scores.values()), 2), "comment": "论证清楚",
                            "created_at": closed + timedelta(hours=3)})  # fmt: skip
        events.append(
            {"competition_id": competition.id, "seq": n + 1, "txid": None, "round_id": round_.id,
             "participant_id": pid0 + n, "score": round(100 * quality[n], 4), "completed_at": closed,
             "recorded_at": closed + timedelta(hours=4), "reason": "peer reviews complete",
             "recorded_by_id": None}
        )  # fmt: skip
    province.rows += bulk(Calibration, calibrations) + bulk(ReviewAllocation, allocations)
    province.rows += bulk(PeerReview, reviews)
    if db.session.get_bind().dialect.name == "postgresql":
        # the boards catch up by transaction id: these events are this transaction's
        txid = db.session.scalar(text("SELECT pg_current_xact_id()::text::bigint"))
        events = [{**e, "txid": txid} for e in events]
    province.rows += bulk(ScoreEvent, events)
    competition.event_seq = len(events)
    province.ids["entry"] = aid0
    db.session.flush()


def _case_with_examples() -> Pack:
    """The shipped case with the most scored examples (calibration needs them)."""
    best, most = None, -1
    for pack in case_content.case_packs():
        probe = Round(kind="case", title="probe", case_pack=pack, case_pack_id=pack.id)
        examples = len(case_content.of_round(probe).examples)
        if probe in db.session:  # never meant to be stored
            db.session.expunge(probe)
        if examples > most and _tasks(pack.id):
            best, most = pack, examples
    if best is None:
        raise RuntimeError("no shipped case pack with tasks")
    return best


def _tasks(pack_id: int) -> list[QuestionVersion]:
    """The case's tasks in order at their current versions (what an entry answers)."""
    return list(
        db.session.scalars(
            select(QuestionVersion)
            .join(Question, Question.id == QuestionVersion.question_id)
            .where(
                Question.pack_id == pack_id,
                Question.current_version == QuestionVersion.number,
                Question.retired_at.is_(None),
            )
            .order_by(Question.position)
        )
    )


def _assignment(province, rng, boss_id, manager_ids, objective, now) -> None:
    """A drill set for 5,000 managers by name; 70% did it, the rest have not started."""
    counts = province.counts
    assignment = Assignment(
        title="季度合规必练", created_by_id=boss_id, question_count=ITEMS - 1, time_limit_minutes=20,
        opens_at=now - timedelta(days=7), closes_at=now + timedelta(days=7),
        created_at=now - timedelta(days=8),
    )  # fmt: skip
    db.session.add(assignment)
    db.session.flush()
    province.ids["assignment"] = assignment.id
    assignees = manager_ids[-counts.assignees :]
    targets = [{"assignment_id": assignment.id, "branch_id": None, "user_id": u} for u in assignees]
    attempts, items = [], []
    aid0, iid0 = next_id(Attempt), next_id(AttemptItem)
    for n, user_id in enumerate(assignees):
        if rng.random() >= 0.7:
            continue
        aid = aid0 + len(attempts)
        started = assignment.opens_at + timedelta(hours=n % 100)
        score = 0.0
        for position in range(1, ITEMS):
            correct = rng.random() < 0.75
            score += 1.0 if correct else 0.0
            version = objective[(n + position) % len(objective)]
            items.append(
                {"id": iid0 + len(items), "attempt_id": aid, "position": position,
                 "question_version_id": version.id, "option_seed": f"a{aid}", "part": None, "points": None,
                 "first_saved_at": started, "response": version.spec.get("answer"), "saved_at": started,
                 "saved_seq": 1, "earned": 1.0 if correct else 0.0, "correct": correct, "detail": None,
                 "self_assessment": None}
            )  # fmt: skip
        attempts.append(
            {"id": aid, "user_id": user_id, "kind": "assigned", "assignment_id": assignment.id, "number": 1,
             "title": assignment.title, "criteria": {}, "seed": aid, "state": "submitted",
             "started_at": started, "deadline": started + timedelta(minutes=20),
             "closed_at": started + timedelta(minutes=12), "score": score, "max_score": float(ITEMS - 1)}
        )  # fmt: skip
    province.rows += bulk(AssignmentTarget, targets) + bulk(Attempt, attempts) + bulk(AttemptItem, items)


def _appraisal(province, boss_id, manager_ids, now) -> None:
    """The bank scheme's four quarters of YEAR, published, with a record for every manager (trails made
    by the pure rules for a few kinds of evidence, reused), and the annual period open for the roll-up."""
    scheme_file = next(f for f in appraisal_services.scheme_files() if f.scheme.id == "bank-manager")
    scheme = scheme_file.scheme
    boss = db.session.get(User, boss_id)
    quarters = [
        appraisal_services.create_period(scheme_file, "quarterly", YEAR, q, boss) for q in (1, 2, 3, 4)
    ]
    annual = appraisal_services.create_period(scheme_file, "annual", YEAR, 1, boss)
    db.session.flush()
    province.ids["annual"] = annual.id
    numbers = {uid: MANAGER.format(n) for n, uid in enumerate(manager_ids)}
    branch_of = province.branch_of
    codes = dict(db.session.execute(select(Branch.id, Branch.code)).all())
    rows = []
    for quarter in quarters:
        pure = pure_records.Period(quarter.kind, quarter.starts_on, quarter.ends_on, quarter.label)
        templates = _trails(scheme, pure, variants=12)
        quarter.state, quarter.computed_at, quarter.published_at = "published", now, now
        for n, uid in enumerate(manager_ids):
            total, band, trail = templates[n % len(templates)]
            rows.append(
                {"period_id": quarter.id, "user_id": uid, "total": total, "band": band, "vetoed": False,
                 "unit": codes[branch_of[uid]], "rank": None, "unit_size": None,
                 "trail": {**trail, "manager": numbers[uid]}, "computed_at": now}
            )  # fmt: skip
    province.rows += bulk(Record, rows)
    db.session.flush()


def _trails(scheme, period: pure_records.Period, variants: int) -> list[tuple[float, str, dict]]:
    """(total, band, trail) of `variants` managers with different evidence, computed by the pure rule."""
    evidence = {}
    for v in range(variants):
        share = 0.7 + 0.05 * v
        indicators = {}
        for column in scheme.columns:
            key = column.key
            if key.endswith("_target") or key == "interest_due":
                indicators[key] = 1000.0
            elif key.endswith("_actual") or key == "interest_collected":
                indicators[key] = round(1000.0 * share, 2)
            elif key == "npl_ratio":
                indicators[key] = 1.0 + v * 0.3
            elif key == "complaints":
                indicators[key] = float(v % 3)
            else:
                indicators[key] = min(100.0, 70.0 + 2.5 * v)
        ratings = {
            item.key: pure_records.Rating(
                min(item.scale[1], item.scale[0] + (item.scale[1] - item.scale[0]) * share), "表现稳定"
            )
            for dim in scheme.dimensions
            for item in dim.items
            if item.source == "rating"
        }
        evidence[f"V{v:02d}"] = pure_records.ManagerEvidence(indicators=indicators, ratings=ratings)
    computed = rollup.compute(scheme, pure_records.Evidence(period, evidence), {})
    return [(r.total, r.band, r.as_dict()) for r in computed]
