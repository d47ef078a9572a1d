"""Exam pages run as many statements for 200 candidates as for 5 (#14): the list of exams, the overview
and its export, the marker's queue and answer page, the item analysis, the release, a candidate's exams."""

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from drill.accounts.models import User, UserRole
from drill.attempts.models import Attempt, AttemptItem
from drill.content.models import QuestionVersion
from drill.database import utcnow
from drill.exams import roster
from drill.exams.models import Certificate, Exam, ExamClosure, Mark
from tests.exams.conftest import BLUEPRINT
from tests.querycount import assert_same_queries, counted, page_queries

# What a candidate's paper looks like, by state; (see `sit`).
NOT_STARTED, WRITING, SUBMITTED, PASSED, FAILED = range(5)


@pytest.fixture
def trainer(make_user):
    return make_user("t001", roles={"trainer"}, branch="head", name="王培训")


@pytest.fixture
def markers(db, org):
    """Two markers other than the trainer, as plain rows (they never sign in)."""
    people = [
        User(employee_no=f"k{i}", name=f"阅卷{i}", password_hash="-", branch_id=org["head"].id)
        for i in (1, 2)
    ]
    for person in people:
        person.role_rows = [UserRole(role="trainer")]
    db.session.add_all(people)
    db.session.commit()
    return people


@pytest.fixture
def by_type(db, sample_pack) -> dict[str, int]:
    """A version id of the sample pack per question type (the exam's blueprint asks one of each)."""
    return {kind: vid for vid, kind in db.session.execute(select(QuestionVersion.id, QuestionVersion.type))}


def managers(db, org, first: int, n: int) -> list[User]:
    """n managers of 东城一网点 (the exam's candidates), added as plain rows."""
    people = [
        User(
            employee_no=f"p{first + i:05d}",
            name=f"经理{first + i}",
            password_hash="-",
            branch_id=org["east1"].id,
            category="personal",
            level="junior",
        )
        for i in range(n)
    ]
    for person in people:
        person.role_rows = [UserRole(role="manager")]
    db.session.add_all(people)
    db.session.flush()
    return people


def sit(db, exam, people, by_type, markers, states) -> None:
    """Each person's paper in the state `states(i)` gives: none, open, closed with the open answer unmarked,
    or closed and marked by both markers (full marks: a pass; nothing: a fail)."""
    now = utcnow()
    for i, person in enumerate(people):
        state = states(i)
        if state == NOT_STARTED:
            continue
        closed = state != WRITING
        practical = {PASSED: 40.0, FAILED: 0.0}.get(state)
        attempt = Attempt(
            user_id=person.id,
            kind="exam",
            exam_id=exam.id,
            number=1,
            title=exam.title,
            criteria={"exam": exam.id},
            seed=i,
            state="submitted" if closed else "open",
            started_at=now - timedelta(minutes=20),
            deadline=now + timedelta(minutes=10),
            closed_at=now - timedelta(minutes=1) if closed else None,
            score=(40.0 + (practical or 0.0)) if closed else None,
            max_score=80.0 if closed else None,
        )
        attempt.items = [
            AttemptItem(
                position=position,
                question_version_id=by_type[cell["type"]],
                option_seed=f"s{position}",
                part=cell["part"],
                points=float(cell["points"]),
                response={"text": "答"} if cell["type"] == "open" else None,
                earned=(practical if cell["type"] == "open" else float(cell["points"])) if closed else None,
            )
            for position, cell in enumerate(BLUEPRINT, start=1)
        ]
        db.session.add(attempt)
        if practical is not None:
            db.session.flush()
            answer = attempt.items[-1]
            db.session.add_all(
                Mark(
                    attempt_item_id=answer.id,
                    marker_id=marker.id,
                    round=round_,
                    criteria={"points": practical},
                    total=practical,
                    comment="",
                    updated_at=now,
                )
                for round_, marker in enumerate(markers, start=1)
            )
    db.session.commit()


def mixed(i: int) -> int:
    return i % 5  # every state in turn


@pytest.fixture
def exam(make_exam, trainer):
    return make_exam(created_by=trainer)


def grow(db, org, exam, by_type, markers, first, n, states=mixed):
    sit(db, exam, managers(db, org, first, n), by_type, markers, states)


def download(db, client, url) -> tuple[list[str], list]:
    with counted(db) as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    rows = list(load_workbook(io.BytesIO(response.get_data())).active.iter_rows(values_only=True))
    response.close()
    return statements, rows


def test_the_overview_its_filters_and_its_export_cost_the_same_for_200_candidates_as_for_5(
    db, org, exam, trainer, by_type, markers, client, login
):
    grow(db, org, exam, by_type, markers, 0, 5)
    login(trainer)
    overview = f"/exams/{exam.id}/overview"
    filtered = f"{overview}?q=经理&branch={org['east'].id}&state=submitted"
    export = f"/exams/{exam.id}/results.xlsx"
    small = page_queries(db, client, overview)
    small_filtered = page_queries(db, client, filtered)
    small_export, rows = download(db, client, export)
    assert len(rows) == 1 + 5
    grow(db, org, exam, by_type, markers, 5, 195)
    assert_same_queries(small, page_queries(db, client, overview))
    assert_same_queries(small_filtered, page_queries(db, client, filtered))
    large_export, rows = download(db, client, export)
    assert_same_queries(small_export, large_export)
    assert len(rows) == 1 + 200

    page = client.get(overview).get_data(as_text=True)
    assert "(200)" in page
    assert page.count('class="badge text-bg-light candidate-state"') == 50  # 50 a page
    submitted = client.get(f"{overview}?state=submitted").get_data(as_text=True)
    assert submitted.count('data-state="submitted"') == 40  # every fifth of 200
    assert 'data-state="writing"' not in submitted


def test_the_candidates_states_follow_the_papers_marks_and_release(db, org, exam, by_type, markers):
    grow(db, org, exam, by_type, markers, 0, 10)
    people = list(
        db.session.scalars(select(User.id).where(User.employee_no.like("p%")).order_by(User.employee_no))
    )
    states = roster.states_of(exam, people)
    assert [states[p] for p in people[:5]] == [
        roster.NOT_STARTED,
        roster.WRITING,
        roster.SUBMITTED,
        roster.MARKED,
        roster.MARKED,
    ]
    assert_filters_agree(db, exam, states)
    exam.released_at = utcnow()
    db.session.add(
        Certificate(
            number="DR-T-1", user_id=people[3], exam_id=exam.id, attempt_id=1, level="intermediate",
            issued_on=utcnow().date(), valid_until=utcnow().date(), score_percent=100.0,
        )
    )  # fmt: skip
    db.session.commit()
    states = roster.states_of(exam, people)
    assert [states[p] for p in people[3:5]] == [roster.PASSED, roster.FAILED]
    assert_filters_agree(db, exam, states)


def assert_filters_agree(db, exam, states: dict[int, str]) -> None:
    """The list's state filter picks exactly the candidates whose shown state it names."""
    for state in roster.STATES:
        picked = set(db.session.scalars(roster.filtered(exam, state=state)).unique())
        assert {u.id for u in picked if u.id in states} == {p for p, s in states.items() if s == state}, state


def test_the_list_of_exams_costs_the_same_for_200_exams_as_for_5(db, make_exam, trainer, client, login):
    def exams(n):
        for i in range(n):
            made = make_exam(created_by=trainer, title=f"考试{i}")
            if i % 2:
                db.session.add(
                    ExamClosure(
                        exam_id=made.id, closed_at=utcnow(), closed_by_id=trainer.id, everyone_submitted=True
                    )
                )
        db.session.commit()

    exams(5)
    login(trainer)
    small = page_queries(db, client, "/exams/manage")
    exams(195)
    assert_same_queries(small, page_queries(db, client, "/exams/manage"))


def test_marking_costs_the_same_for_200_candidates_as_for_5(
    db, org, exam, trainer, by_type, markers, client, login
):
    grow(db, org, exam, by_type, markers, 0, 5)
    login(trainer)
    queue = f"/exams/{exam.id}/grading"

    def next_answer() -> tuple[list[str], str]:
        with counted(db) as statements:
            response = client.get(queue)
        assert response.status_code == 302, response.status_code
        return statements, response.headers["Location"]

    small_queue, answer = next_answer()  # claims an answer
    small_again, same = next_answer()  # the answer they hold comes back
    assert same == answer
    small_answer = page_queries(db, client, answer)
    small_analysis = page_queries(db, client, f"/exams/{exam.id}/analysis")
    grow(db, org, exam, by_type, markers, 5, 195)
    large_again, same = next_answer()
    assert same == answer
    assert_same_queries(small_again, large_again)
    assert_same_queries(small_answer, page_queries(db, client, answer))
    assert_same_queries(small_analysis, page_queries(db, client, f"/exams/{exam.id}/analysis"))
    # A fresh claim costs the same too: the answer held is marked, the next one is claimed.
    rubric = db.session.get(QuestionVersion, by_type["open"]).spec.get("rubric") or {}
    scores = {f"c_{c['id']}": str(c["weight"]) for c in rubric.get("criteria") or []} or {"c_points": "30"}
    response = client.post(answer, data={**scores, "comment": "要点齐全"})
    assert response.status_code == 302
    large_queue, following = next_answer()
    assert following != answer
    assert_same_queries(small_queue, large_queue)


def test_the_release_costs_the_same_for_200_candidates_as_for_5(
    db, org, make_exam, trainer, by_type, markers, client, login
):
    login(trainer)

    def release(first, n) -> list[str]:
        now = utcnow()
        exam = make_exam(
            created_by=trainer, opens_at=now - timedelta(hours=3), closes_at=now - timedelta(hours=1)
        )
        sit(db, exam, managers(db, org, first, n), by_type, markers, lambda i: PASSED if i % 2 else FAILED)
        with counted(db) as statements:
            response = client.post(f"/exams/{exam.id}/release")
        assert response.status_code == 302
        db.session.expire_all()
        assert db.session.get(Exam, exam.id).released_at is not None
        issued = db.session.scalars(select(Certificate.user_id).where(Certificate.exam_id == exam.id)).all()
        assert len(issued) == n // 2  # the passes, and only them
        return statements

    small = release(0, 5)
    assert_same_queries(small, release(5, 200))


def test_a_candidates_exams_cost_the_same_for_200_exams_as_for_5(
    db, org, make_exam, make_user, trainer, by_type, markers, client, login
):
    candidate = make_user("c001", branch="east1")
    numbers = iter(range(100_000))

    def exams(n):
        """n exams the candidate passed, each with its certificate, and another candidate writing."""
        for _ in range(n):
            exam = make_exam(created_by=trainer, released_at=utcnow())
            sit(db, exam, [candidate], by_type, markers, lambda i: PASSED)
            sit(db, exam, managers(db, org, next(numbers), 1), by_type, markers, lambda i: WRITING)
            attempt_id = db.session.scalar(
                select(Attempt.id).where(Attempt.exam_id == exam.id, Attempt.user_id == candidate.id)
            )
            db.session.add(
                Certificate(
                    number=f"DR-T-{exam.id}", user_id=candidate.id, exam_id=exam.id, attempt_id=attempt_id,
                    level="intermediate", issued_on=utcnow().date(), valid_until=utcnow().date(),
                    score_percent=100.0,
                )
            )  # fmt: skip
        db.session.commit()

    exams(5)
    login(candidate)
    small = page_queries(db, client, "/exams/")
    exams(195)
    assert_same_queries(small, page_queries(db, client, "/exams/"))
