"""An organiser's control of a running exam: close it now (everyone submitted, or by decision with a
reason), more time or a re-opened paper for one candidate, and the release right after an early close."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from drill import housekeeping
from drill.attempts.models import Attempt
from drill.attempts.rules import states
from drill.database import utcnow
from drill.exams.models import Exam, ExamAdjustment, ExamClosure
from tests.drills.conftest import positions_by_key
from tests.exams.test_exam_flow import mark


@pytest.fixture
def trainer(app, make_user, login):
    client = app.test_client()
    login(make_user("t-1", name="王培训", roles={"trainer"}, branch="head"), target=client)
    return client


def sit(app, login, user, exam, db):
    """The candidate starts the exam and saves an open answer; (their client, their attempt)."""
    client = app.test_client()
    login(user, target=client)
    started = client.post(f"/exams/{exam.id}/start")
    assert started.status_code == 302
    attempt = db.session.get(Attempt, int(started.headers["Location"].rsplit("/", 1)[1]))
    at = positions_by_key(db, attempt)
    saved = client.put(f"/api/attempts/{attempt.id}/items/{at['ds-open']}", json={"response": "我的观点"})
    assert saved.status_code == 200
    return client, attempt


def reload(db, model, key):
    db.session.expire_all()
    return db.session.get(model, key)


def test_an_exam_everyone_submitted_closes_at_once_and_releases_as_soon_as_it_is_marked(
    app, db, sample_pack, make_exam, make_user, login, trainer
):
    exam = make_exam(double_marking=False)
    sitters = [make_user(f"c{i}", name=f"考生{i}", branch="east1") for i in range(2)]
    late_comer = make_user("c9", branch="east1")
    for user in sitters:
        client, attempt = sit(app, login, user, exam, db)
        assert client.post(f"/drills/attempts/{attempt.id}/submit").status_code == 302

    page = trainer.get(f"/exams/{exam.id}/overview").get_data(as_text=True)
    assert "立即结束考试" in page and 'data-confirm="' in page  # a confirmation before it
    assert "考试时段尚未对所有考生结束" in page or "window has not closed" in page

    closed = trainer.post(f"/exams/{exam.id}/close", data={}, follow_redirects=True)
    assert closed.status_code == 200 and "考试已结束" in closed.get_data(as_text=True)
    closure = db.session.get(ExamClosure, exam.id)
    assert closure.everyone_submitted and closure.reason == "" and closure.collected == 0
    page = trainer.get(f"/exams/{exam.id}/overview").get_data(as_text=True)
    assert "已提前结束" in page and "王培训" in page
    assert "立即结束考试" not in page

    # A double click: "already closed", never a 500, and the first close stands.
    again = trainer.post(f"/exams/{exam.id}/close", data={}, follow_redirects=True)
    assert again.status_code == 200 and "考试已经结束" in again.get_data(as_text=True)
    assert reload(db, ExamClosure, exam.id).closed_at == closure.closed_at

    # Nobody starts any more; the candidate's list says the exam was closed early.
    other = app.test_client()
    login(late_comer, target=other)
    assert other.post(f"/exams/{exam.id}/start").status_code == 302
    assert db.session.scalar(select(Attempt).where(Attempt.user_id == late_comer.id)) is None
    assert "组织者已提前结束" in other.get("/exams/").get_data(as_text=True)

    # Release waits only for the marking now, then goes at once, long before the window's end.
    assert "还有答卷未评完" in trainer.get(f"/exams/{exam.id}/overview").get_data(as_text=True)
    for _ in sitters:
        queue = trainer.get(f"/exams/{exam.id}/grading")
        assert queue.status_code == 302
        item_id = int(queue.headers["Location"].rsplit("/", 1)[1])
        assert mark(trainer, exam, item_id, 80).status_code == 302
    page = trainer.get(f"/exams/{exam.id}/overview").get_data(as_text=True)
    assert 'id="release-form"' in page and "不可撤销" in page
    assert 'type="submit" disabled' not in page.split('id="release-form"')[1].split("</form>")[0]
    released = trainer.post(f"/exams/{exam.id}/release", follow_redirects=True)
    assert "成绩已发布" in released.get_data(as_text=True)
    assert reload(db, Exam, exam.id).released_at is not None
    assert reload(db, Exam, exam.id).released_at < exam.closes_at


def test_closing_by_decision_needs_a_reason_and_collects_the_open_papers(
    app, db, sample_pack, make_exam, make_user, login, trainer
):
    exam = make_exam()
    writer = make_user("c1", name="张三", branch="east1")
    client, attempt = sit(app, login, writer, exam, db)

    page = trainer.get(f"/exams/{exam.id}/overview").get_data(as_text=True)
    assert "1 名考生仍在作答" in page and 'name="close-reason"' in page

    refused = trainer.post(f"/exams/{exam.id}/close", data={"close-reason": "  "}, follow_redirects=True)
    assert "请填写原因" in refused.get_data(as_text=True)
    assert db.session.get(ExamClosure, exam.id) is None
    assert reload(db, Attempt, attempt.id).state == states.OPEN

    done = trainer.post(
        f"/exams/{exam.id}/close", data={"close-reason": "系统故障，统一收卷"}, follow_redirects=True
    )
    assert "1 份未交的试卷现已到时" in done.get_data(as_text=True)
    # Falls due now and is left to the deadline job (this request closed nothing of the candidate's) …
    due = reload(db, Attempt, attempt.id)
    assert due.state == states.OPEN and due.deadline <= utcnow()
    # … which collects it with what was saved, once the grace for saves in flight has passed.
    grace = app.config["DEADLINE_GRACE_SECONDS"]
    assert housekeeping.run(utcnow() + timedelta(seconds=grace + 1)) == (1, 0)
    collected = reload(db, Attempt, attempt.id)
    assert collected.state == states.EXPIRED and collected.closed_at is not None
    closure = db.session.get(ExamClosure, exam.id)
    assert (
        not closure.everyone_submitted and closure.collected == 1 and closure.reason == "系统故障，统一收卷"
    )
    assert "系统故障，统一收卷" in trainer.get(f"/exams/{exam.id}/overview").get_data(as_text=True)
    at = positions_by_key(db, attempt)
    late = client.put(f"/api/attempts/{attempt.id}/items/{at['ds-open']}", json={"response": "再改"})
    assert late.status_code == 409
    assert client.get(f"/api/attempts/{attempt.id}").get_json()["state"] == "expired"


def test_extra_time_for_one_candidate_lets_their_save_through_after_the_old_deadline(
    app, db, sample_pack, make_exam, make_user, login, trainer
):
    exam = make_exam()
    lucky, other = make_user("c1", name="李停电", branch="east1"), make_user("c2", branch="east1")
    lucky_client, lucky_try = sit(app, login, lucky, exam, db)
    other_client, other_try = sit(app, login, other, exam, db)
    past = utcnow() - timedelta(minutes=5)  # both papers' time ran out, not yet closed
    db.session.execute(update(Attempt).values(deadline=past))
    db.session.commit()

    no_reason = trainer.post(
        f"/exams/{exam.id}/paper-time", data={"paper-employee_no": "c1", "paper-minutes": "20"}
    )
    assert no_reason.status_code == 302 and not db.session.scalars(select(ExamAdjustment)).all()

    given = trainer.post(
        f"/exams/{exam.id}/paper-time",
        data={"paper-employee_no": "c1", "paper-minutes": "20", "paper-reason": "考场停电"},
        follow_redirects=True,
    )
    assert "李停电的试卷现在结束于" in given.get_data(as_text=True)
    extended = reload(db, Attempt, lucky_try.id)
    assert extended.state == states.OPEN
    assert timedelta(minutes=19) < extended.deadline - utcnow() <= timedelta(minutes=20)
    adjustment = db.session.scalars(select(ExamAdjustment)).one()
    assert (adjustment.action, adjustment.reason, adjustment.granted_by.name) == (
        "extend",
        "考场停电",
        "王培训",
    )
    assert adjustment.attempt_id == lucky_try.id and adjustment.deadline == extended.deadline

    # The phone's timer follows the server: the state it polls says ~20 minutes are left.
    assert 19 * 60 < lucky_client.get(f"/api/attempts/{lucky_try.id}").get_json()["remaining"] <= 20 * 60
    at = positions_by_key(db, lucky_try)
    assert (
        lucky_client.put(
            f"/api/attempts/{lucky_try.id}/items/{at['ds-open']}", json={"response": "补写"}
        ).status_code
        == 200
    )
    at = positions_by_key(db, other_try)
    refused = other_client.put(
        f"/api/attempts/{other_try.id}/items/{at['ds-open']}", json={"response": "补写"}
    )
    assert refused.status_code == 409 and refused.get_json()["status"] == "late"

    page = trainer.get(f"/exams/{exam.id}/overview").get_data(as_text=True)
    assert "考场停电" in page and "延长 20 分钟" in page
    # The extra minutes are this paper's only: a second try (or the start page) does not get them.
    assert "50 分钟" not in lucky_client.get("/exams/").get_data(as_text=True)


def test_a_closed_unmarked_paper_reopens_for_one_candidate_and_never_after_release(
    app, db, sample_pack, make_exam, make_user, login, trainer
):
    exam = make_exam(double_marking=False)
    unlucky = make_user("c1", name="赵断网", branch="east1")
    client, attempt = sit(app, login, unlucky, exam, db)
    assert client.post(f"/drills/attempts/{attempt.id}/submit").status_code == 302
    assert trainer.post(f"/exams/{exam.id}/close", data={}).status_code == 302

    reopened = trainer.post(
        f"/exams/{exam.id}/paper-time",
        data={"paper-employee_no": "c1", "paper-minutes": "15", "paper-reason": "手机断网，试卷未能提交完整"},
        follow_redirects=True,
    )
    assert "赵断网的试卷已重新开放" in reopened.get_data(as_text=True)
    again = reload(db, Attempt, attempt.id)
    assert again.state == states.OPEN and again.closed_at is None and again.score is None
    at = positions_by_key(db, attempt)
    assert again.items[at["ds-open"] - 1].response == "我的观点"  # the saved answers are kept
    assert (
        client.put(f"/api/attempts/{attempt.id}/items/{at['ds-open']}", json={"response": "补全"}).status_code
        == 200
    )
    assert "提交" in client.get(f"/drills/attempts/{attempt.id}").get_data(as_text=True)
    assert "还有考生在作答" in trainer.get(f"/exams/{exam.id}/overview").get_data(as_text=True)
    assert client.post(f"/drills/attempts/{attempt.id}/submit").status_code == 302
    assert reload(db, Attempt, attempt.id).state == states.SUBMITTED

    # Once marked, it stays closed.
    queue = trainer.get(f"/exams/{exam.id}/grading")
    assert mark(trainer, exam, int(queue.headers["Location"].rsplit("/", 1)[1]), 80).status_code == 302
    marked = trainer.post(
        f"/exams/{exam.id}/paper-time",
        data={"paper-employee_no": "c1", "paper-minutes": "15", "paper-reason": "再开一次"},
        follow_redirects=True,
    )
    assert "已有评分" in marked.get_data(as_text=True)
    assert reload(db, Attempt, attempt.id).state == states.SUBMITTED

    # After the release: refused with a clear message.
    assert trainer.post(f"/exams/{exam.id}/release").status_code == 302
    late = trainer.post(
        f"/exams/{exam.id}/paper-time",
        data={"paper-employee_no": "c1", "paper-minutes": "15", "paper-reason": "再开一次"},
        follow_redirects=True,
    )
    assert "成绩已发布，试卷不能再延时或重新开放" in late.get_data(as_text=True)
    assert len(db.session.scalars(select(ExamAdjustment)).all()) == 1
