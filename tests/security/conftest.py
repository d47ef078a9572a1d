"""A seeded world for probing every route as every kind of user, with real ids.

One manager of the east branch (东城) owns every personal object: a drill attempt, an exam attempt with a
released certificate, a case-round entry with peer reviews allocated, an appraisal record, a level change.
Around them: a manager of the west branch (西山), a trainer scoped to the west branch, a judge of the case
round, and an unscoped admin who set up the exam, the competition and the assignment and owns a draft.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from drill.appraisal import entry, period_records, services
from drill.appraisal.models import LevelChange, Record
from drill.attempts.models import Attempt, AttemptItem
from drill.authoring import services as authoring
from drill.competitions import setup
from drill.competitions.models import Participant, ReviewAllocation
from drill.database import utcnow
from drill.drills.models import Assignment, AssignmentTarget
from drill.exams.models import Certificate, Exam
from drill.integrity.models import SimilarityFlag
from tests.appraisal.test_bank_app import B001, OTHER_RATINGS
from tests.appraisal.world import labels_of, rate_all, scheme_file, sheet_csv
from tests.authoring.conftest import PACK, PNG
from tests.competitions.conftest import case_pack, hand_in  # noqa: F401  (fixture)
from tests.drills.conftest import option_ids, positions_by_key, sample_pack, start_drill  # noqa: F401  (fixtures)
from tests.exams.conftest import BLUEPRINT, make_exam  # noqa: F401  (fixture)

VICTIM_NO = "E7001"
PERSONAS = ("anonymous", "manager", "other_manager", "trainer", "judge", "admin")


def _client(app, login, user):
    client = app.test_client()
    login(user, target=client)
    return client


def _drill_attempt(client, db) -> Attempt:
    response = client.post(
        "/drills/",
        data={"theme": "", "level": "", "competency": "", "pack": "drill-sample", "count": 8, "minutes": 10},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-300:]
    attempt_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    attempt = db.session.get(Attempt, attempt_id)
    at = positions_by_key(db, attempt)
    single = option_ids(db, "ds-single")
    client.put(f"/api/attempts/{attempt_id}/items/{at['ds-single']}", json={"response": single["正确选项甲"]})
    assert client.post(f"/drills/attempts/{attempt_id}/submit").status_code == 302
    return attempt


def _exam(client, db, admin, manager, org) -> tuple[Exam, Certificate, AttemptItem]:
    now = utcnow()
    exam = Exam(
        title="中级技能考评", level="intermediate", category="personal", seed=12345, blueprint=BLUEPRINT,
        opens_at=now - timedelta(hours=1), closes_at=now + timedelta(hours=1), time_limit_minutes=30,
        attempts_allowed=1, pass_rule={"total_min": 60, "part_mins": {}},
        eligible={"branches": [org["east"].id], "categories": [], "levels": []}, created_by=admin,
    )  # fmt: skip
    db.session.add(exam)
    db.session.commit()
    response = client.post(f"/exams/{exam.id}/start")
    attempt_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    at = positions_by_key(db, db.session.get(Attempt, attempt_id))
    client.put(f"/api/attempts/{attempt_id}/items/{at['ds-open']}", json={"response": "我的观点与表达"})
    assert client.post(f"/drills/attempts/{attempt_id}/submit").status_code == 302
    exam = db.session.get(Exam, exam.id)
    exam.closes_at, exam.released_at = now - timedelta(minutes=1), now
    attempt = db.session.get(Attempt, attempt_id)
    certificate = Certificate(
        number="DR-PROBE-0001", user_id=manager.id, exam_id=exam.id, attempt_id=attempt_id, level=exam.level,
        category=exam.category, issued_on=now.date(), valid_until=now.date() + timedelta(days=3650),
        score_percent=80.0,
    )  # fmt: skip
    db.session.add(certificate)
    db.session.commit()
    item = next(i for i in attempt.items if i.position == at["ds-open"])
    return exam, certificate, item


def _competition(app, login, db, admin, judge, people, pack):
    competition = setup.create("案例赛", admin, reviews_per_entry=2, state="open")
    setup.add_participants(competition, people)
    round_ = setup.add_round(
        competition, kind="case", title="案例分析", weight=1.0, state="open", case_pack_id=pack.id,
        judges=[judge.id], peer_weight=1.0, judge_weight=1.0,
    )  # fmt: skip
    db.session.commit()
    entries = {}
    for i, person in enumerate(people):
        entries[person.id] = hand_in(_client(app, login, person), db, competition.id, round_.id, f"答卷{i}")
    organiser = _client(app, login, admin)
    assert (
        organiser.post(f"/competitions/{competition.id}/rounds/{round_.id}/state/reviewing").status_code
        == 302
    )
    return competition.id, round_.id, entries


def _appraisal(db, admin, managers):
    period = services.create_period(scheme_file("bank-manager"), "quarterly", 2025, 1, admin)
    labels = labels_of("bank-manager")
    rows = {m.employee_no: {labels[k]: v for k, v in B001.items()} for m in managers}
    now = datetime(2025, 4, 2, tzinfo=UTC)
    entry.import_indicators(period, "q1.csv", sheet_csv(list(labels.values()), rows), admin, now)
    for manager in managers:
        rate_all(period, manager, OTHER_RATINGS, admin)
    kind, key, _label = entry.adjustment_choices(services.scheme_of(period), period)[0]
    occurrence = entry.add_occurrence(period, managers[0], kind, key, 1, "按时上报", admin)
    outcome = period_records.compute_period(period, admin, now)
    assert outcome.ok, [m.text() for m in outcome.blockers]
    db.session.commit()
    record = db.session.scalar(
        select(Record).where(Record.period_id == period.id, Record.user_id == managers[0].id)
    )
    return period, record, occurrence


@pytest.fixture
def world(app, db, org, make_user, login, case_pack):  # noqa: F811  (case_pack is the fixture)
    """Every kind of object a route reads, with the people around them; `ids` holds what URLs need."""
    admin = make_user("A7005", roles={"admin"}, branch="head", name="管理员孙")
    manager = make_user(VICTIM_NO, branch="east1", name="钱东城")
    other = make_user("W7002", branch="west1", name="李西山")
    trainer = make_user("T7003", roles={"trainer"}, branch="west", scope_branch="west", name="西山培训师")
    judge = make_user("J7004", roles={"judge"}, branch="head", name="评委周")
    peers = [
        make_user("E7006", branch="east1", name="东城乙"),
        make_user("E7007", branch="east1", name="东城丙"),
    ]

    manager_client = _client(app, login, manager)
    drill = _drill_attempt(manager_client, db)
    exam, certificate, exam_item = _exam(manager_client, db, admin, manager, org)
    competition_id, round_id, entries = _competition(
        app, login, db, admin, judge, [manager, *peers], case_pack
    )
    participant_id = db.session.scalar(
        select(Participant.id).where(
            Participant.competition_id == competition_id, Participant.user_id == manager.id
        )
    )
    allocated = db.session.scalar(
        select(ReviewAllocation.entry_id).where(ReviewAllocation.reviewer_id == participant_id)
    )
    period, record, occurrence = _appraisal(db, admin, [manager, other, *peers])
    change = LevelChange(
        user_id=manager.id, category="personal", from_level="junior", to_level="intermediate", direction="up",
        reason=[], periods=["2025-Q1"], proposed_on=period.ends_on,
    )  # fmt: skip
    now = utcnow()
    assignment = Assignment(
        title="练兵", created_by_id=admin.id, pack_id=case_pack.id, question_count=2, time_limit_minutes=10,
        opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1),
        targets=[AssignmentTarget(user_id=manager.id)],
    )  # fmt: skip
    flag = SimilarityFlag(
        key="probe", round_id=round_id, kind="text", attempt_a_id=entries[manager.id],
        attempt_b_id=entries[peers[0].id], similarity=0.9, computed_at=now,
    )  # fmt: skip
    draft = authoring.create_draft(admin, PACK, kind="quiz", name="auth-demo")
    authoring.add_file(draft, "images/chart.png", PNG)
    db.session.add_all([change, assignment, flag])
    db.session.commit()
    drill = db.session.get(Attempt, drill.id)
    ids = {
        "user_id": manager.id,
        "attempt_id": drill.id,
        "item_id": drill.items[0].id,
        "position": 1,
        "exam_id": exam.id,
        "number": certificate.number,
        "code": certificate.code,
        "fmt": "csv",
        "slug": "drill-sample",
        "competition_id": competition_id,
        "round_id": round_id,
        "participant_id": participant_id,
        "entry_id": allocated,
        "target": "finished",
        "period_id": period.id,
        "record_id": record.id,
        "occurrence_id": occurrence.id,
        "change_id": change.id,
        "flag_id": flag.id,
        "assignment_id": assignment.id,
        "pack_id": case_pack.id,
        "draft_id": draft.id,
        "digest": draft.files["images/chart.png"],
        "name": "images/chart.png",
        "checksum": "0" * 64,
        "filename": "drill.css",
    }
    # The same argument names other things on some routes.
    per_endpoint = {
        "competitions.attempt": {"attempt_id": entries[manager.id]},
        "competitions.entry_detail": {"entry_id": entries[manager.id]},
        "competitions.move_round": {"target": "closed"},
        "integrity.timeline": {"attempt_id": entries[manager.id]},
        "exams.grade": {"item_id": exam_item.id},
        "bootstrap.static": {"filename": "css/bootstrap.min.css"},
    }
    people = {"manager": manager, "other_manager": other, "trainer": trainer, "judge": judge, "admin": admin}
    return SimpleNamespace(people=people, ids=ids, per_endpoint=per_endpoint, certificate=certificate)
