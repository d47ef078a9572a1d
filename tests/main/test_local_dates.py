"""Local dates: an instant becomes a day in the organisation's time zone (Asia/Shanghai by default), once,
at the edge; what is done between 00:00 and 08:00 in Beijing is never put on the day before."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from drill.attempts.models import Attempt, AttemptItem
from drill.content.models import QuestionVersion
from drill.drills import history
from drill.exams import release
from drill.exams.models import Certificate, Exam
from drill.i18n import local_day

# 06:36 on 7 December in Beijing is 22:36 on 6 December in UTC.
RELEASED = datetime(2026, 12, 6, 22, 36, tzinfo=UTC)


def test_an_instant_becomes_the_day_it_is_in_beijing(app):
    with app.app_context():
        assert local_day(RELEASED) == date(2026, 12, 7)
        assert local_day(datetime(2026, 12, 7, 15, 59, tzinfo=UTC)) == date(2026, 12, 7)
        assert local_day(datetime(2026, 12, 7, 16, 0, tzinfo=UTC)) == date(2026, 12, 8)
        assert local_day(RELEASED, ZoneInfo("UTC")) == date(2026, 12, 6)  # another zone, another day
        assert local_day(date(2026, 12, 6)) == date(2026, 12, 6)  # a day stays that day


def closed_exam_with_a_pass(db, org, make_user):
    author = make_user(roles={"trainer"}, branch="head")
    candidate = make_user("m1", name="考生")
    version = db.session.scalars(select(QuestionVersion).order_by(QuestionVersion.id)).first()
    exam = Exam(
        title="初级技能考评",
        level="junior",
        category="personal",
        seed=1,
        blueprint=[{"part": "theory", "count": 1, "points": 10, "type": "single"}],
        opens_at=RELEASED - timedelta(days=2),
        closes_at=RELEASED - timedelta(days=1),
        time_limit_minutes=30,
        pass_rule={"total_min": 60},
        eligible={"branches": [], "categories": [], "levels": []},
        double_marking=False,
        created_by=author,
    )
    db.session.add(exam)
    db.session.flush()
    started = RELEASED - timedelta(days=2)
    attempt = Attempt(
        user=candidate,
        kind="exam",
        exam_id=exam.id,
        title=exam.title,
        criteria={},
        seed=1,
        state="submitted",
        started_at=started,
        deadline=started + timedelta(minutes=30),
        closed_at=started + timedelta(minutes=20),
        score=10,
        max_score=10,
    )
    attempt.items = [
        AttemptItem(
            position=1,
            question_version_id=version.id,
            option_seed="s",
            part="theory",
            points=10,
            earned=10,
            correct=True,
        )
    ]
    db.session.add(attempt)
    db.session.commit()
    return exam, candidate


def test_a_certificate_released_at_0636_beijing_time_says_7_december(
    app,
    db,
    org,
    make_user,
    sample_pack,
    client,
    login,
):
    exam, candidate = closed_exam_with_a_pass(db, org, make_user)
    assert release.release(exam, RELEASED) == 1
    db.session.commit()
    assert db.session.scalars(select(Certificate.issued_on)).one() == date(2026, 12, 7)
    login(candidate)
    number = db.session.scalars(select(Certificate.number)).one()
    page = client.get(f"/exams/certificates/{number}").get_data(as_text=True)
    assert "2026年12月7日" in page and "2026年12月6日" not in page


def test_the_history_chart_axis_shows_the_same_day_as_the_list(
    app,
    db,
    org,
    make_user,
    sample_pack,
    client,
    login,
):
    manager = make_user("m1")
    version = db.session.scalars(select(QuestionVersion).order_by(QuestionVersion.id)).first()
    closed = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)  # 07:30 on 7 December in Beijing
    attempt = Attempt(
        user=manager,
        kind="practice",
        title="早练",
        criteria={},
        seed=1,
        state="submitted",
        started_at=closed - timedelta(minutes=10),
        deadline=closed,
        closed_at=closed,
        score=2,
        max_score=2,
    )
    attempt.items = [
        AttemptItem(position=1, question_version_id=version.id, option_seed="s", earned=2, correct=True)
    ]
    db.session.add(attempt)
    db.session.commit()
    with app.test_request_context():
        chart, _latest = history.trends_by_theme(manager)
        assert [label for _x, label in chart.x_labels] == ["12-07"]
    login(manager)
    page = client.get("/drills/history").get_data(as_text=True)
    assert ">12-07<" in page and "12-06" not in page
