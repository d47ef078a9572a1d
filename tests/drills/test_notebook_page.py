"""The wrong-answer notebook teaches: the question as it was asked, the answer given, the right answer
and the explanation; "practise again" on one question or on everything due; mastery per competency."""

import pytest
from sqlalchemy import event, select

from drill.attempts.models import Attempt
from drill.content.models import Question, QuestionVersion
from drill.drills.models import NotebookEntry
from tests.drills.conftest import option_ids, positions_by_key


@pytest.fixture
def manager(make_user, login):
    user = make_user("m001")
    login(user)
    return user


def wrong_single(client, db, start_drill):
    """A drill with the single-choice question answered wrong (and the rest left blank), submitted."""
    attempt = start_drill()
    at = positions_by_key(db, attempt)
    wrong = option_ids(db, "ds-single")["错误选项乙"]
    client.put(f"/api/attempts/{attempt.id}/items/{at['ds-single']}", json={"response": wrong})
    client.post(f"/drills/attempts/{attempt.id}/submit")
    return attempt


def test_the_notebook_shows_the_question_as_asked_my_answer_the_right_one_and_the_explanation(
    client, manager, start_drill, db
):
    wrong_single(client, db, start_drill)
    # The question is edited afterwards: the notebook still shows what was asked.
    question = db.session.scalars(select(Question).where(Question.key == "ds-single")).one()
    old = db.session.scalars(select(QuestionVersion).where(QuestionVersion.question_id == question.id)).one()
    db.session.add(
        QuestionVersion(
            question_id=question.id,
            number=2,
            checksum="x" * 64,
            type=old.type,
            points=old.points,
            difficulty=old.difficulty,
            level=old.level,
            competencies=old.competencies,
            tags=[],
            spec={**old.spec, "stem_html": "<p>改过的题干</p>"},
            stem_html="<p>改过的题干</p>",
            explanation_html=old.explanation_html,
        )
    )
    question.current_version = 2
    db.session.commit()
    page = client.get("/drills/notebook").get_data(as_text=True)
    card = page[page.index("单选题干甲") - 2000 : page.index("单选题干甲") + 3000]
    assert "改过的题干" not in page
    assert "错误选项乙" in card and "正确选项甲" in card and "单选解析秘文一" in card
    assert 'badge text-bg-danger">' in card  # the wrong pick is marked
    assert "再练一次" in page and 'id="mastery"' in page


def test_practise_again_starts_a_review_drill_of_that_one_question(client, manager, start_drill, db):
    wrong_single(client, db, start_drill)
    entry = db.session.scalars(
        select(NotebookEntry)
        .join(Question, Question.id == NotebookEntry.question_id)
        .where(Question.key == "ds-single")
    ).one()
    response = client.post(f"/drills/notebook/{entry.id}/again")
    assert response.status_code == 302
    again = db.session.get(Attempt, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert again.kind == "review" and len(again.items) == 1
    version = db.session.get(QuestionVersion, again.items[0].question_version_id)
    assert version.question_id == entry.question_id


def test_practise_everything_due_draws_only_the_due_questions(client, manager, start_drill, db):
    wrong_single(client, db, start_drill)
    entries = db.session.scalars(select(NotebookEntry)).all()
    assert len(entries) == 7
    later = entries[0]
    later.due = later.due.replace(year=later.due.year + 1)  # not due yet
    db.session.commit()
    page = client.get("/drills/notebook").get_data(as_text=True)
    assert page.count("现在复习") == 6 and page.count("下次复习：") == 1
    assert "再练一次：全部到期题（6）" in page
    response = client.post("/drills/notebook/due")
    again = db.session.get(Attempt, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert again.kind == "review" and len(again.items) == 6


def test_a_manager_cannot_retry_another_managers_notebook_question(
    app, client, manager, start_drill, db, make_user, login
):
    wrong_single(client, db, start_drill)
    entry = db.session.scalars(select(NotebookEntry)).first()
    other = app.test_client()
    login(make_user("m002"), target=other)
    assert other.post(f"/drills/notebook/{entry.id}/again").status_code == 404
    assert "单选题干甲" not in other.get("/drills/notebook").get_data(as_text=True)


def test_mastery_per_competency_counts_what_left_the_notebook(client, manager, start_drill, db):
    wrong_single(client, db, start_drill)
    single = db.session.scalars(
        select(NotebookEntry)
        .join(Question, Question.id == NotebookEntry.question_id)
        .where(Question.key == "ds-single")
    ).one()
    db.session.delete(single)  # as if mastered on three spaced reviews
    db.session.commit()
    page = client.get("/drills/notebook").get_data(as_text=True)
    ethics = page[page.index('data-competency="ethics"') :][:800]
    assert "曾错 1 道，已掌握 1 道" in ethics and 'aria-valuenow="100"' in ethics
    data = page[page.index('data-competency="data-literacy"') :][:800]
    assert "已掌握 0 道" in data


def test_the_notebook_page_costs_the_same_queries_for_three_questions_as_for_seven(
    client, manager, start_drill, db
):
    wrong_single(client, db, start_drill)
    client.get("/drills/notebook")  # warm

    def statements_for_page() -> int:
        seen = []

        def count(_conn, _cursor, statement, *_args):
            seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get("/drills/notebook").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(seen)

    seven = statements_for_page()
    for entry in db.session.scalars(select(NotebookEntry)).all()[:4]:
        db.session.delete(entry)
    db.session.commit()
    assert statements_for_page() == seven
