"""A whole skill-level exam through the web: blueprint → papers for 30 candidates → attempts → double
marking with a third marker → release → certificates, with the item statistics checked by hand."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from drill.attempts.models import Attempt
from drill.database import utcnow
from drill.exams import analysis, services
from drill.exams.models import Certificate, Exam, Mark, MarkChange
from tests.drills.conftest import option_ids, positions_by_key

CANDIDATES = 30


def theory_right(i: int) -> int:
    """Candidate i answers the first i % 5 of the four theory questions right."""
    return i % 5


def marker_percents(i: int) -> tuple[int, int, int | None]:
    """Rubric percent given by the first, second and (when they disagree) third marker."""
    first = 50 + (i % 5) * 10
    if i % 7 == 0:
        return first, first - 30, first - 10  # 12 points apart on a 40-point answer: a third marker
    return first, first, None


def expected_practical(i: int) -> float:
    first, second, third = marker_percents(i)
    a, b = 40 * first / 100, 40 * second / 100
    if third is None:
        return (a + b) / 2
    c = 40 * third / 100
    closer = a if abs(a - c) <= abs(b - c) else b
    return (c + closer) / 2


def expected_pass(i: int) -> bool:
    theory, practical = 10 * theory_right(i), expected_practical(i)
    return (theory + practical) / 80 >= 0.6 and practical / 40 >= 0.6


def answer_paper(client, db, attempt, i):
    at = positions_by_key(db, attempt)
    single, multiple = option_ids(db, "ds-single"), option_ids(db, "ds-multiple")
    right = [
        ("ds-single", single["正确选项甲"], single["错误选项乙"]),
        ("ds-truefalse", False, True),
        ("ds-numeric", "4321.5", "1"),
        ("ds-multiple", [multiple["多选对一"], multiple["多选对二"]], [multiple["多选错一"]]),
    ]
    for n, (key, good, bad) in enumerate(right):
        response = good if n < theory_right(i) else bad
        assert (
            client.put(f"/api/attempts/{attempt.id}/items/{at[key]}", json={"response": response}).status_code
            == 200
        )
    client.put(f"/api/attempts/{attempt.id}/items/{at['ds-open']}", json={"response": f"答卷{i}的观点与表达"})


def mark(client, exam, item_id, percent, comment="评语", reason=""):
    data = {"c_idea": 60 * percent / 100, "c_expr": 40 * percent / 100, "comment": comment, "reason": reason}
    return client.post(f"/exams/{exam.id}/grading/{item_id}", data=data)


@pytest.fixture
def candidates(make_user):
    return [make_user(f"c{i:03d}", name=f"考生{i}", branch="east1") for i in range(CANDIDATES)]


def test_a_whole_exam_from_blueprint_to_certificates(
    app, db, sample_pack, make_exam, make_user, login, candidates
):
    exam = make_exam()
    trainer_a = app.test_client()
    login(make_user("t-a", roles={"trainer"}, branch="head"), target=trainer_a)
    overview = trainer_a.get(f"/exams/{exam.id}/overview").get_data(as_text=True)
    assert "能满足蓝图" in overview or "can fill" in overview

    # Every candidate sits the exam; each gets a random paper of the same blueprint.
    for i, user in enumerate(candidates):
        client = app.test_client()
        login(user, target=client)
        started = client.post(f"/exams/{exam.id}/start")
        assert started.status_code == 302
        attempt = db.session.get(Attempt, int(started.headers["Location"].rsplit("/", 1)[1]))
        assert len(attempt.items) == 5 and attempt.deadline <= exam.closes_at
        answer_paper(client, db, attempt, i)
        client.post(f"/drills/attempts/{attempt.id}/submit")
        result = client.get(f"/exams/{exam.id}/result").get_data(as_text=True)
        assert (
            "已提交" in result and "不合格" not in result and "合格" not in result
        )  # nothing before release
        # Not in the notebook either: that would tell right from wrong before the release.
        assert "单选题干甲" not in client.get("/drills/notebook").get_data(as_text=True)

    # Results wait for grading and for the window to close.
    assert trainer_a.post(f"/exams/{exam.id}/release").status_code == 302
    db.session.expire_all()
    assert db.session.get(Exam, exam.id).released_at is None

    # Double marking: two trainers mark every open answer; far-apart marks call a third.
    trainer_b = app.test_client()
    login(make_user("t-b", roles={"trainer"}, branch="head"), target=trainer_b)
    admin = app.test_client()
    login(make_user("a-c", roles={"admin"}, branch="head"), target=admin)
    number_of = {user.id: i for i, user in enumerate(candidates)}
    for marker, which in ((trainer_a, 0), (trainer_b, 1), (admin, 2)):
        while True:
            response = marker.get(f"/exams/{exam.id}/grading")
            if response.status_code != 302:
                break
            item_id = int(response.headers["Location"].rsplit("/", 1)[1])
            page = marker.get(response.headers["Location"]).get_data(as_text=True)
            visible = re.sub(r'name="csrf_token"[^>]*|data-csrf="[^"]*"', "", page)  # random tokens
            assert not re.search(r"考生\d|\bc0\d\d\b|东城", visible)  # anonymous: no name, number or branch
            attempt = db.session.scalar(
                select(Attempt).join(Attempt.items).where(Attempt.items.any(id=item_id))
            )
            percent = marker_percents(number_of[attempt.user_id])[which]
            assert percent is not None, "only disagreeing answers reach the third marker"
            assert mark(marker, exam, item_id, percent).status_code == 302
    assert (
        db.session.scalar(select(func.count()).select_from(Mark)) == 2 * CANDIDATES + 5
    )  # i = 0, 7, 14, 21, 28

    # A marker changes a mark: a reason is required, and the change is kept.
    first_item = db.session.scalar(select(Mark).where(Mark.round == 1).order_by(Mark.id)).attempt_item_id
    refused = mark(trainer_a, exam, first_item, 50).get_data(as_text=True)
    assert "每次修改都会留存" in refused
    same = marker_percents(0)[0]
    assert mark(trainer_a, exam, first_item, same, reason="复核后维持原分").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(MarkChange)) == 2 * CANDIDATES + 5 + 1

    db.session.execute(
        update(Exam).where(Exam.id == exam.id).values(closes_at=utcnow() - timedelta(minutes=1))
    )
    db.session.commit()
    assert trainer_a.post(f"/exams/{exam.id}/release").status_code == 302
    db.session.expire_all()
    assert db.session.get(Exam, exam.id).released_at is not None

    certified = {c.user_id for c in db.session.scalars(select(Certificate))}
    assert certified == {user.id for i, user in enumerate(candidates) if expected_pass(i)}
    for i, user in enumerate(candidates):
        outcome = services.best_result(db.session.get(Exam, exam.id), user)
        assert outcome.parts["theory"].earned == 10 * theory_right(i)
        assert outcome.parts["practical"].earned == pytest.approx(expected_practical(i), abs=0.01)
        assert outcome.verdict.passed == expected_pass(i)

    # A passing candidate reads the result and the certificate; a failing one reads why.
    passer = next(i for i in range(CANDIDATES) if expected_pass(i))
    client = app.test_client()
    login(candidates[passer], target=client)
    page = client.get(f"/exams/{exam.id}/result").get_data(as_text=True)
    assert "合格" in page and "解析秘文" in page
    number = db.session.scalar(select(Certificate.number).where(Certificate.user_id == candidates[passer].id))
    certificate = client.get(f"/exams/certificates/{number}").get_data(as_text=True)
    assert "考生" in certificate and number in certificate and "中级" in certificate
    failer = next(i for i in range(CANDIDATES) if not expected_pass(i))
    other = app.test_client()
    login(candidates[failer], target=other)
    assert "未通过" in other.get(f"/exams/{exam.id}/result").get_data(as_text=True)
    assert other.get(f"/exams/certificates/{number}").status_code == 404  # not theirs

    # Item statistics: the single-choice question was answered right by candidates with i % 5 >= 1.
    result = analysis.analyse(analysis.exam_attempts(exam.id))
    facility = {info.key: stats.facility for stats, info in result.items}
    assert facility["ds-single"] == pytest.approx(24 / 30)
    assert facility["ds-multiple"] == pytest.approx(6 / 30)  # only i % 5 == 4
    export = trainer_a.get(f"/exams/{exam.id}/analysis.xlsx")
    assert export.status_code == 200 and export.data[:2] == b"PK"
    assert "ds-single" in trainer_a.get(f"/exams/{exam.id}/analysis.csv").get_data(as_text=True)


def test_random_papers_are_reproducible_from_the_stored_seed(
    app, db, sample_pack, make_exam, candidates, login
):
    exam = make_exam()
    client = app.test_client()
    login(candidates[0], target=client)
    started = client.post(f"/exams/{exam.id}/start")
    attempt = db.session.get(Attempt, int(started.headers["Location"].rsplit("/", 1)[1]))
    again = services.draw_paper(exam, attempt.seed)
    assert [(p.position, p.version_id, p.option_seed) for p in again] == [
        (i.position, i.question_version_id, i.option_seed) for i in attempt.items
    ]


def test_only_eligible_candidates_within_the_window_may_start(
    app, db, sample_pack, make_exam, make_user, login
):
    exam = make_exam()
    west = app.test_client()
    login(make_user("w1", branch="west1"), target=west)
    page = west.post(f"/exams/{exam.id}/start", follow_redirects=True).get_data(as_text=True)
    assert "不是为您安排" in page
    later = make_exam(opens_at=utcnow() + timedelta(hours=2), closes_at=utcnow() + timedelta(hours=3))
    east = app.test_client()
    login(make_user("e1", branch="east1"), target=east)
    assert "尚未开放" in east.post(f"/exams/{later.id}/start", follow_redirects=True).get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0


def test_a_second_start_resumes_and_a_used_attempt_is_not_given_again(
    app, db, sample_pack, make_exam, make_user, login
):
    exam = make_exam()
    client = app.test_client()
    login(make_user("e1", branch="east1"), target=client)
    first = client.post(f"/exams/{exam.id}/start").headers["Location"]
    assert client.post(f"/exams/{exam.id}/start").headers["Location"] == first
    client.post(first + "/submit")
    page = client.post(f"/exams/{exam.id}/start", follow_redirects=True).get_data(as_text=True)
    assert "已用完" in page


def test_extra_time_and_a_second_window_are_recorded_with_a_reason(
    app, db, sample_pack, make_exam, make_user, login
):
    exam = make_exam(closes_at=utcnow() - timedelta(minutes=5))  # the window has closed
    trainer = app.test_client()
    login(make_user("t1", roles={"trainer"}, branch="head"), target=trainer)
    candidate = make_user("e1", branch="east1")
    fmt = "%Y-%m-%dT%H:%M"
    now = datetime.now(ZoneInfo("Asia/Shanghai"))  # forms speak the users' local time
    trainer.post(
        f"/exams/{exam.id}/adjustments",
        data={
            "employee_no": "e1",
            "extra_minutes": 15,
            "reason": "因公外出，补考",
            "opens_at": (now - timedelta(minutes=10)).strftime(fmt),
            "closes_at": (now + timedelta(hours=2)).strftime(fmt),
        },
    )
    db.session.expire_all()
    adjustment = db.session.get(Exam, exam.id).adjustments[0]
    assert adjustment.reason == "因公外出，补考" and adjustment.extra_minutes == 15
    client = app.test_client()
    login(candidate, target=client)
    started = client.post(f"/exams/{exam.id}/start")
    attempt = db.session.get(Attempt, int(started.headers["Location"].rsplit("/", 1)[1]))
    assert attempt.deadline - attempt.started_at == timedelta(minutes=45)


def test_a_blueprint_the_banks_cannot_fill_says_which_row_is_short(
    app, db, sample_pack, make_exam, make_user, login
):
    exam = make_exam(blueprint=[{"part": "theory", "count": 3, "points": 5, "type": "single"}])
    trainer = app.test_client()
    login(make_user("t1", roles={"trainer"}, branch="head"), target=trainer)
    page = trainer.get(f"/exams/{exam.id}/overview").get_data(as_text=True)
    assert "第 1 行需要 3 道题，只有 1 道可用" in page
    assert "第 1 行需要 3 道题" in trainer.get(f"/exams/{exam.id}/preview").get_data(as_text=True)


def test_a_manager_cannot_open_trainer_exam_pages(client, db, sample_pack, make_exam, make_user, login):
    exam = make_exam()
    login(make_user("e1", branch="east1"))
    for path in ("/exams/manage", "/exams/new", f"/exams/{exam.id}/overview", f"/exams/{exam.id}/grading",
                 f"/exams/{exam.id}/analysis", f"/exams/{exam.id}/preview"):  # fmt: skip
        assert client.get(path).status_code == 403, path


def test_an_exam_can_keep_choice_options_in_pack_order(app, db, sample_pack, make_exam, make_user, login):
    exam = make_exam(shuffle_options=False)
    client = app.test_client()
    login(make_user("e1", branch="east1"), target=client)
    attempt_url = client.post(f"/exams/{exam.id}/start").headers["Location"]
    page = client.get(attempt_url).get_data(as_text=True)
    multiple = option_ids(db, "ds-multiple")
    shown = [value for value in re.findall(r'value="([0-9a-f]{8})"', page) if value in multiple.values()]
    assert shown == list(multiple.values())  # as the pack writes them: 对一, 对二, 错一, 错二


def test_a_re_mark_after_the_release_revokes_or_issues_the_certificate(
    app, db, sample_pack, make_exam, make_user, login
):
    exam = make_exam(double_marking=False)
    marker = app.test_client()
    login(make_user("t-a", roles={"trainer"}, branch="head"), target=marker)
    people = [make_user(f"c{i}", name=f"考生{i}", branch="east1") for i in range(2)]
    open_items = {}
    for user in people:
        client = app.test_client()
        login(user, target=client)
        attempt = db.session.get(
            Attempt, int(client.post(f"/exams/{exam.id}/start").headers["Location"].rsplit("/", 1)[1])
        )
        answer_paper(client, db, attempt, 4)  # all four theory questions right: 40 of 40
        client.post(f"/drills/attempts/{attempt.id}/submit")
        open_items[user.id] = positions_by_key(db, attempt)
        open_items[user.id] = next(
            i.id for i in attempt.items if i.position == open_items[user.id]["ds-open"]
        )
    first, second = people
    assert mark(marker, exam, open_items[first.id], 80).status_code == 302  # 32 of 40: passes
    assert mark(marker, exam, open_items[second.id], 50).status_code == 302  # 20 of 40 < 60%: fails
    db.session.execute(
        update(Exam).where(Exam.id == exam.id).values(closes_at=utcnow() - timedelta(minutes=1))
    )
    db.session.commit()
    assert marker.post(f"/exams/{exam.id}/release").status_code == 302
    certificate = db.session.scalars(select(Certificate)).one()
    number = certificate.number
    assert certificate.user_id == first.id and certificate.score_percent == pytest.approx(90.0)

    # A review finds the first answer weaker: the pass is gone, so is the certificate (kept, revoked)
    mark(marker, exam, open_items[first.id], 40, reason="复核：论据不足")
    db.session.expire_all()
    revoked = db.session.scalars(select(Certificate)).one()
    assert revoked.revoked_at is not None and revoked.revoked_reason == "复核：论据不足"
    client = app.test_client()
    login(first, target=client)
    page = client.get(f"/exams/certificates/{number}").get_data(as_text=True)
    assert 'id="revoked"' in page and "撤销" in page and "原因：复核：论据不足" in page
    assert "certificate-revoked" in client.get(f"/exams/{exam.id}/result").get_data(as_text=True)
    # The second answer was under-marked: now it passes and is certified
    mark(marker, exam, open_items[second.id], 75, reason="复核：漏看第二段")
    # The first one's mark restored: the same certificate, re-instated
    mark(marker, exam, open_items[first.id], 80, reason="组长复核维持原分")
    db.session.expire_all()
    held = {c.user_id: c for c in db.session.scalars(select(Certificate))}
    assert set(held) == {first.id, second.id} and held[first.id].number == number
    assert held[first.id].revoked_at is None and held[second.id].revoked_at is None
    assert held[second.id].score_percent == pytest.approx(87.5)  # (40 + 30) / 80


def test_a_scoped_trainer_is_told_another_trainers_exam_is_not_theirs(app, db, make_exam, make_user, login):
    exam = make_exam()  # set up by a head-office trainer
    client = app.test_client()
    login(
        make_user("t-east", roles={"trainer"}, branch="east", scope_branch="east", locale="en"), target=client
    )
    response = client.get(f"/exams/{exam.id}/overview")
    page = response.get_data(as_text=True)
    assert response.status_code == 403 and "This exam is not yours" in page
    assert "does not have the role" not in page
