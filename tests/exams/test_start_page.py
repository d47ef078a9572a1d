"""An exam's start page: the rules, the time, the number of questions and what happens on disconnect; the
clock starts on "开始作答" (a POST), never on opening the page."""

from datetime import timedelta

from sqlalchemy import func, select

from drill.attempts.models import Attempt
from drill.database import utcnow


def test_an_exam_shows_its_start_page_and_starts_the_clock_only_on_start_answering(
    app, client, db, sample_pack, make_exam, make_user, login
):
    exam = make_exam()
    login(make_user("c001", branch="east1"))
    listing = client.get("/exams/").get_data(as_text=True)
    assert f'href="/exams/{exam.id}/start"' in listing  # the list leads to the start page, no POST
    page = client.get(f"/exams/{exam.id}/start")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "30 分钟" in html and ">5 ·" in html  # the time and the number of questions
    assert "开始作答" in html and "断网了会怎样" in html and "考试规则" in html
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0  # no clock yet

    started = client.post(f"/exams/{exam.id}/start")
    assert started.status_code == 302
    attempt = db.session.scalars(select(Attempt)).one()
    assert attempt.deadline - attempt.started_at == timedelta(minutes=30)
    assert abs((attempt.started_at - utcnow()).total_seconds()) < 30
    again = client.get(f"/exams/{exam.id}/start")  # a second look resumes the open try
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/drills/attempts/{attempt.id}")


def test_an_exam_start_page_says_why_it_cannot_start_and_hides_from_others(
    app, client, db, sample_pack, make_exam, make_user, login
):
    exam = make_exam(opens_at=utcnow() + timedelta(hours=2), closes_at=utcnow() + timedelta(hours=3))
    login(make_user("c001", branch="east1"))
    html = client.get(f"/exams/{exam.id}/start").get_data(as_text=True)
    assert 'id="refusal"' in html and 'id="ready"' not in html
    outsider = app.test_client()
    login(make_user("w001", branch="west1"), target=outsider)
    assert outsider.get(f"/exams/{exam.id}/start").status_code == 404


def test_an_exam_whose_bank_can_no_longer_fill_the_paper_refuses_to_start_with_a_reason(
    client, db, sample_pack, make_exam, make_user, login
):
    exam = make_exam(blueprint=[{"part": "theory", "count": 50, "points": 2, "type": "single"}])
    login(make_user("c001", branch="east1"))
    refused = client.post(f"/exams/{exam.id}/start", follow_redirects=True)
    assert refused.status_code == 200  # was a 500
    assert "题库已不足以组成本场考试的试卷" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0
