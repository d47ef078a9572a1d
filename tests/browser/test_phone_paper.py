"""A manager on a phone with a weak signal, driven by touch on 375×812 and 320×568: no swallowed tap, no
lost answer when the network drops, a reload that comes back to the same question, an exam whose clock
starts on 开始作答."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from drill.accounts.demo import DEMO_PASSWORD
from drill.accounts.models import User
from drill.attempts.models import Attempt, AttemptItem
from drill.content.services import import_paths
from drill.database import utcnow
from drill.exams.models import Exam
from drill.extensions import db
from drill.paths import project_dir
from tests.browser.conftest import PHONE_SIZES
from tests.browser.test_accounts_browser import sign_in
from tests.drills.conftest import PACKS

expect = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed").expect
pytestmark = pytest.mark.browser

TYPED = ("blank", "numeric", "open")

# Every text the paper's status places ever showed, and where each tap on a button landed.
WATCH = """
window.__seen = [];
const watch = () => document.querySelectorAll('#save-status, .item-status').forEach((el) =>
  window.__seen.push(el.textContent));
new MutationObserver(watch).observe(document.getElementById('attempt'),
  {subtree: true, childList: true, characterData: true});
window.__taps = [];
let down = null;
document.addEventListener('touchstart', (e) => {
  const b = e.target.closest('button');
  down = b ? {id: b.className, rect: JSON.stringify(b.getBoundingClientRect())} : null;
}, true);
document.addEventListener('click', (e) => {
  const b = e.target.closest('button');
  window.__taps.push({down, clicked: b ? b.className : e.target.tagName,
                      rect: b ? JSON.stringify(b.getBoundingClientRect()) : null});
}, true);
"""


@pytest.fixture
def paper_server(app, live_server):
    with app.app_context():
        assert import_paths([PACKS], taxonomy_path=project_dir("content") / "taxonomy.yaml").ok
        db.session.commit()
    return live_server


@pytest.fixture
def phone_375(browser):
    context = browser.new_context(
        viewport=PHONE_SIZES["375x812"], is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def start_drill(page, base):
    sign_in(page, base, "m001", DEMO_PASSWORD)
    page.goto(f"{base}/drills/")
    page.select_option("#pack", "drill-sample")
    page.fill("#count", "8")
    page.fill("#minutes", "10")
    page.tap("#submit")
    page.wait_for_selector("#countdown")
    return int(page.locator("#attempt").get_attribute("data-attempt"))


def current(page) -> int:
    return int(page.locator("section.question.current").get_attribute("data-position"))


def kinds(page) -> dict[int, str]:
    return {
        int(s.get_attribute("data-position")): s.locator(".answer").get_attribute("data-type")
        for s in page.locator("section.question").all()
    }


def go_to(page, position):
    page.tap(f'.question-pills .pill[data-go="{position}"]')
    assert current(page) == position


def answer(page, position, kind, typed="12"):
    section = page.locator(f"#q{position}")
    if kind in ("single", "multiple", "truefalse"):
        section.locator("label").first.tap()
    elif kind in TYPED:
        field = section.locator("textarea, input").first
        field.tap()
        field.press_sequentially(typed)
    elif kind == "ordering":
        section.locator(".confirm-order").tap()
    elif kind == "matching":
        section.locator("select").first.select_option(index=1)


def saved_on_server(page, position):
    expect(page.locator(f"#q{position} .item-status")).to_contain_text("已保存")


def bar_state(page, state):
    expect(page.locator("#paper-status")).to_have_attribute("data-state", state)


def test_typing_then_one_tap_on_next_moves_on_and_the_button_stays_put(paper_server, touch_phone):
    phone = touch_phone
    start_drill(phone, paper_server)
    phone.evaluate(WATCH)
    typed = [p for p, k in sorted(kinds(phone).items()) if k in TYPED and p < 8]
    assert typed, "the sample pack has blank, numeric and open questions"
    for position in typed:
        go_to(phone, position)
        answer(phone, position, kinds(phone)[position])
        # The field still has focus and its typing pause has not ended: this one tap blurs it, which
        # saves, and must still land on 下一题.
        phone.locator(f"#q{position} .next").tap()
        assert current(phone) == position + 1
        saved_on_server(phone, position)
    taps = phone.evaluate("window.__taps")
    next_taps = [t for t in taps if t["down"] and "next" in t["down"]["id"]]
    assert len(next_taps) == len(typed)
    for tap in next_taps:
        assert "next" in tap["clicked"] and tap["rect"] == tap["down"]["rect"]  # not moved under the finger
    seen = phone.evaluate("window.__seen")
    assert not [s for s in seen if "重试" in s]  # "retrying" only when actually retrying
    assert phone.locator(".question-pills .pill.answered").count() == len(typed)


def test_typing_then_one_tap_on_submit_submits(paper_server, phone_375):
    phone = phone_375
    start_drill(phone, paper_server)
    last = max(p for p, k in kinds(phone).items() if k in TYPED)
    go_to(phone, last)
    answer(phone, last, kinds(phone)[last], "最后一题")
    dialogs = []
    phone.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    phone.locator("#submit-form button[type=submit]").tap()
    phone.wait_for_selector("#score")
    assert dialogs and "道题未作答" in dialogs[0]  # it says how many, not a generic warning


def test_offline_answers_and_submit_wait_on_the_phone_and_nothing_is_lost(app, paper_server, touch_phone):
    phone = touch_phone
    attempt_id = start_drill(phone, paper_server)
    paper = kinds(phone)
    choice = next(p for p, k in sorted(paper.items()) if k in ("single", "truefalse"))
    typed = next(p for p, k in sorted(paper.items()) if k in ("numeric", "open"))
    online_one = next(p for p in sorted(paper) if p not in (choice, typed) and paper[p] != "ordering")
    go_to(phone, online_one)
    answer(phone, online_one, paper[online_one])
    phone.locator(f"#q{online_one} .next").tap()
    saved_on_server(phone, online_one)

    phone.context.set_offline(True)
    bar_state(phone, "offline")
    assert "离线" in phone.locator("#paper-bar").inner_text()
    go_to(phone, choice)
    answer(phone, choice, paper[choice])
    go_to(phone, typed)
    answer(phone, typed, paper[typed], "1234")
    go_to(phone, choice)  # leaving the field keeps the answer on the phone (the first question has no ← )
    expect(phone.locator("#save-status")).to_contain_text("2 个答案存在本机")
    for position in (choice, typed):
        assert "已存本机" in phone.locator(f"#q{position} .item-status").text_content()
        pill = phone.locator(f'.question-pills .pill[data-go="{position}"]')
        assert "on-phone" in pill.get_attribute("class") and "answered" not in pill.get_attribute("class")

    phone.once("dialog", lambda dialog: dialog.accept())  # some questions are not answered
    phone.locator("#submit-form button[type=submit]").tap()
    expect(phone.locator("#submit-status")).to_contain_text("交卷已存在本机")
    assert "/drills/attempts/" in phone.url and phone.locator("#countdown").is_visible()
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).state == "open"  # nothing reached the server yet

    phone.context.set_offline(False)
    phone.wait_for_selector("#score")  # the answers went first, then the submission: the results
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        responses = dict(
            db.session.execute(
                select(AttemptItem.position, AttemptItem.response).where(AttemptItem.attempt_id == attempt_id)
            ).all()
        )
        assert attempt.state == "submitted"
        assert all(responses[p] not in (None, "", []) for p in (online_one, choice, typed))
        assert "1234" in str(responses[typed])


def test_a_reload_comes_back_to_the_same_question_with_the_servers_time(paper_server, touch_phone):
    phone = touch_phone
    start_drill(phone, paper_server)
    for _ in range(2):
        phone.locator("section.question.current .next").tap()
    assert current(phone) == 3
    shown = phone.locator("#countdown").inner_text()
    phone.wait_for_timeout(2200)
    phone.reload()
    phone.wait_for_selector("#countdown")
    assert current(phone) == 3
    minutes, seconds = phone.locator("#countdown").inner_text().split(":")
    before_m, before_s = shown.split(":")
    assert 0 < int(minutes) * 60 + int(seconds) < int(before_m) * 60 + int(before_s)


def test_an_answer_that_could_not_be_sent_survives_a_reload_and_is_sent_later(app, paper_server, phone_375):
    phone = phone_375
    attempt_id = start_drill(phone, paper_server)
    paper = kinds(phone)
    typed = next(p for p, k in sorted(paper.items()) if k in ("numeric", "open"))
    phone.route("**/api/attempts/*/items/*", lambda route: route.abort())  # a signal too weak to get through
    go_to(phone, typed)
    answer(phone, typed, paper[typed], "5678")
    phone.locator(f"#q{typed} .next").tap()
    bar_state(phone, "retrying")
    assert "重试" in phone.locator("#save-status").inner_text()  # now it really is retrying

    phone.reload()  # the page itself loads; the answer waits in the phone's storage
    phone.wait_for_selector("#countdown")
    assert current(phone) == typed + 1
    field = phone.locator(f"#q{typed} textarea, #q{typed} input").first
    assert "5678" in field.input_value()
    phone.unroute("**/api/attempts/*/items/*")
    phone.evaluate("window.dispatchEvent(new Event('online'))")  # as when the signal comes back
    bar_state(phone, "saved")
    with app.app_context():
        response = db.session.scalar(
            select(AttemptItem.response).where(
                AttemptItem.attempt_id == attempt_id, AttemptItem.position == typed
            )
        )
    assert "5678" in str(response)


def test_an_exams_clock_starts_on_start_answering(app, paper_server, touch_phone):
    phone = touch_phone
    with app.app_context():
        trainer = db.session.scalar(select(User).where(User.employee_no == "trainer1"))
        exam = Exam(
            title="手机上的考评", level="junior", category=None, seed=11,
            blueprint=[{"part": "theory", "count": 1, "points": 10, "type": kind}
                       for kind in ("single", "truefalse", "numeric")],
            opens_at=utcnow() - timedelta(hours=1), closes_at=utcnow() + timedelta(hours=1),
            time_limit_minutes=20, pass_rule={"total_min": 60}, eligible={}, created_by=trainer,
        )  # fmt: skip
        db.session.add(exam)
        db.session.commit()
        exam_id = exam.id
    sign_in(phone, paper_server, "m001", DEMO_PASSWORD)
    phone.goto(f"{paper_server}/exams/")
    phone.get_by_role("link", name="开始考试").tap()
    phone.wait_for_selector("#ready")
    facts = phone.locator("#exam-facts").inner_text()
    assert "20 分钟" in facts and "3" in facts
    assert "断网了会怎样" in phone.content()
    phone.wait_for_timeout(2500)  # reading the rules takes no exam time
    with app.app_context():
        started = select(func.count()).select_from(Attempt).where(Attempt.exam_id == exam_id)
        assert db.session.scalar(started) == 0
    phone.tap("#ready")
    phone.wait_for_selector("#countdown")
    minutes, seconds = phone.locator("#countdown").inner_text().split(":")
    assert int(minutes) * 60 + int(seconds) >= 20 * 60 - 5
