"""Trainers' and managers' drill pages run as many statements for 200 rows as for 5 (#14): the assignment
report and its export, the list of assigned drills, a manager's record and the home page's to-do list."""

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from drill.accounts.models import User, UserRole
from drill.attempts.models import Attempt, AttemptItem
from drill.competitions.models import Competition, Participant, ReviewAllocation, Round
from drill.content.models import QuestionVersion
from drill.database import utcnow
from drill.drills.models import Assignment, AssignmentQuestion, AssignmentReminder, AssignmentTarget
from drill.exams.models import Exam
from tests.querycount import assert_same_queries, counted, page_queries


@pytest.fixture
def trainer(make_user):
    return make_user("t001", roles={"trainer"}, branch="head", name="王培训")


@pytest.fixture
def versions(db, sample_pack):
    return list(db.session.scalars(select(QuestionVersion.id).order_by(QuestionVersion.id)))


def managers(db, org, first: int, n: int) -> list[User]:
    """n managers, in 东城一网点 and 西山一网点 by turns, added as plain rows (they never sign in: any
    password hash will do)."""
    people = [
        User(
            employee_no=f"p{first + i:05d}",
            name=f"经理{first + i}",
            password_hash="-",
            branch_id=org["east1" if i % 2 else "west1"].id,
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


def attempt_at(person: User, versions: list[int], state: str, now, **extra) -> Attempt:
    """An assigned or practice attempt on two questions: the first answered right, the second wrong."""
    closed = state != "open"
    attempt = Attempt(
        user_id=person.id,
        kind=extra.pop("kind", "assigned"),
        title=extra.pop("title", "周练"),
        criteria={},
        seed=1,
        state=state,
        started_at=now - timedelta(minutes=5),
        deadline=now + timedelta(minutes=5),
        closed_at=now if closed else None,
        score=1.0 if closed else None,
        max_score=2.0 if closed else None,
        **extra,
    )
    attempt.items = [
        AttemptItem(
            position=position,
            question_version_id=version,
            option_seed=f"s{position}",
            earned=(1.0 if position == 1 else 0.0) if closed else None,
            correct=(position == 1) if closed else None,
        )
        for position, version in enumerate(versions[:2], start=1)
    ]
    return attempt


def an_assignment(db, org, trainer, versions, title="周练：数据题") -> Assignment:
    now = utcnow()
    assignment = Assignment(
        title=title,
        created_by=trainer,
        question_count=2,
        time_limit_minutes=10,
        fixed_paper=True,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
    )
    assignment.targets = [AssignmentTarget(branch_id=org["head"].id)]
    assignment.paper = [
        AssignmentQuestion(position=p, question_version_id=v) for p, v in enumerate(versions[:2], start=1)
    ]
    db.session.add(assignment)
    db.session.commit()
    return assignment


def download(db, client, url) -> tuple[list[str], list]:
    """The statements a download ran, and its first sheet's rows (the streamed response closed)."""
    with counted(db) as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    rows = list(load_workbook(io.BytesIO(response.get_data())).active.iter_rows(values_only=True))
    response.close()
    return statements, rows


def assigned_people(db, org, assignment, trainer, versions, first: int, n: int) -> None:
    """n assignees: a third done, a third in progress, a third not started; every other one reminded."""
    now = utcnow()
    for i, person in enumerate(managers(db, org, first, n)):
        if i % 3 < 2:
            state = "submitted" if i % 3 == 0 else "open"
            db.session.add(attempt_at(person, versions, state, now, assignment_id=assignment.id))
        if i % 2 == 0:
            db.session.add(
                AssignmentReminder(
                    assignment_id=assignment.id,
                    user_id=person.id,
                    sent_by_id=trainer.id,
                    sent_at=now - timedelta(hours=2),
                )
            )
    db.session.commit()


def test_the_assignment_report_and_its_export_cost_the_same_for_200_people_as_for_5(
    db, org, trainer, versions, client, login
):
    assignment = an_assignment(db, org, trainer, versions)
    assigned_people(db, org, assignment, trainer, versions, 0, 5)
    login(trainer)
    report = f"/drills/assignments/{assignment.id}"
    export = f"/drills/assignments/{assignment.id}/export.xlsx"
    client.get(report)  # warm: the first page of a session may load what later ones find cached
    small = page_queries(db, client, report)
    small_export, rows = download(db, client, export)
    assert len(rows) == 1 + 5
    filtered = f"{report}?status=done&q=p0&branch={org['east'].id}"  # p00003 at the small size
    small_filtered = page_queries(db, client, filtered)

    assigned_people(db, org, assignment, trainer, versions, 5, 195)
    assert_same_queries(small, page_queries(db, client, report))
    large_export, rows = download(db, client, export)
    assert_same_queries(small_export, large_export)
    assert len(rows) == 1 + 200  # the header and everyone, not one page
    assert_same_queries(small_filtered, page_queries(db, client, filtered))

    page = client.get(report).get_data(as_text=True)
    assert "已完成 67 / 200 人" in page  # every third of 200, counted in SQL
    assert page.count('<tr data-status="') == 50  # one page of people


def test_reminding_everyone_of_200_is_one_insert_and_skips_those_reminded_within_the_hour(
    db, org, trainer, versions, client, login
):
    assignment = an_assignment(db, org, trainer, versions)
    assigned_people(db, org, assignment, trainer, versions, 0, 200)
    # Those reminded two hours ago may be reminded again; one reminded a minute ago is left out.
    waiting = db.session.scalar(select(User).where(User.employee_no == "p00001"))
    db.session.add(
        AssignmentReminder(
            assignment_id=assignment.id,
            user_id=waiting.id,
            sent_by_id=trainer.id,
            sent_at=utcnow() - timedelta(minutes=1),
        )
    )
    db.session.commit()
    before = db.session.scalar(select(func.count(AssignmentReminder.id)))
    login(trainer)
    page = client.post(f"/drills/assignments/{assignment.id}/remind", follow_redirects=True)
    text = page.get_data(as_text=True)
    unfinished = sum(1 for i in range(200) if i % 3 != 0)  # not started or in progress
    assert f"已向 {unfinished - 1} 人发出催办" in text and "1 人在一小时内已被催办过" in text
    assert db.session.scalar(select(func.count(AssignmentReminder.id))) == before + unfinished - 1


def test_the_list_of_assigned_drills_costs_the_same_for_200_as_for_5(
    db, org, trainer, versions, client, login
):
    for i in range(5):
        an_assignment(db, org, trainer, versions, title=f"周练{i}")
    login(trainer)
    client.get("/drills/assignments")
    small = page_queries(db, client, "/drills/assignments")
    for i in range(5, 200):
        an_assignment(db, org, trainer, versions, title=f"周练{i}")
    large = page_queries(db, client, "/drills/assignments")
    assert_same_queries(small, large)
    assert client.get("/drills/assignments?page=4").get_data(as_text=True).count("周练") == 50


def test_a_managers_record_costs_the_same_for_200_drills_as_for_5(
    db, org, make_user, versions, client, login
):
    manager = make_user("m100", branch="east1")
    now = utcnow()

    def practise(n):
        for i in range(n):
            db.session.add(
                attempt_at(manager, versions, "submitted", now - timedelta(days=i), kind="practice")
            )
        db.session.commit()

    practise(5)
    login(manager)
    client.get("/drills/history")
    small = page_queries(db, client, "/drills/history")
    practise(195)
    assert_same_queries(small, page_queries(db, client, "/drills/history"))


def to_do(db, org, manager, author, versions, n, tag):
    """n of each for the manager: assigned drills (half begun, each reminded), open exams, competition
    rounds to enter and case rounds with a review owed."""
    now = utcnow()
    for i in range(n):
        assignment = Assignment(
            title=f"布置练习{tag}{i}",
            created_by=author,
            question_count=2,
            time_limit_minutes=10,
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=i + 1),
        )
        assignment.targets = [AssignmentTarget(branch_id=org["east"].id)]
        db.session.add(assignment)
        db.session.flush()
        if i % 2:
            db.session.add(attempt_at(manager, versions, "open", now, assignment_id=assignment.id))
        db.session.add(
            AssignmentReminder(
                assignment_id=assignment.id, user_id=manager.id, sent_by_id=author.id, sent_at=now
            )
        )
        db.session.add(
            Exam(
                title=f"考试{tag}{i}",
                level="junior",
                seed=i,
                blueprint=[],
                opens_at=now - timedelta(hours=1),
                closes_at=now + timedelta(hours=2),
                time_limit_minutes=30,
                pass_rule={},
                eligible={},
                created_by=author,
            )
        )
        competition = Competition(title=f"比赛{tag}{i}", state="open", created_by=author)
        db.session.add(competition)
        db.session.flush()
        me = Participant(competition_id=competition.id, user_id=manager.id, team_id=org["east"].id)
        written = Round(
            competition_id=competition.id,
            kind="written",
            title="笔试",
            state="open",
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(hours=3),
        )
        case = Round(competition_id=competition.id, kind="case", title="案例", state="reviewing", position=1)
        db.session.add_all([me, written, case])
        db.session.flush()
        entry = attempt_at(
            author, versions, "submitted", now, kind="competition", competition_round_id=case.id
        )
        db.session.add(entry)
        db.session.flush()
        db.session.add(ReviewAllocation(round_id=case.id, entry_id=entry.id, reviewer_id=me.id))
    db.session.commit()


def test_the_home_page_and_my_drills_cost_the_same_for_200_things_to_do_as_for_5(
    db, org, make_user, trainer, versions, client, login
):
    manager = make_user("m100", branch="east1")
    to_do(db, org, manager, trainer, versions, 5, "a")
    login(manager)
    client.get("/")
    small = [page_queries(db, client, url) for url in ("/", "/drills/")]
    assert client.get("/").get_data(as_text=True).count('data-kind="assignment"') == 5
    to_do(db, org, manager, trainer, versions, 195, "b")
    for before, url in zip(small, ("/", "/drills/"), strict=True):
        assert_same_queries(before, page_queries(db, client, url))
    assert client.get("/").get_data(as_text=True).count('data-kind="assignment"') == 200
