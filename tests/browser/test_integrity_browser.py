"""Exam integrity in a real Chromium, on a phone (375×812, touch) and a desktop: leaving the page is
counted, shown to the candidate and to the invigilator; the limit submits the paper after a warning;
pasting into an answer is blocked while typing still works."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from drill.accounts.demo import DEMO_PASSWORD
from drill.accounts.models import User
from drill.attempts.models import Attempt
from drill.content.services import import_paths
from drill.database import utcnow
from drill.exams.models import Exam
from drill.extensions import db
from drill.integrity.models import IntegrityEvent, IntegritySettings, PaperWatch
from drill.paths import project_dir
from tests.browser.test_accounts_browser import sign_in
from tests.drills.conftest import PACKS

expect = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed").expect

pytestmark = pytest.mark.browser

VIEWPORTS = {
    "phone": {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}


@pytest.fixture(params=list(VIEWPORTS))
def candidate(browser, request):
    context = browser.new_context(locale="zh-CN", **VIEWPORTS[request.param])
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def exam_id(app, live_server):
    with app.app_context():
        assert import_paths([PACKS], taxonomy_path=project_dir("content") / "taxonomy.yaml").ok
        trainer = db.session.scalar(select(User).where(User.employee_no == "trainer1"))
        exam = Exam(
            title="防作弊考评", level="junior", category=None, seed=11,
            blueprint=[{"part": "theory", "count": 1, "points": 10, "type": "single"},
                       {"part": "practical", "count": 1, "points": 40, "type": "open"}],
            opens_at=utcnow() - timedelta(hours=1), closes_at=utcnow() + timedelta(hours=1),
            time_limit_minutes=20, pass_rule={"total_min": 60}, eligible={}, created_by=trainer,
        )  # fmt: skip
        db.session.add(exam)
        db.session.flush()
        db.session.add(IntegritySettings(exam_id=exam.id, leave_limit=3))
        db.session.commit()
        return exam.id


def start_exam(page, base, exam_id):
    sign_in(page, base, "m001", DEMO_PASSWORD)
    page.goto(f"{base}/exams/{exam_id}/start")
    rules = page.locator("#integrity-rules").inner_text()
    assert "离开页面 3 次后" in rules and "禁止粘贴" in rules
    page.locator("#ready").click()
    page.wait_for_selector("#integrity")
    page.wait_for_load_state("load")  # integrity.js (deferred) listens by then: a leave before it is missed


HIDE = """() => {
  Object.defineProperty(document, "visibilityState", {configurable: true, get: () => "hidden"});
  Object.defineProperty(document, "hidden", {configurable: true, get: () => true});
  document.dispatchEvent(new Event("visibilitychange"));
}"""
SHOW = """() => {
  delete document.visibilityState;
  delete document.hidden;
  document.dispatchEvent(new Event("visibilitychange"));
}"""


def leave_and_return(page, *, submits=False):
    """The page is hidden (another app or tab in front), then shown again: headless Chromium does not hide
    a background tab, so the test gives the page the browser's signal itself. When the page-leave reaches
    the limit, the page is on its way to the result (the submit) before it is shown again."""
    from playwright.sync_api import Error as PlaywrightError

    page.evaluate(HIDE)
    page.wait_for_timeout(300)
    try:
        page.evaluate(SHOW)
    except PlaywrightError:
        if not submits:
            raise


def test_leaving_the_page_is_counted_warned_and_the_limit_submits_the_paper(
    app, live_server, exam_id, candidate, browser
):
    start_exam(candidate, live_server, exam_id)
    badge = candidate.locator("#integrity-leaves")
    expect(badge).to_have_text("已离开页面：0 / 3 次")
    leave_and_return(candidate)
    expect(badge).to_have_text("已离开页面：1 / 3 次")
    expect(candidate.locator("#integrity-alert")).to_be_hidden()
    leave_and_return(candidate)
    expect(badge).to_have_text("已离开页面：2 / 3 次")
    expect(candidate.locator("#integrity-alert")).to_contain_text(
        "再离开一次，答卷将按目前已保存的答案自动交卷"
    )

    invigilator = browser.new_context(locale="zh-CN").new_page()
    sign_in(invigilator, live_server, "trainer1", DEMO_PASSWORD)
    invigilator.goto(f"{live_server}/integrity/exams/{exam_id}")
    expect(invigilator.locator("#integrity-papers td.leaves")).to_have_text("2")

    leave_and_return(candidate, submits=True)
    candidate.wait_for_url(f"**/exams/{exam_id}/result", timeout=15_000)
    with app.app_context():
        attempt = db.session.scalar(select(Attempt).where(Attempt.exam_id == exam_id))
        assert attempt.state == "submitted"
    invigilator.goto(f"{live_server}/exams/{exam_id}/overview")
    expect(invigilator.locator("#integrity-summary")).to_contain_text("1 人切屏超过 2 次")
    invigilator.goto(f"{live_server}/integrity/attempts/{attempt.id}/timeline")
    assert invigilator.locator('#timeline li[data-kind="left"]').count() == 3
    expect(invigilator.locator('#timeline li[data-kind="limit"]')).to_have_count(1)
    expect(invigilator.locator('#timeline li[data-kind="submitted"]')).to_have_count(1)
    invigilator.context.close()


def test_pasting_into_an_answer_is_blocked_and_typing_still_works(app, live_server, exam_id, candidate):
    start_exam(candidate, live_server, exam_id)
    field = candidate.locator("section.question textarea").first
    section = field.locator("xpath=ancestor::section")
    position = section.get_attribute("data-position")
    if candidate.locator(".question-pills").is_visible():
        candidate.locator(f'.question-pills .pill[data-go="{position}"]').click()
    candidate.evaluate("navigator.clipboard.writeText('抄来的整段答案')")
    field.click()
    field.press_sequentially("自己写")
    candidate.keyboard.insert_text("的回答")  # what an input method commits
    field.press("ControlOrMeta+V")
    expect(candidate.locator("#integrity-alert")).to_contain_text("本答卷不允许粘贴")
    assert field.input_value() == "自己写的回答"
    with app.app_context():
        candidate.wait_for_timeout(500)
        kinds = db.session.scalars(select(IntegrityEvent.kind)).all()
        assert "paste" in kinds


def test_a_dropped_network_is_not_a_page_leave_and_what_happened_offline_arrives_later(
    app, live_server, exam_id, candidate
):
    start_exam(candidate, live_server, exam_id)
    badge = candidate.locator("#integrity-leaves")
    candidate.wait_for_timeout(500)  # "opened" has reached the server
    candidate.context.set_offline(True)
    candidate.wait_for_timeout(1500)
    expect(badge).to_have_text("已离开页面：0 / 3 次")  # losing the network is not leaving the page
    leave_and_return(candidate)
    expect(badge).to_have_text("已离开页面：1 / 3 次")  # counted on the device at once
    with app.app_context():
        assert db.session.scalar(select(PaperWatch.leaves)) == 0  # the server has not heard yet
    candidate.wait_for_timeout(1000)
    candidate.context.set_offline(False)
    for _ in range(50):
        with app.app_context():
            if db.session.scalar(select(PaperWatch.leaves)) == 1:
                break
        candidate.wait_for_timeout(200)
    with app.app_context():
        assert db.session.scalar(select(PaperWatch.leaves)) == 1
        left = db.session.scalar(select(IntegrityEvent).where(IntegrityEvent.kind == "left"))
        assert left.delay_ms >= 500  # the browser says how long it held the event
        assert db.session.scalar(select(Attempt.state)) == "open"


def test_opening_the_paper_on_a_phone_tells_the_computer_it_was_taken_over(
    app, live_server, exam_id, page, phone
):
    start_exam(page, live_server, exam_id)
    paper_url = page.url
    sign_in(phone, live_server, "m001", DEMO_PASSWORD)
    phone.goto(paper_url)
    phone.wait_for_selector("#integrity")
    phone.wait_for_timeout(500)  # "opened" from the phone has reached the server
    leave_and_return(page)  # the computer hears back on its next event (or its keep-alive)
    expect(page.locator("#integrity-alert")).to_contain_text("本答卷已在另一台设备上打开")
    expect(phone.locator("#integrity-alert")).to_be_hidden()
    with app.app_context():
        assert db.session.scalar(select(PaperWatch.devices)) == 1
