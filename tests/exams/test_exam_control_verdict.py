"""A result page prints the passing module's verdict: a part at 59.98% of a 60% minimum reads 59.9% in a
failed row that says why, never "60.0" in red."""

from sqlalchemy import update

from drill.attempts.models import Attempt, AttemptItem
from drill.database import utcnow
from drill.exams.models import Exam
from drill.exams.rules.passing import TOTAL, PartScore, PassRule, judge


def test_a_verdict_names_its_failed_parts_and_prints_them_rounded_down():
    verdict = judge(
        PassRule(total_min=60, part_mins={"practical": 60}),
        {"theory": PartScore(40, 40), "practical": PartScore(23.99, 40)},
    )
    assert not verdict.passed and verdict.failed == {"practical"}
    assert verdict.shown == {"theory": "100.0%", "practical": "59.9%", TOTAL: "80.0%"}
    passed = judge(PassRule(total_min=60), {"theory": PartScore(24, 40)})
    assert passed.passed and passed.failed == frozenset() and passed.shown[TOTAL] == "60.0%"


def test_the_result_page_shows_a_near_miss_as_below_the_pass_mark(
    app, client, db, sample_pack, make_exam, make_user, login
):
    exam = make_exam()
    login(make_user("c1", branch="east1"))
    attempt_id = int(client.post(f"/exams/{exam.id}/start").headers["Location"].rsplit("/", 1)[1])
    assert client.post(f"/drills/attempts/{attempt_id}/submit").status_code == 302
    db.session.execute(
        update(AttemptItem).where(AttemptItem.attempt_id == attempt_id).values(earned=10)
    )  # theory 40 / 40
    db.session.execute(
        update(AttemptItem)
        .where(AttemptItem.attempt_id == attempt_id, AttemptItem.part == "practical")
        .values(earned=23.99)
    )
    db.session.execute(update(Exam).where(Exam.id == exam.id).values(released_at=utcnow()))
    db.session.commit()
    assert db.session.get(Attempt, attempt_id).closed
    html = client.get(f"/exams/{exam.id}/result").get_data(as_text=True)
    parts = html.split('id="parts"')[1].split("</table>")[0]
    assert "59.9%" in parts and "60.0" not in parts and "未达合格线" in parts
    assert "实操" in parts and "理论" in parts and "practical" not in parts and "theory" not in parts
    assert "不合格" in html
