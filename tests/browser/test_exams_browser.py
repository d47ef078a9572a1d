"""A trainer grades an open answer in the browser; the candidate then reads the released result and
certificate."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from drill.accounts.demo import DEMO_PASSWORD
from drill.content.services import import_paths
from drill.database import utcnow
from drill.exams.models import Exam
from drill.extensions import db
from drill.paths import project_dir
from tests.browser.test_accounts_browser import sign_in
from tests.drills.conftest import PACKS

pytestmark = pytest.mark.browser


@pytest.fixture
def exam_server(app, live_server):
    with app.app_context():
        assert import_paths([PACKS], taxonomy_path=project_dir("content") / "taxonomy.yaml").ok
        from sqlalchemy import select

        from drill.accounts.models import User

        trainer = db.session.scalar(select(User).where(User.employee_no == "trainer1"))
        exam = Exam(
            title="案例写作考评", level="intermediate", category=None, seed=7,
            blueprint=[{"part": "practical", "count": 1, "points": 40, "type": "open"}],
            opens_at=utcnow() - timedelta(hours=1), closes_at=utcnow() + timedelta(hours=1),
            time_limit_minutes=30, pass_rule={"total_min": 60, "part_mins": {"practical": 60}},
            eligible={}, created_by=trainer,
        )  # fmt: skip
        db.session.add(exam)
        db.session.commit()
        exam_id = exam.id
    return live_server, exam_id


def write_and_submit(candidate) -> None:
    """On the open paper: write the case answer, wait until it is saved, submit."""
    candidate.wait_for_selector("textarea")
    candidate.locator("textarea").fill("先核实经营真实性，再落实担保与贷后检查。")
    candidate.locator("textarea").blur()
    candidate.wait_for_function("() => document.querySelector('.item-status').textContent.includes('已保存')")
    candidate.click("#submit-form button[type=submit]")
    candidate.wait_for_selector("#submitted")


def grade(page) -> None:
    """On the grading page: mark the answer 88 of 100 with a comment."""
    page.fill("#c_idea", "54")
    page.fill("#c_expr", "34")
    page.fill("#comment", "思路完整，表达清楚。")
    page.click("#submit")
    assert page.locator("#grading-done").is_visible()


def test_a_trainer_grades_and_the_candidate_reads_result_and_certificate(app, exam_server, page, browser):
    base, exam_id = exam_server
    candidate = browser.new_page()
    sign_in(candidate, base, "m001", DEMO_PASSWORD)
    candidate.goto(f"{base}/exams/")
    candidate.get_by_role("link", name="开始考试").click()
    candidate.get_by_role("button", name="开始作答").click()  # the start page: the clock starts here
    write_and_submit(candidate)

    sign_in(page, base, "trainer1", DEMO_PASSWORD)
    page.goto(f"{base}/exams/{exam_id}/grading")
    assert "先核实经营真实性" in page.locator("#answer").inner_text()
    grade(page)

    with app.app_context():  # the window closes
        db.session.execute(
            update(Exam).where(Exam.id == exam_id).values(closes_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
    page.goto(f"{base}/exams/{exam_id}/overview")
    page.get_by_role("button", name="统一发布成绩").click()
    page.locator("dialog.drill-confirm [data-role=ok]").click()  # the confirmation before the release
    expect(page.locator(".alert-success", has_text="颁发证书 1 份")).to_be_visible()  # after the reload

    candidate.goto(f"{base}/exams/{exam_id}/result")
    assert "合格" in candidate.locator("#verdict").inner_text()
    candidate.get_by_role("link", name="查看我的证书").click()
    certificate = candidate.locator("#certificate").inner_text()
    assert "技能等级证书" in certificate and "中级" in certificate
    candidate.close()


def test_an_organiser_closes_an_exam_early_and_releases_at_once(app, exam_server, page, browser):
    """Everyone who started has submitted: the trainer closes the exam now (after a confirmation), grades
    the one open answer and releases the results at once, hours before the window would have ended."""
    base, exam_id = exam_server
    candidate = browser.new_page()
    sign_in(candidate, base, "m001", DEMO_PASSWORD)
    candidate.goto(f"{base}/exams/{exam_id}/start")
    candidate.get_by_role("button", name="开始作答").click()
    write_and_submit(candidate)

    sign_in(page, base, "trainer1", DEMO_PASSWORD)
    page.goto(f"{base}/exams/{exam_id}/overview")
    assert page.get_by_role("button", name="统一发布成绩").is_disabled()  # the window is still open
    page.locator("#close-form button[type=submit]").click()
    dialog = page.locator("dialog.drill-confirm")
    assert "不可撤销" in dialog.inner_text()
    dialog.locator("[data-role=cancel]").click()  # a second thought: nothing happens
    assert page.locator("#closed-early").count() == 0
    page.locator("#close-form button[type=submit]").click()
    dialog.locator("[data-role=ok]").click()
    assert "已提前结束" in page.locator("#closed-early").inner_text()
    assert "已开始作答的考生均已交卷" in page.locator("#closed-early").inner_text()

    page.goto(f"{base}/exams/{exam_id}/grading")
    grade(page)

    page.goto(f"{base}/exams/{exam_id}/overview")
    assert "实操" in page.locator("table").first.inner_text()  # the part's label, not its code
    page.get_by_role("button", name="统一发布成绩").click()
    page.locator("dialog.drill-confirm [data-role=ok]").click()
    expect(page.locator(".alert-success", has_text="颁发证书 1 份")).to_be_visible()  # after the reload
    with app.app_context():
        released = db.session.get(Exam, exam_id)
        assert released.released_at < released.closes_at - timedelta(minutes=30)

    candidate.goto(f"{base}/exams/")
    assert "组织者已提前结束" in candidate.content()
    candidate.goto(f"{base}/exams/{exam_id}/result")
    assert "合格" in candidate.locator("#verdict").inner_text()
    assert "实操" in candidate.locator("#parts").inner_text()
    candidate.close()


def test_extra_time_for_one_candidate_reaches_the_timer_on_their_phone(app, exam_server, page, phone):
    """A candidate on a phone loses time; the trainer gives the paper 20 more minutes with a reason. The
    phone's countdown follows the server's deadline at its next save (or its half-minute check)."""
    base, exam_id = exam_server
    sign_in(phone, base, "m001", DEMO_PASSWORD)
    phone.goto(f"{base}/exams/{exam_id}/start")
    phone.get_by_role("button", name="开始作答").click()
    phone.wait_for_selector("#countdown")
    assert phone.locator("#countdown").inner_text().startswith(("29:", "30:"))

    sign_in(page, base, "trainer1", DEMO_PASSWORD)
    page.goto(f"{base}/exams/{exam_id}/overview")
    page.fill("#paper-employee_no", "m001")
    page.fill("#paper-minutes", "20")
    page.fill("#paper-reason", "考场停电")
    page.locator("#paper-submit").click()
    assert "现在结束于" in page.locator(".alert-success").first.inner_text()
    assert "延长 20 分钟" in page.locator("#adjustments + ul").inner_text()

    phone.locator("textarea").fill("先核实经营真实性。")
    phone.locator("textarea").blur()
    phone.wait_for_function("() => document.querySelector('.item-status').textContent.includes('已保存')")
    phone.wait_for_function("() => document.querySelector('#countdown').textContent.startsWith('49:')")
