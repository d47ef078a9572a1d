"""The home page is a to-do list (待办): what waits for each user, one tap away, with counts in the menu;
built in a fixed number of queries whatever the number of items."""

from datetime import timedelta

import pytest
from sqlalchemy import event, select

from drill.appraisal.models import LevelChange
from drill.attempts.models import Attempt, AttemptItem
from drill.competitions.models import Competition, Participant, ReviewAllocation, Round, RoundJudge
from drill.content.models import Question, QuestionVersion
from drill.database import utcnow
from drill.drills.models import Assignment, AssignmentTarget, NotebookEntry
from drill.exams.models import Exam


def add_world(db, org, manager, author, n, tag=""):
    """n of each: assigned drills, open exams, competition rounds to enter, reviews owed, notebook due."""
    now = utcnow()
    questions = db.session.scalars(select(Question).order_by(Question.id)).all()
    for i in range(n):
        assignment = Assignment(
            title=f"布置练习{tag}{i}",
            created_by=author,
            question_count=5,
            time_limit_minutes=10,
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=i + 1),
        )
        assignment.targets = [AssignmentTarget(branch_id=org["east"].id)]
        db.session.add(assignment)
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
        db.session.add(me)
        written = Round(
            competition_id=competition.id,
            kind="written",
            title="笔试",
            state="open",
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(hours=3),
        )
        case = Round(competition_id=competition.id, kind="case", title="案例", state="reviewing", position=1)
        db.session.add_all([written, case])
        db.session.flush()
        entry = Attempt(
            user=author,
            kind="competition",
            competition_round_id=case.id,
            title="案例",
            criteria={},
            seed=1,
            state="submitted",
            started_at=now,
            deadline=now,
            closed_at=now,
        )
        db.session.add(entry)
        db.session.flush()
        db.session.add(ReviewAllocation(round_id=case.id, entry_id=entry.id, reviewer_id=me.id))
        db.session.add(
            NotebookEntry(
                user_id=manager.id,
                question_id=questions[i].id if not tag else questions[-1 - i].id,
                due=now - timedelta(minutes=1),
                last_wrong_at=now,
            )
        )
    db.session.commit()


@pytest.fixture
def people(make_user):
    return {
        "manager": make_user("m1", name="李经理"),
        "author": make_user("t1", roles={"trainer"}, branch="head", name="培训师"),
    }


def count_statements(db, client, url):
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(statements), response.get_data(as_text=True)


def test_the_home_page_lists_what_waits_with_a_count_in_the_menu(db, org, people, sample_pack, client, login):
    add_world(db, org, people["manager"], people["author"], 2)
    login(people["manager"])
    page = client.get("/").get_data(as_text=True)
    for text in (
        "布置练习0",
        "布置练习1",
        "考试0",
        "考试1",
        "比赛0 · 笔试",
        "比赛1 · 案例",
        "待完成互评：1 份",
    ):
        assert text in page, text
    assert page.count('data-kind="assignment"') == 2 and page.count('data-kind="notebook"') == 1
    assert "2 道题到期待复习" in page  # the menu's badge on 错题本
    # 2 drills + 2 exams + 2 rounds + 2 reviews + the notebook's due questions (one review drill)
    todo = page.split('id="nav-todo">', 1)[1].split("</a>", 1)[0]
    assert todo.startswith("待办 <span") and todo.endswith(">9</span>")


def test_a_submitted_assignment_and_a_used_exam_try_leave_the_list(
    db, org, people, sample_pack, client, login
):
    add_world(db, org, people["manager"], people["author"], 1)
    now = utcnow()
    assignment = db.session.scalars(select(Assignment)).one()
    exam = db.session.scalars(select(Exam)).one()
    for kind, extra in (("assigned", {"assignment_id": assignment.id}), ("exam", {"exam_id": exam.id})):
        db.session.add(
            Attempt(
                user_id=people["manager"].id,
                kind=kind,
                title="x",
                criteria={},
                seed=1,
                state="submitted",
                started_at=now,
                deadline=now,
                closed_at=now,
                **extra,
            )
        )
    db.session.commit()
    login(people["manager"])
    page = client.get("/").get_data(as_text=True)
    assert "布置练习0" not in page and "考试0" not in page and "比赛0 · 笔试" in page


def test_the_home_page_costs_the_same_queries_for_two_items_of_each_kind_as_for_five(
    db, org, people, sample_pack, client, login
):
    add_world(db, org, people["manager"], people["author"], 2)
    login(people["manager"])
    client.get("/")  # warm: the first page of a session may load what later ones find cached
    small, page = count_statements(db, client, "/")
    assert page.count('class="list-group-item') == 2 * 4 + 1
    add_world(db, org, people["manager"], people["author"], 3, tag="b")
    large, page = count_statements(db, client, "/")
    assert page.count('class="list-group-item') == 5 * 4 + 1
    assert small == large, (small, large)


def test_a_trainer_sees_answers_to_mark_a_judge_rounds_to_judge_and_an_admin_level_changes(
    app, db, org, people, make_user, sample_pack, client, login
):
    now = utcnow()
    author = people["author"]
    exam = Exam(
        title="中级考评",
        level="junior",
        seed=1,
        blueprint=[],
        opens_at=now - timedelta(hours=3),
        closes_at=now - timedelta(hours=1),
        time_limit_minutes=30,
        pass_rule={},
        eligible={},
        double_marking=True,
        created_by=author,
    )
    db.session.add(exam)
    db.session.flush()
    open_version = db.session.scalars(select(QuestionVersion).where(QuestionVersion.type == "open")).first()
    for who in ("m2", "m3"):
        sat = Attempt(
            user=make_user(who),
            kind="exam",
            exam_id=exam.id,
            title=exam.title,
            criteria={},
            seed=1,
            state="submitted",
            started_at=now,
            deadline=now,
            closed_at=now,
        )
        sat.items = [AttemptItem(position=1, question_version_id=open_version.id, option_seed="s", points=10)]
        db.session.add(sat)
    competition = Competition(title="技能大赛", state="open", created_by=author)
    db.session.add(competition)
    db.session.flush()
    live = Round(competition_id=competition.id, kind="judged", title="现场展示", state="open")
    db.session.add(live)
    db.session.flush()
    judge = make_user("j1", roles={"judge"}, branch="head")
    db.session.add(RoundJudge(round_id=live.id, user_id=judge.id))
    admin = make_user("a1", roles={"admin"}, branch="head")
    db.session.add(
        LevelChange(
            user_id=people["manager"].id,
            category="personal",
            from_level="junior",
            to_level="intermediate",
            direction="up",
            reason=[],
            periods=[],
            state="proposed",
            proposed_on=now.date(),
        )
    )
    db.session.commit()

    login(author)
    page = client.get("/").get_data(as_text=True)
    assert 'data-kind="grading"' in page and "待评分的主观题答案：2 份" in page  # double marking: 2 each
    assert f'/exams/{exam.id}/grading"' in page

    as_judge = app.test_client()
    login(judge, target=as_judge)
    page = as_judge.get("/").get_data(as_text=True)
    assert 'data-kind="judging"' in page and "技能大赛 · 现场展示" in page
    assert f"/competitions/{competition.id}/judging" in page

    as_admin = app.test_client()
    login(admin, target=as_admin)
    page = as_admin.get("/").get_data(as_text=True)
    assert "待审批的等级调整：1 项" in page and "/appraisal/levels" in page
    assert 'data-kind="grading"' in page  # an admin marks too


def test_a_user_with_nothing_to_do_is_told_so(db, org, make_user, client, login):
    login(make_user("t9", roles={"trainer"}, branch="head"))
    page = client.get("/").get_data(as_text=True)
    assert "您目前没有待办事项" in page and "管理考评" in page and "todo-list" not in page
