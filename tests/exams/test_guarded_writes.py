"""Two clicks at the same moment on an exam's one-off actions, on SQLite and PostgreSQL alike: the second
gets "already done", never a 500, and nothing is done twice."""

from datetime import timedelta

from sqlalchemy import func, select, update

from drill.attempts.models import Attempt
from drill.database import utcnow
from drill.exams.models import Certificate, Exam, MarkClaim
from tests.drills.test_concurrency import run_together
from tests.exams.test_exam_flow import answer_paper, mark


def sit(app, db, exam, login, people):
    """Each person sits the exam (all theory right) and submits; their open answer's item id each."""
    items = []
    for user in people:
        client = app.test_client()
        login(user, target=client)
        started = client.post(f"/exams/{exam.id}/start")
        attempt = db.session.get(Attempt, int(started.headers["Location"].rsplit("/", 1)[1]))
        answer_paper(client, db, attempt, 4)
        client.post(f"/drills/attempts/{attempt.id}/submit")
        db.session.expire_all()
        items.append(next(i.id for i in db.session.get(Attempt, attempt.id).items if i.points == 40))
    return items


def signed_in(app, login, user):
    client = app.test_client()
    login(user, target=client)
    return client


def test_a_double_click_on_release_releases_once_and_certifies_once(
    app, db, sample_pack, make_exam, make_user, login
):
    exam = make_exam(double_marking=False)
    people = [make_user(f"c{i}", branch="east1") for i in range(3)]
    trainer = make_user("t-a", roles={"trainer"}, branch="head")
    marker = signed_in(app, login, trainer)
    for item_id in sit(app, db, exam, login, people):
        assert mark(marker, exam, item_id, 80).status_code == 302
    db.session.execute(
        update(Exam).where(Exam.id == exam.id).values(closes_at=utcnow() - timedelta(minutes=1))
    )
    db.session.commit()
    clicks, exam_id = [signed_in(app, login, trainer) for _ in range(2)], exam.id
    first, second = run_together(*[lambda c=c: c.post(f"/exams/{exam_id}/release") for c in clicks])
    assert first.status_code == second.status_code == 302
    db.session.expire_all()
    assert db.session.get(Exam, exam.id).released_at is not None
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 3
    pages = [c.get(f"/exams/{exam.id}/overview").get_data(as_text=True) for c in clicks]
    assert any("已发布" in page or "already released" in page for page in pages)


def test_two_markers_asking_at_once_are_handed_different_answers(
    app, db, sample_pack, make_exam, make_user, login
):
    exam = make_exam(double_marking=False)
    items = sit(app, db, exam, login, [make_user(f"c{i}", branch="east1") for i in range(2)])
    exam_id = exam.id
    for _ in range(3):
        db.session.execute(MarkClaim.__table__.delete())
        db.session.commit()
        markers = [signed_in(app, login, make_user(roles={"trainer"}, branch="head")) for _ in range(2)]
        first, second = run_together(*[lambda m=m: m.get(f"/exams/{exam_id}/grading") for m in markers])
        assert first.status_code == second.status_code == 302
        handed = {int(r.headers["Location"].rsplit("/", 1)[1]) for r in (first, second)}
        assert handed == set(items)  # one answer each, never the same one


def test_a_marker_who_asks_again_gets_the_answer_they_hold_and_no_one_else_does(
    app, db, sample_pack, make_exam, make_user, login
):
    exam = make_exam(double_marking=False)
    (item,) = sit(app, db, exam, login, [make_user("c0", branch="east1")])
    first = signed_in(app, login, make_user("t-a", roles={"trainer"}, branch="head"))
    other = signed_in(app, login, make_user("t-b", roles={"trainer"}, branch="head"))
    assert first.get(f"/exams/{exam.id}/grading").headers["Location"].endswith(f"/{item}")
    assert other.get(f"/exams/{exam.id}/grading").status_code == 200  # nothing free: the done page
    assert first.get(f"/exams/{exam.id}/grading").headers["Location"].endswith(f"/{item}")
    # A claim left for longer than the claim time goes to whoever asks next.
    db.session.execute(update(MarkClaim).values(claimed_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    assert other.get(f"/exams/{exam.id}/grading").headers["Location"].endswith(f"/{item}")
